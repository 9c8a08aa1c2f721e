#!/usr/bin/python3
"""Checks the training section of wafer-cost-report's JSON for a compiled
training step and prints its figures. Usage: check_step_cost.py COST"""
import json
import sys

report = json.load(open(sys.argv[1]))
t = report["training"]
ph = t["phases"]
layers = 1 + max((op["step_layer"] for op in report["ops"] if op["step_layer"] is not None),
                 default=-1)


def say(what, ok):
    print("%s: %s" % (what, "ok" if ok else "FAIL"))


print("layers %d, checkpoints %d" % (layers, t["checkpoints"]))
say("every parameter's gradient streams out once",
    t["egress_bytes"] == t["trained_parameter_bytes"])
say("weights streamed in: forward >= every parameter once",
    ph["forward"]["streamed_bytes"] >= t["trained_parameter_bytes"])
say("recompute and backward stream the layers' weights again",
    0 < ph["recompute"]["streamed_bytes"] < ph["forward"]["streamed_bytes"]
    and 0 < ph["backward"]["streamed_bytes"] <= ph["forward"]["streamed_bytes"])
clock = report["clock_hz"]
for name in ("forward", "loss", "recompute", "backward"):
    p = ph[name]
    print("%s: %d ops, %.4g cycles (%.1f ms), %d bytes streamed in"
          % (name, p["ops"], p["estimated_cycles"], p["estimated_cycles"] / clock * 1e3,
             p["streamed_bytes"]))
print("gradients out: %d streams, %d bytes, egress busy %.4g cycles, last at cycle %d"
      % (t["gradient_streams"], t["egress_bytes"], t["egress_cycles"], t["last_egress_cycle"]))
print("tokens %d; to keep pace: forward %.0f, backward %.0f"
      % (t["tokens"], t["tokens_to_keep_pace"]["forward"], t["tokens_to_keep_pace"]["backward"]))
print("kept for backward: %d bytes/PE at most; optimizer %s, state %d bytes"
      % (t["kept_bytes_per_pe"], t["optimizer"], t["optimizer_state_bytes"]))
print("step %.1f ms" % t["step_ms"])

#!/usr/bin/python3
"""Checks the relations between wafer-cost-report's JSON and
wafer-training-projection's (with and without recompute) and prints the
projected step time. Usage: check_projection.py COST STEP KEEP"""
import json
import sys

cost, step, keep = (json.load(open(p)) for p in sys.argv[1:4])
total = cost["total"]


def say(what, ok):
    print("%s: %s" % (what, "ok" if ok else "FAIL"))


close = lambda a, b: abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)
say("step = forward + backward", close(step["step_cycles"], step["forward_cycles"] + step["backward_cycles"])
    and close(step["forward_cycles"], total["estimated_cycles"]))
say("weights in twice, gradients out once",
    step["weights_streamed_in_bytes"] == 2 * total["streamed_bytes"]
    and step["gradients_out_bytes"] == total["streamed_bytes"])
say("backward >= forward stream time", step["backward_cycles"] >= total["stream_cycles"])
say("tokens to keep pace, backward = forward / 3 (recompute), / 2 (kept)",
    close(step["tokens_to_keep_pace_backward"] * 3, step["tokens_to_keep_pace_forward"])
    and close(keep["tokens_to_keep_pace_backward"] * 2, keep["tokens_to_keep_pace_forward"])
    and keep["recompute_cycles"] == 0 and step["recompute_cycles"] > 0)
print("step time %.1f ms" % step["step_time_ms"])

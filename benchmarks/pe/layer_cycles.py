#!/usr/bin/python3
"""Emulated cycles per layer against the cost model's estimate and roofline.

Usage: layer_cycles.py BIN_DIR MODEL.onnx --input NAME=FILE.npy
                       [--target T] [--mode stream|pipelined]
                       [--input-shape NAME=DxD] [--per-layer] [--markdown]

Compiles and runs MODEL with BIN_DIR/wse-run, then reads
  * cost.json (wafer-cost-report): per placed op, `estimated_cycles` (the
    cost model) and `roofline_cycles` (max of compute and stream time);
  * stats.json (wse-emu): `marks`, the times PEs passed `mark N`, which the
    lowering puts at the start of the N-th placed op's code.
Layer N's emulated cycles are last(mark N+1) - last(mark N): from the
moment the slowest PE started it to the moment the slowest PE started the
next one (the last layer ends with the run). Prints per-layer rows with
--per-layer, and the totals with the ratios emulated/estimate and
emulated/roofline, grouped by op kind.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

p = argparse.ArgumentParser()
p.add_argument("bin")
p.add_argument("model")
p.add_argument("--input", action="append", default=[])
p.add_argument("--input-shape", action="append", default=[])
p.add_argument("--target", default="32x32")
p.add_argument("--mode", default="stream")
p.add_argument("--per-layer", action="store_true")
p.add_argument("--markdown", action="store_true")
a = p.parse_args()

with tempfile.TemporaryDirectory() as work:
    cmd = [os.path.join(a.bin, "wse-run"), a.model, "--target", a.target,
           "--mode", a.mode, "--work", work, "--quiet"]
    for i in a.input:
        cmd += ["--input", i]
    for s in a.input_shape:
        cmd += ["--input-shape", s]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        sys.exit(r.stdout + r.stderr)
    cost = json.load(open(os.path.join(work, "cost.json")))
    stats = json.load(open(os.path.join(work, "stats.json")))

ops = cost["ops"]
marks = {m["id"]: m["last"] for m in stats["marks"]}
total = stats["cycles"]
rows = []
for i, op in enumerate(ops):
    if i not in marks:
        sys.exit(f"no mark {i} in the run (op {op['op']})")
    end = marks.get(i + 1, total)
    rows.append((i, op["op"], op["location"], end - marks[i],
                 op["estimated_cycles"], op["roofline_cycles"]))
# Before the first layer: inputs and constants arriving.
prologue = marks[0] if ops else total

name = os.path.basename(a.model)
if a.per_layer:
    print(f"{'#':>3} {'op':<20} {'location':<28} {'emulated':>9} "
          f"{'estimate':>9} {'roofline':>9} {'emu/est':>8} {'emu/roof':>8}")
    for i, op, loc, emu, est, roof in rows:
        print(f"{i:>3} {op:<20} {loc[:28]:<28} {emu:>9} {est:>9} {roof:>9} "
              f"{emu / max(est, 1):>8.2f} {emu / max(roof, 1):>8.2f}")
kinds = collections.defaultdict(lambda: [0, 0, 0, 0])
for _, op, _, emu, est, roof in rows:
    k = kinds[op]
    k[0] += 1
    k[1] += emu
    k[2] += est
    k[3] += roof
est_total = cost["total"]["estimated_cycles"]
roof_total = cost["total"]["roofline_cycles"]
if a.markdown:
    print(f"| {name} | {a.target} {a.mode} | {total} | {est_total} | "
          f"{roof_total} | {total / max(est_total, 1):.1f} | "
          f"{total / max(roof_total, 1):.1f} |")
    sys.exit(0)
print(f"{name} on {a.target} ({a.mode}): {len(rows)} layers")
print(f"{'op kind':<20} {'layers':>6} {'emulated':>10} {'estimate':>10} "
      f"{'roofline':>10} {'emu/est':>8} {'emu/roof':>8}")
for op, (n, emu, est, roof) in sorted(kinds.items(), key=lambda kv: -kv[1][1]):
    print(f"{op:<20} {n:>6} {emu:>10} {est:>10} {roof:>10} "
          f"{emu / max(est, 1):>8.2f} {emu / max(roof, 1):>8.2f}")
print(f"{'prologue (inputs)':<20} {'':>6} {prologue:>10}")
print(f"{'total':<20} {len(rows):>6} {total:>10} {est_total:>10} "
      f"{roof_total:>10} {total / max(est_total, 1):>8.2f} "
      f"{total / max(roof_total, 1):>8.2f}")

"""Compiles every generated decoder to an emulator program and runs it on
wse-emu, comparing the logits with the torch reference saved at export and
with ONNX Runtime on the same inputs.

Usage: run_emulator.py BIN_DIR MODELS_DIR [--config TARGET:MODE]...
                       [--only SUBSTRING] [--jobs N] [--table]

With --layers N, the 6- or 12-layer static exports in MODELS_DIR/deep
instead (the layer loop's tests). Each model (the 16 exports: 4 families x static/dynamic x opset 14/17, plus
the external-data and tied-head GPT-2 variants) goes through the driver
bin/wse-run (import, --wse-pipeline ... lower=true, --emit-program, wse-emu)
for every configuration (default 32x32:stream, 32x32:pipelined, 8x8:stream,
8x8:pipelined). Tolerance: max |emulator - torch| <= 1e-4 * max |torch logit|,
and the same against wse-ref evaluating the imported module (wse-run
--check-ref), so the oracle of the onnx level is checked on every run too,
and against ONNX Runtime running the model file (wse-run --expect-ort), the
independent oracle.

Prints one line per run, then
  runs: N, failed: M
and exits non-zero if anything failed. --table prints a markdown table of
errors (against torch, then against ONNX Runtime) and emulated cycles.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

REL_TOL = 1e-4
parser = argparse.ArgumentParser()
parser.add_argument("bin")
parser.add_argument("models")
parser.add_argument("--config", action="append", default=[])
parser.add_argument("--only", default="")
parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
parser.add_argument("--table", action="store_true")
parser.add_argument("--layers", type=int,
                    help="run the deeper static exports with this many "
                         "layers (deep/FAMILY_L<N>.onnx) instead")
args = parser.parse_args()
configs = [c.split(":") for c in args.config] or [
    ["32x32", "stream"], ["32x32", "pipelined"], ["8x8", "stream"],
    ["8x8", "pipelined"]]

models = []
if args.layers:
    for path in sorted(glob.glob(os.path.join(
            args.models, "deep", f"*_L{args.layers}.onnx"))):
        name = os.path.basename(path)[:-len(".onnx")]
        models.append((path, name, os.path.join("deep", name)))
else:
    for path in sorted(glob.glob(os.path.join(args.models, "*_op1[47].onnx"))):
        name = os.path.basename(path)[:-len(".onnx")]
        models.append((path, name, name.split("_")[0]))
    models.append((os.path.join(args.models, "gpt2_static_op17_ext",
                                "model.onnx"), "gpt2_static_op17_ext", "gpt2"))
    models.append((os.path.join(args.models, "gpt2_static_op17_tied.onnx"),
                   "gpt2_static_op17_tied", "gpt2"))
models = [m for m in models if args.only in m[1]]
if not models:
    sys.exit(f"no models in {args.models}")


def check(job):
    (path, name, family), (target, mode), tmp = job
    ids = os.path.join(args.models, f"{family}.input_ids.npy")
    ref = os.path.join(args.models, f"{family}.logits.npy")
    work = os.path.join(tmp, f"{name}.{target}.{mode}")
    p = subprocess.run(
        [os.path.join(args.bin, "wse-run"), path, "--target", target,
         "--mode", mode, "--input-shape", "input_ids=1x16", "--input",
         f"input_ids={ids}", "--work", work, "--expect", ref,
         "--check-ref", "--expect-ort", "--tolerance", str(REL_TOL), "--quiet"],
        capture_output=True, text=True)
    out = p.stdout + p.stderr
    rel = re.search(r"= ([0-9.e+-]+) of max \|logit\|", out)
    ort = re.search(r"ort: +output logits: .* = ([0-9.e+-]+) of max", out)
    cycles = re.search(r"cycles:\s+(\d+)", out)
    return (name, target, mode, p.returncode == 0,
            float(rel.group(1)) if rel else None,
            float(ort.group(1)) if ort else None,
            int(cycles.group(1)) if cycles else None,
            out.strip().splitlines()[-1] if out.strip() else "")


with tempfile.TemporaryDirectory() as tmp:
    jobs = [(m, c, tmp) for m in models for c in configs]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(check, jobs))
failed = 0
for name, target, mode, ok, rel, ort, cycles, last in results:
    failed += not ok
    if ok:
        print(f"OK {name} {target} {mode}: {rel:.2g} of max|logit|, "
              f"ort {ort:.2g}, {cycles} cycles")
    else:
        print(f"FAIL {name} {target} {mode}: {last[:400]}")
print(f"runs: {len(results)}, failed: {failed}")
if args.table:
    cols = [f"{t} {m}" for t, m in configs]
    print("| model | " + " | ".join(cols) + " |")
    print("|---|" + "---:|" * len(cols))
    by = {}
    for name, target, mode, ok, rel, ort, cycles, _ in results:
        cell = (f"{rel:.1e} / {ort:.1e} / {cycles}" if ok and rel is not None
                else "FAIL")
        by.setdefault(name, {})[f"{target} {mode}"] = cell
    for name, cells in by.items():
        print(f"| {name} | " + " | ".join(cells.get(c, "-") for c in cols)
              + " |")
sys.exit(1 if failed else 0)

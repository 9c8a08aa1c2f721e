"""Checks that every generated decoder still computes the torch reference
logits at every stage of the compiler, evaluated by wse-ref (onnx and wafer
interpreters).

Usage: run_decoders.py WSE_TRANSLATE WSE_OPT WSE_REF MODELS_DIR
           [--stage NAME=FLAGS]... [--table]

Each model is imported with --input-shape input_ids=1x16, then every stage
runs `wse-opt FLAGS` on the imported module and wse-ref on the result. The
default stages are

  wafer      --onnx-prepare --convert-onnx-to-wafer --wafer-fuse-elementwise
  stream     --wse-pipeline='target=32x32 mode=stream'
  pipelined  --wse-pipeline='target=32x32 mode=pipelined'

--stage replaces them (repeatable; FLAGS is split like a shell command line,
empty FLAGS evaluates the imported module), e.g. to check the script itself
on onnx stages: --stage import= --stage prepare=--onnx-prepare. A stage whose
flags mention wafer (or wse-pipeline) must produce a module holding wafer
ops, so a conversion that silently leaves the onnx ops in place is a failure,
not a pass.

Tolerance: max |ours - torch| <= 1e-4 * max |torch logit| (fp32 compute in
another summation order than torch; docs/reference.md).

Prints one line per model and stage, then
  models: 16, stages: 48, failed: 0       (the generated grid, 3 stages)
  variants: 2, stages: 6, failed: 0       (external data, tied head)
and exits non-zero if anything failed. --table also prints a markdown table
of the measured errors.
"""
import argparse
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile

import numpy as np

REL_TOL = 1e-4
DEFAULT_STAGES = [
    ("wafer", ["--onnx-prepare", "--convert-onnx-to-wafer",
               "--wafer-fuse-elementwise"]),
    ("stream", ["--wse-pipeline=target=32x32 mode=stream"]),
    ("pipelined", ["--wse-pipeline=target=32x32 mode=pipelined"]),
]

parser = argparse.ArgumentParser()
parser.add_argument("translate")
parser.add_argument("opt")
parser.add_argument("ref")
parser.add_argument("models")
parser.add_argument("--stage", action="append", default=[],
                    metavar="NAME=FLAGS")
parser.add_argument("--table", action="store_true")
args = parser.parse_args()

stages = []
for spec in args.stage:
    name, sep, flags = spec.partition("=")
    if not name or not sep:
        sys.exit(f"--stage expects NAME=FLAGS, got '{spec}'")
    stages.append((name, shlex.split(flags)))
stages = stages or DEFAULT_STAGES


def wants_wafer(flags):
    return any("wafer" in f or "wse-pipeline" in f for f in flags)


# An op of the wafer dialect in the printed module (not a mere attribute).
WAFER_OP = re.compile(r"(^|[=\s])wafer\.[a-z_]+\b(?!\s*=)", re.M)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def check_model(path, name, family, weights, tmp, rows):
    """Returns the number of failed stages (all of them if the import fails)."""
    ids = os.path.join(args.models, f"{family}.input_ids.npy")
    expected = np.load(os.path.join(args.models, f"{family}.logits.npy"))
    scale = float(np.abs(expected).max())
    tol = REL_TOL * scale
    imported = os.path.join(tmp, f"{name}.mlir")
    imp = run([args.translate, "--import-onnx", path, "--input-shape",
               "input_ids=1x16", "-o", imported])
    if imp.returncode:
        print(f"FAIL {name} import: {imp.stderr.strip()[:300]}")
        return len(stages)
    failed = 0
    for stage, flags in stages:
        module = imported
        if flags:
            module = os.path.join(tmp, f"{name}.{stage}.mlir")
            p = run([args.opt, *flags, imported, "-o", module])
            if p.returncode:
                print(f"FAIL {name} {stage}: wse-opt: {p.stderr.strip()[:300]}")
                failed += 1
                continue
            if wants_wafer(flags):
                with open(module) as f:
                    if not WAFER_OP.search(f.read()):
                        print(f"FAIL {name} {stage}: no wafer op in the "
                              f"output of wse-opt {' '.join(flags)}")
                        failed += 1
                        continue
        out = os.path.join(tmp, f"{name}.{stage}.npy")
        # By index: the decoders take input_ids and return logits only, and
        # a lowering need not keep the onnx.name attributes.
        p = run([args.ref, module, "--weights", weights, "--input",
                 f"0={ids}", "--output", f"0={out}"])
        if p.returncode:
            print(f"FAIL {name} {stage}: wse-ref: {p.stderr.strip()[:400]}")
            failed += 1
            continue
        got = np.load(out)
        if got.shape != expected.shape:
            print(f"FAIL {name} {stage}: shape {got.shape}, "
                  f"expected {expected.shape}")
            failed += 1
            continue
        err = float(np.abs(got.astype(np.float64) - expected).max())
        ok = err <= tol
        failed += not ok
        rows.append((name, stage, err, err / scale))
        print(f"{'OK' if ok else 'FAIL'} {name} {stage}: max|diff| {err:.3g} "
              f"(tolerance {tol:.3g})")
    return failed


paths = sorted(glob.glob(os.path.join(args.models, "*_op1[47].onnx")))
if not paths:
    print(f"no models in {args.models}")
    sys.exit(1)
variants = [(os.path.join(args.models, "gpt2_static_op17_ext", "model.onnx"),
             "gpt2_static_op17_ext",
             os.path.join(args.models, "gpt2_static_op17_ext")),
            (os.path.join(args.models, "gpt2_static_op17_tied.onnx"),
             "gpt2_static_op17_tied", args.models)]
rows = []
with tempfile.TemporaryDirectory() as tmp:
    grid_failed = 0
    for path in paths:
        name = os.path.basename(path)[:-len(".onnx")]
        grid_failed += check_model(path, name, name.split("_")[0], args.models,
                                   tmp, rows)
    var_failed = 0
    for path, name, weights in variants:
        var_failed += check_model(path, name, "gpt2", weights, tmp, rows)
print(f"models: {len(paths)}, stages: {len(paths) * len(stages)}, "
      f"failed: {grid_failed}")
print(f"variants: {len(variants)}, stages: {len(variants) * len(stages)}, "
      f"failed: {var_failed}")
if args.table:
    print("| model | " + " | ".join(s for s, _ in stages) + " |")
    print("|---|" + "---:|" * len(stages))
    by = {}
    for name, stage, err, rel in rows:
        by.setdefault(name, {})[stage] = f"{err:.2e} ({rel:.1e})"
    for name, cells in by.items():
        print(f"| {name} | " + " | ".join(cells.get(s, "-") for s, _ in stages)
              + " |")
sys.exit(1 if grid_failed or var_failed else 0)

"""Checks that every generated decoder computes the torch reference logits
in the onnx dialect: as imported, after --onnx-staticize and after
--onnx-prepare, evaluated by wse-ref.

Usage: run_decoders.py WSE_TRANSLATE WSE_OPT WSE_REF MODELS_DIR [--table]

Tolerance: max |ours - torch| <= 1e-4 * max |torch logit| (the interpreter
computes in fp32 with its own summation order, torch in fp32 with blocked
kernels; the observed error is ~1e-7 relative).

Prints one line per model and stage, then
  models: 16, stages: 48, failed: 0       (the generated grid)
  variants: 2, stages: 6, failed: 0       (external data, tied head)
and exits non-zero if anything failed. --table also prints a markdown table
of the measured errors.
"""
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np

translate, opt, ref, models = sys.argv[1:5]
table = "--table" in sys.argv[5:]
REL_TOL = 1e-4
STAGES = [("import", None), ("staticize", "--onnx-staticize"),
          ("prepare", "--onnx-prepare")]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def check_model(path, name, family, weights, tmp, rows):
    """Returns the number of failed stages (3 if the import fails)."""
    ids = os.path.join(models, f"{family}.input_ids.npy")
    expected = np.load(os.path.join(models, f"{family}.logits.npy"))
    tol = REL_TOL * float(np.abs(expected).max())
    imported = os.path.join(tmp, f"{name}.mlir")
    imp = run([translate, "--import-onnx", path, "--input-shape",
               "input_ids=1x16", "-o", imported])
    if imp.returncode:
        print(f"FAIL {name} import: {imp.stderr.strip()[:300]}")
        return len(STAGES)
    failed = 0
    for stage, flag in STAGES:
        module = imported
        if flag:
            module = os.path.join(tmp, f"{name}.{stage}.mlir")
            p = run([opt, flag, imported, "-o", module])
            if p.returncode:
                print(f"FAIL {name} {stage}: wse-opt: {p.stderr.strip()[:300]}")
                failed += 1
                continue
        out = os.path.join(tmp, f"{name}.{stage}.npy")
        p = run([ref, module, "--weights", weights, "--input",
                 f"input_ids={ids}", "--output", f"logits={out}"])
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
        rows.append((name, stage, err, err / float(np.abs(expected).max())))
        print(f"{'OK' if ok else 'FAIL'} {name} {stage}: max|diff| {err:.3g} "
              f"(tolerance {tol:.3g})")
    return failed


paths = sorted(glob.glob(os.path.join(models, "*_op1[47].onnx")))
if not paths:
    print(f"no models in {models}")
    sys.exit(1)
variants = [(os.path.join(models, "gpt2_static_op17_ext", "model.onnx"),
             "gpt2_static_op17_ext", os.path.join(models, "gpt2_static_op17_ext")),
            (os.path.join(models, "gpt2_static_op17_tied.onnx"),
             "gpt2_static_op17_tied", models)]
rows = []
with tempfile.TemporaryDirectory() as tmp:
    grid_failed = 0
    for path in paths:
        name = os.path.basename(path)[:-len(".onnx")]
        grid_failed += check_model(path, name, name.split("_")[0], models,
                                   tmp, rows)
    var_failed = 0
    for path, name, weights in variants:
        var_failed += check_model(path, name, "gpt2", weights, tmp, rows)
print(f"models: {len(paths)}, stages: {len(paths) * len(STAGES)}, "
      f"failed: {grid_failed}")
print(f"variants: {len(variants)}, stages: {len(variants) * len(STAGES)}, "
      f"failed: {var_failed}")
if table:
    print("| model | import | staticize | prepare |")
    print("|---|---:|---:|---:|")
    by = {}
    for name, stage, err, rel in rows:
        by.setdefault(name, {})[stage] = f"{err:.2e} ({rel:.1e})"
    for name, cells in by.items():
        print(f"| {name} | " + " | ".join(cells.get(s, "-") for s, _ in STAGES)
              + " |")
sys.exit(1 if grid_failed or var_failed else 0)

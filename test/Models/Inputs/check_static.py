"""The issue's done criterion on every generated decoder export:
`wse-translate --import-onnx M --input-shape input_ids=1x16 | wse-opt PASSES`
must give IR with no dynamic dimension, no Shape/Range op, no weight bytes
(no dense constant above the parameter threshold) and at least one parameter.

Usage: check_static.py WSE_TRANSLATE WSE_OPT MODELS_DIR PASS...
Prints one line per model and exits non-zero if any model fails.
"""
import re
import subprocess
import sys

from decoders import imported_models

translate, opt, models = sys.argv[1:4]
passes = sys.argv[4:]
DENSE = re.compile(r"onnx\.Constant dense<.*> : tensor<([0-9x]*)x?[a-z0-9]+>")
failed = 0
n_models = 0
for name, ir, error in imported_models(translate, models):
    n_models += 1
    if ir is None:
        print(f"FAIL {name}: import: {error}")
        failed += 1
        continue
    run = subprocess.run([opt] + passes, input=ir, capture_output=True,
                         text=True)
    if run.returncode:
        print(f"FAIL {name}: {' '.join(passes)}: {run.stderr.strip()[:300]}")
        failed += 1
        continue
    ir = run.stdout
    problems = []
    dynamic = len(re.findall(r"tensor<[^>]*[?*]", ir))
    if dynamic:
        problems.append(f"{dynamic} dynamic types")
    shape_ops = len(re.findall(r"onnx\.(Shape|Range)\b", ir))
    if shape_ops:
        problems.append(f"{shape_ops} Shape/Range ops")
    big = 0
    for dims in DENSE.findall(ir):
        count = 1
        for d in filter(None, dims.split("x")):
            count *= int(d)
        big += count > 4096
    if big:
        problems.append(f"{big} constants above 4096 elements")
    params = ir.count("onnx.parameter @")
    if not params:
        problems.append("no parameters")
    ops = len(re.findall(r"= onnx\.", ir))
    if problems:
        failed += 1
        print(f"FAIL {name}: {', '.join(problems)}")
    else:
        print(f"OK {name}: {ops} ops, {params} parameters, static")
print(f"models: {n_models}, failed: {failed}")
sys.exit(1 if failed else 0)

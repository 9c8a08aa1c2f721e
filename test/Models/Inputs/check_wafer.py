"""Every generated decoder export lowers to the wafer dialect:
`wse-translate --import-onnx M --input-shape input_ids=1x16 | wse-opt PASSES`
must succeed, leave no onnx op (onnx.* attributes are provenance and stay),
give one wafer.parameter per onnx.parameter, feed every weight through at
least one wafer.stream, and print IR that wse-opt parses back to the same
text (round trip).

Usage: check_wafer.py WSE_TRANSLATE WSE_OPT MODELS_DIR PASS...
Prints one line per model and exits non-zero if any model fails.
"""
import re
import subprocess
import sys

from decoders import imported_models

translate, opt, models = sys.argv[1:4]
passes = sys.argv[4:]
# An op is the first token of a statement, after an optional result list.
OP = re.compile(r'^\s*(?:%[^=]+=\s*)?"?([a-z_]+\.[A-Za-z_]+)', re.M)
failed = 0
n_models = 0
for name, ir, error in imported_models(translate, models):
    n_models += 1
    if ir is None:
        print(f"FAIL {name}: import: {error}")
        failed += 1
        continue
    onnx_params = ir.count("onnx.parameter @")
    run = subprocess.run([opt] + passes, input=ir,
                         capture_output=True, text=True)
    if run.returncode:
        print(f"FAIL {name}: {' '.join(passes)}: {run.stderr.strip()[:300]}")
        failed += 1
        continue
    ir = run.stdout
    ops = OP.findall(ir)
    problems = []
    leftover = sorted({op for op in ops if op.startswith("onnx.")})
    if leftover:
        problems.append("onnx ops left: " + ", ".join(leftover))
    params = ops.count("wafer.parameter")
    if params != onnx_params:
        problems.append(f"{params} wafer.parameter for {onnx_params} "
                        "onnx.parameter")
    streamed = set(re.findall(r"wafer\.stream @(\"[^\"]*\"|[\w.]+)", ir))
    declared = set(re.findall(r"wafer\.parameter @(\"[^\"]*\"|[\w.]+)", ir))
    if declared - streamed:
        problems.append(f"{len(declared - streamed)} parameters never "
                        "streamed")
    if "wafer.linear" not in ops:
        problems.append("no wafer.linear")
    again = subprocess.run([opt], input=ir, capture_output=True, text=True)
    if again.returncode:
        problems.append("output does not parse: " + again.stderr.strip()[:200])
    elif again.stdout != ir:
        problems.append("round trip changes the printed IR")
    if problems:
        failed += 1
        print(f"FAIL {name}: {'; '.join(problems)}")
    else:
        count = lambda op: ops.count(op)
        print(f"OK {name}: {len(ops)} ops, {params} parameters, "
              f"{count('wafer.stream')} streams, {count('wafer.linear')} "
              f"linear, {count('wafer.elementwise')} elementwise")
print(f"models: {n_models}, failed: {failed}")
sys.exit(1 if failed else 0)

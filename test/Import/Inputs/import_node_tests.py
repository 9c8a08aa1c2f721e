"""Imports every ONNX backend node test model (Debian's libonnx-testdata).

Each model lands in one of: imported; unsupported (an operator, opset or
type the importer refuses with a clear message); failed (anything else: a
crash, or a refusal of a model whose operators are all supported). Prints the
counts and the failures; exits non-zero if anything failed.

Usage: import_node_tests.py WSE_TRANSLATE DATA_DIR [--list-unsupported]
"""
import collections
import os
import subprocess
import sys

tool, data = sys.argv[1], sys.argv[2]
show_unsupported = "--list-unsupported" in sys.argv

# Refusals that name a limitation, not a bug.
REFUSALS = (
    "unsupported ONNX operator",
    "supported opsets are 7 to 21",
    "unsupported element type",
    "control flow is not supported",
    "is not a tensor (sequences, maps and optionals",
    "only the default ONNX domain",
    "Mean and InvStdDev outputs of LayerNormalization",
    "sparse",
    "Cast to unsupported type",
    "does not import the default ONNX opset",
    "must be a constant",
)

counts = collections.Counter()
failures = []
unsupported = collections.Counter()
for name in sorted(os.listdir(data)):
    model = os.path.join(data, name, "model.onnx")
    if not os.path.exists(model):
        continue
    proc = subprocess.run([tool, "--import-onnx", model, "-o", os.devnull],
                          capture_output=True, text=True)
    if proc.returncode == 0:
        counts["imported"] += 1
        continue
    message = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    if proc.returncode > 0 and any(r in proc.stderr for r in REFUSALS):
        counts["unsupported"] += 1
        reason = message.split("error: ", 1)[-1]
        if "unsupported ONNX operator" in reason:
            reason = reason[reason.index("unsupported ONNX operator"):]
        elif "must be a constant" in reason:
            reason = "axes/split/k given as a run-time input"
        elif "default ONNX opset" in reason:
            reason = "only non-default domains (training ops)"
        elif "supported opsets are" in reason:
            reason = "opset outside 7-21"
        unsupported[reason] += 1
        continue
    counts["failed"] += 1
    failures.append((name, proc.returncode, message))

total = sum(counts.values())
print(f"node tests: {total} models, {counts['imported']} imported, "
      f"{counts['unsupported']} unsupported, {counts['failed']} failed")
for name, code, message in failures:
    print(f"FAILED {name} (exit {code}): {message}")
if show_unsupported:
    for reason, n in unsupported.most_common():
        print(f"  {n:4d}  {reason}")
sys.exit(1 if failures else 0)

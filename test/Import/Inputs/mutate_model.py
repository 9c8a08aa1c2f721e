"""Imports truncated and byte-corrupted copies of a model: every copy must
either import or be refused with exit code 1 and a message, never crash.

Usage: mutate_model.py WSE_TRANSLATE MODEL WORKDIR [CASES]
Prints a summary line; exits 1 and keeps the offending files on a crash.
"""
import os
import random
import subprocess
import sys

tool, model, work = sys.argv[1:4]
cases = int(sys.argv[4]) if len(sys.argv) > 4 else 200
os.makedirs(work, exist_ok=True)
data = open(model, "rb").read()
rng = random.Random(1234)

variants = []
for i in range(cases // 4):
    variants.append((f"cut{i}", data[: rng.randrange(len(data))]))
for i in range(cases - len(variants)):
    mutated = bytearray(data)
    for _ in range(rng.choice([1, 2, 8, 32])):
        mutated[rng.randrange(len(mutated))] = rng.randrange(256)
    variants.append((f"flip{i}", bytes(mutated)))

imported = refused = crashed = 0
for name, blob in variants:
    path = os.path.join(work, "model.onnx")
    with open(path, "wb") as f:
        f.write(blob)
    proc = subprocess.run([tool, "--import-onnx", path, "-o", os.devnull],
                          capture_output=True, text=True, errors="replace")
    if proc.returncode == 0:
        imported += 1
    elif proc.returncode == 1 and "error:" in proc.stderr and \
            "Stack dump" not in proc.stderr:
        refused += 1
    else:
        crashed += 1
        keep = os.path.join(work, name + ".onnx")
        os.replace(path, keep)
        print(f"CRASH {keep} (exit {proc.returncode}): {proc.stderr[-400:]}")
print(f"mutations: {len(variants)}, imported {imported}, refused {refused}, "
      f"crashed {crashed}")
sys.exit(1 if crashed else 0)

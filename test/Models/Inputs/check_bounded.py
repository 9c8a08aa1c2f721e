"""Checks that no PE buffer of a lowered program holds a whole activation
of the model (issue "Width fits"): every `pe.buffer` is smaller than the
smallest activation of the imported model that exceeds a PE's SRAM.

Usage: check_bounded.py IMPORTED.mlir PE.mlir SRAM_WORDS

Activations are the tensor results of the onnx-level ops (weights are
`onnx.param_ref`s and never buffers). Prints the largest buffer, the number
of activations larger than SRAM and the smallest of them, then `ok` or
`HOLDS A WHOLE ACTIVATION`; exits non-zero in the second case.
"""
import re
import sys

imported, lowered, sram = sys.argv[1], sys.argv[2], int(sys.argv[3])


def words(dims):
    n = 1
    for d in dims.split("x"):
        n *= int(d)
    return n


acts = []
for line in open(imported):
    if "onnx.param_ref" in line or "onnx.Constant" in line:
        continue
    m = re.search(r"->\s*\(?tensor<([0-9x]+)x[a-z]+[0-9]*>", line)
    if m:
        acts.append(words(m.group(1)))
big = sorted(a for a in acts if a > sram)
buffers = [(int(n), name) for name, n in
           re.findall(r"pe\.buffer @(\w+)\[(\d+)\]", open(lowered).read())]
largest, name = max(buffers)
print(f"largest buffer: {largest} words (@{name}); {len(buffers)} buffers")
if not big:
    sys.exit("no activation exceeds SRAM: the check proves nothing")
print(f"activations larger than SRAM ({sram} words): {len(big)}, "
      f"smallest {big[0]} words, largest {big[-1]} words")
if largest >= big[0]:
    print("HOLDS A WHOLE ACTIVATION")
    sys.exit(1)
print("ok")

"""Runs a wafer module compiled to an emulator program and compares its
outputs with wse-ref evaluating the wafer module itself (the oracle).

Usage: run_kernels.py BIN_DIR WAFER.mlir PROGRAM.wse WORK_DIR [--seed N]
                      [--weights DIR] [--rtol R] [--ref-name OUT=REF ...]

Inputs are random: f32 arguments normal, integer arguments uniform in
[0, 8) (--int-range LO HI), bool arguments uniform. Prints `max |diff| E over N outputs` and
exits non-zero unless every output matches within rtol (default 1e-5)
times the largest reference magnitude.
"""
import argparse
import os
import re
import subprocess
import sys

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("bin")
p.add_argument("wafer")
p.add_argument("program")
p.add_argument("work")
p.add_argument("--seed", type=int, default=0)
p.add_argument("--weights")
p.add_argument("--rtol", type=float, default=1e-5)
p.add_argument("--int-range", type=int, nargs=2, default=[0, 8],
               metavar=("LO", "HI"), help="integer inputs in [LO, HI)")
p.add_argument("--ref-name", action="append", default=[], metavar="OUT=REF",
               help="the program's output OUT is wse-ref's output named REF "
                    "(e.g. a gradient streamed out: grad_w=grad.w); others "
                    "match wse-ref's results by position")
a = p.parse_args()
ref_names = dict(x.split("=", 1) for x in a.ref_name)
os.makedirs(a.work, exist_ok=True)
rng = np.random.default_rng(a.seed)

sig = re.search(r"func\.func @\w+\((.*?)\)\s*->", open(a.wafer).read(), re.S)
args = re.findall(r"%\w+: tensor<([0-9x]*?)x?(f32|i64|i32|i1)\b", sig.group(1))
ref_cmd = [os.path.join(a.bin, "wse-ref"), a.wafer]
if a.weights:
    ref_cmd += ["--weights", a.weights]
inputs = []
for i, (dims, et) in enumerate(args):
    shape = [int(d) for d in dims.split("x") if d]
    if et == "f32":
        arr = rng.standard_normal(shape).astype(np.float32)
    elif et == "i1":
        arr = rng.integers(0, 2, shape).astype(bool)
    else:
        arr = rng.integers(a.int_range[0], a.int_range[1], shape).astype(
            np.int64 if et == "i64" else np.int32)
    f = os.path.join(a.work, f"in{i}.npy")
    np.save(f, arr)
    inputs.append(f)
    ref_cmd += ["--input", f"{i}={f}"]

text = subprocess.run([os.path.join(a.bin, "wse-emu"), "--disassemble",
                       a.program], capture_output=True, text=True).stdout
names_in = [l.split()[1] for l in text.splitlines() if l.startswith("input ")]
names_out = [l.split()[1] for l in text.splitlines() if l.startswith("output ")]
emu_cmd = [os.path.join(a.bin, "wse-emu"), a.program, "--quiet",
           "--strict-routes", "--check-uninitialized"]
for n, f in zip(names_in, inputs):
    emu_cmd += ["--input", f"{n}={f}"]
position = 0
for i, n in enumerate(names_out):
    if n in ref_names:
        ref = ref_names[n]
    else:
        ref, position = str(position), position + 1
    ref_cmd += ["--output", f"{ref}={os.path.join(a.work, f'ref{i}.npy')}"]
    emu_cmd += ["--output", f"{n}={os.path.join(a.work, f'emu{i}.npy')}"]
for cmd in (ref_cmd, emu_cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"{os.path.basename(cmd[0])} failed:\n{r.stdout}{r.stderr}")
worst = 0.0
ok = True
for i in range(len(names_out)):
    ref = np.load(os.path.join(a.work, f"ref{i}.npy")).astype(np.float64)
    got = np.load(os.path.join(a.work, f"emu{i}.npy")).astype(np.float64)
    if ref.shape != got.shape:
        sys.exit(f"output {i}: shape {got.shape}, reference {ref.shape}")
    err = float(np.max(np.abs(ref - got))) if ref.size else 0.0
    scale = float(np.max(np.abs(ref))) if ref.size else 1.0
    worst = max(worst, err)
    ok &= err <= a.rtol * max(scale, 1.0)
print(f"max |diff| {worst:.3g} over {len(names_out)} outputs: "
      f"{'ok' if ok else 'MISMATCH'}")
sys.exit(0 if ok else 1)

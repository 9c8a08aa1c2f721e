"""Runs hand-written ONNX text models on the emulator against ONNX Runtime.

Usage: run_text_models.py BIN_DIR MODEL.onnxtext... [--target T]

Each model is converted to a binary .onnx (onnx.parser: syntax only, so
opsets newer than the installed onnx package parse too), given seeded random
float inputs of its declared shapes, and run by bin/wse-run (import,
--wse-pipeline ... lower=true, --emit-program, wse-emu) with --expect-ort:
every output must be within 1e-4 of the largest |value| of ONNX Runtime's
output, which implements every opset up to 21 itself. Prints one line per
output and `text models: N run, M failed`; exits non-zero if any failed.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnx.parser
from onnx.mapping import TENSOR_TYPE_TO_NP_TYPE

parser = argparse.ArgumentParser()
parser.add_argument("bin")
parser.add_argument("models", nargs="+")
parser.add_argument("--target", default="4x4")
args = parser.parse_args()

failed = 0
for path in args.models:
    name = os.path.splitext(os.path.basename(path))[0]
    model = onnx.parser.parse_model(open(path).read())
    with tempfile.TemporaryDirectory() as tmp:
        onnx_path = os.path.join(tmp, name + ".onnx")
        onnx.save(model, onnx_path)
        rng = np.random.default_rng(17)
        cmd = [sys.executable, os.path.join(args.bin, "wse-run"), onnx_path,
               "--target", args.target, "--work", os.path.join(tmp, "work"),
               "--expect-ort", "--quiet"]
        for value in model.graph.input:
            tensor = value.type.tensor_type
            dims = [d.dim_value for d in tensor.shape.dim]
            dtype = TENSOR_TYPE_TO_NP_TYPE[tensor.elem_type]
            data = rng.standard_normal(dims).astype(dtype)
            npy = os.path.join(tmp, value.name + ".npy")
            np.save(npy, data)
            cmd += ["--input", "%s=%s" % (value.name, npy)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        for line in proc.stdout.splitlines():
            if line.startswith("ort:"):
                print("%s %s" % (name, line))
        if proc.returncode:
            failed += 1
            print("FAILED %s: %s" % (name, (proc.stderr or proc.stdout)
                                      .strip().splitlines()[-1:]))
print("text models: %d run, %d failed" % (len(args.models), failed))
sys.exit(1 if failed else 0)

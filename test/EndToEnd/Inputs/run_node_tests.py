"""Runs the ONNX backend node tests (Debian's libonnx-testdata) through the
whole compiler on the emulator and compares with their expected outputs.

Usage: run_node_tests.py BIN_DIR DATA_DIR [--target T] [--jobs N]
                         [--list] [--only SUBSTRING]

Each test (a one-node model and test_data_set_0 with its inputs and
expected outputs) lands in one of:
  passed       imported, compiled (--wse-pipeline ... lower=true), emitted,
               run by wse-emu, and every output within rtol 1e-3, atol 1e-5
               of the expected one (the tolerance of ONNX's own runner);
  unsupported  refused with a message naming a limitation: an operator,
               opset or type the importer does not take, a model the wafer
               lowering does not take (integer arithmetic, run-time gather
               indices, outputs that are not f32 ...), or one that does not
               fit the machine;
  failed       anything else: a crash, a wrong result, an unexplained error.
Prints the counts (and with --list every non-passing test) and exits
non-zero if anything failed.
"""
import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
from onnx import TensorProto, numpy_helper

parser = argparse.ArgumentParser()
parser.add_argument("bin")
parser.add_argument("data")
parser.add_argument("--target", default="4x4")
parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
parser.add_argument("--list", action="store_true")
parser.add_argument("--only", default="")
args = parser.parse_args()
tool = lambda t: os.path.join(args.bin, t)

# Messages that name a limitation rather than a bug, by stage.
IMPORT_LIMITS = (
    "unsupported ONNX operator", "supported opsets are", "unsupported element type",
    "control flow is not supported", "is not a tensor", "only the default ONNX domain",
    "Mean and InvStdDev outputs", "sparse", "Cast to unsupported type",
    "does not import the default ONNX opset", "must be a constant")
COMPILE_LIMITS = (
    "has no lowering", "cannot be lowered", "has no pe instruction",
    "computes integers", "has no emulator data type", "streams out numbers only",
    "cannot be streamed", "is not supported", "unsupported", "must be constant",
    "does not fit", "needs", "no onnx", "dynamic", "not static", "refuses",
    "expected one function", "not a scalar", "non-adjacent axes",
    "cannot make the result", "zero-sized")


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def last_error(p):
    lines = [l for l in (p.stderr + p.stdout).splitlines() if "error" in l]
    return (lines[0] if lines else (p.stderr + p.stdout).strip()[:200])[:300]


def check(name):
    d = os.path.join(args.data, name)
    sets = os.path.join(d, "test_data_set_0")
    with tempfile.TemporaryDirectory() as tmp:
        imported = os.path.join(tmp, "in.mlir")
        p = run([tool("wse-translate"), "--import-onnx",
                 os.path.join(d, "model.onnx"), "-o", imported])
        if p.returncode:
            kind = ("unsupported" if p.returncode > 0 and
                    any(r in p.stderr for r in IMPORT_LIMITS) else "failed")
            return name, kind, "import: " + last_error(p)
        prog_ir = os.path.join(tmp, "p.mlir")
        p = run([tool("wse-opt"), imported, "-o", prog_ir,
                 f"--wse-pipeline=target={args.target} mode=stream lower=true"])
        if p.returncode:
            kind = ("unsupported" if p.returncode > 0 and
                    any(r in p.stderr for r in COMPILE_LIMITS) else "failed")
            return name, kind, "compile: " + last_error(p)
        prog = os.path.join(tmp, "m.wse")
        p = run([tool("wse-translate"), "--emit-program", "--weights-dir", d,
                 prog_ir, "-o", prog])
        if p.returncode:
            return name, "failed", "emit: " + last_error(p)
        text = run([tool("wse-emu"), "--disassemble", prog]).stdout
        ins = [l.split()[1] for l in text.splitlines() if l.startswith("input ")]
        in_types = [l.split()[3].split("[")[0] for l in text.splitlines()
                    if l.startswith("input ")]
        in_shapes = [[int(d) for d in re.findall(r"\d+", l.split("[", 1)[1])]
                     for l in text.splitlines() if l.startswith("input ")]
        outs = [l.split()[1] for l in text.splitlines() if l.startswith("output ")]
        in_pb = sorted(f for f in os.listdir(sets) if f.startswith("input_"))
        out_pb = sorted(f for f in os.listdir(sets) if f.startswith("output_"))
        if len(ins) > len(in_pb) or len(outs) != len(out_pb):
            return name, "failed", (f"program has {len(ins)} inputs and "
                                    f"{len(outs)} outputs, test data "
                                    f"{len(in_pb)} and {len(out_pb)}")
        cmd = [tool("wse-emu"), prog, "--quiet", "--max-cycles", "20000000"]
        for i, n in enumerate(ins):
            t = TensorProto()
            t.ParseFromString(open(os.path.join(sets, in_pb[i]), "rb").read())
            arr = numpy_helper.to_array(t)
            if in_types[i] == "bf16" and arr.dtype == np.uint16:
                # numpy has no bfloat16: the test data holds the raw bits,
                # widened here to the f32 they stand for.
                arr = (arr.astype(np.uint32) << 16).view(np.float32)
            if list(arr.shape) != in_shapes[i]:
                return name, "unsupported", (
                    f"data: input {i} has shape {list(arr.shape)} but the "
                    f"model declares {in_shapes[i]}")
            f = os.path.join(tmp, f"in{i}.npy")
            np.save(f, arr.astype(np.float32) if arr.dtype == np.float64 else arr)
            cmd += ["--input", f"{n}={f}"]
        expected = []
        for i, n in enumerate(outs):
            t = TensorProto()
            t.ParseFromString(open(os.path.join(sets, out_pb[i]), "rb").read())
            expected.append(numpy_helper.to_array(t))
            cmd += ["--output", f"{n}={os.path.join(tmp, f'out{i}.npy')}"]
        p = run(cmd)
        if p.returncode:
            return name, "failed", "emulate: " + last_error(p)
        for i, exp in enumerate(expected):
            got = np.load(os.path.join(tmp, f"out{i}.npy"))
            exp = exp.astype(np.float64)
            if got.shape != exp.shape and got.size == exp.size:
                got = got.reshape(exp.shape)
            if got.shape != exp.shape:
                return name, "failed", f"output {i} shape {got.shape}, expected {exp.shape}"
            if not np.allclose(got, exp, rtol=1e-3, atol=1e-5, equal_nan=True):
                err = float(np.nanmax(np.abs(got - exp)))
                return name, "failed", f"output {i} max |diff| {err:.3g}"
        return name, "passed", ""


names = sorted(n for n in os.listdir(args.data)
               if os.path.exists(os.path.join(args.data, n, "model.onnx"))
               and os.path.isdir(os.path.join(args.data, n, "test_data_set_0"))
               and args.only in n)
with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
    results = list(pool.map(check, names))
counts = collections.Counter(kind for _, kind, _ in results)
reasons = collections.Counter()
for name, kind, why in results:
    if kind == "failed" or args.list and kind != "passed":
        print(f"{kind.upper()} {name}: {why}")
    if kind == "unsupported":
        stage, _, msg = why.partition(": ")
        msg = re.sub(r"'[^']*model\.onnx' ", "", msg.split("error: ")[-1])
        msg = re.sub(r"node '[^']*'", "node", msg)
        reasons[stage + ": " + re.sub(r"[0-9]+", "N", msg)[:100]] += 1
if args.list:
    for r, n in reasons.most_common():
        print(f"  {n:4d} {r}")
print(f"node tests: {len(results)} models, {counts['passed']} passed, "
      f"{counts['failed']} failed, {counts['unsupported']} unsupported")
sys.exit(1 if counts["failed"] else 0)

"""Runs the ONNX backend node tests (Debian's libonnx-testdata) through the
whole compiler on the emulator and compares with ONNX Runtime.

Usage: run_node_tests.py BIN_DIR DATA_DIR [--target T] [--jobs N]
                         [--list] [--only SUBSTRING]

First every model runs on ONNX Runtime (bin/wse-ort, one process for all)
with the test's inputs, and ONNX Runtime's outputs are checked against the
stored expected ones: it agrees (every output within rtol 1e-3, atol 1e-5,
the tolerance of ONNX's own runner), differs, or cannot run the model (an
operator or type it lacks, a non-tensor input). Where it agrees, its outputs
are the oracle for the emulator; elsewhere the stored outputs are.

Each test (a one-node model and test_data_set_0 with its inputs and
expected outputs) lands in one of:
  passed       imported, compiled (--wse-pipeline ... lower=true), emitted,
               run by wse-emu, and every output within rtol 1e-3, atol 1e-5
               of the oracle's;
  unsupported  refused with a message naming a limitation: an operator,
               opset or type the importer does not take, a model the wafer
               lowering does not take (integer arithmetic, run-time gather
               indices, outputs that are not f32 ...), or one that does not
               fit the machine;
  failed       anything else: a crash, a wrong result, an unexplained error.
Prints the counts (and with --list every non-passing test and every
disagreement of ONNX Runtime) and exits non-zero if anything failed.
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
import onnx
from onnx import TensorProto, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "models"))
from wse_ort import file_name, run_batch  # noqa: E402

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


def load_pb(path):
    t = TensorProto()
    t.ParseFromString(open(path, "rb").read())
    return numpy_helper.to_array(t)


def close(got, exp):
    if exp.dtype.kind in "OUSb":
        return got.shape == exp.shape and np.array_equal(got.astype(exp.dtype), exp)
    return got.shape == exp.shape and np.allclose(
        got.astype(np.float64), exp.astype(np.float64), rtol=1e-3, atol=1e-5,
        equal_nan=True)


def ort_job(name, tmp):
    """wse-ort arguments for test NAME, or the reason it cannot run."""
    d = os.path.join(args.data, name)
    m = onnx.load(os.path.join(d, "model.onnx"))
    inits = {i.name for i in m.graph.initializer}
    ins = [i for i in m.graph.input if i.name not in inits]
    if any(i.type.WhichOneof("value") != "tensor_type"
           for i in list(ins) + list(m.graph.output)):
        return "a sequence or optional input or output"
    sets = os.path.join(d, "test_data_set_0")
    in_pb = sorted(f for f in os.listdir(sets) if f.startswith("input_"))
    if len(in_pb) > len(ins):
        return f"{len(in_pb)} inputs in the test data, {len(ins)} in the model"
    job = [os.path.join(d, "model.onnx"), "--out", os.path.join(tmp, name),
           "--quiet"]
    for k, f in enumerate(in_pb):
        arr = load_pb(os.path.join(sets, f))
        if arr.dtype == object:  # numpy_helper's strings
            arr = arr.astype(str)
        npy = os.path.join(tmp, f"{name}.in{k}.npy")
        np.save(npy, arr)
        job += ["--input", f"{ins[k].name}={npy}"]
    return job, [o.name for o in m.graph.output]


def ort_oracle(names, tmp):
    """Runs every test on ONNX Runtime; returns {name: (verdict, detail,
    {output index: array})} with verdict agrees, differs or not-run."""
    jobs, result = {}, {}
    for name in names:
        j = ort_job(name, tmp)
        if isinstance(j, str):
            result[name] = ("not-run", j, {})
        else:
            jobs[name] = j
    errors = run_batch([j for j, _ in jobs.values()], tool("wse-ort"))
    for (name, (job, outs)), err in zip(jobs.items(), errors):
        if err:
            err = err.replace(job[0], "model.onnx").splitlines()[0]
            result[name] = ("not-run", err[:200], {})
            continue
        sets = os.path.join(args.data, name, "test_data_set_0")
        got = {k: np.load(os.path.join(job[2], file_name(o)))
               for k, o in enumerate(outs)}
        want = {k: load_pb(os.path.join(sets, f"output_{k}.pb")) for k in got}
        bad = [k for k in got if not close(got[k], want[k])]
        if not bad:
            result[name] = ("agrees", "", got)
            continue
        g, w = got[bad[0]], want[bad[0]]
        why = f"output {bad[0]}: shape {g.shape}, stored {w.shape}"
        if g.shape == w.shape and w.dtype.kind in "fiu":
            why = f"output {bad[0]}: max |diff| {np.nanmax(np.abs(g - w.astype(g.dtype))):.3g}"
        elif g.shape == w.shape:
            i = np.flatnonzero(g.astype(w.dtype) != w)[0]
            why = f"output {bad[0]}: {g.flat[i]!r}, stored {w.flat[i]!r}"
        result[name] = ("differs", why, got)
    return result


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
            arr = load_pb(os.path.join(sets, in_pb[i]))
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
        verdict, _, ort_outs = ORT[name]
        oracle = "ort" if verdict == "agrees" else "stored"
        expected = []
        for i, n in enumerate(outs):
            expected.append(ort_outs[i] if oracle == "ort" else
                            load_pb(os.path.join(sets, out_pb[i])))
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
                return name, "failed", f"output {i} max |diff| {err:.3g} ({oracle})"
        return name, "passed", oracle


names = sorted(n for n in os.listdir(args.data)
               if os.path.exists(os.path.join(args.data, n, "model.onnx"))
               and os.path.isdir(os.path.join(args.data, n, "test_data_set_0"))
               and args.only in n)
with tempfile.TemporaryDirectory() as ort_tmp:
    ORT = ort_oracle(names, ort_tmp)
verdicts = collections.Counter(v for v, _, _ in ORT.values())
with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
    results = list(pool.map(check, names))
counts = collections.Counter(kind for _, kind, _ in results)
oracles = collections.Counter(why for _, kind, why in results if kind == "passed")
if args.list:
    for name, (verdict, why, _) in sorted(ORT.items()):
        if verdict != "agrees":
            print(f"ONNX RUNTIME {verdict.upper()} {name}: {why}")
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
print(f"onnx runtime: {len(ORT)} models, {verdicts['agrees']} agree with the "
      f"stored outputs, {verdicts['differs']} differ, {verdicts['not-run']} not run")
print(f"node tests: {len(results)} models, {counts['passed']} passed, "
      f"{counts['failed']} failed, {counts['unsupported']} unsupported; "
      f"oracle onnx runtime {oracles['ort']}, stored outputs {oracles['stored']}")
sys.exit(1 if counts["failed"] else 0)

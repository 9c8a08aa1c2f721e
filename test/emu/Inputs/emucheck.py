"""Helpers for the emulator's lit tests.

  emucheck.py gen FILE SHAPE [--seed N] [--dtype f32|f16]
      Random normal data: FILE.npy is written with np.save, any other name as
      raw little-endian bytes (a weight file).
  emucheck.py check --let NAME=FILE[:SHAPE] ... --expect EXPR --actual FILE
      Loads the named arrays (raw files need :SHAPE like 8x64), evaluates EXPR
      with numpy as `np`, and compares with the .npy at --actual.
  emucheck.py stats FILE --expect EXPR
      Evaluates EXPR (a boolean) with `s` bound to the --stats-json object.
"""
import argparse
import json
import sys

import numpy as np


def load(spec):
    name, _, path = spec.partition("=")
    shape = None
    if ":" in path:
        path, _, dims = path.rpartition(":")
        shape = tuple(int(d) for d in dims.split("x"))
    if path.endswith(".npy"):
        arr = np.load(path)
    else:
        arr = np.fromfile(path, dtype="<f4")
    if shape is not None:
        arr = arr.reshape(shape)
    return name, arr


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("file")
    g.add_argument("shape")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--dtype", default="f32")
    c = sub.add_parser("check")
    c.add_argument("--let", action="append", default=[])
    c.add_argument("--expect", required=True)
    c.add_argument("--actual", required=True)
    c.add_argument("--rtol", type=float, default=1e-5)
    c.add_argument("--atol", type=float, default=1e-5)
    c.add_argument("--equal-nan", action="store_true",
                   help="NaN in the same places counts as equal")
    s = sub.add_parser("stats")
    s.add_argument("file")
    s.add_argument("--expect", required=True)
    a = p.parse_args()

    if a.cmd == "gen":
        shape = tuple(int(d) for d in a.shape.split("x"))
        data = np.random.default_rng(a.seed).standard_normal(shape)
        data = data.astype(np.float16 if a.dtype == "f16" else np.float32)
        if a.file.endswith(".npy"):
            np.save(a.file, data)
        else:
            data.tofile(a.file)
        return 0
    if a.cmd == "stats":
        st = json.load(open(a.file))
        ok = eval(a.expect, {"np": np, "s": st})
        if not ok:
            print("stats check failed: %s (cycles=%d)" % (a.expect, st["cycles"]))
            return 1
        print("stats ok")
        return 0
    env = {"np": np}
    for spec in a.let:
        name, arr = load(spec)
        env[name] = arr
    expected = np.asarray(eval(a.expect, env), dtype=np.float32)
    actual = np.load(a.actual)
    if actual.shape != expected.shape:
        print("shape mismatch: actual %s, expected %s" % (actual.shape, expected.shape))
        return 1
    if not np.allclose(actual, expected, rtol=a.rtol, atol=a.atol,
                       equal_nan=a.equal_nan):
        err = np.abs(actual - expected)
        print("mismatch: max abs error %g at %s" % (err.max(), np.unravel_index(err.argmax(), err.shape)))
        print("actual:", actual.ravel()[:16])
        print("expected:", expected.ravel()[:16])
        return 1
    print("match: %d elements" % actual.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())

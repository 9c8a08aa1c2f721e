"""Compares .npy outputs against references, numpy-style:
|out - ref| <= atol + rtol * |ref| elementwise, same shape; NaN == NaN,
inf == inf of the same sign.

Usage: compare_npy.py [--rtol R] [--atol A] REF OUT [REF OUT ...]
Prints one line per pair; exits non-zero if any pair differs.
"""
import argparse
import sys

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--rtol", type=float, default=1e-6)
parser.add_argument("--atol", type=float, default=1e-6)
parser.add_argument("files", nargs="+")
args = parser.parse_args()
if len(args.files) % 2:
    sys.exit("expected REF OUT pairs")
bad = 0
for ref_path, out_path in zip(args.files[::2], args.files[1::2]):
    ref = np.load(ref_path).astype(np.float64)
    out = np.load(out_path).astype(np.float64)
    if ref.shape != out.shape:
        print(f"MISMATCH {out_path}: shape {out.shape}, expected {ref.shape}")
        bad += 1
        continue
    close = np.isclose(out, ref, rtol=args.rtol, atol=args.atol, equal_nan=True)
    if close.all():
        err = np.abs(np.nan_to_num(out - ref)).max() if ref.size else 0.0
        print(f"MATCH {out_path}: max|diff| {err:.3g}")
    else:
        idx = tuple(int(i) for i in np.argwhere(~close)[0])
        print(f"MISMATCH {out_path}: {int((~close).sum())} elements differ, "
              f"first at {idx}: got {out[idx]}, expected {ref[idx]}")
        bad += 1
sys.exit(1 if bad else 0)

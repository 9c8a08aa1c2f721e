"""Inputs and numpy references for the test/Reference/*.mlir lit tests.

Usage: cases.py CASE OUTDIR
Writes OUTDIR/<input>.npy for each input of CASE and OUTDIR/ref<k>.npy for
its k-th expected result (computed with numpy in float64 where the op is
float, then rounded to float32). Inputs are deterministic (fixed seed).
Bool inputs are written as int64 0/1 (the .npy reader has no bool).
"""
import math
import os
import sys

import numpy as np

rng = np.random.default_rng(1234)
f32 = np.float32


def randn(*shape):
    return rng.standard_normal(shape).astype(f32)


def erf(x):
    return np.vectorize(math.erf)(x.astype(np.float64))


def case_unary():
    x = randn(3, 4)
    p = (np.abs(randn(3, 4)) + f32(0.1)).astype(f32)
    xd = x.astype(np.float64)
    pd = p.astype(np.float64)
    sig = 1 / (1 + np.exp(-xd))
    refs = [np.sqrt(pd), 1 / pd, np.exp(xd), np.log(pd), erf(x), np.tanh(xd),
            sig, np.sin(xd), np.cos(xd), xd * sig,
            0.5 * xd * (1 + erf(x / math.sqrt(2))),
            0.5 * xd * (1 + np.tanh(math.sqrt(2 / math.pi)
                                    * (xd + 0.044715 * xd ** 3))),
            -xd, np.abs(xd), np.maximum(xd, 0), xd]
    return {"x": x, "p": p}, refs


def case_binary():
    a = randn(2, 3, 4)
    b = randn(3, 1)  # broadcasts against the last two dims of a
    pa = (np.abs(a) + f32(0.5)).astype(f32)
    ad, bd = a.astype(np.float64), b.astype(np.float64)
    b2 = np.array([[0.5], [-0.25], [0.5]], dtype=f32)  # Equal hits
    a2 = np.broadcast_to(np.array([0.5, 1.0, -0.25, 0.5], f32), (2, 3, 4)).copy()
    refs = [ad + bd, ad - bd, ad * bd, ad / bd, np.maximum(ad, bd),
            np.minimum(ad, bd), np.power(pa.astype(np.float64), bd),
            (a2 == b2), (ad < bd), (ad > bd)]
    return {"a": a, "b": b, "pa": pa, "a2": a2, "b2": b2}, refs


def case_logic():
    p = np.array([[1, 0, 1], [0, 0, 1]], dtype=np.int64)
    q = np.array([1, 1, 0], dtype=np.int64)
    x = randn(2, 1, 3)
    y = randn(3)
    pb, qb = p.astype(bool), q.astype(bool)
    refs = [pb & qb, pb | qb, ~pb, np.where(pb, x, y)]
    return {"p": p, "q": q, "x": x, "y": y}, refs


def case_integer():
    i = np.array([7, -7, 5, -9, 3000000000], dtype=np.int64)
    j = np.array([2, 2, -3, 4, 1], dtype=np.int64)
    f = np.array([1.7, -1.7, 0.0, 2.5, -0.4], dtype=f32)
    # Div truncates toward zero; i32 wraps; float -> int truncates.
    refs = [i + j, np.trunc(i / j).astype(np.int64), -i, np.abs(i),
            i.astype(f32), np.trunc(f).astype(np.int64), f != 0,
            (i + j).astype(np.int64).astype(np.int32), np.maximum(i, j),
            i ** 2]
    return {"i": i, "j": j, "f": f}, refs


def case_matmul():
    a = randn(2, 3, 4)
    b = randn(4, 5)
    v = randn(4)
    w = randn(5)
    c = randn(2, 1, 3, 4)
    d = randn(5, 4, 2)
    refs = [a @ b, v @ b, b.T @ v, np.array(v @ v), c @ d, w @ b.T]
    return {"a": a, "b": b, "v": v, "w": w, "c": c, "d": d}, [
        np.asarray(r, dtype=np.float64) for r in refs]


def case_gemm():
    a = randn(4, 3)   # used transposed: op(A) = 3x4
    b = randn(5, 4)   # used transposed: op(B) = 4x5
    c = randn(5)
    a2 = randn(3, 4)
    b2 = randn(4, 5)
    c2 = randn(3, 1)
    refs = [a.T @ b.T + c, 0.5 * (a2 @ b2) + 2.0 * c2, 1.5 * (a2 @ b.T),
            a.T @ b2 - c2]
    return {"a": a, "b": b, "c": c, "a2": a2, "b2": b2, "c2": c2}, refs


def case_shape():
    x = np.arange(24, dtype=f32).reshape(2, 3, 4)
    z = np.zeros((0, 3), dtype=f32)
    refs = [
        x.reshape(2, 12),                        # Reshape 0, -1
        z.reshape(3, 0),                         # allowzero
        x.transpose(2, 0, 1),
        x.reshape(1, 2, 1, 12).squeeze((0, 2)),
        x.reshape(2, 1, 3, 4, 1) * 1,            # Unsqueeze [1, -1]
        np.concatenate([x, x[:, :1, :]], axis=-2),
        x[:, :, 0:1], x[:, :, 1:4],              # Split explicit
        x[:, 0:2, :], x[:, 2:3, :],              # Split equal 3 -> 2,1 (opset 18)
        x[::-1, 2:0:-1, ::-2],                   # negative steps, clamped
        x[:, -2:100, 1:-1],                      # negative start, clamped end
        np.take(x, [[-1, 0], [1, -3]], axis=1),  # Gather axis 1, negative
        np.broadcast_to(x[:, :1, :], (3, 2, 3, 4)),
        np.tile(x[0], (2, 1)),
        np.array([3, 4], dtype=np.int64),        # Shape start=1
        np.arange(2, 11, 3, dtype=np.int64),     # Range int
        np.arange(1.0, -1.0, -0.5, dtype=f32),   # Range float, negative delta
        np.full((2, 3), 1.5, dtype=f32),         # ConstantOfShape
        np.triu(x, 1), np.tril(x, -1),           # Trilu
        np.array([[1, 2], [3, 4]], dtype=np.int64),  # Constant
        np.array([3, 4], dtype=np.int64),        # Shape start=-2, dynamic type
    ]
    return {"x": x, "z": z}, refs


def case_reduce():
    x = randn(2, 3, 4)
    xd = x.astype(np.float64)
    c = np.arange(1, 7, dtype=f32).reshape(2, 3)
    cum = np.cumsum(c[:, ::-1], axis=1)[:, ::-1]  # reverse
    excl_rev = cum - c
    refs = [xd.mean(axis=(0, 2)),                 # keepdims=0
            xd.sum(axis=-1, keepdims=True),
            xd,                                   # noop_with_empty_axes
            np.array(xd.sum()).reshape(1, 1, 1),  # all axes, keepdims
            xd.max(axis=1),
            np.cumsum(c, axis=1), excl_rev,
            np.cumsum(c, axis=0) - c,             # exclusive
            np.array([6, 5, 3], dtype=np.int64)]  # int reverse cumsum
    return {"x": x, "c": c}, refs


def case_norm():
    x = randn(2, 3, 4) * f32(3)
    big = np.array([[1000.0, 1001.0, -3.4e38], [0.0, 1.0, 2.0]], dtype=f32)
    s = (1 + 0.1 * randn(3, 4)).astype(f32)
    b = randn(4)
    g = (1 + 0.1 * randn(4)).astype(f32)
    xd = x.astype(np.float64)

    def softmax(v, axis):
        e = np.exp(v - v.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    def log_softmax(v, axis):
        m = v - v.max(axis=axis, keepdims=True)
        return m - np.log(np.exp(m).sum(axis=axis, keepdims=True))

    bd = big.astype(np.float64)
    mu = xd.mean(axis=(1, 2), keepdims=True)
    var = ((xd - mu) ** 2).mean(axis=(1, 2), keepdims=True)
    ln2 = (xd - mu) / np.sqrt(var + 1e-5) * s
    mu1 = xd.mean(axis=-1, keepdims=True)
    var1 = ((xd - mu1) ** 2).mean(axis=-1, keepdims=True)
    ln1 = (xd - mu1) / np.sqrt(var1 + 1e-3) * g + b
    rms = xd / np.sqrt((xd ** 2).mean(axis=-1, keepdims=True) + 1e-6) * g
    refs = [softmax(xd, 1), log_softmax(xd, -1), softmax(bd, -1),
            log_softmax(bd, -1), ln2, ln1, rms]
    return {"x": x, "big": big, "s": s, "b": b, "g": g}, refs


def case_params(out):
    """Parameters: a file with two tensors at offsets, f32 and f16."""
    w = randn(2, 3)
    h = randn(4).astype(np.float16)
    with open(os.path.join(out, "weights.bin"), "wb") as f:
        f.write(b"\xab" * 8)            # padding before the first tensor
        f.write(w.tobytes())            # offset 8, length 24
        f.write(h.tobytes())            # offset 32, length 8
    x = randn(3)
    return {"x": x}, [w @ x, h.astype(np.float64)]


CASES = {k[5:]: v for k, v in globals().items() if k.startswith("case_")}

if __name__ == "__main__":
    name, out = sys.argv[1:3]
    os.makedirs(out, exist_ok=True)
    fn = CASES[name]
    inputs, refs = fn(out) if name == "params" else fn()
    for key, value in inputs.items():
        np.save(os.path.join(out, key + ".npy"), value)
    for k, r in enumerate(refs):
        r = np.asarray(r)
        if r.dtype == np.float64:
            r = r.astype(f32)
        np.save(os.path.join(out, f"ref{k}.npy"), r)

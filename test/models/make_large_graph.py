#!/usr/bin/python3
"""Build a large GPT-NeoX-style decoder graph with external (sparse, all-zero) weights.

    /usr/bin/python3 test/models/make_large_graph.py --shape {tiny,124m,1.3b,6b,20b} --out DIR \
        [--opset 17|14] [--dtype fp32|fp16] [--seq 128] [--align 4096]

Writes DIR/model.onnx and DIR/weights.bin. The graph is built with
onnx.helper directly (no torch, no weight values): every weight initializer
is a TensorProto with data_location=EXTERNAL pointing at (location
'weights.bin', offset, length); weights.bin is created as a sparse file of the
right total size, so even the 20b shape (~82 GB in fp32) costs no disk and no
memory. Small constants (shape vectors, axes, eps, scalars) stay inline; the
rotary cos/sin tables ([1, 1, seq, rotary_dim], computed from the positions)
also stay inline, as they are buffers that a static export would constant-fold.

Architecture (GPT-NeoX with use_parallel_residual=True, HF parameter names):
    h = Gather(embed_in, input_ids)
    per layer:  h = h + Attn(LN1(h)) + MLP(LN2(h))
      Attn: fused query_key_value (MatMul+Add, [d, 3d]) -> Reshape [1,S,H,3*hd]
            -> Split q|k|v per head -> Transpose -> rotary (rotate_half) on the
            first rotary_dim = hd/4 dims -> q k^T * 1/sqrt(hd) -> Where(causal)
            -> Softmax -> @ v -> Transpose/Reshape -> dense (MatMul+Add)
      MLP:  dense_h_to_4h -> GELU (erf form: x*0.5*(1+erf(x/sqrt2))) -> dense_4h_to_h
      LN:   LayerNormalization at opset 17; at opset 14 the decomposed chain
            ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add (as torch emits)
    logits = MatMul(final_layer_norm(h), embed_out)   (untied, no bias)
    causal mask: Less(Range rows, Range cols) computed once, shared by all layers.
Weights are stored in MatMul orientation ([in, out]), as in constant-folded
torch exports. The `tiny` shape (2 layers, d 64) is for self-tests: with
--random-weights it writes real random values, runs the graph on ONNX Runtime
(wse_ort.py) and compares it with an independent NumPy GPT-NeoX forward.
"""

import argparse
import math
import os
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SHAPES = {
    # name: (layers, d_model, heads, vocab)
    "tiny": (2, 64, 4, 256),
    "124m": (12, 768, 12, 50257),
    "1.3b": (24, 2048, 16, 50257),
    "6b": (28, 4096, 16, 50400),   # GPT-J-6B-like: head_dim 256, rotary_dim 64
    "20b": (44, 6144, 64, 50432),  # GPT-NeoX-20B: head_dim 96, rotary_dim 24
}
DTYPES = {"fp32": (TensorProto.FLOAT, np.float32), "fp16": (TensorProto.FLOAT16, np.float16)}


class GraphBuilder:
    def __init__(self, onnx_dtype, np_dtype, align):
        self.nodes, self.inits = [], []
        self.onnx_dtype, self.np_dtype = onnx_dtype, np_dtype
        self.align = align
        self.offset = 0
        self.params = []  # (name, shape, offset, nbytes)
        self.const_cache = {}
        self.counter = 0

    # -- tensors ----------------------------------------------------------
    def weight(self, name, shape):
        """External weight initializer: no data, only (location, offset, length)."""
        numel = int(np.prod(shape))
        nbytes = numel * np.dtype(self.np_dtype).itemsize
        off = (self.offset + self.align - 1) // self.align * self.align
        t = TensorProto()
        t.name = name
        t.data_type = self.onnx_dtype
        t.dims.extend(shape)
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", "weights.bin"), ("offset", str(off)), ("length", str(nbytes))):
            e = t.external_data.add()
            e.key, e.value = k, v
        self.inits.append(t)
        self.params.append((name, tuple(shape), off, nbytes))
        self.offset = off + nbytes
        return name

    def const(self, value, dtype=None, name=None):
        """Small inline constant (shape vectors, axes, scalars), deduplicated."""
        arr = np.asarray(value, dtype=dtype if dtype is not None else self.np_dtype)
        key = (arr.dtype.str, arr.shape, arr.tobytes())
        if key in self.const_cache:
            return self.const_cache[key]
        name = name or f"const_{len(self.const_cache)}"
        self.inits.append(numpy_helper.from_array(arr, name))
        self.const_cache[key] = name
        return name

    def i64(self, values):
        return self.const(np.asarray(values, dtype=np.int64), dtype=np.int64)

    def op(self, op_type, inputs, prefix, n_out=1, **attrs):
        self.counter += 1
        name = f"{prefix}/{op_type}_{self.counter}"
        outs = [f"{name}_output_{i}" for i in range(n_out)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, name=name, **attrs))
        return outs[0] if n_out == 1 else outs

    # -- composite layers ---------------------------------------------------
    def linear(self, x, prefix, d_in, d_out, bias=True):
        y = self.op("MatMul", [x, self.weight(f"{prefix}.weight", [d_in, d_out])], prefix)
        if bias:
            y = self.op("Add", [y, self.weight(f"{prefix}.bias", [d_out])], prefix)
        return y

    def layer_norm(self, x, prefix, d, eps, opset):
        w = self.weight(f"{prefix}.weight", [d])
        b = self.weight(f"{prefix}.bias", [d])
        if opset >= 17:
            return self.op("LayerNormalization", [x, w, b], prefix, axis=-1, epsilon=eps)
        mean = self.op("ReduceMean", [x], prefix, axes=[-1], keepdims=1)
        xc = self.op("Sub", [x, mean], prefix)
        var = self.op("ReduceMean", [self.op("Pow", [xc, self.const(2.0)], prefix)], prefix, axes=[-1], keepdims=1)
        std = self.op("Sqrt", [self.op("Add", [var, self.const(eps)], prefix)], prefix)
        y = self.op("Div", [xc, std], prefix)
        return self.op("Add", [self.op("Mul", [y, w], prefix), b], prefix)

    def gelu_erf(self, x, prefix):
        e = self.op("Erf", [self.op("Div", [x, self.const(math.sqrt(2.0))], prefix)], prefix)
        y = self.op("Mul", [x, self.op("Add", [e, self.const(1.0)], prefix)], prefix)
        return self.op("Mul", [y, self.const(0.5)], prefix)

    def slice_last(self, x, start, end, prefix):
        return self.op("Slice", [x, self.i64([start]), self.i64([end]), self.i64([-1])], prefix)

    def rotary(self, x, cos, sin, rot, hd, prefix):
        """NeoX rotary (rotate_half) on the first `rot` dims of x [1, H, S, hd]."""
        x_rot = self.slice_last(x, 0, rot, prefix)
        x_pass = self.slice_last(x, rot, hd, prefix) if rot < hd else None
        x1 = self.slice_last(x_rot, 0, rot // 2, prefix)
        x2 = self.slice_last(x_rot, rot // 2, rot, prefix)
        rh = self.op("Concat", [self.op("Neg", [x2], prefix), x1], prefix, axis=-1)
        emb = self.op("Add", [self.op("Mul", [x_rot, cos], prefix), self.op("Mul", [rh, sin], prefix)], prefix)
        if x_pass is None:
            return emb
        return self.op("Concat", [emb, x_pass], prefix, axis=-1)


def build(shape, opset, dtype, seq, align):
    n_layer, d, n_head, vocab = SHAPES[shape]
    hd = d // n_head
    rot = hd // 4  # rotary_pct 0.25 (GPT-NeoX-20B: 24 of 96; GPT-J-6B: 64 of 256)
    ffn = 4 * d
    eps = 1e-5
    onnx_dtype, np_dtype = DTYPES[dtype]
    g = GraphBuilder(onnx_dtype, np_dtype, align)

    # Rotary tables (HF GPTNeoXRotaryEmbedding, base 10000), inline constants.
    inv_freq = 1.0 / (10000 ** (np.arange(0, rot, 2, dtype=np.float64) / rot))
    freqs = np.outer(np.arange(seq, dtype=np.float64), inv_freq)
    emb = np.concatenate([freqs, freqs], axis=-1)[None, None]  # [1, 1, S, rot]
    cos = g.const(np.cos(emb), name="rotary.cos")
    sin = g.const(np.sin(emb), name="rotary.sin")

    # Causal mask: future[i, j] = i < j, computed once.
    pos = g.op("Range", [g.const(0, np.int64), g.const(seq, np.int64), g.const(1, np.int64)], "/mask")
    rows = g.op("Unsqueeze", [pos, g.i64([1])], "/mask")
    cols = g.op("Unsqueeze", [pos, g.i64([0])], "/mask")
    future = g.op("Less", [rows, cols], "/mask")  # [S, S] bool
    mask_value = g.const(np.finfo(np_dtype).min)
    scale = g.const(1.0 / math.sqrt(hd))

    h = g.op("Gather", [g.weight("gpt_neox.embed_in.weight", [vocab, d]), "input_ids"], "/embed_in", axis=0)
    for i in range(n_layer):
        p = f"gpt_neox.layers.{i}"
        ln1 = g.layer_norm(h, f"{p}.input_layernorm", d, eps, opset)
        qkv = g.linear(ln1, f"{p}.attention.query_key_value", d, 3 * d)
        qkv = g.op("Reshape", [qkv, g.i64([1, seq, n_head, 3 * hd])], p)
        q, k, v = g.op("Split", [qkv, g.i64([hd, hd, hd])], p, n_out=3, axis=3)
        q, k, v = (g.op("Transpose", [t], p, perm=[0, 2, 1, 3]) for t in (q, k, v))  # [1, H, S, hd]
        q = g.rotary(q, cos, sin, rot, hd, p + "/rotary_q")
        k = g.rotary(k, cos, sin, rot, hd, p + "/rotary_k")
        kt = g.op("Transpose", [k], p, perm=[0, 1, 3, 2])
        scores = g.op("Mul", [g.op("MatMul", [q, kt], p), scale], p)
        scores = g.op("Where", [future, mask_value, scores], p)
        probs = g.op("Softmax", [scores], p, axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, v], p)], p, perm=[0, 2, 1, 3])
        ctx = g.op("Reshape", [ctx, g.i64([1, seq, d])], p)
        attn = g.linear(ctx, f"{p}.attention.dense", d, d)
        ln2 = g.layer_norm(h, f"{p}.post_attention_layernorm", d, eps, opset)
        mlp = g.linear(ln2, f"{p}.mlp.dense_h_to_4h", d, ffn)
        mlp = g.gelu_erf(mlp, f"{p}/mlp")
        mlp = g.linear(mlp, f"{p}.mlp.dense_4h_to_h", ffn, d)
        h = g.op("Add", [g.op("Add", [mlp, attn], p), h], p)  # parallel residual
    h = g.layer_norm(h, "gpt_neox.final_layer_norm", d, eps, opset)
    logits = g.linear(h, "embed_out", d, vocab, bias=False)
    g.nodes.append(helper.make_node("Identity", [logits], ["logits"], name="/logits"))

    graph = helper.make_graph(
        g.nodes, f"gpt_neox_{shape}",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, seq])],
        [helper.make_tensor_value_info("logits", onnx_dtype, [1, seq, vocab])],
        initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="make_large_graph.py")
    model.ir_version = 8
    return model, g


def numpy_reference(shape, weights, ids, seq):
    """Independent NumPy GPT-NeoX forward (HF modeling_gpt_neox semantics), float64."""
    n_layer, d, n_head, vocab = SHAPES[shape]
    hd, eps = d // n_head, 1e-5
    rot = hd // 4
    W = {k: v.astype(np.float64) for k, v in weights.items()}

    def ln(x, p):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + eps) * W[p + ".weight"] + W[p + ".bias"]

    def lin(x, p, bias=True):
        return x @ W[p + ".weight"] + (W[p + ".bias"] if bias else 0.0)

    erf = np.vectorize(math.erf)
    inv_freq = 1.0 / (10000 ** (np.arange(0, rot, 2) / rot))
    freqs = np.outer(np.arange(seq), inv_freq)
    emb = np.concatenate([freqs, freqs], -1)
    cos, sin = np.cos(emb), np.sin(emb)

    def rope(x):
        xr = x[..., :rot]
        rh = np.concatenate([-xr[..., rot // 2:], xr[..., : rot // 2]], -1)
        return np.concatenate([xr * cos + rh * sin, x[..., rot:]], -1)

    causal = np.tril(np.ones((seq, seq), dtype=bool))
    h = W["gpt_neox.embed_in.weight"][ids[0]][None]
    for i in range(n_layer):
        p = f"gpt_neox.layers.{i}"
        qkv = lin(ln(h, p + ".input_layernorm"), p + ".attention.query_key_value")
        qkv = qkv.reshape(1, seq, n_head, 3 * hd).transpose(0, 2, 1, 3)
        q, k, v = rope(qkv[..., :hd]), rope(qkv[..., hd:2 * hd]), qkv[..., 2 * hd:]
        s = np.where(causal, q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd), -np.inf)
        s = np.exp(s - s.max(-1, keepdims=True))
        a = ((s / s.sum(-1, keepdims=True)) @ v).transpose(0, 2, 1, 3).reshape(1, seq, d)
        m = lin(ln(h, p + ".post_attention_layernorm"), p + ".mlp.dense_h_to_4h")
        m = lin(0.5 * m * (1.0 + erf(m / math.sqrt(2.0))), p + ".mlp.dense_4h_to_h")
        h = h + lin(a, p + ".attention.dense") + m
    return lin(ln(h, "gpt_neox.final_layer_norm"), "embed_out", bias=False)


def write_sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shape", required=True, choices=list(SHAPES))
    ap.add_argument("--out", required=True, help="output directory (model.onnx + weights.bin)")
    ap.add_argument("--opset", type=int, default=17, choices=[14, 17])
    ap.add_argument("--dtype", default="fp32", choices=list(DTYPES))
    ap.add_argument("--seq", type=int, default=128, help="static sequence length (default 128)")
    ap.add_argument("--layers", type=int,
                    help="number of layers instead of the shape's (e.g. a 44-layer tiny graph)")
    ap.add_argument("--align", type=int, default=4096, help="byte alignment of each weight in weights.bin")
    ap.add_argument("--random-weights", action="store_true",
                    help="tiny shape only: write random weights, run the graph on ONNX Runtime and "
                         "compare with a NumPy reference forward")
    ap.add_argument("--wse-ort", help="the wse-ort command (default: node tools/wse-ort/wse-ort.js)")
    args = ap.parse_args(argv)
    if args.random_weights and args.shape != "tiny":
        ap.error("--random-weights is only for --shape tiny")
    if args.layers is not None:
        if args.layers < 1:
            ap.error("--layers must be at least 1")
        SHAPES[args.shape] = (args.layers,) + SHAPES[args.shape][1:]
    t0 = time.time()
    model, g = build(args.shape, args.opset, args.dtype, args.seq, args.align)
    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "model.onnx")
    bin_path = os.path.join(args.out, "weights.bin")
    if os.path.exists(bin_path):
        os.remove(bin_path)  # never reuse blocks of an old (possibly dense) file
    write_sparse(bin_path, g.offset)
    if args.random_weights:
        rng = np.random.default_rng(0)
        weights = {}
        with open(bin_path, "r+b") as f:
            for name, shape, off, _ in g.params:
                if name.endswith("layernorm.weight") or name.endswith("layer_norm.weight"):
                    arr = 1.0 + 0.1 * rng.standard_normal(shape)
                else:
                    arr = rng.standard_normal(shape) / math.sqrt(shape[0] if len(shape) == 2 else 10.0)
                weights[name] = arr.astype(DTYPES[args.dtype][1])
                f.seek(off)
                f.write(weights[name].tobytes())
    onnx.save(model, model_path)
    onnx.checker.check_model(model_path)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    out_dims = [dd.dim_value for dd in inferred.graph.output[0].type.tensor_type.shape.dim]
    n_params = sum(int(np.prod(s)) for _, s, _, _ in g.params)
    disk = os.stat(bin_path).st_blocks * 512
    print(f"{args.shape}: layers={SHAPES[args.shape][0]} d={SHAPES[args.shape][1]} heads={SHAPES[args.shape][2]} "
          f"vocab={SHAPES[args.shape][3]} opset={args.opset} dtype={args.dtype} seq={args.seq}")
    print(f"parameters: {n_params:,} in {len(g.params)} external tensors; nodes: {len(model.graph.node)}; "
          f"logits {out_dims}")
    print(f"weights.bin: {g.offset:,} bytes ({g.offset / 2**30:.2f} GiB) apparent, {disk:,} bytes on disk; "
          f"model.onnx: {os.path.getsize(model_path):,} bytes; {time.time() - t0:.1f}s")
    if args.random_weights:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from wse_ort import run_ort
        ids = np.random.default_rng(1).integers(0, SHAPES["tiny"][3], size=(1, args.seq), dtype=np.int64)
        out = run_ort(model_path, {"input_ids": ids}, args.wse_ort)["logits"]
        assert out.shape == (1, args.seq, SHAPES["tiny"][3]) and np.all(np.isfinite(out)), out.shape
        ref = numpy_reference(args.shape, weights, ids, args.seq)
        err = float(np.max(np.abs(out.astype(np.float64) - ref)))
        tol = (1e-4 if args.dtype == "fp32" else 5e-2) * max(1.0, float(np.max(np.abs(ref))))
        assert err <= tol, f"graph vs NumPy reference: max abs err {err:.3g} > {tol:.3g}"
        print(f"ONNX Runtime evaluation ok: logits {out.shape}, max |graph - reference| = {err:.2e}")


if __name__ == "__main__":
    main()

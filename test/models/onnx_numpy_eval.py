"""Minimal NumPy interpreter for the ONNX op subset used by the test decoders.

onnxruntime is not available on the build machines and onnx 1.12 has no
reference evaluator, so generate_decoders.py uses this module to check that
each exported ONNX graph computes the same logits as the torch model it came
from. It covers exactly the allowed op list of generate_decoders.py (default
domain, opsets 13-17 semantics) and nothing else: an unknown op raises.

Usage:
    from onnx_numpy_eval import run_model
    outputs = run_model(onnx_model_proto, {"input_ids": ids})  # dict name -> array
"""

import math

import numpy as np
import onnx
from onnx import numpy_helper

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _axes_norm(axes, rank):
    return tuple(int(a) + rank if int(a) < 0 else int(a) for a in axes)


def _reduce(fn, x, axes, keepdims, noop_with_empty_axes=0):
    if axes is None or len(axes) == 0:
        if noop_with_empty_axes:
            return x
        axes = tuple(range(x.ndim))
    axes = _axes_norm(axes, x.ndim)
    return fn(x, axis=axes, keepdims=bool(keepdims)).astype(x.dtype)


def _softmax(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=axis, keepdims=True)


def _onnx_to_np_dtype(t):
    return onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[t]


def _slice(x, starts, ends, axes=None, steps=None):
    if axes is None:
        axes = range(len(starts))
    if steps is None:
        steps = [1] * len(starts)
    sl = [slice(None)] * x.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        a = int(a) + x.ndim if int(a) < 0 else int(a)
        dim = x.shape[a]
        s, e, st = int(s), int(e), int(st)
        # Clamp like the ONNX spec (INT64_MAX / INT64_MIN sentinels included).
        if s < 0:
            s += dim
        if e < 0:
            e += dim
        if st > 0:
            s = min(max(s, 0), dim)
            e = min(max(e, 0), dim)
        else:
            s = min(max(s, 0), dim - 1)
            e = min(max(e, -1), dim - 1)
            if e == -1:
                e = None
        sl[a] = slice(s, e, st)
    return x[tuple(sl)]


def _reshape(x, shape, allowzero=0):
    shape = [int(s) for s in shape]
    if not allowzero:
        shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return x.reshape(shape)


def _expand(x, shape):
    shape = [int(s) for s in shape]
    out = np.broadcast_shapes(x.shape, tuple(shape))
    return np.broadcast_to(x, out).copy()


def _trilu(x, k, upper):
    return np.triu(x, k) if upper else np.tril(x, k)


def _int_div(a, b):
    if np.issubdtype(a.dtype, np.integer):
        return (np.trunc(a / b)).astype(a.dtype)
    return (a / b).astype(a.dtype)


def eval_node(node, ins, opset):
    op = node.op_type
    at = _attrs(node)
    if node.domain not in ("", "ai.onnx"):
        raise NotImplementedError(f"domain {node.domain}")
    x = ins[0] if ins else None
    if op == "Add":
        return [np.add(ins[0], ins[1]).astype(x.dtype)]
    if op == "Sub":
        return [np.subtract(ins[0], ins[1]).astype(x.dtype)]
    if op == "Mul":
        return [np.multiply(ins[0], ins[1]).astype(x.dtype)]
    if op == "Div":
        return [_int_div(ins[0], ins[1])]
    if op == "Pow":
        return [np.power(ins[0], ins[1]).astype(x.dtype)]
    if op == "Sqrt":
        return [np.sqrt(x)]
    if op == "Reciprocal":
        return [(1.0 / x).astype(x.dtype)]
    if op == "Neg":
        return [np.negative(x)]
    if op == "Exp":
        return [np.exp(x)]
    if op == "Log":
        return [np.log(x)]
    if op == "Erf":
        return [_erf(x).astype(x.dtype)]
    if op == "Tanh":
        return [np.tanh(x)]
    if op == "Sigmoid":
        return [(1.0 / (1.0 + np.exp(-x))).astype(x.dtype)]
    if op == "Relu":
        return [np.maximum(x, 0).astype(x.dtype)]
    if op == "MatMul":
        return [np.matmul(ins[0], ins[1])]
    if op == "Gemm":
        a, b = ins[0], ins[1]
        if at.get("transA", 0):
            a = a.T
        if at.get("transB", 0):
            b = b.T
        y = at.get("alpha", 1.0) * (a @ b)
        if len(ins) > 2 and ins[2] is not None:
            y = y + at.get("beta", 1.0) * ins[2]
        return [y.astype(a.dtype)]
    if op == "Reshape":
        return [_reshape(x, ins[1], at.get("allowzero", 0))]
    if op == "Transpose":
        perm = at.get("perm", list(range(x.ndim))[::-1])
        return [np.transpose(x, perm)]
    if op == "Squeeze":
        axes = ins[1] if len(ins) > 1 and ins[1] is not None else at.get("axes")
        if axes is None:
            return [np.squeeze(x)]
        return [np.squeeze(x, axis=_axes_norm(axes, x.ndim))]
    if op == "Unsqueeze":
        axes = ins[1] if len(ins) > 1 else at["axes"]
        out_rank = x.ndim + len(axes)
        y = x
        for a in sorted(_axes_norm(axes, out_rank)):
            y = np.expand_dims(y, a)
        return [y]
    if op == "Concat":
        return [np.concatenate(ins, axis=at["axis"])]
    if op == "Split":
        axis = at.get("axis", 0)
        split = ins[1] if len(ins) > 1 and ins[1] is not None else at.get("split")
        n = len(node.output)
        if split is None:
            split = [x.shape[axis] // n] * n
        idx = np.cumsum([int(s) for s in split])[:-1]
        return list(np.split(x, idx, axis=axis))
    if op == "Slice":
        axes = ins[3] if len(ins) > 3 and ins[3] is not None else None
        steps = ins[4] if len(ins) > 4 and ins[4] is not None else None
        return [_slice(x, ins[1], ins[2], axes, steps)]
    if op == "Gather":
        axis = at.get("axis", 0)
        idx = ins[1].astype(np.int64)
        idx = np.where(idx < 0, idx + x.shape[axis], idx)
        return [np.take(x, idx, axis=axis)]
    if op == "Expand":
        return [_expand(x, ins[1])]
    if op == "Tile":
        return [np.tile(x, [int(r) for r in ins[1]])]
    if op == "Identity":
        return [x]
    if op == "Cast":
        return [x.astype(_onnx_to_np_dtype(at["to"]))]
    if op in ("ReduceMean", "ReduceSum", "ReduceMax"):
        fn = {"ReduceMean": np.mean, "ReduceSum": np.sum, "ReduceMax": np.max}[op]
        if op == "ReduceSum" or opset >= 18:
            axes = ins[1] if len(ins) > 1 and ins[1] is not None else None
        else:
            axes = at.get("axes")
        return [_reduce(fn, x, axes, at.get("keepdims", 1), at.get("noop_with_empty_axes", 0))]
    if op == "Softmax":
        return [_softmax(x, at.get("axis", -1)).astype(x.dtype)]
    if op == "LogSoftmax":
        ax = at.get("axis", -1)
        z = x - np.max(x, axis=ax, keepdims=True)
        return [(z - np.log(np.sum(np.exp(z), axis=ax, keepdims=True))).astype(x.dtype)]
    if op == "LayerNormalization":
        axis = at.get("axis", -1)
        eps = at.get("epsilon", 1e-5)
        axis = axis + x.ndim if axis < 0 else axis
        axes = tuple(range(axis, x.ndim))
        mean = x.mean(axis=axes, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
        inv = 1.0 / np.sqrt(var + eps)
        y = (x - mean) * inv * ins[1]
        if len(ins) > 2 and ins[2] is not None:
            y = y + ins[2]
        return [y.astype(x.dtype), mean.astype(x.dtype), inv.astype(x.dtype)][: len(node.output)]
    if op == "Where":
        return [np.where(ins[0], ins[1], ins[2])]
    if op == "Equal":
        return [np.equal(ins[0], ins[1])]
    if op == "Less":
        return [np.less(ins[0], ins[1])]
    if op == "Greater":
        return [np.greater(ins[0], ins[1])]
    if op == "Not":
        return [np.logical_not(x)]
    if op == "And":
        return [np.logical_and(ins[0], ins[1])]
    if op == "Trilu":
        k = int(ins[1]) if len(ins) > 1 and ins[1] is not None else 0
        return [_trilu(x, k, at.get("upper", 1))]
    if op == "CumSum":
        axis = int(ins[1])
        y = x
        if at.get("reverse", 0):
            y = np.flip(y, axis)
        out = np.cumsum(y, axis=axis).astype(x.dtype)
        if at.get("exclusive", 0):
            out = out - y
        if at.get("reverse", 0):
            out = np.flip(out, axis)
        return [out]
    if op == "Constant":
        if "value" in at:
            return [numpy_helper.to_array(at["value"])]
        for k, dt in (("value_float", np.float32), ("value_int", np.int64)):
            if k in at:
                return [np.array(at[k], dtype=dt)]
        for k, dt in (("value_floats", np.float32), ("value_ints", np.int64)):
            if k in at:
                return [np.array(list(at[k]), dtype=dt)]
        raise NotImplementedError(f"Constant attrs {list(at)}")
    if op == "ConstantOfShape":
        val = numpy_helper.to_array(at["value"]) if "value" in at else np.zeros(1, np.float32)
        return [np.full([int(s) for s in x], val.reshape(-1)[0], dtype=val.dtype)]
    if op == "Shape":
        shp = np.array(x.shape, dtype=np.int64)
        start = at.get("start", 0)
        end = at.get("end", None)
        return [shp[start:end]]
    if op == "Range":
        start, limit, delta = ins[0], ins[1], ins[2]
        return [np.arange(start, limit, delta).astype(start.dtype)]
    raise NotImplementedError(f"op {op} not supported by onnx_numpy_eval")


def run_model(model, feeds):
    """Evaluate `model` (ModelProto with loaded weights) on `feeds` (dict)."""
    opset = max([o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] or [1])
    env = {}
    for init in model.graph.initializer:
        env[init.name] = numpy_helper.to_array(init)
    for k, v in feeds.items():
        env[k] = v
    for node in model.graph.node:
        ins = [env[n] if n else None for n in node.input]
        outs = eval_node(node, ins, opset)
        for name, val in zip(node.output, outs):
            if name:
                env[name] = np.asarray(val)
    return {o.name: env[o.name] for o in model.graph.output}

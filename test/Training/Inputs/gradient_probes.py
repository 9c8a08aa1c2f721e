#!/usr/bin/python3
"""Checks every gradient rule of onnx-training-step against torch autograd
and against finite differences.

Each probe is a tiny torch model, embedding -> OP -> linear head, exported
to ONNX by torch (so the op arrives in the form real exports have, and
recomposed ops such as Gelu, SiLU and RMSNorm go through --onnx-recompose).
For each probe:

  * autograd: the gradient of every parameter from @train_step (wse-ref)
    must be within 1e-4 of the largest torch gradient of that parameter;
  * finite differences: along a random direction v over all parameters,
    (loss(p + h v) - loss(p - h v)) / 2h from @train_step's loss must match
    <grad, v> to 1e-3 of |grad| (h = 3e-3; fp32 evaluation).

Usage: gradient_probes.py WSE_TRANSLATE WSE_OPT WSE_REF WORKDIR
"""
import io
import math
import os
import sys
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models"))
import common  # noqa: E402
import generate_decoders as gd  # noqa: E402
import generate_training as gt  # noqa: E402

V, D, T = 11, 8, 6


def param(*shape, scale=1.0, offset=0.0):
    return nn.Parameter(offset + scale * torch.randn(*shape))


class Probe(nn.Module):
    def __init__(self, op, width=D, **params):
        super().__init__()
        self.emb = nn.Embedding(V, D)
        self.op = op
        for k, v in params.items():
            setattr(self, k, v)
        self.head = nn.Linear(width, V, bias=False)

    def forward(self, ids):
        return self.head(self.op(self, self.emb(ids)))


def conv1d():
    """gd.Conv1D (exported as Gemm) with initialized weights."""
    c = gd.Conv1D(D, D)
    with torch.no_grad():
        c.weight.copy_(torch.randn(D, D) / math.sqrt(D))
        c.bias.copy_(0.1 * torch.randn(D))
    return c


def causal_attention(m, h):
    s = torch.matmul(h, h.transpose(-1, -2)) / math.sqrt(D)
    mask = torch.tril(torch.ones(T, T, dtype=torch.bool)).view(1, T, T)
    s = torch.where(mask, s, torch.tensor(torch.finfo(torch.float32).min))
    return torch.matmul(F.softmax(s, dim=-1), h)


def rotate_every_two(m, h):
    x = h.view(1, T, 2, 4)
    return gd.rotate_every_two(x).reshape(1, T, D) * m.s


def repeat_heads(m, h):
    x = h.view(1, T, 2, 4)[:, :, :, None, :].expand(1, T, 2, 2, 4)
    return x.reshape(1, T, 16) * m.s16


torch.manual_seed(3)  # the probes' own parameters, created below
PROBES = {
    "Add (broadcast)": (lambda m, h: h + m.b, dict(b=param(D))),
    "Sub": (lambda m, h: m.b - h, dict(b=param(D))),
    "Mul": (lambda m, h: h * m.s, dict(s=param(D))),
    "Div": (lambda m, h: (h * m.s) / (h * h + 1.0), dict(s=param(D))),
    "Neg, Tanh": (lambda m, h: torch.tanh(-h), {}),
    "Sigmoid": (lambda m, h: torch.sigmoid(h) * m.s, dict(s=param(D))),
    "Exp, Log": (lambda m, h: torch.exp(0.1 * h) + torch.log(h * h + 1.0), {}),
    "Sqrt, Reciprocal": (lambda m, h: torch.reciprocal(torch.sqrt(h * h + 1.0)), {}),
    "Pow": (lambda m, h: torch.pow(h, 3.0) * 0.1, {}),
    "Erf": (lambda m, h: torch.erf(h), {}),
    "Relu": (lambda m, h: torch.relu(h + m.b), dict(b=param(D))),
    "Gelu (erf)": (lambda m, h: F.gelu(h), {}),
    "Gelu (tanh)": (lambda m, h: gd.gelu_new(h), {}),
    "SiLU": (lambda m, h: F.silu(h), {}),
    "LayerNormalization": (lambda m, h: m.ln(h), dict(ln=nn.LayerNorm(D))),
    "RMSNormalization": (lambda m, h: m.rms(h), dict(rms=gd.LlamaRMSNorm(D))),
    "Softmax": (lambda m, h: F.softmax(h, dim=-1) * m.s, dict(s=param(D, scale=3.0))),
    "LogSoftmax": (lambda m, h: F.log_softmax(h, dim=-1), {}),
    "ReduceMean, ReduceSum": (lambda m, h: h - h.mean(-1, keepdim=True) + 0.1 * h.sum(-1, keepdim=True), {}),
    "MatMul (weights)": (lambda m, h: m.lin(h), dict(lin=nn.Linear(D, D))),
    "Gemm": (lambda m, h: m.conv(h), dict(conv=conv1d())),
    "MatMul (activations), Where, Softmax": (causal_attention, {}),
    "Reshape, Transpose": (lambda m, h: (h.view(1, T, 2, 4).permute(0, 2, 1, 3) * m.s4)
                           .permute(0, 2, 1, 3).reshape(1, T, D), dict(s4=param(4))),
    "Slice, Concat, Neg": (lambda m, h: torch.cat([-h[..., 4:], h[..., :4]], dim=-1) * m.s, dict(s=param(D))),
    "Slice (step 2), Unsqueeze": (rotate_every_two, dict(s=param(D))),
    "Split": (lambda m, h: torch.cat(list(reversed(h.split([3, 5], dim=-1))), -1) * m.s, dict(s=param(D))),
    "Unsqueeze, Expand": (repeat_heads, dict(s16=param(16))),
    "Gather (constant indices)": (lambda m, h: h + m.pos(torch.arange(T).view(1, T)),
                                  dict(pos=nn.Embedding(T, D))),
}
WIDTH = {"Unsqueeze, Expand": 16}


def export(model):
    buf = io.BytesIO()
    ids = torch.zeros(1, T, dtype=torch.long)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.no_grad():
            torch.onnx.export(model, (ids,), buf, input_names=["input_ids"],
                              output_names=["logits"], opset_version=17, do_constant_folding=True)
    return onnx.load_from_string(buf.getvalue())


def torch_grads(model, ids):
    model.zero_grad()
    logits = model(torch.from_numpy(ids))
    F.cross_entropy(logits[:, :-1].reshape(-1, V), torch.from_numpy(ids[:, 1:]).reshape(-1)).backward()
    return {n: p.grad.numpy().copy() for n, p in model.named_parameters()}


def check(name, op, params, tools, work, rng):
    torch.manual_seed(7)
    model = Probe(op, WIDTH.get(name, D), **params)
    model.train()
    proto = export(model)
    path = os.path.join(work, "probe.onnx")
    onnx.save(proto, path)
    inits = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer if i.data_type == 1}
    sources = gt.initializer_sources(model, inits)
    ids = rng.integers(0, V, size=(1, T), dtype=np.int64)
    threshold = min(v.size for v in inits.values()) - 1
    step = common.compile_step(tools, path, (1, T), list(inits), work, threshold)
    loss, grads = common.eval_step(tools, step, work, ids, inits, work)
    want = torch_grads(model, ids)
    worst = 0.0
    for n, (pname, transposed) in sources.items():
        w = want[pname].T if transposed else want[pname]
        worst = max(worst, common.rel_err(grads[n], w))
    # Finite differences along one random direction.
    h = 3e-3
    direction = {n: rng.standard_normal(v.shape).astype(np.float32) for n, v in inits.items()}
    plus = {n: inits[n] + h * direction[n] for n in inits}
    minus = {n: inits[n] - h * direction[n] for n in inits}
    lp, _ = common.eval_step(tools, step, work, ids, plus, work, grads=False)
    lm, _ = common.eval_step(tools, step, work, ids, minus, work, grads=False)
    fd = (lp - lm) / (2 * h)
    analytic = sum(float(np.sum(grads[n].astype(np.float64) * direction[n])) for n in inits)
    # Relative to |grad|, the typical size of <grad, v> for a normal v.
    norm = math.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads.values()))
    fd_err = abs(fd - analytic) / max(norm, 1e-6)
    ok = worst <= 1e-4 and fd_err <= 1e-3
    print("%-40s autograd %.1e  finite-diff %.1e (%+.5f vs %+.5f)  %s"
          % (name, worst, fd_err, fd, analytic, "ok" if ok else "FAIL"))
    return ok


def main():
    tools = dict(zip(["wse-translate", "wse-opt", "wse-ref"], sys.argv[1:4]))
    work = sys.argv[4]
    os.makedirs(work, exist_ok=True)
    torch.set_num_threads(1)
    rng = np.random.default_rng(11)
    failed = sum(not check(n, op, p, tools, work, rng) for n, (op, p) in PROBES.items())
    print("probes: %d, failed: %d" % (len(PROBES), failed))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Export variants that real-world models come in (issue 17), from the
decoder families of generate_decoders.py (same modules, same weights):

  opsets/<family>_<static|dynamic>_op<N>.onnx   opsets 11, 12, 13, 15, 16
      (generate_decoders.py writes 14 and 17); static for every family,
      dynamic axes at 11 and 12 (Softmax flattens at its axis before 13);
  opsets/llama_sequence_op14.onnx   LLaMA with dynamic axes whose
      rotate_half is TorchScript (torch.split by a size computed from the
      shape), which exports SplitToSequence and SequenceAt;
  cache/gpt2_cache_op<N>.onnx   GPT-2 with a KV cache, per-layer form:
      inputs input_ids [1, S], past_key_<i>/past_value_<i> [1, heads, P,
      head_dim]; outputs logits, present_key_<i>/present_value_<i>;
  cache/gpt2_cache_stacked_op<N>.onnx   the older stacked form: past_<i>
      [2, 1, heads, P, head_dim], outputs logits, present_<i>;
      both at opsets 11 and 17, S and P dynamic;
  cache/gpt2.step_*.npy   a decode step's inputs (prompt of 15 tokens
      already in the cache, one new token) and torch's outputs;
  generate/<family>.prompt.npy, <family>.greedy32.npy   torch's 32 greedy
      tokens after a 4-token prompt, for the generation tests.

Every export is checked: ONNX Runtime (wse-ort) on the saved file matches
torch to 1e-4 of the largest |value| on every output.

    /usr/bin/python3 test/models/generate_import_models.py --out DIR [--wse-ort CMD]
"""
import argparse
import math
import os
import sys
import time
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_decoders as g  # noqa: E402
from wse_ort import run_ort  # noqa: E402

WSE_ORT = None


def check(name, path, inputs, want):
    """ONNX Runtime on PATH against torch's outputs WANT (name -> array)."""
    got = run_ort(path, inputs, WSE_ORT)
    worst = 0.0
    for n, ref in want.items():
        if got[n].shape != ref.shape:
            raise AssertionError(f"{name}: {n} has shape {got[n].shape}, torch {ref.shape}")
        err = float(np.max(np.abs(got[n].astype(np.float64) - ref)))
        scale = float(np.max(np.abs(ref))) or 1.0
        if err > 1e-4 * scale:
            raise AssertionError(f"{name}: {n} differs by {err:.3g} (max |ref| {scale:.3g})")
        worst = max(worst, err / scale)
    return worst


def export(module, args, path, opset, input_names, output_names, dynamic_axes=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.no_grad():
            torch.onnx.export(module, args, path, input_names=input_names,
                              output_names=output_names, opset_version=opset,
                              do_constant_folding=True, dynamic_axes=dynamic_axes)
    return onnx.load(path)


# ----------------------------------------------------------------------------
# Opsets 11-16
# ----------------------------------------------------------------------------

def write_opsets(out):
    os.makedirs(out, exist_ok=True)
    for family in g.FAMILIES:
        model = g.build_model(family)
        ids = g.reference_inputs(family)
        ref = g.torch_logits(model, ids)
        np.save(os.path.join(out, f"{family}.input_ids.npy"), ids)
        np.save(os.path.join(out, f"{family}.logits.npy"), ref)
        for opset, dynamic in [(o, False) for o in (11, 12, 13, 15, 16)] + \
                              [(11, True), (12, True)]:
            name = f"{family}_{'dynamic' if dynamic else 'static'}_op{opset}"
            path = os.path.join(out, name + ".onnx")
            onnx.save(g.export(model, ids, opset, dynamic), path)
            err = check(name, path, {"input_ids": ids}, {"logits": ref})
            print(f"{name}.onnx  max|ort-torch|/max|torch| = {err:.1e}")


@torch.jit.script
def rotate_half_scripted(x):
    # Scripted, torch.split by a size computed from the shape returns a list
    # of unknown length: exported as SplitToSequence + SequenceAt.
    half = x.size(-1) // 2
    parts = torch.split(x, half, dim=-1)
    return torch.cat([-parts[1], parts[0]], -1)


def write_sequence_llama(out):
    model = g.build_model("llama")
    ids = g.reference_inputs("llama")
    ref = g.torch_logits(model, ids)
    eager = g.rotate_half
    g.rotate_half = rotate_half_scripted
    try:
        path = os.path.join(out, "llama_sequence_op14.onnx")
        proto = g.export(model, ids, 14, True)
        onnx.save(proto, path)
    finally:
        g.rotate_half = eager
    ops = {n.op_type for n in proto.graph.node}
    if not {"SplitToSequence", "SequenceAt"} <= ops:
        raise AssertionError(f"llama_sequence_op14: no sequence ops in {sorted(ops)}")
    err = check("llama_sequence_op14", path, {"input_ids": ids}, {"logits": ref})
    print(f"llama_sequence_op14.onnx  sequence ops "
          f"{sorted(o for o in ops if 'Sequence' in o)}  max|ort-torch|/max = {err:.1e}")


# ----------------------------------------------------------------------------
# GPT-2 with a KV cache
# ----------------------------------------------------------------------------

class GPT2WithCache(nn.Module):
    """GPT2LMHeadModel's computation with past keys/values (HF's
    use_cache=True): position ids continue after the past, the causal mask
    is the bias buffer's rows P..P+S, keys and values are the past's
    concatenated with the new ones and returned as presents."""

    def __init__(self, base, stacked):
        super().__init__()
        self.base, self.stacked = base, stacked

    def forward(self, input_ids, *pasts):
        b = self.base
        if self.stacked:
            pairs = [(p[0], p[1]) for p in pasts]
        else:
            pairs = list(zip(pasts[0::2], pasts[1::2]))
        seq = input_ids.size(1)
        past_len = pairs[0][0].size(-2)
        positions = torch.arange(past_len, past_len + seq, dtype=torch.long).unsqueeze(0)
        hidden = b.wte(input_ids) + b.wpe(positions)
        presents = []
        for block, (past_k, past_v) in zip(b.h, pairs):
            a = block.attn
            q, k, v = a.c_attn(block.ln_1(hidden)).split(a.split_size, dim=2)
            q = g.split_heads(q, a.n_head, a.head_dim)
            k = torch.cat([past_k, g.split_heads(k, a.n_head, a.head_dim)], dim=-2)
            v = torch.cat([past_v, g.split_heads(v, a.n_head, a.head_dim)], dim=-2)
            presents += [torch.stack([k, v])] if self.stacked else [k, v]
            w = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(a.head_dim)
            total = k.size(-2)
            mask = a.bias[:, :, total - seq:total, :total]
            w = torch.where(mask, w, torch.full([], torch.finfo(w.dtype).min))
            o = g.merge_heads(torch.matmul(F.softmax(w, dim=-1), v), a.n_head, a.head_dim)
            hidden = hidden + a.c_proj(o)
            hidden = hidden + block.mlp(block.ln_2(hidden))
        return (b.lm_head(b.ln_f(hidden)), *presents)


def cache_names(stacked):
    if stacked:
        ins = [f"past_{i}" for i in range(g.N_LAYER)]
        outs = [f"present_{i}" for i in range(g.N_LAYER)]
        axes = {n: {3: "past"} for n in ins}
        axes.update({n: {3: "total"} for n in outs})
    else:
        ins = [f"past_{kv}_{i}" for i in range(g.N_LAYER) for kv in ("key", "value")]
        outs = [f"present_{kv}_{i}" for i in range(g.N_LAYER) for kv in ("key", "value")]
        axes = {n: {2: "past"} for n in ins}
        axes.update({n: {2: "total"} for n in outs})
    axes["input_ids"] = {1: "sequence"}
    axes["logits"] = {1: "sequence"}
    return ins, outs, axes


def torch_step(module, ids, pasts):
    with torch.no_grad():
        outs = module(torch.from_numpy(ids), *[torch.from_numpy(p) for p in pasts])
    return [o.numpy().astype(np.float32) for o in outs]


def write_cache(out):
    os.makedirs(out, exist_ok=True)
    base = g.build_model("gpt2")
    prompt = g.reference_inputs("gpt2")  # [1, 16]
    np.save(os.path.join(out, "gpt2.input_ids.npy"), prompt)
    # A decode step: the first 15 tokens in the cache, the 16th new.
    for stacked in (False, True):
        module = GPT2WithCache(base, stacked).eval()
        ins, outs, axes = cache_names(stacked)
        heads, hd = g.N_HEAD, g.D_MODEL // g.N_HEAD
        empty = np.zeros((2, 1, heads, 0, hd) if stacked else (1, heads, 0, hd), np.float32)
        n_past = len(ins)
        prefill = torch_step(module, prompt[:, :15], [empty] * n_past)
        pasts = prefill[1:]
        step = torch_step(module, prompt[:, 15:], pasts)
        full = g.torch_logits(base, prompt)
        if not np.allclose(step[0][0, -1], full[0, -1], rtol=0, atol=1e-4 * np.abs(full).max()):
            raise AssertionError("the cached step disagrees with the full forward")
        tag = "stacked" if stacked else "layers"
        np.save(os.path.join(out, f"gpt2.step_{tag}.input_ids.npy"), prompt[:, 15:])
        for n, p in zip(ins, pasts):
            np.save(os.path.join(out, f"gpt2.step_{tag}.{n}.npy"), p)
        for n, o in zip(["logits"] + outs, step):
            np.save(os.path.join(out, f"gpt2.step_{tag}.ref.{n}.npy"), o)
        feeds = {"input_ids": prompt[:, 15:]}
        feeds.update(zip(ins, pasts))
        for opset in (11, 17):
            name = f"gpt2_cache{'_stacked' if stacked else ''}_op{opset}"
            path = os.path.join(out, name + ".onnx")
            example = (torch.from_numpy(prompt[:, 15:]),
                       *[torch.from_numpy(p) for p in pasts])
            export(module, example, path, opset, ["input_ids"] + ins, ["logits"] + outs, axes)
            err = check(name, path, feeds, dict(zip(["logits"] + outs, step)))
            print(f"{name}.onnx  inputs {len(ins) + 1}  outputs {len(outs) + 1}  "
                  f"max|ort-torch|/max = {err:.1e}")


def write_greedy(out):
    """torch's 32 greedy tokens after each family's 4-token prompt (full
    recompute each step), for the generation tests."""
    os.makedirs(out, exist_ok=True)
    for family in g.FAMILIES:
        model = g.build_model(family)
        # 4 prompt tokens: the last step runs 35 positions, which still fits
        # an 8x8 machine (at 36 GPT-2's head no longer fits a PE's SRAM).
        prompt = g.reference_inputs(family)[:, :4]
        ids = prompt
        for _ in range(32):
            nxt = g.torch_logits(model, ids)[0, -1].argmax()
            ids = np.concatenate([ids, [[nxt]]], axis=1)
        np.save(os.path.join(out, f"{family}.prompt.npy"), prompt)
        np.save(os.path.join(out, f"{family}.greedy32.npy"), ids[0, 4:])
        print(f"{family}.greedy32.npy  " + " ".join(str(t) for t in ids[0, 4:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--wse-ort", help="the wse-ort command")
    args = ap.parse_args()
    global WSE_ORT
    WSE_ORT = args.wse_ort
    torch.set_num_threads(1)
    t0 = time.time()
    write_opsets(os.path.join(args.out, "opsets"))
    write_sequence_llama(os.path.join(args.out, "opsets"))
    write_cache(os.path.join(args.out, "cache"))
    write_greedy(os.path.join(args.out, "generate"))
    print(f"done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Generate tiny decoder-only LMs as ONNX files plus torch reference outputs.

Requires the system python with torch 1.13 / onnx 1.12 / numpy:

    /usr/bin/python3 test/models/generate_decoders.py --out DIR [--only gpt2 llama ...]
    /usr/bin/python3 test/models/generate_decoders.py --example examples/gpt2-tiny

The four families mirror the structure of the HuggingFace modules (GPT2,
GPTNeo, GPTJ, Llama) as they were around transformers 4.2x-4.3x, written in
plain torch (no `transformers` dependency), so that torch.onnx.export produces
the same op patterns as real exports: Gemm for GPT-2's Conv1D, bool tril
buffers + Where for GPT-2/Neo/J masks, an additive finfo.min mask built from
Range/Less for Llama, Shape/Gather/Range chains for positions, etc.

Sizes: vocab 256, d_model 64, 2 layers, 4 heads (head_dim 16), max_positions
64. Weight matrices have >= 4096 elements (64x64; llama's k/v projections
64x32 = 2048), so a 1024-element "large constant" threshold cleanly separates
weights from shape vectors, scalars and norm vectors/biases (64-256 elements).
The causal-mask buffers are 64x64 = 4096 bools (max_positions=64, so they are
clearly above 1024); static exports constant-fold them to 1x1x16x16 = 256
(except GPT-J, whose slice bounds stay unfolded), dynamic exports keep the
full buffer and Slice it at run time.

For every family and every (static|dynamic) x (opset 14|17) the script writes
DIR/<family>_<static|dynamic>_op<14|17>.onnx, plus DIR/<family>.input_ids.npy
(int64 [1,16]) and DIR/<family>.logits.npy (float32 [1,16,256]). It also
writes DIR/gpt2_static_op17_ext/{model.onnx,weights.bin} (external data) and
DIR/gpt2_static_op17_tied.onnx (tied head as Transpose(wte.weight) instead of
torch's constant-folded copy).

Checks done for each export: onnx.checker.check_model, only allowed ops (no
Loop/If/Sequence*), torch reference is deterministic (computed twice), and
the saved ONNX file run by ONNX Runtime (tools/wse-ort, --wse-ort) matches
the torch logits, for dynamic exports also at a second shape (batch 2, seq 7).
"""

import argparse
import collections
import io
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
from wse_ort import run_ort  # noqa: E402

ALLOWED_OPS = set("""
Add Sub Mul Div Pow Sqrt Reciprocal Neg Exp Log Erf Tanh Sigmoid Relu MatMul Gemm
Reshape Transpose Squeeze Unsqueeze Concat Split Slice Gather Expand Tile Identity
Cast ReduceMean ReduceSum ReduceMax Softmax LogSoftmax LayerNormalization Where
Equal Less Greater Not And Trilu CumSum Constant ConstantOfShape Shape Range
""".split())

VOCAB = 256
D_MODEL = 64
N_LAYER = 2
N_HEAD = 4
MAX_POS = 64
SEQ = 16
FAMILIES = ["gpt2", "gptneo", "gptj", "llama"]
SEEDS = {"gpt2": 1001, "gptneo": 1002, "gptj": 1003, "llama": 1004}


# ----------------------------------------------------------------------------
# Shared pieces
# ----------------------------------------------------------------------------

def gelu_new(x):
    """HF ACT2FN['gelu_new'] (tanh approximation, as in GPT-2 / GPT-J)."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Conv1D(nn.Module):
    """HF pytorch_utils.Conv1D: y = x @ W + b with W [nx, nf] (exports as Gemm)."""

    def __init__(self, nf, nx):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        size_out = x.size()[:-1] + (self.nf,)
        x = torch.addmm(self.bias, x.view(-1, x.size(-1)), self.weight)
        x = x.view(size_out)
        return x


def causal_bias(max_pos, window=None):
    bias = torch.tril(torch.ones((max_pos, max_pos), dtype=torch.bool))
    if window is not None:  # GPT-Neo local attention
        bias = torch.bitwise_xor(bias, torch.tril(bias, -window))
    return bias.view(1, 1, max_pos, max_pos)


def split_heads(t, n_head, head_dim):
    new_shape = t.size()[:-1] + (n_head, head_dim)
    return t.view(new_shape).permute(0, 2, 1, 3)  # (batch, head, seq, head_dim)


def merge_heads(t, n_head, head_dim):
    t = t.permute(0, 2, 1, 3).contiguous()
    new_shape = t.size()[:-2] + (n_head * head_dim,)
    return t.view(new_shape)


# ----------------------------------------------------------------------------
# GPT-2
# ----------------------------------------------------------------------------

class GPT2Attention(nn.Module):
    def __init__(self, d, n_head, max_pos):
        super().__init__()
        self.register_buffer("bias", causal_bias(max_pos), persistent=False)
        self.n_head, self.head_dim, self.split_size = n_head, d // n_head, d
        self.c_attn = Conv1D(3 * d, d)
        self.c_proj = Conv1D(d, d)

    def forward(self, x):
        query, key, value = self.c_attn(x).split(self.split_size, dim=2)
        query = split_heads(query, self.n_head, self.head_dim)
        key = split_heads(key, self.n_head, self.head_dim)
        value = split_heads(value, self.n_head, self.head_dim)
        attn_weights = torch.matmul(query, key.transpose(-1, -2))
        attn_weights = attn_weights / torch.full(
            [], value.size(-1) ** 0.5, dtype=attn_weights.dtype, device=attn_weights.device)
        query_length, key_length = query.size(-2), key.size(-2)
        causal_mask = self.bias[:, :, key_length - query_length: key_length, :key_length]
        mask_value = torch.finfo(attn_weights.dtype).min
        mask_value = torch.full([], mask_value, dtype=attn_weights.dtype, device=attn_weights.device)
        attn_weights = torch.where(causal_mask, attn_weights.to(attn_weights.dtype), mask_value)
        attn_weights = F.softmax(attn_weights, dim=-1)
        attn_output = torch.matmul(attn_weights, value)
        attn_output = merge_heads(attn_output, self.n_head, self.head_dim)
        return self.c_proj(attn_output)


class GPT2MLP(nn.Module):
    def __init__(self, d, inner):
        super().__init__()
        self.c_fc = Conv1D(inner, d)
        self.c_proj = Conv1D(d, inner)

    def forward(self, x):
        return self.c_proj(gelu_new(self.c_fc(x)))


class GPT2Block(nn.Module):
    def __init__(self, d, n_head, max_pos):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = GPT2Attention(d, n_head, max_pos)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.mlp = GPT2MLP(d, 4 * d)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT2LMHeadModel(nn.Module):
    def __init__(self, vocab=VOCAB, d=D_MODEL, n_layer=N_LAYER, n_head=N_HEAD, max_pos=MAX_POS):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(max_pos, d)
        self.h = nn.ModuleList([GPT2Block(d, n_head, max_pos) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d, eps=1e-5)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight  # tied

    def forward(self, input_ids):
        input_shape = input_ids.size()
        input_ids = input_ids.view(-1, input_shape[-1])
        position_ids = torch.arange(0, input_shape[-1], dtype=torch.long, device=input_ids.device)
        position_ids = position_ids.unsqueeze(0).view(-1, input_shape[-1])
        hidden = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            hidden = block(hidden)
        hidden = self.ln_f(hidden)
        hidden = hidden.view(input_shape + (hidden.size(-1),))
        return self.lm_head(hidden)


# ----------------------------------------------------------------------------
# GPT-Neo
# ----------------------------------------------------------------------------

class GPTNeoSelfAttention(nn.Module):
    def __init__(self, d, n_head, max_pos, attention_type, window_size):
        super().__init__()
        window = window_size if attention_type == "local" else None
        self.register_buffer("bias", causal_bias(max_pos, window), persistent=False)
        self.n_head, self.head_dim = n_head, d // n_head
        self.k_proj = nn.Linear(d, d, bias=False)
        self.v_proj = nn.Linear(d, d, bias=False)
        self.q_proj = nn.Linear(d, d, bias=False)
        self.out_proj = nn.Linear(d, d, bias=True)

    def forward(self, x):
        query = split_heads(self.q_proj(x), self.n_head, self.head_dim)
        key = split_heads(self.k_proj(x), self.n_head, self.head_dim)
        value = split_heads(self.v_proj(x), self.n_head, self.head_dim)
        # GPT-Neo: attention scores are NOT scaled by 1/sqrt(head_dim).
        query = query.to(torch.float32)
        key = key.to(torch.float32)
        attn_weights = torch.matmul(query, key.transpose(-1, -2))
        query_length, key_length = query.size(-2), key.size(-2)
        causal_mask = self.bias[:, :, key_length - query_length: key_length, :key_length]
        mask_value = torch.finfo(attn_weights.dtype).min
        mask_value = torch.tensor(mask_value, dtype=attn_weights.dtype).to(attn_weights.device)
        attn_weights = torch.where(causal_mask, attn_weights, mask_value)
        attn_weights = F.softmax(attn_weights, dim=-1)
        attn_weights = attn_weights.to(value.dtype)
        attn_output = torch.matmul(attn_weights, value)
        attn_output = merge_heads(attn_output, self.n_head, self.head_dim)
        return self.out_proj(attn_output)


class GPTNeoMLP(nn.Module):
    def __init__(self, d, inner):
        super().__init__()
        self.c_fc = nn.Linear(d, inner)
        self.c_proj = nn.Linear(inner, d)

    def forward(self, x):
        # Exact (erf) GELU: HF's GPT-Neo default is gelu_new, but the erf form
        # gives the test set an Erf-based activation with a numeric reference.
        return self.c_proj(F.gelu(self.c_fc(x)))


class GPTNeoBlock(nn.Module):
    def __init__(self, d, n_head, max_pos, attention_type, window_size):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = GPTNeoSelfAttention(d, n_head, max_pos, attention_type, window_size)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.mlp = GPTNeoMLP(d, 4 * d)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPTNeoForCausalLM(nn.Module):
    def __init__(self, vocab=VOCAB, d=D_MODEL, n_layer=N_LAYER, n_head=N_HEAD, max_pos=MAX_POS,
                 attention_layers=("global", "local"), window_size=4):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(max_pos, d)
        self.h = nn.ModuleList([
            GPTNeoBlock(d, n_head, max_pos, attention_layers[i % len(attention_layers)], window_size)
            for i in range(n_layer)])
        self.ln_f = nn.LayerNorm(d, eps=1e-5)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight  # tied

    def forward(self, input_ids):
        input_shape = input_ids.size()
        input_ids = input_ids.view(-1, input_shape[-1])
        position_ids = torch.arange(0, input_shape[-1], dtype=torch.long, device=input_ids.device)
        position_ids = position_ids.unsqueeze(0).view(-1, input_shape[-1])
        hidden = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            hidden = block(hidden)
        hidden = self.ln_f(hidden)
        hidden = hidden.view(input_shape + (hidden.size(-1),))
        return self.lm_head(hidden)


# ----------------------------------------------------------------------------
# GPT-J
# ----------------------------------------------------------------------------

def create_sinusoidal_positions(num_pos, dim):
    inv_freq = 1.0 / (10000 ** (torch.arange(0, dim, 2) / dim))
    sinusoid_inp = torch.einsum("i , j -> i j", torch.arange(num_pos, dtype=torch.float), inv_freq).float()
    return torch.cat((torch.sin(sinusoid_inp), torch.cos(sinusoid_inp)), dim=1)


def rotate_every_two(x):
    x1 = x[:, :, :, ::2]
    x2 = x[:, :, :, 1::2]
    x = torch.stack((-x2, x1), dim=-1)
    return x.flatten(-2)  # in einsum notation: rearrange(x, '... d j -> ... (d j)')


def gptj_apply_rotary_pos_emb(tensor, sin, cos):
    sin = torch.repeat_interleave(sin[:, :, None, :], 2, 3)
    cos = torch.repeat_interleave(cos[:, :, None, :], 2, 3)
    return (tensor * cos) + (rotate_every_two(tensor) * sin)


class GPTJAttention(nn.Module):
    def __init__(self, d, n_head, max_pos, rotary_dim):
        super().__init__()
        self.register_buffer("bias", causal_bias(max_pos), persistent=False)
        self.n_head, self.head_dim = n_head, d // n_head
        self.scale_attn = torch.sqrt(torch.tensor(self.head_dim, dtype=torch.float32))
        self.k_proj = nn.Linear(d, d, bias=False)
        self.v_proj = nn.Linear(d, d, bias=False)
        self.q_proj = nn.Linear(d, d, bias=False)
        self.out_proj = nn.Linear(d, d, bias=False)
        self.rotary_dim = rotary_dim
        self.register_buffer("embed_positions", create_sinusoidal_positions(max_pos, rotary_dim),
                             persistent=False)

    def _split_heads(self, t, rotary):
        new_shape = t.size()[:-1] + (self.n_head, self.head_dim)
        t = t.view(new_shape)
        if rotary:
            return t
        return t.permute(0, 2, 1, 3)

    def forward(self, x, position_ids):
        query = self._split_heads(self.q_proj(x), True)   # (b, s, h, hd)
        key = self._split_heads(self.k_proj(x), True)
        value = self._split_heads(self.v_proj(x), False)  # (b, h, s, hd)
        sincos = self.embed_positions[position_ids]
        sin, cos = torch.split(sincos, sincos.shape[-1] // 2, dim=-1)
        k_rot = key[:, :, :, : self.rotary_dim]
        k_pass = key[:, :, :, self.rotary_dim:]
        q_rot = query[:, :, :, : self.rotary_dim]
        q_pass = query[:, :, :, self.rotary_dim:]
        k_rot = gptj_apply_rotary_pos_emb(k_rot, sin, cos)
        q_rot = gptj_apply_rotary_pos_emb(q_rot, sin, cos)
        key = torch.cat([k_rot, k_pass], dim=-1)
        query = torch.cat([q_rot, q_pass], dim=-1)
        key = key.permute(0, 2, 1, 3)
        query = query.permute(0, 2, 1, 3)

        query_length, key_length = query.size(-2), key.size(-2)
        causal_mask = self.bias[:, :, key_length - query_length: key_length, :key_length]
        query = query.to(torch.float32)
        key = key.to(torch.float32)
        attn_weights = torch.matmul(query, key.transpose(-1, -2))
        mask_value = torch.finfo(attn_weights.dtype).min
        mask_value = torch.tensor(mask_value, dtype=attn_weights.dtype).to(attn_weights.device)
        attn_weights = torch.where(causal_mask, attn_weights, mask_value)
        attn_weights = attn_weights / self.scale_attn
        attn_weights = F.softmax(attn_weights, dim=-1)
        attn_weights = attn_weights.to(value.dtype)
        attn_output = torch.matmul(attn_weights, value)
        attn_output = merge_heads(attn_output, self.n_head, self.head_dim)
        return self.out_proj(attn_output)


class GPTJMLP(nn.Module):
    def __init__(self, d, inner):
        super().__init__()
        self.fc_in = nn.Linear(d, inner)
        self.fc_out = nn.Linear(inner, d)

    def forward(self, x):
        return self.fc_out(gelu_new(self.fc_in(x)))


class GPTJBlock(nn.Module):
    def __init__(self, d, n_head, max_pos, rotary_dim):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = GPTJAttention(d, n_head, max_pos, rotary_dim)
        self.mlp = GPTJMLP(d, 4 * d)

    def forward(self, x, position_ids):
        residual = x
        hidden = self.ln_1(x)
        attn_output = self.attn(hidden, position_ids)
        feed_forward = self.mlp(hidden)
        return attn_output + feed_forward + residual  # parallel attention + MLP


class GPTJForCausalLM(nn.Module):
    def __init__(self, vocab=VOCAB, d=D_MODEL, n_layer=N_LAYER, n_head=N_HEAD, max_pos=MAX_POS,
                 rotary_dim=8):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.h = nn.ModuleList([GPTJBlock(d, n_head, max_pos, rotary_dim) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d, eps=1e-5)
        self.lm_head = nn.Linear(d, vocab, bias=True)  # untied, with bias

    def forward(self, input_ids):
        input_shape = input_ids.size()
        input_ids = input_ids.view(-1, input_shape[-1])
        position_ids = torch.arange(0, input_shape[-1], dtype=torch.long, device=input_ids.device)
        position_ids = position_ids.unsqueeze(0).view(-1, input_shape[-1])
        hidden = self.wte(input_ids)
        for block in self.h:
            hidden = block(hidden, position_ids)
        hidden = self.ln_f(hidden)
        hidden = hidden.view(input_shape + (hidden.size(-1),))
        return self.lm_head(hidden)


# ----------------------------------------------------------------------------
# Llama
# ----------------------------------------------------------------------------

class LlamaRMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)


class LlamaRotaryEmbedding(nn.Module):
    def __init__(self, dim, max_position_embeddings, base=10000):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        t = torch.arange(max_position_embeddings, dtype=inv_freq.dtype)
        freqs = torch.einsum("i,j->ij", t, inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        # HF >= 4.35 layout: [max_pos, dim] caches. (The 4.3x [1, 1, max_pos, dim]
        # layout needs cos.squeeze(1).squeeze(0), which exports If nodes under
        # dynamic axes because the squeezed dims' sizes are unknown to the exporter.)
        self.register_buffer("cos_cached", emb.cos(), persistent=False)
        self.register_buffer("sin_cached", emb.sin(), persistent=False)

    def forward(self, x, seq_len):
        return (self.cos_cached[:seq_len].to(dtype=x.dtype),
                self.sin_cached[:seq_len].to(dtype=x.dtype))


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def llama_apply_rotary_pos_emb(q, k, cos, sin, position_ids, unsqueeze_dim=1):
    cos = cos[position_ids].unsqueeze(unsqueeze_dim)  # [bs, 1, seq_len, dim]
    sin = sin[position_ids].unsqueeze(unsqueeze_dim)
    q_embed = (q * cos) + (rotate_half(q) * sin)
    k_embed = (k * cos) + (rotate_half(k) * sin)
    return q_embed, k_embed


def repeat_kv(hidden_states, n_rep):
    # expand+reshape (not repeat_interleave, which exports a Loop under dynamic shapes)
    batch, num_key_value_heads, slen, head_dim = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    hidden_states = hidden_states[:, :, None, :, :].expand(batch, num_key_value_heads, n_rep, slen, head_dim)
    return hidden_states.reshape(batch, num_key_value_heads * n_rep, slen, head_dim)


class LlamaAttention(nn.Module):
    def __init__(self, d, n_head, n_kv_head, max_pos):
        super().__init__()
        self.hidden_size, self.num_heads, self.num_key_value_heads = d, n_head, n_kv_head
        self.head_dim = d // n_head
        self.num_key_value_groups = n_head // n_kv_head
        self.q_proj = nn.Linear(d, n_head * self.head_dim, bias=False)
        self.k_proj = nn.Linear(d, n_kv_head * self.head_dim, bias=False)
        self.v_proj = nn.Linear(d, n_kv_head * self.head_dim, bias=False)
        self.o_proj = nn.Linear(n_head * self.head_dim, d, bias=False)
        self.rotary_emb = LlamaRotaryEmbedding(self.head_dim, max_pos)

    def forward(self, hidden_states, attention_mask, position_ids):
        bsz, q_len, _ = hidden_states.size()
        query_states = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        key_states = self.k_proj(hidden_states).view(
            bsz, q_len, self.num_key_value_heads, self.head_dim).transpose(1, 2)
        value_states = self.v_proj(hidden_states).view(
            bsz, q_len, self.num_key_value_heads, self.head_dim).transpose(1, 2)
        kv_seq_len = key_states.shape[-2]
        cos, sin = self.rotary_emb(value_states, seq_len=kv_seq_len)
        query_states, key_states = llama_apply_rotary_pos_emb(query_states, key_states, cos, sin, position_ids)
        key_states = repeat_kv(key_states, self.num_key_value_groups)
        value_states = repeat_kv(value_states, self.num_key_value_groups)
        attn_weights = torch.matmul(query_states, key_states.transpose(2, 3)) / math.sqrt(self.head_dim)
        attn_weights = attn_weights + attention_mask
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query_states.dtype)
        attn_output = torch.matmul(attn_weights, value_states)
        attn_output = attn_output.transpose(1, 2).contiguous()
        attn_output = attn_output.reshape(bsz, q_len, self.hidden_size)
        return self.o_proj(attn_output)


class LlamaMLP(nn.Module):
    def __init__(self, d, inner):
        super().__init__()
        self.gate_proj = nn.Linear(d, inner, bias=False)
        self.up_proj = nn.Linear(d, inner, bias=False)
        self.down_proj = nn.Linear(inner, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, d, n_head, n_kv_head, inner, max_pos):
        super().__init__()
        self.self_attn = LlamaAttention(d, n_head, n_kv_head, max_pos)
        self.mlp = LlamaMLP(d, inner)
        self.input_layernorm = LlamaRMSNorm(d)
        self.post_attention_layernorm = LlamaRMSNorm(d)

    def forward(self, x, attention_mask, position_ids):
        x = x + self.self_attn(self.input_layernorm(x), attention_mask, position_ids)
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x


def _make_causal_mask(input_ids_shape, dtype, device):
    bsz, tgt_len = input_ids_shape
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, device=device)
    mask_cond = torch.arange(mask.size(-1), device=device)
    mask.masked_fill_(mask_cond < (mask_cond + 1).view(mask.size(-1), 1), 0)
    mask = mask.to(dtype)
    return mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len)


def _expand_mask(mask, dtype, tgt_len=None):
    bsz, src_len = mask.size()
    tgt_len = tgt_len if tgt_len is not None else src_len
    expanded_mask = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
    inverted_mask = 1.0 - expanded_mask
    return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)


class LlamaForCausalLM(nn.Module):
    def __init__(self, vocab=VOCAB, d=D_MODEL, n_layer=N_LAYER, n_head=N_HEAD, n_kv_head=2,
                 inner=176, max_pos=MAX_POS):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([LlamaDecoderLayer(d, n_head, n_kv_head, inner, max_pos)
                                     for _ in range(n_layer)])
        self.norm = LlamaRMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)  # untied

    def forward(self, input_ids):
        batch_size, seq_length = input_ids.shape
        position_ids = torch.arange(0, seq_length, dtype=torch.long, device=input_ids.device)
        position_ids = position_ids.unsqueeze(0).view(-1, seq_length)
        inputs_embeds = self.embed_tokens(input_ids)
        # HF LlamaModel._prepare_decoder_attention_mask with attention_mask=None (all ones)
        attention_mask = torch.ones((batch_size, seq_length), dtype=torch.bool, device=inputs_embeds.device)
        causal = _make_causal_mask((batch_size, seq_length), inputs_embeds.dtype, inputs_embeds.device)
        attention_mask = _expand_mask(attention_mask, inputs_embeds.dtype, tgt_len=seq_length) + causal
        hidden = inputs_embeds
        for layer in self.layers:
            hidden = layer(hidden, attention_mask, position_ids)
        hidden = self.norm(hidden)
        return self.lm_head(hidden)


# ----------------------------------------------------------------------------
# Construction, init, export, checks
# ----------------------------------------------------------------------------

BUILDERS = {
    "gpt2": GPT2LMHeadModel,
    "gptneo": GPTNeoForCausalLM,
    "gptj": GPTJForCausalLM,
    "llama": LlamaForCausalLM,
}


def init_weights(model, seed):
    """Deterministic init giving O(1) activations (HF's std 0.02 would give
    near-uniform logits, which makes poor test references). Norm scales are
    1+noise and biases are non-zero so gamma/beta/bias mix-ups are visible."""
    gen = torch.Generator().manual_seed(seed)
    wte = getattr(model, "wte", None)
    with torch.no_grad():
        for name, mod in model.named_modules():
            if isinstance(mod, nn.Embedding):
                mod.weight.copy_(torch.randn(mod.weight.shape, generator=gen))
            elif isinstance(mod, nn.Linear):
                if wte is not None and mod.weight is wte.weight:
                    continue  # tied head, already initialised as the embedding
                fan_in = mod.weight.shape[1]
                mod.weight.copy_(torch.randn(mod.weight.shape, generator=gen) / math.sqrt(fan_in))
                if mod.bias is not None:
                    mod.bias.copy_(0.1 * torch.randn(mod.bias.shape, generator=gen))
            elif isinstance(mod, Conv1D):
                fan_in = mod.weight.shape[0]
                mod.weight.copy_(torch.randn(mod.weight.shape, generator=gen) / math.sqrt(fan_in))
                mod.bias.copy_(0.1 * torch.randn(mod.bias.shape, generator=gen))
            elif isinstance(mod, (nn.LayerNorm, LlamaRMSNorm)):
                mod.weight.copy_(1.0 + 0.1 * torch.randn(mod.weight.shape, generator=gen))
                if getattr(mod, "bias", None) is not None:
                    mod.bias.copy_(0.1 * torch.randn(mod.bias.shape, generator=gen))


def build_model(family, n_layer=N_LAYER):
    torch.manual_seed(SEEDS[family])
    model = BUILDERS[family](n_layer=n_layer)
    init_weights(model, SEEDS[family])
    model.eval()
    return model


def reference_inputs(family):
    rng = np.random.default_rng(SEEDS[family])
    return rng.integers(0, VOCAB, size=(1, SEQ), dtype=np.int64)


def torch_logits(model, ids):
    with torch.no_grad():
        return model(torch.from_numpy(ids)).numpy().astype(np.float32)


def export(model, ids, opset, dynamic):
    buf = io.BytesIO()
    kwargs = {}
    if dynamic:
        kwargs["dynamic_axes"] = {"input_ids": {0: "batch", 1: "sequence"},
                                  "logits": {0: "batch", 1: "sequence"}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.no_grad():
            torch.onnx.export(model, (torch.from_numpy(ids),), buf,
                              input_names=["input_ids"], output_names=["logits"],
                              opset_version=opset, do_constant_folding=True, **kwargs)
    return onnx.load_from_string(buf.getvalue())


def all_nodes(graph):
    for n in graph.node:
        yield n
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from all_nodes(a.g)
            for g in a.graphs:
                yield from all_nodes(g)


def op_histogram(model):
    return collections.Counter(n.op_type for n in all_nodes(model.graph))


def compare(name, got, want, tol=1e-4):
    if got.shape != want.shape:
        raise AssertionError(f"{name}: shape {got.shape} != {want.shape}")
    err = float(np.max(np.abs(got.astype(np.float64) - want)))
    scale = float(np.max(np.abs(want))) or 1.0
    if err > tol * max(1.0, scale):
        raise AssertionError(f"{name}: max abs err {err:.3g} (max |ref| {scale:.3g})")
    return err


WSE_ORT = None  # --wse-ort


def ort_logits(path, ids):
    return run_ort(path, {"input_ids": ids}, WSE_ORT)["logits"]


def check_export(name, model, proto, path, ids, ref, dynamic):
    """Checks PROTO, saved as PATH, against the torch reference REF."""
    onnx.checker.check_model(proto)
    hist = op_histogram(proto)
    bad = sorted(set(hist) - ALLOWED_OPS)
    if bad:
        raise AssertionError(f"{name}: ops outside the allowed list: {bad}")
    errs = [compare(name, ort_logits(path, ids), ref)]
    if dynamic:
        ids2 = np.random.default_rng(7).integers(0, VOCAB, size=(2, 7), dtype=np.int64)
        errs.append(compare(name + "[2x7]", ort_logits(path, ids2), torch_logits(model, ids2)))
    return hist, max(errs)


def fmt_hist(hist):
    return " ".join(f"{op}:{c}" for op, c in sorted(hist.items(), key=lambda kv: (-kv[1], kv[0])))


def retie_tied_head(proto):
    """Undo the duplication of a tied LM head.

    torch 1.13 exports lm_head(x) with weight = wte.weight as
    MatMul(x, Transpose(wte.weight)) and do_constant_folding folds that
    Transpose into a second initializer (onnx::MatMul_N = wte.weight^T), as in
    real HF GPT-2 exports. This returns a copy where every initializer that is
    exactly the transpose of another 2-D initializer is replaced by a Transpose
    node reading the original, so one initializer feeds both Gather and MatMul.
    """
    from onnx import helper, numpy_helper
    proto = onnx.ModelProto.FromString(proto.SerializeToString())
    g = proto.graph
    arrays = {i.name: numpy_helper.to_array(i) for i in g.initializer if len(i.dims) == 2}
    replaced = []
    # Only constant-folded initializers (torch names them "onnx::<Op>_<N>") are
    # replaced; the source must be a named parameter such as "wte.weight".
    for name, arr in arrays.items():
        if not name.startswith("onnx::"):
            continue
        for src, other in arrays.items():
            if not src.startswith("onnx::") and other.shape == arr.shape[::-1] and np.array_equal(other.T, arr):
                replaced.append((name, src))
                break
    keep = [i for i in g.initializer if i.name not in {r[0] for r in replaced}]
    del g.initializer[:]
    g.initializer.extend(keep)
    for k, (name, src) in enumerate(replaced):
        g.node.insert(k, helper.make_node("Transpose", [src], [name], name=f"/tied/Transpose_{k}", perm=[1, 0]))
    return proto, replaced


def save_external(proto, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    proto = onnx.ModelProto.FromString(proto.SerializeToString())  # conversion mutates in place
    for stale in ("model.onnx", "weights.bin"):
        if os.path.exists(os.path.join(out_dir, stale)):
            os.remove(os.path.join(out_dir, stale))
    path = os.path.join(out_dir, "model.onnx")
    onnx.save_model(proto, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="weights.bin", size_threshold=1024)
    onnx.checker.check_model(path)
    return path


EXAMPLE_README = """# gpt2-tiny

A 2-layer GPT-2 (vocab 256, d_model 64, 4 heads, max_positions 64, tied LM head,
~{params} parameters, random weights) exported by torch {torch} at ONNX opset 17
with static input `input_ids` int64 [1, 16] and output `logits` float32 [1, 16, 256].
Weights are embedded in `model.onnx` (the tied head appears as a second, constant-
folded initializer holding wte^T, as in real GPT-2 exports). `input_ids.npy` is the
reference input and `logits.npy` the torch float32 output for it.

Produced by (deterministic, seeds fixed in the script):

    /usr/bin/python3 test/models/generate_decoders.py --example examples/gpt2-tiny
"""


def write_example(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    model = build_model("gpt2")
    ids = reference_inputs("gpt2")
    ref = torch_logits(model, ids)
    proto = export(model, ids, 17, False)
    onnx.save(proto, os.path.join(out_dir, "model.onnx"))
    hist, err = check_export("example", model, proto, os.path.join(out_dir, "model.onnx"), ids, ref, False)
    np.save(os.path.join(out_dir, "input_ids.npy"), ids)
    np.save(os.path.join(out_dir, "logits.npy"), ref)
    nparams = sum(p.numel() for p in model.parameters())
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(EXAMPLE_README.format(params=f"{nparams / 1000:.0f}k", torch=torch.__version__.split("a")[0]))
    size = os.path.getsize(os.path.join(out_dir, "model.onnx"))
    print(f"{out_dir}/model.onnx  {size / 1024:.0f} KiB  nodes={sum(hist.values())}  max|onnx-torch|={err:.2e}")


# Deeper variants for the layer-loop tests: static opset-17 exports only,
# in DIR/deep/ (so that the 16-export globs of other tests do not see them).
DEEP_LAYERS = (6, 12)


def write_deep(out_dir, family, n_layer):
    out_dir = os.path.join(out_dir, "deep")
    os.makedirs(out_dir, exist_ok=True)
    model = build_model(family, n_layer)
    ids = reference_inputs(family)
    ref = torch_logits(model, ids)
    name = f"{family}_L{n_layer}"
    proto = export(model, ids, 17, False)
    path = os.path.join(out_dir, name + ".onnx")
    onnx.save(proto, path)
    _, err = check_export(name, model, proto, path, ids, ref, False)
    np.save(os.path.join(out_dir, name + ".input_ids.npy"), ids)
    np.save(os.path.join(out_dir, name + ".logits.npy"), ref)
    print(f"deep/{name}.onnx  layers={n_layer}  max|onnx-torch|={err:.2e}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="output directory for the test models")
    ap.add_argument("--only", nargs="+", choices=FAMILIES, help="families to generate (default: all)")
    ap.add_argument("--example", metavar="DIR",
                    help="write the gpt2-tiny example (model.onnx, input_ids.npy, logits.npy, README.md) to DIR")
    ap.add_argument("--quiet", action="store_true", help="do not print op histograms")
    ap.add_argument("--wse-ort", help="the wse-ort command (default: node tools/wse-ort/wse-ort.js)")
    args = ap.parse_args(argv)
    global WSE_ORT
    WSE_ORT = args.wse_ort
    if not args.out and not args.example:
        ap.error("need --out DIR and/or --example DIR")
    torch.set_num_threads(1)
    t0 = time.time()
    if args.example:
        write_example(args.example)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        for family in args.only or FAMILIES:
            model = build_model(family)
            ids = reference_inputs(family)
            ref = torch_logits(model, ids)
            if not np.array_equal(ref, torch_logits(model, ids)):
                raise AssertionError(f"{family}: torch reference is not deterministic")
            np.save(os.path.join(args.out, f"{family}.input_ids.npy"), ids)
            np.save(os.path.join(args.out, f"{family}.logits.npy"), ref)
            for dynamic in (False, True):
                for opset in (14, 17):
                    kind = "dynamic" if dynamic else "static"
                    name = f"{family}_{kind}_op{opset}"
                    proto = export(model, ids, opset, dynamic)
                    path = os.path.join(args.out, name + ".onnx")
                    onnx.save(proto, path)
                    hist, err = check_export(name, model, proto, path, ids, ref, dynamic)
                    print(f"{name}.onnx  {os.path.getsize(path) / 1024:.0f} KiB  "
                          f"inits={len(proto.graph.initializer)}  nodes={sum(hist.values())}  "
                          f"max|onnx-torch|={err:.2e}")
                    if not args.quiet:
                        print(f"    {fmt_hist(hist)}")
                    if family == "gpt2" and not dynamic and opset == 17:
                        tied, replaced = retie_tied_head(proto)
                        tied_path = os.path.join(args.out, name + "_tied.onnx")
                        onnx.save(tied, tied_path)
                        tied_hist, tied_err = check_export(name + "_tied", model, tied, tied_path, ids,
                                                           ref, False)
                        print(f"{name}_tied.onnx  {os.path.getsize(tied_path) / 1024:.0f} KiB  "
                              f"re-tied {replaced}  max|onnx-torch|={tied_err:.2e}")
                        ext = save_external(proto, os.path.join(args.out, "gpt2_static_op17_ext"))
                        compare("gpt2_static_op17_ext", ort_logits(ext, ids), ref)
                        nbytes = os.path.getsize(os.path.join(os.path.dirname(ext), "weights.bin"))
                        print(f"gpt2_static_op17_ext/model.onnx  {os.path.getsize(ext) / 1024:.0f} KiB  "
                              f"+ weights.bin {nbytes / 1024:.0f} KiB")
            for n_layer in DEEP_LAYERS:
                write_deep(args.out, family, n_layer)
    print(f"done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()

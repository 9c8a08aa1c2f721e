"""Optimizers, learning-rate schedules and gradient clipping of wse-train.

This is the weight store's side of a training step (the off-wafer side in
weight streaming): it receives a step's gradients and updates the weights and
the optimizer state. Every formula follows torch 1.13's single-tensor
implementations (torch.optim.SGD, torch.optim.AdamW,
torch.nn.utils.clip_grad_norm_) operation by operation in float32, so that
the same gradients give the same weights to float32 rounding.
"""
import math

import numpy as np

F32 = np.float32


class SGD:
    """torch.optim.SGD: momentum, dampening, nesterov, (coupled) weight decay."""

    name = "sgd"
    state_names = ("momentum_buffer",)

    def __init__(self, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("nesterov needs a momentum and zero dampening (as torch)")
        self.momentum, self.dampening = momentum, dampening
        self.nesterov, self.weight_decay = nesterov, weight_decay
        self.state = {}  # name -> {"momentum_buffer": array}
        self.steps = 0

    def hyper(self):
        return {"momentum": self.momentum, "dampening": self.dampening,
                "nesterov": self.nesterov, "weight_decay": self.weight_decay}

    def step(self, params, grads, lr):
        for name, g in grads.items():
            p = params[name]
            d_p = g
            if self.weight_decay != 0:
                d_p = d_p + F32(self.weight_decay) * p
            if self.momentum != 0:
                st = self.state.setdefault(name, {})
                buf = st.get("momentum_buffer")
                if buf is None:
                    buf = d_p.copy()
                else:
                    buf = buf * F32(self.momentum) + F32(1 - self.dampening) * d_p
                st["momentum_buffer"] = buf
                d_p = d_p + F32(self.momentum) * buf if self.nesterov else buf
            params[name] = p + F32(-lr) * d_p
        self.steps += 1


class AdamW:
    """torch.optim.AdamW: decoupled weight decay, bias-corrected moments."""

    name = "adamw"
    state_names = ("exp_avg", "exp_avg_sq")

    def __init__(self, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        self.beta1, self.beta2 = betas
        self.eps, self.weight_decay = eps, weight_decay
        self.state = {}
        self.steps = 0

    def hyper(self):
        return {"betas": [self.beta1, self.beta2], "eps": self.eps,
                "weight_decay": self.weight_decay}

    def step(self, params, grads, lr):
        self.steps += 1
        t = self.steps
        bias_correction1 = 1 - self.beta1 ** t
        bias_correction2 = 1 - self.beta2 ** t
        step_size = lr / bias_correction1
        bias_correction2_sqrt = math.sqrt(bias_correction2)
        for name, g in grads.items():
            st = self.state.setdefault(name, {})
            m = st.get("exp_avg", np.zeros_like(g))
            v = st.get("exp_avg_sq", np.zeros_like(g))
            p = params[name] * F32(1 - lr * self.weight_decay)
            m = m * F32(self.beta1) + F32(1 - self.beta1) * g
            v = v * F32(self.beta2) + (F32(1 - self.beta2) * g) * g
            denom = np.sqrt(v) / F32(bias_correction2_sqrt) + F32(self.eps)
            params[name] = p + F32(-step_size) * (m / denom)
            st["exp_avg"], st["exp_avg_sq"] = m, v


def clip_grad_norm(grads, max_norm):
    """torch.nn.utils.clip_grad_norm_ (norm 2): scales every gradient by
    min(1, max_norm / (total_norm + 1e-6)); returns the total norm."""
    norms = np.array([np.sqrt(np.sum(g * g, dtype=F32)) for g in grads.values()], dtype=F32)
    total = F32(np.sqrt(np.sum(norms * norms, dtype=F32)))
    coef = min(F32(max_norm) / (total + F32(1e-6)), F32(1.0))
    for name in grads:
        grads[name] = grads[name] * F32(coef)
    return float(total)


def parse_schedule(spec):
    """Returns lr_factor(step) for SPEC: 'constant', or 'cosine:WARMUP:TOTAL'
    (HF get_cosine_schedule_with_warmup: linear warmup from 0 over WARMUP
    steps, then half a cosine down to 0 at step TOTAL; STEP counts completed
    optimizer steps, so the first step of a warmup has factor 0)."""
    if spec in (None, "", "constant"):
        return lambda step: 1.0
    parts = spec.split(":")
    if parts[0] == "cosine" and len(parts) == 3:
        try:
            warmup, total = int(parts[1]), int(parts[2])
        except ValueError:
            warmup = total = -1
        if warmup >= 0 and total > 0:
            def factor(step):
                if step < warmup:
                    return step / max(1, warmup)
                progress = (step - warmup) / max(1, total - warmup)
                return max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))
            return factor
    raise ValueError("unknown --schedule '%s' (expected 'constant' or "
                     "'cosine:WARMUP:TOTAL')" % spec)

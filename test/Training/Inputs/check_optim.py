#!/usr/bin/python3
"""wse-train's optimizers against torch's, on random gradients: the same
sequence of gradients must give the same weights and state (to float32
rounding: max |diff| <= 1e-6 of the largest weight) for every SGD and AdamW
variant, and clip_grad_norm must scale like torch.nn.utils.clip_grad_norm_.

Usage: check_optim.py BIN (the directory holding wse_optim.py)
"""
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
import wse_optim  # noqa: E402

SHAPES = [(7, 5), (5,), (3, 4, 2)]
STEPS = 6


def compare(label, ours, torch_opt_factory, lr, clip=None):
    rng = np.random.default_rng(5)
    params = {str(i): rng.standard_normal(s).astype(np.float32) for i, s in enumerate(SHAPES)}
    tparams = [torch.tensor(v.copy(), requires_grad=True) for v in params.values()]
    topt = torch_opt_factory(tparams)
    for step in range(STEPS):
        grads = {n: (rng.standard_normal(v.shape) * 10 ** rng.uniform(-3, 1)).astype(np.float32)
                 for n, v in params.items()}
        for t, g in zip(tparams, grads.values()):
            t.grad = torch.tensor(g.copy())
        if clip:
            torch.nn.utils.clip_grad_norm_(tparams, clip)
            wse_optim.clip_grad_norm(grads, clip)
        topt.step()
        ours.step(params, grads, lr)
    err = max(float(np.abs(params[n] - t.detach().numpy()).max() / np.abs(t.detach().numpy()).max())
              for n, t in zip(params, tparams))
    ok = err <= 1e-6
    print("%-44s max weight diff %.1e of the largest (%s)" % (label, err, "ok" if ok else "FAIL"))
    return ok


def main():
    torch.set_num_threads(1)
    cases = [
        ("sgd", wse_optim.SGD(), lambda p: torch.optim.SGD(p, lr=0.1), 0.1, None),
        ("sgd momentum 0.9", wse_optim.SGD(momentum=0.9),
         lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 0.1, None),
        ("sgd momentum 0.9 dampening 0.3 wd 0.01", wse_optim.SGD(momentum=0.9, dampening=0.3, weight_decay=0.01),
         lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01), 0.1, None),
        ("sgd nesterov 0.8 wd 0.1", wse_optim.SGD(momentum=0.8, nesterov=True, weight_decay=0.1),
         lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1), 0.05, None),
        ("adamw defaults", wse_optim.AdamW(),
         lambda p: torch.optim.AdamW(p, lr=1e-3), 1e-3, None),
        ("adamw betas 0.8,0.95 eps 1e-6 wd 0.1", wse_optim.AdamW(betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1),
         lambda p: torch.optim.AdamW(p, lr=1e-2, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1), 1e-2, None),
        ("adamw + clip-norm 0.5", wse_optim.AdamW(),
         lambda p: torch.optim.AdamW(p, lr=1e-3), 1e-3, 0.5),
        ("sgd momentum + clip-norm 1.0", wse_optim.SGD(momentum=0.9),
         lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 0.1, 1.0),
    ]
    failed = sum(not compare(*c) for c in cases)
    # Schedules: HF get_cosine_schedule_with_warmup(warmup 2, total 10).
    f = wse_optim.parse_schedule("cosine:2:10")
    want = [0.0, 0.5, 1.0, 0.9619397662556434, 0.8535533905932737, 0.6913417161825449,
            0.5, 0.3086582838174551, 0.14644660940672627, 0.03806023374435663, 0.0]
    got = [f(s) for s in range(11)]
    ok = np.allclose(got, want, rtol=0, atol=1e-12) and wse_optim.parse_schedule("constant")(7) == 1.0
    failed += not ok
    print("schedules (constant, cosine:2:10)            %s" % ("ok" if ok else "FAIL"))
    print("optimizer cases: %d, failed: %d" % (len(cases) + 1, failed))


if __name__ == "__main__":
    main()

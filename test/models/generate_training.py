#!/usr/bin/python3
"""Torch training references for wse-train, one per decoder family.

    /usr/bin/python3 test/models/generate_training.py --out DIR [--only FAMILY...]

For each family of generate_decoders.py (same tiny models and weights):

- DIR/<family>.onnx: the static opset-17 export (input_ids int64 [1, 16]),
  with a tied LM head re-expressed as Transpose(wte.weight)
  (generate_decoders.retie_tied_head), so the ONNX file has one weight
  where torch has one parameter;
- DIR/<family>.ids.npy: the training batch, int64 [2, 16] (two rows, so a
  [1, 16] model trains on it as two micro-batches);
- DIR/<family>.grads.npz: torch autograd's gradient of the loss at the
  initial weights, keyed by ONNX initializer name (an initializer that torch
  folded as W^T gets dW^T);
- DIR/<family>.<opt>.losses.npy (float32 [10]) and
  DIR/<family>.<opt>.weights.npz (the trained initializers, keyed by name),
  DIR/<family>.<opt>.unstable.npz (bool masks of the elements where torch
  trained on the same batch as two micro-batches differs from itself by more
  than 1e-5 of the tensor's largest weight: gradients that are zero up to
  rounding, which Adam turns into +-lr steps)
  and DIR/<family>.<opt>.logits.npy (the trained model's logits for the
  first row, float32 [1, 16, 256]) for opt in sgd (lr 0.05, momentum 0.9) and adamw (lr 1e-3, betas
  0.9/0.999, eps 1e-8, weight decay 0.01): 10 steps on the fixed batch;
- DIR/config.json: those hyper-parameters, read by the tests.

The loss is next-token cross-entropy, the mean over the batch and the 15
predicted positions, as wse-train computes it.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_decoders as gd  # noqa: E402

STEPS = 10
ROWS = 2
OPTIMIZERS = {
    "sgd": {"lr": 0.05, "momentum": 0.9},
    "adamw": {"lr": 1e-3, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.01},
}


def batch(family):
    rng = np.random.default_rng(gd.SEEDS[family] + 100)
    return rng.integers(0, gd.VOCAB, size=(ROWS, gd.SEQ), dtype=np.int64)


def next_token_loss(model, ids):
    logits = model(torch.from_numpy(ids))
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]),
                           torch.from_numpy(ids[:, 1:]).reshape(-1))


def exported(model, ids):
    """The retied static export of MODEL and its float initializers by name."""
    proto = gd.export(model, ids[:1], 17, False)
    proto, _ = gd.retie_tied_head(proto)
    inits = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer
             if i.data_type == 1}
    return proto, inits


def initializer_sources(model, inits):
    """For each float initializer, the torch parameter it holds and whether
    it is transposed (torch folds Linear weights as W^T)."""
    sources = {}
    for name, value in inits.items():
        for pname, p in model.named_parameters():
            w = p.detach().numpy()
            if w.shape == value.shape and np.array_equal(w, value):
                sources[name] = (pname, False)
                break
            if w.ndim == 2 and w.T.shape == value.shape and np.array_equal(w.T, value):
                sources[name] = (pname, True)
                break
        else:
            raise AssertionError("initializer %s matches no torch parameter" % name)
    return sources


def make_optimizer(name, params):
    h = OPTIMIZERS[name]
    if name == "sgd":
        return torch.optim.SGD(params, lr=h["lr"], momentum=h["momentum"])
    return torch.optim.AdamW(params, lr=h["lr"], betas=tuple(h["betas"]), eps=h["eps"],
                             weight_decay=h["weight_decay"])


def train(family, opt_name, ids, micro):
    """STEPS steps on IDS; with MICRO, the rows' gradients are accumulated
    one row at a time (mean over rows), as wse-train does."""
    model = gd.build_model(family)
    model.train()
    opt = make_optimizer(opt_name, model.parameters())
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        if micro:
            loss = 0.0
            for r in range(ids.shape[0]):
                part = next_token_loss(model, ids[r:r + 1]) / ids.shape[0]
                part.backward()
                loss += part.item()
        else:
            loss = next_token_loss(model, ids)
            loss.backward()
            loss = loss.item()
        opt.step()
        losses.append(loss)
    model.eval()
    return model, losses


def generate(family, out, quiet):
    ids = batch(family)
    model = gd.build_model(family)
    model.train()
    proto, inits = exported(model, ids)
    path = os.path.join(out, family + ".onnx")
    with open(path, "wb") as f:
        f.write(proto.SerializeToString())
    np.save(os.path.join(out, family + ".ids.npy"), ids)
    sources = initializer_sources(model, inits)

    model.zero_grad()
    next_token_loss(model, ids).backward()
    grads = {}
    for name, (pname, transposed) in sources.items():
        g = dict(model.named_parameters())[pname].grad.numpy()
        grads[name] = (g.T if transposed else g).astype(np.float32)
    np.savez(os.path.join(out, family + ".grads.npz"), **grads)

    for opt_name in OPTIMIZERS:
        model, losses = train(family, opt_name, ids, micro=False)
        _, trained = exported(model, ids)
        _, trained_micro = exported(train(family, opt_name, ids, micro=True)[0], ids)
        # Elements where torch disagrees with itself when the same batch is
        # summed as two micro-batches: a gradient that is zero up to rounding
        # (e.g. GPT-2's key bias, which softmax ignores) becomes +-lr steps
        # under Adam's normalization, so no implementation can match there.
        unstable = {n: np.abs(trained[n] - trained_micro[n]) > 1e-5 * np.abs(trained[n]).max()
                    for n in trained}
        np.savez(os.path.join(out, "%s.%s.unstable.npz" % (family, opt_name)), **unstable)
        if set(trained) != set(inits):
            raise AssertionError("%s: the trained export names other initializers" % family)
        np.save(os.path.join(out, "%s.%s.losses.npy" % (family, opt_name)),
                np.array(losses, dtype=np.float32))
        np.savez(os.path.join(out, "%s.%s.weights.npz" % (family, opt_name)), **trained)
        np.save(os.path.join(out, "%s.%s.logits.npy" % (family, opt_name)), gd.torch_logits(model, ids[:1]))
        if not quiet:
            print("%s %s: loss %.4f -> %.4f" % (family, opt_name, losses[0], losses[-1]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", nargs="+", choices=gd.FAMILIES)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)  # deterministic reductions
    for family in args.only or gd.FAMILIES:
        generate(family, args.out, args.quiet)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump({"steps": STEPS, "rows": ROWS, "optimizers": OPTIMIZERS}, f, indent=1)


if __name__ == "__main__":
    main()

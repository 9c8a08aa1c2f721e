#!/usr/bin/python3
"""Export the wide GPT-2 models of issue 12 ("Width fits") with torch references.

    /usr/bin/python3 benchmarks/width/make_width_models.py --out DIR [--only d256 d768]

d256: GPT-2, d_model 256, 8 heads, ff 1024, 4 layers, vocab 256, T=256.
d768: GPT-2, d_model 768, 12 heads, ff 3072, 2 layers, vocab 8192, T=128.
Writes DIR/<name>.onnx, DIR/<name>.input_ids.npy ([1, T] int64) and
DIR/<name>.logits.npy (torch's logits), using the GPT-2 module of
test/models/generate_decoders.py (the same code the tiny test models use).
"""
import argparse
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "models"))
import generate_decoders as gd  # noqa: E402

SHAPES = {
    # name: (d_model, heads, layers, vocab, tokens)
    "d256": (256, 8, 4, 256, 256),
    "d768": (768, 12, 2, 8192, 128),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", nargs="+", choices=list(SHAPES), default=list(SHAPES))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in args.only:
        d, heads, layers, vocab, tokens = SHAPES[name]
        torch.manual_seed(1234)
        model = gd.GPT2LMHeadModel(vocab=vocab, d=d, n_layer=layers,
                                   n_head=heads, max_pos=tokens)
        gd.init_weights(model, 1234)
        model.eval()
        ids = np.random.default_rng(1234).integers(0, vocab, size=(1, tokens),
                                                   dtype=np.int64)
        ref = gd.torch_logits(model, ids)
        proto = gd.export(model, ids, 17, False)
        path = os.path.join(args.out, name + ".onnx")
        onnx.save(proto, path)
        np.save(os.path.join(args.out, name + ".input_ids.npy"), ids)
        np.save(os.path.join(args.out, name + ".logits.npy"), ref)
        print(f"{path}: d={d} heads={heads} layers={layers} vocab={vocab} T={tokens}")


if __name__ == "__main__":
    main()

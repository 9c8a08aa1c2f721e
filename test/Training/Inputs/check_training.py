#!/usr/bin/python3
"""Trains one family with wse-train and compares with the torch references
of test/models/generate_training.py:

  * the gradient of every parameter at the initial weights (@train_step on
    wse-ref) within 1e-4 of the largest torch gradient of that parameter;
  * for SGD with momentum and AdamW, 10 steps on the fixed batch (two rows
    on a [1, 16] model: two micro-batches per step): every step's loss
    within 1e-4 relative of torch's, and the exported final weights within
    1e-4 of the largest weight of each tensor, except the elements where
    torch trained on two micro-batches differs from torch on the whole batch
    (generate_training.py: gradients that are zero up to rounding, which
    Adam normalizes into +-lr steps; the count is printed);
  * the exported model imports again and its logits (wse-ref) are within
    1e-3 of the largest logit of the torch-trained model.

Usage: check_training.py BIN REFDIR FAMILY WORKDIR
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def main():
    bindir, refdir, family, work = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    tools = {t: os.path.join(bindir, t) for t in ("wse-translate", "wse-opt", "wse-ref", "wse-train")}
    config = json.load(open(os.path.join(refdir, "config.json")))
    model = os.path.join(refdir, family + ".onnx")
    data = os.path.join(refdir, family + ".ids.npy")
    ids = np.load(data)
    proto = onnx.load(model)
    inits = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer if i.data_type == 1}
    failed = 0

    # Gradients at the initial weights, batch of two rows as two runs.
    threshold = min(v.size for v in inits.values()) - 1
    step = common.compile_step(tools, model, (1, ids.shape[1]), list(inits), work, threshold)
    total = None
    for r in range(ids.shape[0]):
        _, g = common.eval_step(tools, step, refdir, ids[r:r + 1], inits, work)
        total = g if total is None else {n: total[n] + g[n] for n in g}
    want = np.load(os.path.join(refdir, family + ".grads.npz"))
    worst = max(common.rel_err(total[n] / ids.shape[0], want[n]) for n in inits)
    ok = worst <= 1e-4
    failed += not ok
    print("%s gradients: %d tensors, worst %.2e of the largest torch gradient (%s)"
          % (family, len(inits), worst, "ok" if ok else "FAIL"))

    for opt, h in config["optimizers"].items():
        losses = os.path.join(work, opt + ".losses.npy")
        exported = os.path.join(work, opt + ".onnx")
        cmd = [tools["wse-train"], model, "--data", data, "--steps", str(config["steps"]),
               "--optimizer", opt, "--lr", str(h["lr"]), "--micro-batch", "1",
               "--losses", losses, "--export", exported]
        if opt == "sgd":
            cmd += ["--momentum", str(h["momentum"])]
        else:
            cmd += ["--betas", "%s,%s" % tuple(h["betas"]), "--eps", str(h["eps"]),
                    "--weight-decay", str(h["weight_decay"])]
        common.run(cmd)
        got = np.load(losses).astype(np.float64)
        ref = np.load(os.path.join(refdir, "%s.%s.losses.npy" % (family, opt))).astype(np.float64)
        loss_err = float(np.max(np.abs(got - ref) / np.abs(ref))) if got.shape == ref.shape else np.inf
        trained = {i.name: numpy_helper.to_array(i)
                   for i in onnx.load(exported).graph.initializer if i.data_type == 1}
        ref_w = np.load(os.path.join(refdir, "%s.%s.weights.npz" % (family, opt)))
        unstable = np.load(os.path.join(refdir, "%s.%s.unstable.npz" % (family, opt)))
        w_err, skipped = 0.0, 0
        for n in ref_w.files:
            keep = ~unstable[n]
            skipped += int(np.sum(unstable[n]))
            scale = float(np.abs(ref_w[n]).max()) or 1.0
            diff = np.abs(trained[n].astype(np.float64) - ref_w[n])[keep]
            w_err = max(w_err, float(diff.max()) / scale if diff.size else 0.0)
        ok = loss_err <= 1e-4 and w_err <= 1e-4
        failed += not ok
        print("%s %s: %d steps, loss %.4f -> %.4f, worst loss error %.2e relative, "
              "worst weight error %.2e of the largest weight (%s); %d elements where torch "
              "differs from itself not compared"
              % (family, opt, len(got), got[0], got[-1], loss_err, w_err, "ok" if ok else "FAIL", skipped))

        # The export imports and runs again.
        imported = os.path.join(work, opt + ".mlir")
        common.run([tools["wse-translate"], "--import-onnx", exported,
                    "--input-shape", "input_ids=1x%d" % ids.shape[1], "-o", imported])
        np.save(os.path.join(work, "row.npy"), ids[:1])
        common.run([tools["wse-ref"], imported, "--weights", work,
                    "--input", "input_ids=" + os.path.join(work, "row.npy"),
                    "--output", "logits=" + os.path.join(work, "logits.npy")])
        logits = np.load(os.path.join(work, "logits.npy"))
        want = np.load(os.path.join(refdir, "%s.%s.logits.npy" % (family, opt)))
        l_err = common.rel_err(logits, want) if logits.shape == want.shape else np.inf
        ok = l_err <= 1e-3
        failed += not ok
        print("%s %s: export re-imported, logits within %.2e of the largest trained torch logit (%s)"
              % (family, opt, l_err, "ok" if ok else "FAIL"))
    print("%s: failed %d" % (family, failed))


if __name__ == "__main__":
    main()

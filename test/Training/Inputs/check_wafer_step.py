#!/usr/bin/python3
"""Runs the wafer-level training step (wafer-training-step) of one family on
the wafer reference interpreter and compares it with the onnx-level step
that `wse-train --on ref` runs (@train_step of --onnx-training-step on
wse-ref), and with torch's gradients (test/models/generate_training.py):

  * for each row of the fixed batch: the loss and every streamed-out
    gradient against the onnx-level step's (relative to the largest element
    of each tensor), with every layer recomputed (default), only layer 1
    recomputed, and every activation kept;
  * the two rows' mean gradients against torch autograd's.

The onnx-level step is printed and parsed between the passes, as a
researcher running them one by one would.

Usage: check_wafer_step.py BIN REFDIR FAMILY WORKDIR
"""
import os
import re
import sys

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


MODES = {
    "recompute": "recompute=true",
    "layer 1 recomputed": "recompute=true recompute-layers=1",
    "all kept": "recompute=false",
}


def wafer_step(tools, step, work, mode):
    out = os.path.join(work, "wafer-%s.mlir" % mode.replace(" ", "-"))
    common.run([tools["wse-opt"], step, "--convert-onnx-to-wafer",
                "--wafer-training-step=%s" % MODES[mode], "-o", out])
    return out


def eval_wafer(tools, step, weights_dir, ids, names, work):
    np.save(os.path.join(work, "ids.npy"), ids)
    cmd = [tools["wse-ref"], step, "--entry", "train_step", "--weights", weights_dir,
           "--input", "0=" + os.path.join(work, "ids.npy"),
           "--input", "1=" + os.path.join(work, "ids.npy"),
           "--output", "loss=" + os.path.join(work, "wloss.npy")]
    for i, name in enumerate(names):
        cmd += ["--output", "grad.%s=%s" % (name, os.path.join(work, "wg%d.npy" % i))]
    common.run(cmd)
    loss = float(np.load(os.path.join(work, "wloss.npy")))
    return loss, {n: np.load(os.path.join(work, "wg%d.npy" % i)) for i, n in enumerate(names)}


def main():
    bindir, refdir, family, work = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    tools = {t: os.path.join(bindir, t) for t in ("wse-translate", "wse-opt", "wse-ref")}
    model = os.path.join(refdir, family + ".onnx")
    ids = np.load(os.path.join(refdir, family + ".ids.npy"))
    proto = onnx.load(model)
    inits = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer if i.data_type == 1}
    names = list(inits)
    threshold = min(v.size for v in inits.values()) - 1
    step = common.compile_step(tools, model, (1, ids.shape[1]), names, work, threshold)
    failed = 0
    for mode in MODES:
        recompute = mode == "recompute"
        wstep = wafer_step(tools, step, work, mode)
        if mode != "all kept":
            layers = sorted(set(re.findall(r"#wafer.step<recompute, layer (\d+)>",
                                           open(wstep).read())))
            print("%s wafer step (%s): layers recomputed: %s"
                  % (family, mode, " ".join(layers) or "none"))
        worst_loss = worst_grad = 0.0
        total = None
        for r in range(ids.shape[0]):
            row = ids[r:r + 1]
            loss, grads = common.eval_step(tools, step, refdir, row, inits, work)
            wloss, wgrads = eval_wafer(tools, wstep, refdir, row, names, work)
            worst_loss = max(worst_loss, abs(wloss - loss) / abs(loss))
            worst_grad = max(worst_grad, max(common.rel_err(wgrads[n], grads[n]) for n in names))
            total = wgrads if total is None else {n: total[n] + wgrads[n] for n in names}
        ok = worst_loss <= 1e-5 and worst_grad <= 1e-5
        failed += not ok
        print("%s wafer step (%s): %d rows, loss %.2e relative, gradients %.2e of the largest, "
              "against the onnx-level step (%s)"
              % (family, mode, ids.shape[0], worst_loss,
                 worst_grad, "ok" if ok else "FAIL"))
        if recompute:
            want = np.load(os.path.join(refdir, family + ".grads.npz"))
            worst = max(common.rel_err(total[n] / ids.shape[0], want[n]) for n in names)
            ok = worst <= 1e-4
            failed += not ok
            print("%s wafer step: mean gradients %.2e of the largest torch gradient (%s)"
                  % (family, worst, "ok" if ok else "FAIL"))
    print("%s: failed %d" % (family, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Trains one family with `wse-train --on emu` (the step as a wse-emu
program) and with `--on ref` (the step on the reference interpreter), with
the hyper-parameters of test/models/generate_training.py, and compares:

  * every step's loss with the reference path's and with torch's (within
    1e-4 relative);
  * the final weights with the reference path's (within 1e-4 of the
    largest weight of each tensor), and, after all of torch's steps, with
    torch's (the elements where torch differs from itself excluded, as
    check_training.py does);
  * the emulated cycles of every step (printed; equal from step to step,
    since the program is the same and only the weights change).

Usage: check_emu_training.py BIN REFDIR FAMILY OPTIMIZER STEPS TARGET WORKDIR
"""
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def checkpoint_weights(d):
    with open(os.path.join(d, "state.json")) as f:
        state = json.load(f)
    return {e["name"]: np.load(os.path.join(d, e["file"])) for e in state["params"]}


def weight_error(got, want, unstable=None):
    worst, skipped = 0.0, 0
    for n, w in want.items():
        keep = ~unstable[n] if unstable is not None else np.ones(w.shape, bool)
        skipped += int(np.sum(~keep))
        scale = float(np.abs(w).max()) or 1.0
        diff = np.abs(got[n].astype(np.float64) - w)[keep]
        worst = max(worst, float(diff.max()) / scale if diff.size else 0.0)
    return worst, skipped


def main():
    bindir, refdir, family, opt, steps, target, work = sys.argv[1:8]
    steps = int(steps)
    os.makedirs(work, exist_ok=True)
    config = json.load(open(os.path.join(refdir, "config.json")))
    h = config["optimizers"][opt]
    model = os.path.join(refdir, family + ".onnx")
    data = os.path.join(refdir, family + ".ids.npy")
    options = ["--optimizer", opt, "--lr", str(h["lr"])]
    if opt == "sgd":
        options += ["--momentum", str(h["momentum"])]
    else:
        options += ["--betas", "%s,%s" % tuple(h["betas"]), "--eps", str(h["eps"]),
                    "--weight-decay", str(h["weight_decay"])]
    runs = {}
    for on in ("emu", "ref"):
        out = os.path.join(work, on)
        cmd = [os.path.join(bindir, "wse-train"), model, "--data", data, "--steps", str(steps),
               "--losses", out + ".losses.npy", "--checkpoint", out + ".ck", "--on", on] + options
        if on == "emu":
            cmd += ["--target", target, "--work", out + ".work"]
        log = common.run(cmd).stdout
        runs[on] = (np.load(out + ".losses.npy").astype(np.float64), checkpoint_weights(out + ".ck"), log)

    failed = 0
    emu_losses, emu_w, log = runs["emu"]
    ref_losses, ref_w, _ = runs["ref"]
    torch_losses = np.load(os.path.join(refdir, "%s.%s.losses.npy" % (family, opt)))[:steps]
    for what, want in (("the reference path", ref_losses), ("torch", torch_losses)):
        err = float(np.max(np.abs(emu_losses - want) / np.abs(want))) \
            if emu_losses.shape == want.shape else np.inf
        ok = err <= 1e-4
        failed += not ok
        print("%s %s on emu: %d steps, loss %.4f -> %.4f, worst loss error %.2e relative to %s (%s)"
              % (family, opt, len(emu_losses), emu_losses[0], emu_losses[-1], err, what,
                 "ok" if ok else "FAIL"))
    # Elements whose gradient is zero up to rounding (GPT-2's key bias):
    # Adam turns the rounding into +-lr steps, so two correct paths differ
    # there (test/models/generate_training.py records them).
    unstable = np.load(os.path.join(refdir, "%s.%s.unstable.npz" % (family, opt)))
    references = [("of the largest weight of the reference path's", ref_w)]
    if steps == config["steps"]:
        torch_w = dict(np.load(os.path.join(refdir, "%s.%s.weights.npz" % (family, opt))))
        references.append(("of the largest torch weight", torch_w))
    for what, want in references:
        err, skipped = weight_error(emu_w, want, unstable)
        ok = err <= 1e-4
        failed += not ok
        print("%s %s on emu: final weights within %.2e %s (%s); "
              "%d elements where torch differs from itself not compared"
              % (family, opt, err, what, "ok" if ok else "FAIL", skipped))
    cycles = [int(c) for c in re.findall(r" cycles (\d+)", log)]
    print("%s %s on emu: cycles per step %s" % (family, opt, ", ".join(map(str, cycles))))
    print("%s %s: failed %d" % (family, opt, failed))


if __name__ == "__main__":
    main()

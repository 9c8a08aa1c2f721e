#!/usr/bin/python3
"""Drives wse-emu --store through a few training steps of a tiny program
(store.wse: it streams its parameter w back as output `served` and its input
g out as `grad_w`, the gradient of w) and checks, step by step, against the
host optimizer of wse-train (tools/wse-train/wse_optim.py, torch semantics):

  * the program reads the store's current weights, not the program's file;
  * two runs per step accumulate, and the last one applies the optimizer to
    their mean: the weights and optimizer state equal the host's bit for bit
    (within 1e-6 with clipping, whose norm the store sums in double);
  * the store's statistics (bytes, runs, steps, modelled cycles).

Usage: store_check.py BIN WORKDIR OPTIMIZER [CLIP] (BIN: where wse-emu is)
"""
import json
import os
import subprocess
import sys

import numpy as np

bindir, work, opt = sys.argv[1:4]
clip = float(sys.argv[4]) if len(sys.argv) > 4 else None
# wse-train's modules from the source tree: a sanitized build's bin holds
# only the C++ tools.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tools", "wse-train"))
import wse_checkpoint  # noqa: E402
import wse_optim  # noqa: E402

rng = np.random.default_rng(7)
store = os.path.join(work, "store")
params = {"w": rng.standard_normal((2, 2)).astype(np.float32)}


def optimizer():
    if opt == "sgd":
        return wse_optim.SGD(momentum=0.9, nesterov=True, weight_decay=0.01)
    return wse_optim.AdamW(betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)


host = optimizer()
wse_checkpoint.save(store, params, host, {"step": 0, "losses": []})
# The program's own file holds other values: the store's must win.
np.full((2, 2), 99.0, np.float32).tofile(os.path.join(work, "w.bin"))

failed = 0
lr = 0.05
for step in range(3):
    grads = [rng.standard_normal((2, 2)).astype(np.float32) for _ in range(2)]
    for run, g in enumerate(grads):
        np.save(os.path.join(work, "g.npy"), g)
        cmd = [os.path.join(bindir, "wse-emu"), os.path.join(work, "store.wse"),
               "--input", "g=" + os.path.join(work, "g.npy"),
               "--output", "served=" + os.path.join(work, "served.npy"),
               "--store", store, "--stats-json", os.path.join(work, "stats.json"), "--quiet"]
        if run == 1:
            cmd += ["--apply-lr", repr(lr)] + (["--clip-norm", repr(clip)] if clip else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            sys.exit("wse-emu failed:\n" + proc.stderr)
        served = np.load(os.path.join(work, "served.npy"))
        if not np.array_equal(served, params["w"]):
            failed += 1
            print("step %d run %d: FAIL: the program read %s, the store holds %s"
                  % (step + 1, run + 1, served.ravel(), params["w"].ravel()))
        stats = json.load(open(os.path.join(work, "stats.json")))["store"]
        print("step %d run %d: store %s" % (step + 1, run + 1, json.dumps(stats, sort_keys=True)))
    mean = {"w": (grads[0] + grads[1]) / np.float32(2)}
    if clip:
        wse_optim.clip_grad_norm(mean, clip)
    host.step(params, mean, lr)
    stored, stored_opt = {"w": params["w"]}, optimizer()
    meta = wse_checkpoint.load(store, stored, stored_opt)
    err = float(np.max(np.abs(stored["w"] - params["w"])))
    state_err = max(float(np.max(np.abs(stored_opt.state["w"][k] - host.state["w"][k])))
                    for k in host.state["w"])
    tol = 1e-6 if clip else 0.0
    ok = err <= tol and state_err <= tol and meta["optimizer_steps"] == step + 1
    failed += not ok
    print("step %d: weights differ by %.1e, state by %.1e from the host's (%s)"
          % (step + 1, err, state_err, "ok" if ok else "FAIL"))
print("%s: failed %d" % (opt, failed))

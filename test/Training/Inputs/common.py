"""Helpers shared by the training tests: run the tools, compile a training
step, evaluate it on wse-ref, compare arrays."""
import os
import subprocess
import sys

import numpy as np


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
        raise SystemExit("command failed: %s" % os.path.basename(cmd[0]))
    return proc


def compile_step(tools, model, shape, params, work, threshold):
    """MODEL.onnx -> WORK/step.mlir with @train_step over PARAMS."""
    imported = os.path.join(work, "imported.mlir")
    step = os.path.join(work, "step.mlir")
    run([tools["wse-translate"], "--import-onnx", model, "--param-threshold", str(threshold),
         "--input-shape", "input_ids=%dx%d" % shape, "-o", imported])
    run([tools["wse-opt"], imported, "--onnx-prepare",
         "--onnx-training-step=params=" + ",".join(params), "-o", step])
    return step


def eval_step(tools, step, weights_dir, ids, params, work, grads=True):
    """(loss, {name: grad}) of @train_step at PARAMS (name -> array)."""
    files = []
    np.save(os.path.join(work, "ids.npy"), ids)
    cmd = [tools["wse-ref"], step, "--entry", "train_step", "--weights", weights_dir,
           "--input", "0=" + os.path.join(work, "ids.npy"),
           "--input", "1=" + os.path.join(work, "ids.npy"),
           "--output", "0=" + os.path.join(work, "loss.npy")]
    for i, (name, value) in enumerate(params.items()):
        p = os.path.join(work, "p%d.npy" % i)
        np.save(p, value.astype(np.float32))
        cmd += ["--input", "%d=%s" % (i + 2, p)]
        if grads:
            g = os.path.join(work, "g%d.npy" % i)
            cmd += ["--output", "%d=%s" % (i + 1, g)]
            files.append((name, g))
    run(cmd)
    loss = float(np.load(os.path.join(work, "loss.npy")))
    return loss, {n: np.load(f) for n, f in files}


def rel_err(got, want):
    """max |got - want| / max |want| (1 if WANT is all zero)."""
    scale = float(np.max(np.abs(want))) or 1.0
    return float(np.max(np.abs(got.astype(np.float64) - want))) / scale

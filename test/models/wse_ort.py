"""ONNX Runtime from Python, through the wse-ort tool (tools/wse-ort).

Debian's python has no onnxruntime module (it comes as the npm package
onnxruntime-node, installed by scripts/setup.sh), so the scripts here run
models with wse-ort and exchange .npy files:

    from wse_ort import run_ort
    outputs = run_ort("model.onnx", {"input_ids": ids})   # {name: array}

The command is `node tools/wse-ort/wse-ort.js` unless a caller passes the
installed launcher (bin/wse-ort) as `wse_ort`.
"""
import json
import os
import re
import subprocess
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT = ["node", os.path.join(ROOT, "tools", "wse-ort", "wse-ort.js")]


def command(wse_ort=None):
    return [wse_ort] if wse_ort else DEFAULT


def file_name(name):
    """The file wse-ort writes for output NAME (ONNX names may hold '/')."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) + ".npy"


def run_ort(model, inputs, wse_ort=None, threads=1):
    """Runs MODEL on ONNX Runtime; returns {output file stem: array}."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        cmd = command(wse_ort) + [model, "--out", out, "--quiet",
                                  "--threads", str(threads)]
        for name, arr in inputs.items():
            f = os.path.join(tmp, file_name(name))
            np.save(f, arr)
            cmd += ["--input", f"{name}={f}"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode:
            raise RuntimeError(p.stderr.strip() or f"wse-ort failed ({p.returncode})")
        return {f[:-4]: np.load(os.path.join(out, f)) for f in os.listdir(out)}


def run_batch(jobs, wse_ort=None):
    """Runs many models in one wse-ort process. JOBS: lists of wse-ort
    arguments; returns one error message (or None) per job."""
    errors = []
    while len(errors) < len(jobs):
        rest = jobs[len(errors):]
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.writelines(json.dumps(j) + "\n" for j in rest)
        try:
            p = subprocess.run(command(wse_ort) + ["--batch", f.name],
                               capture_output=True, text=True)
        finally:
            os.unlink(f.name)
        done = [json.loads(l) for l in p.stdout.splitlines()]
        errors += [None if r["ok"] else r["error"] for r in done]
        if len(done) < len(rest):
            # The process died in the next job (ONNX Runtime can abort on a
            # malformed model): that job fails, the rest run in a new one.
            why = (p.stderr.strip().splitlines() or ["no message"])[-1]
            errors.append(f"wse-ort exited with {p.returncode}: {why}")
    return errors

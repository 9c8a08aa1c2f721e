#!/usr/bin/python3
"""One wse-train SGD step on every generated export; the first losses of a
family's exports must agree to 1e-5 relative. Usage: all_exports.py BIN MODELS"""
import glob
import os
import re
import subprocess
import sys

bindir, models = sys.argv[1:3]
paths = sorted(glob.glob(os.path.join(models, "*.onnx"))) + [os.path.join(models, "gpt2_static_op17_ext", "model.onnx")]
first, failed = {}, 0
for path in paths:
    name = os.path.relpath(path, models)
    family = re.match(r"[a-z0-9]+", name).group(0)
    cmd = [os.path.join(bindir, "wse-train"), path, "--data", os.path.join(models, family + ".input_ids.npy"),
           "--steps", "1", "--optimizer", "sgd", "--lr", "0.01"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(r"step 1: loss ([0-9.]+)", proc.stdout)
    if proc.returncode != 0 or not m:
        print("%s: FAIL\n%s" % (name, proc.stdout + proc.stderr))
        failed += 1
        continue
    loss = float(m.group(1))
    ref = first.setdefault(family, loss)
    ok = abs(loss - ref) <= 1e-5 * ref
    failed += not ok
    print("%s: loss %.6f (%s)" % (name, loss, "ok" if ok else "FAIL"))
print("exports: %d, failed: %d" % (len(paths), failed))

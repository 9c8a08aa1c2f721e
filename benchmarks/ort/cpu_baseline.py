#!/usr/bin/python3
"""ONNX Runtime on the CPU beside the emulated wafer: the CPU baseline.

Usage: cpu_baseline.py BIN_DIR MODELS_DIR [--target T] [--mode M]
                       [--runs R] [--threads N] [--only SUBSTRING]
                       [--large] [--markdown]

For each benchmark model (the static opset-17 test decoders in MODELS_DIR,
build/test/models) it prints
  * ONNX Runtime's CPU time: bin/wse-ort --threads N (default 2) --time R
    (default 20), the median of R runs after a warm-up;
  * the emulated wafer time: wse-emu's cycles (stats.json) divided by the
    machine's clock (clock_hz), from bin/wse-run on target T in mode M;
  * the emulator's host time for that run (wse-run's "emulate" step);
and the ratios wafer / CPU (below 1: the wafer would be faster) and
emulator host / CPU (how far the emulator is from running at CPU speed).
wse-run also checks the emulator's logits against ONNX Runtime
(--expect-ort). --large adds the GPT-2-124M-shaped graph of
test/models/make_large_graph.py --shape 124m (sequence 128; its sparse
weights.bin reads as zeros, which costs ONNX Runtime the same time) on ONNX
Runtime alone: the emulator cannot hold it.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAMILIES = ["gpt2", "gptneo", "gptj", "llama"]

p = argparse.ArgumentParser()
p.add_argument("bin")
p.add_argument("models")
p.add_argument("--target", default="32x32")
p.add_argument("--mode", default="stream")
p.add_argument("--runs", type=int, default=20)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--only", default="")
p.add_argument("--large", action="store_true")
p.add_argument("--markdown", action="store_true")
a = p.parse_args()


def sh(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout}{r.stderr}")
    return r.stdout


def ort_ms(model, ids):
    out = sh([os.path.join(a.bin, "wse-ort"), model, "--input", f"input_ids={ids}",
              "--out", os.path.join(tmp, "ort"), "--quiet", "--threads",
              str(a.threads), "--time", str(a.runs)])
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def wafer(model, ids):
    """Emulated seconds at the machine's clock, cycles, emulator host s."""
    work = os.path.join(tmp, "run")
    out = sh([os.path.join(a.bin, "wse-run"), model, "--target", a.target,
              "--mode", a.mode, "--input", f"input_ids={ids}", "--work", work,
              "--expect-ort", "--quiet"])
    stats = json.load(open(os.path.join(work, "stats.json")))
    host = float(re.search(r"emulate ([0-9.]+) s", out).group(1))
    return stats["seconds"], stats["cycles"], host


rows = []
with tempfile.TemporaryDirectory() as tmp:
    for f in FAMILIES:
        name = f"{f}_static_op17"
        if a.only not in name:
            continue
        model = os.path.join(a.models, name + ".onnx")
        ids = os.path.join(a.models, f"{f}.input_ids.npy")
        cpu = ort_ms(model, ids) / 1e3
        secs, cycles, host = wafer(model, ids)
        rows.append((name, f"{a.target} {a.mode}", cpu, cycles, secs, host))
        print(f"{name}: onnx runtime {cpu * 1e3:.3f} ms, wafer {cycles} cycles = "
              f"{secs * 1e3:.3f} ms, emulator {host:.1f} s", file=sys.stderr)
    if a.large:
        d = os.path.join(tmp, "124m")
        sh(["/usr/bin/python3", os.path.join(ROOT, "test/models/make_large_graph.py"),
            "--shape", "124m", "--out", d])
        ids = os.path.join(d, "input_ids.npy")
        np.save(ids, np.random.default_rng(0).integers(0, 50257, (1, 128), np.int64))
        cpu = ort_ms(os.path.join(d, "model.onnx"), ids) / 1e3
        rows.append(("GPT-2-124M shape, 128 tokens", "-", cpu, None, None, None))

hdr = ["model", "target, mode", f"ONNX Runtime CPU ({a.threads} threads)",
       "emulated cycles", "wafer time at clock", "emulator host time",
       "wafer / CPU", "emulator host / CPU"]
ms = lambda s: "-" if s is None else f"{s * 1e3:.3f} ms"
lines = []
for name, cfg, cpu, cycles, secs, host in rows:
    lines.append([name, cfg, ms(cpu), "-" if cycles is None else str(cycles),
                  ms(secs), "-" if host is None else f"{host:.1f} s",
                  "-" if secs is None else f"{secs / cpu:.2f}",
                  "-" if host is None else f"{host / cpu:,.0f}"])
if a.markdown:
    print("| " + " | ".join(hdr) + " |")
    print("|---|---|" + "---:|" * (len(hdr) - 2))
    for l in lines:
        print("| " + " | ".join(l) + " |")
else:
    widths = [max(len(r[i]) for r in [hdr] + lines) for i in range(len(hdr))]
    for l in [hdr] + lines:
        print("  ".join(c.ljust(w) for c, w in zip(l, widths)))

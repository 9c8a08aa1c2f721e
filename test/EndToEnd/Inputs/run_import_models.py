"""Runs the export variants of test/models/generate_import_models.py on the
emulator against torch.

Usage: run_import_models.py BIN_DIR MODELS_DIR [--target T] [--only S]

MODELS_DIR/opsets: every <family>_*.onnx with <family>.input_ids.npy,
compared with <family>.logits.npy. MODELS_DIR/cache: every KV-cache model
on its decode step (gpt2.step_<layers|stacked>.*), every output (logits and
each present) compared with torch's. The driver is bin/wse-run (import,
--wse-pipeline ... lower=true, --emit-program, wse-emu, outputs written as
WORK/NAME.npy); tolerance 1e-4 of the largest |torch value| per output.
Prints one line per model with its worst relative error and the emulated
cycles, then `import models: N run, M failed`; exits non-zero on a failure.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("bin")
parser.add_argument("models")
parser.add_argument("--target", default="8x8")
parser.add_argument("--only", default="")
args = parser.parse_args()


def runs():
    """(model, wse-run arguments) for every model."""
    opsets = os.path.join(args.models, "opsets")
    for model in sorted(glob.glob(os.path.join(opsets, "*.onnx"))):
        family = os.path.basename(model).split("_")[0]
        yield model, ["--input", "input_ids=" + os.path.join(
                          opsets, family + ".input_ids.npy"),
                      "--expect", "logits=" + os.path.join(
                          opsets, family + ".logits.npy")]
    cache = os.path.join(args.models, "cache")
    for model in sorted(glob.glob(os.path.join(cache, "*.onnx"))):
        tag = "stacked" if "_stacked" in model else "layers"
        cmd = []
        for f in sorted(glob.glob(os.path.join(cache, "gpt2.step_%s.*.npy" % tag))):
            name = os.path.basename(f)[len("gpt2.step_%s." % tag):-4]
            if name.startswith("ref."):
                cmd += ["--expect", "%s=%s" % (name[4:], f)]
            else:
                cmd += ["--input", "%s=%s" % (name, f)]
        yield model, cmd


failed = total = 0
for model, extra in runs():
    name = os.path.basename(model)
    if args.only not in name:
        continue
    total += 1
    with tempfile.TemporaryDirectory() as work:
        proc = subprocess.run(
            [sys.executable, os.path.join(args.bin, "wse-run"), model,
             "--target", args.target, "--work", work, "--quiet"] + extra,
            capture_output=True, text=True)
    errors = [float(x) for x in re.findall(
        r"^reference:\s+output \S+: max \|diff\| \S+ = (\S+) of", proc.stdout,
        re.M)]
    outputs = len(errors)
    cycles = re.search(r"^cycles:\s+(\d+)", proc.stdout, re.M)
    if proc.returncode or not errors:
        failed += 1
        why = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:]
        print("FAILED %s: %s" % (name, why))
        continue
    print("%-32s %d outputs, worst max|diff|/max|torch| %.2g, %s cycles" %
          (name, outputs, max(errors), cycles.group(1) if cycles else "?"))
print("import models: %d run, %d failed" % (total, failed))
sys.exit(1 if failed else 0)

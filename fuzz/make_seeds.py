#!/usr/bin/env python3
"""Makes the fuzz harnesses' seed corpora from the project's own test inputs.

  usage: /usr/bin/python3 make_seeds.py --src ROOT --out DIR --wse-emu BIN

DIR/<harness>/ gets one file per seed: machine descriptions (machines/),
text programs (test/emu/Inputs/*.wse) and their binary form (assembled by
wse-emu), ONNX models (test/Import/*.onnxtext, in text and binary form, and
the hostile models of make_bad_models.py) and onnx-dialect modules (the
split inputs of the lit tests). Seeds are kept small (<= 64 KiB) so that
libFuzzer's executions stay fast; big regression inputs live in test/.
"""
import argparse
import glob
import hashlib
import os
import subprocess
import sys
import tempfile

MAX_SEED = 64 * 1024


def put(out, harness, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX_SEED:
        return
    d = os.path.join(out, harness)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def machines(src, out):
    for path in sorted(glob.glob(os.path.join(src, "machines", "*.json"))):
        put(out, "machine", open(path, "rb").read())
    for spec in ("8x8", "wse2", "32x32,sram_bytes=65536",
                 "4x4,ports.sides=west+east", "wse3,colors=8"):
        put(out, "machine", spec)


def programs(src, out, wse_emu):
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(glob.glob(os.path.join(src, "test/emu/Inputs/*.wse"))):
            text = open(path, "rb").read()
            put(out, "assembler", text)
            binary = os.path.join(tmp, os.path.basename(path) + ".bin")
            r = subprocess.run([wse_emu, path, "--assemble", binary],
                               capture_output=True)
            if r.returncode == 0:
                put(out, "program", open(binary, "rb").read())


def models(src, out):
    import onnx
    import onnx.parser
    for path in sorted(glob.glob(os.path.join(src, "test/Import/*.onnxtext"))):
        text = open(path).read()
        put(out, "import", text)
        # A lit file may hold several models separated by comment lines; the
        # parser takes the first, and the structural mutator needs binary.
        try:
            model = onnx.parser.parse_model(text)
            put(out, "import", model.SerializeToString())
        except Exception:
            pass
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(src, "test/Import/Inputs/make_bad_models.py")
        subprocess.run([sys.executable, script, tmp], check=True,
                       capture_output=True)
        for path in sorted(glob.glob(os.path.join(tmp, "*.onnx"))):
            put(out, "import", open(path, "rb").read())


def modules(src, out):
    paths = [os.path.join(src, "test/Pipelines/wse-pipeline.mlir")]
    paths += sorted(glob.glob(os.path.join(src, "test/Conversion/ONNXToWafer/*.mlir")))
    paths += sorted(glob.glob(os.path.join(src, "test/Dialect/onnx/Transforms/*.mlir")))
    for path in paths:
        for chunk in open(path).read().split("// -----"):
            # RUN and CHECK lines are comments to the parser: dropped, so
            # the corpus is about IR.
            lines = [l for l in chunk.splitlines() if not l.lstrip().startswith("//")]
            body = "\n".join(lines).strip()
            if "onnx." in body and "func.func" in body:
                put(out, "pipeline", body + "\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--src", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--wse-emu", required=True)
    a = p.parse_args()
    machines(a.src, a.out)
    programs(a.src, a.out, a.wse_emu)
    models(a.src, a.out)
    modules(a.src, a.out)
    for h in sorted(os.listdir(a.out)):
        d = os.path.join(a.out, h)
        if os.path.isdir(d):
            print(f"seeds {h}: {len(os.listdir(d))}")


if __name__ == "__main__":
    main()

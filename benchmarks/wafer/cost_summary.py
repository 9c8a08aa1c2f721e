"""Prints the cost model's totals for models compiled with --wse-pipeline:
the generated test decoders (static, opset 17) on 32x32 and wse2 in both
modes, and optionally GPT-NeoX-shaped graphs (make_large_graph.py) on wse2.

Usage: /usr/bin/python3 benchmarks/wafer/cost_summary.py BUILD_DIR [--large 124m,1.3b,...]
Writes a markdown table to stdout (docs/wafer/cost-model.md records one).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("--large", default="", help="comma-separated shapes, e.g. 124m,20b")
args = ap.parse_args()
translate = os.path.join(args.build, "bin", "wse-translate")
opt = os.path.join(args.build, "bin", "wse-opt")
work = tempfile.mkdtemp(prefix="wse-cost-")


def compile_one(model, target, mode, shape_flag):
    imported = os.path.join(work, "imported.mlir")
    imp = subprocess.run([translate, "--import-onnx", model, "-o", imported] + shape_flag,
                         capture_output=True, text=True)
    if imp.returncode:
        return None, imp.stderr.strip().splitlines()[0]
    cost = os.path.join(work, "cost.json")
    run = subprocess.run([opt, f"--wse-pipeline=target={target} mode={mode} cost-json={cost}",
                          imported, "-o", os.devnull], capture_output=True, text=True)
    if run.returncode:
        first = next((l for l in run.stderr.splitlines() if "error" in l), run.stderr[:200])
        return None, first.split("error: ", 1)[-1][:110]
    return json.load(open(cost)), None


def row(name, target, mode, report, err):
    if report is None:
        print(f"| {name} | {target} | {mode} | {err} ||||||||")
        return
    t = report["total"]
    bound = {}
    for op in report["ops"]:
        bound[op["bound"]] = bound.get(op["bound"], 0) + op["estimated_cycles"]
    main = max(bound, key=bound.get) if bound else "-"
    print(f"| {name} | {target} | {mode} | {len(report['ops'])} | {t['flops']:.3g} | "
          f"{t['streamed_bytes'] / 2**20:.1f} | {t['estimated_cycles']:.4g} | "
          f"{t['roofline_cycles']:.4g} | {main} | {t['max_sram_bytes_per_pe']} | "
          f"{t['tokens_to_keep_pace']:.0f} | {t.get('pipeline_interval_cycles', 0):.4g} |")


print("| model | target | mode | ops | FLOPs | streamed MiB | estimated cycles | "
      "roofline cycles | most cycles bound by | max SRAM B/PE | tokens to keep pace | "
      "pipeline interval |")
print("|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
models = os.path.join(args.build, "test", "models")
for family in ("gpt2", "gptneo", "gptj", "llama"):
    path = os.path.join(models, f"{family}_static_op17.onnx")
    for target in ("32x32", "wse2"):
        for mode in ("stream", "pipelined"):
            report, err = compile_one(path, target, mode, [])
            row(family, target, mode, report, err)
for shape in filter(None, args.large.split(",")):
    out = os.path.join(work, shape)
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "test/models/make_large_graph.py"),
                    "--shape", shape, "--out", out], check=True, capture_output=True)
    for mode in ("stream", "pipelined"):
        report, err = compile_one(os.path.join(out, "model.onnx"), "wse2", mode, [])
        row(f"neox-{shape} (seq 128)", "wse2", mode, report, err)

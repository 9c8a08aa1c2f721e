"""Compiles every generated decoder export to placed, scheduled, verified
wafer IR with `wse-opt --wse-pipeline='target=T mode=M'` for each given
(target, mode) configuration, and checks the result:

  * the pipeline succeeds (it ends with wafer-verify);
  * no onnx op is left, there is at least one wafer.linear;
  * every wafer.stream carries its schedule (order, depth, arrival window);
  * every tensor type of a wafer op carries a #wafer.dist;
  * every placed op has a placement;
  * the cost report (JSON) lists the ops and a positive total estimate.

Usage: compile_wafer.py WSE_TRANSLATE WSE_OPT MODELS_DIR WORK_DIR TARGET:MODE...
Prints one line per model and configuration, then a summary line.
"""
import json
import os
import re
import subprocess
import sys

from decoders import imported_models

translate, opt, models, work = sys.argv[1:5]
configs = [c.split(":") for c in sys.argv[5:]]
os.makedirs(work, exist_ok=True)
WAFER_OP = re.compile(r"^\s*(?:%[^=]+= )?(wafer\.[a-z_]+)(.*)$")
failed = 0
n_models = 0
for name, ir_in, error in imported_models(translate, models):
    n_models += 1
    name = name[: -len(".onnx")]
    if ir_in is None:
        print(f"FAIL {name}: import: {error}")
        failed += len(configs)
        continue
    for target, mode in configs:
        cost = os.path.join(work, f"{name}.{target}.{mode}.json")
        run = subprocess.run(
            [opt, f"--wse-pipeline=target={target} mode={mode} cost-json={cost}"],
            input=ir_in, capture_output=True, text=True)
        tag = f"{name} {target} {mode}"
        if run.returncode:
            print(f"FAIL {tag}: {run.stderr.strip()[:400]}")
            failed += 1
            continue
        ir = run.stdout
        problems = []
        leftover = set(re.findall(r"^\s*(?:%[^=]+= )?(onnx\.[A-Za-z_]+)", ir,
                                  re.MULTILINE))
        if leftover:
            problems.append(f"onnx ops left: {sorted(leftover)}")
        counts = {}
        for line in ir.splitlines():
            m = WAFER_OP.match(line)
            if not m:
                continue
            op, rest = m.groups()
            counts[op] = counts.get(op, 0) + 1
            if op == "wafer.stream":
                for key in ("order", "depth", "start_cycle", "end_cycle"):
                    if f"{key} =" not in rest:
                        problems.append(f"stream without {key}: {line.strip()[:120]}")
            elif op not in ("wafer.parameter", "wafer.yield") and \
                    "placement = #mesh.rect" not in rest:
                problems.append(f"unplaced: {line.strip()[:120]}")
            if op not in ("wafer.parameter", "wafer.yield"):
                if op == "wafer.constant":  # the value's own type is untyped
                    rest = rest[rest.rfind("->"):]
                untyped = re.findall(r"tensor<[0-9x]*[a-z][a-z0-9]*>", rest)
                if untyped:
                    problems.append(f"tensor without #wafer.dist: {line.strip()[:120]}")
        if not counts.get("wafer.linear"):
            problems.append("no wafer.linear")
        try:
            report = json.load(open(cost))
            total = report["total"]
            est = next(v for k, v in total.items() if "estimated" in k)
            if not report["ops"] or not est > 0:
                problems.append("empty cost report")
        except Exception as e:  # noqa: BLE001 - report any malformed JSON
            problems.append(f"cost report: {e}")
            est = 0
        if problems:
            failed += 1
            print(f"FAIL {tag}: {'; '.join(sorted(set(problems))[:5])}")
        else:
            print(f"ok   {tag}: {sum(counts.values())} wafer ops, "
                  f"{counts.get('wafer.stream', 0)} streams, "
                  f"{counts.get('wafer.relayout', 0)} relayouts, "
                  f"estimated {est:.0f} cycles")
print(f"models: {n_models}, configs: {len(configs)}, failed: {failed}")
sys.exit(1 if failed else 0)

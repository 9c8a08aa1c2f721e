"""Compares the wafer level's SRAM plan with what pe-allocate-sram finds.

    check_sram_plan.py WSE_OPT IMPORTED.mlir WORK TARGET:MODE ...

For each configuration, runs the wafer pipeline with its cost report (the
plan: code and data words per PE, from wafer-cost-report's JSON) and the
whole pipeline to pe with explain=true (pe-allocate-sram's remark: code
words and the words its addresses reach), and prints both; the issue asks
for the plan within 10% of the allocation, and the plan is made by the same
lowering and allocator, so any difference is a bug.
"""
import json
import os
import re
import subprocess
import sys

opt, ir, work = sys.argv[1:4]
REMARK = re.compile(r"pe-allocate-sram: @\w+: code (\d+) instructions "
                    r"\((\d+) words\), \d+ buffers of \d+ words in (\d+) words")
worst = 0.0
for config in sys.argv[4:]:
    target, mode = config.split(":")
    cost = os.path.join(work, f"{target}.{mode}.json")
    subprocess.run([opt, ir, f"--wse-pipeline=target={target} mode={mode} "
                    f"cost-json={cost}", "-o", os.devnull], check=True)
    plan = json.load(open(cost))["total"]["sram_plan"]
    lowered = subprocess.run(
        [opt, ir, f"--wse-pipeline=target={target} mode={mode} lower=true "
         "explain=true", "-o", os.devnull],
        check=True, capture_output=True, text=True)
    found = REMARK.search(lowered.stderr)
    if not found:
        sys.exit(f"{config}: no pe-allocate-sram remark")
    code, data = int(found.group(2)), int(found.group(3))
    for what, planned, actual in (("code", plan["code_words"], code),
                                  ("data", plan["data_words"], data)):
        worst = max(worst, abs(planned - actual) / max(actual, 1))
    print(f"{config}: planned code {plan['code_words']} data "
          f"{plan['data_words']}, allocated code {code} data {data}")
print(f"largest difference: {100 * worst:.1f}%")

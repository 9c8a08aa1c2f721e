#!/usr/bin/python3
"""Exits non-zero unless two wse-train checkpoints hold bit-identical
weights and optimizer state at the same step, and prints what it compared.

Usage: same_checkpoints.py DIR_A DIR_B
"""
import json
import os
import sys

import numpy as np


def load(d):
    with open(os.path.join(d, "state.json")) as f:
        state = json.load(f)
    arrays = {}
    for e in state["params"]:
        arrays[e["name"]] = np.load(os.path.join(d, e["file"]))
        for kind, f in e["state"].items():
            arrays[e["name"] + ":" + kind] = np.load(os.path.join(d, f))
    return state, arrays


a_state, a = load(sys.argv[1])
b_state, b = load(sys.argv[2])
same = (a_state["step"] == b_state["step"] and a_state["optimizer_steps"] == b_state["optimizer_steps"]
        and a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
        and a_state["losses"] == b_state["losses"])
print("step %d, %d arrays, losses %s: %s" % (a_state["step"], len(a), a_state["losses"],
                                              "identical" if same else "DIFFERENT"))
sys.exit(0 if same else 1)

"""Writes programs whose one constant expression nests deeply.

usage: make_deep_expr.py OUT_DIR

parens.wse: 10,000 nested parentheses (22 KB); minus.wse: 200,000 unary
minuses; long.wse: a flat sum of 5,000 terms. The first two overflowed the
assembler's recursive parser (issue "Hardened", finding 3); all three must be
refused with a message naming the limit.
"""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def program(expr):
    return ("version 1\nmachine \"4x4\"\nkernel k {\n  const c = " + expr +
            "\n  task main entry {\n    ret\n  }\n}\nplace k rect(0, 0, 1, 1)\n")


with open(os.path.join(out, "parens.wse"), "w") as f:
    f.write(program("(" * 10000 + "1" + ")" * 10000))
with open(os.path.join(out, "minus.wse"), "w") as f:
    f.write(program("-" * 200000 + "x"))
with open(os.path.join(out, "long.wse"), "w") as f:
    f.write(program("+".join(["x"] * 5000)))
with open(os.path.join(out, "ok.wse"), "w") as f:
    f.write(program("(" * 200 + "x" + ")" * 200 + " + " + "-" * 50 + "x"))

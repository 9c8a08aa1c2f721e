"""Prints an op histogram, parameter totals and dynamic-dimension count of
onnx-dialect IR files, side by side."""
import collections
import re
import sys

OP = re.compile(r"=\s+(onnx\.[A-Za-z_]+)|^\s*(onnx\.parameter)\b")
PARAM = re.compile(r"onnx\.parameter @\S+ : tensor<([0-9x]+)x?([a-z0-9]+)> .* length (\d+)")

columns = []
for path in sys.argv[1:]:
    text = open(path).read()
    ops = collections.Counter()
    for line in text.splitlines():
        m = OP.search(line)
        if m:
            ops[m.group(1) or m.group(2)] += 1
    params = PARAM.findall(text)
    columns.append((path, ops, sum(int(p[2]) for p in params),
                    len(re.findall(r"tensor<[^>]*\?", text))))

names = sorted(set().union(*[c[1] for c in columns]))
width = max([len(n) for n in names] + [10])
print(f"{'op':<{width}} " + " ".join(f"{c[0].split('/')[-1]:>16}" for c in columns))
for n in names:
    print(f"{n:<{width}} " + " ".join(f"{c[1][n]:>16}" for c in columns))
print(f"{'weight bytes':<{width}} " + " ".join(f"{c[2]:>16}" for c in columns))
print(f"{'dynamic types':<{width}} " + " ".join(f"{c[3]:>16}" for c in columns))

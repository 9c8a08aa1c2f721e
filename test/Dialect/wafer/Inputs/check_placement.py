"""Checks the geometry of pipelined placements independently of the packing
details: reads placed wafer IR on stdin and checks that the rectangles of the
listed layers lie inside the area, that no two overlap, and that each holds
at least its minimum number of PEs.

Usage: check_placement.py X Y WIDTH HEIGHT KIND=MIN...
X Y WIDTH HEIGHT is the area; each KIND=MIN names, in program order, a wafer
op (`linear` for wafer.linear) and its minimum PEs. Ops of other kinds are
ignored. Prints `N layers inside|OUTSIDE apart|OVERLAP big|TOO-SMALL`.
"""
import re
import sys

X, Y, W, H = map(int, sys.argv[1:5])
mins = [(kind, int(m)) for kind, m in (a.split("=") for a in sys.argv[5:])]
pat = (r"wafer\.(\w+) .*placement = #mesh.rect<x = (\d+), y = (\d+), "
       r"width = (\d+), height = (\d+)>")
boxes = [(m.group(1), [int(v) for v in m.groups()[1:]])
         for m in map(lambda l: re.search(pat, l), sys.stdin)
         if m and m.group(1) in dict(mins)]
inside = all(x >= X and y >= Y and x + w <= X + W and y + h <= Y + H
             for _, (x, y, w, h) in boxes)
apart = all(a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or
            a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
            for i, (_, a) in enumerate(boxes) for _, b in boxes[i + 1:])
big = [k for k, _ in boxes] == [k for k, _ in mins] and all(
    w * h >= m for (_, (x, y, w, h)), (_, m) in zip(boxes, mins))
print(len(boxes), "layers", "inside" if inside else "OUTSIDE",
      "apart" if apart else "OVERLAP", "big" if big else "TOO-SMALL")

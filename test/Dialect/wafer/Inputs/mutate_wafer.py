"""Feeds hostile wafer IR to the wafer passes: takes a compiled module and
writes N mutants, each with a few random edits (numbers in shapes,
rectangles, schedules and distributions changed; distributions, placements,
attributes or whole lines deleted), then runs `wse-opt PASSES` on each.
Every run must either succeed or fail with an `error:` message; a crash
(signal, assertion, no message) is a failure.

Usage: mutate_wafer.py WSE_OPT MODULE.mlir COUNT SEED PASS...
Prints `mutants: N, accepted: A, rejected: R, crashed: 0`.
"""
import random
import re
import subprocess
import sys

opt, module, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
passes = sys.argv[5:]
rng = random.Random(seed)
lines = open(module).read().splitlines()
NUMBER = re.compile(r"(?<![A-Za-z_%#@])\d+")
INTERESTING = [0, 1, 2, 3, 7, 64, 1000, 2**31, 2**40, -1]


def mutate(text_lines):
    out = list(text_lines)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        line = out[i]
        kind = rng.randrange(6)
        if kind == 0:  # change one number
            nums = list(NUMBER.finditer(line))
            if nums:
                m = rng.choice(nums)
                line = line[:m.start()] + str(rng.choice(INTERESTING)) + line[m.end():]
        elif kind == 1:  # drop a distribution
            line = re.sub(r", #wafer\.dist<\[[^\]]*\]>", "", line, count=1)
        elif kind == 2:  # change a distribution entry
            line = re.sub(r"#wafer\.dist<\[([^\]]*)\]>",
                          lambda m: "#wafer.dist<[" + ", ".join(
                              rng.choice(["x", "y", "*"]) for _ in m.group(1).split(",")) + "]>",
                          line, count=1)
        elif kind == 3:  # drop a placement or a schedule attribute
            line = re.sub(rng.choice([r"placement = #wafer\.rect<[^>]*>,? ?",
                                      r"start_cycle = \d+ : i64,? ?",
                                      r"depth = \d+ : i64,? ?",
                                      r"resident,? ?"]), "", line, count=1)
        elif kind == 4:  # delete a line
            line = ""
        else:  # swap two lines
            j = rng.randrange(len(out))
            out[j], line = line, out[j]
        out[i] = line
    return "\n".join(out) + "\n"


accepted = rejected = crashed = 0
for n in range(count):
    text = mutate(lines)
    p = subprocess.run([opt] + passes + ["-o", "/dev/null"], input=text,
                       capture_output=True, text=True)
    if p.returncode == 0:
        accepted += 1
    elif p.returncode == 1 and "error:" in p.stderr:
        rejected += 1
    else:
        crashed += 1
        path = f"{module}.crash{n}.mlir"
        open(path, "w").write(text)
        print(f"CRASH (exit {p.returncode}) on mutant {n}, saved as {path}: "
              f"{p.stderr.strip()[-300:]}")
print(f"mutants: {count}, accepted: {accepted}, rejected: {rejected}, crashed: {crashed}")
sys.exit(1 if crashed else 0)

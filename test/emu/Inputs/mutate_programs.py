"""Runs byte-corrupted binary forms of the test programs: each must run or be
refused with exit code 1 and a message, never crash or abort.

Usage: mutate_programs.py WSE_EMU [OPTION...] INPUTS_DIR WORKDIR PER_PROGRAM

The options go to every wse-emu run (lit --param emu_threads=N adds
--threads N).
"""
import glob
import os
import random
import subprocess
import sys

*tool, inputs, work, per_program = sys.argv[1:]
per_program = int(per_program)
os.makedirs(work, exist_ok=True)
rng = random.Random(2026)
total = crashed = 0
for program in sorted(glob.glob(os.path.join(inputs, "*.wse"))):
    binary = os.path.join(work, "program.bin")
    if subprocess.run([*tool, program, "--assemble", binary],
                      capture_output=True).returncode:
        continue
    data = open(binary, "rb").read()
    for i in range(per_program):
        mutated = bytearray(data)
        for _ in range(rng.choice([1, 2, 4])):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        path = os.path.join(work, "mutant.bin")
        with open(path, "wb") as f:
            f.write(mutated)
        proc = subprocess.run([*tool, path, "--max-cycles", "20000", "--quiet"],
                              capture_output=True, text=True, errors="replace")
        total += 1
        if proc.returncode not in (0, 1) or "Stack dump" in proc.stderr:
            crashed += 1
            keep = os.path.join(work, f"crash{crashed}.bin")
            os.replace(path, keep)
            print(f"CRASH {keep} from {os.path.basename(program)} "
                  f"(exit {proc.returncode}): {proc.stderr[-300:]}")
print(f"mutants: {total}, crashed: {crashed}")
sys.exit(1 if crashed else 0)

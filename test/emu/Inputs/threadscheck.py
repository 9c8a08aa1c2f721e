"""Runs one wse-emu command with several --threads values (or MPI rank
counts) and checks that every run gives the same bytes: outputs (.npy), the
--stats-json document (host timing and memory fields aside) and the --trace
file, or the same error message and exit code (test/emu/threads.test,
test/emu/ranks.test).

  threadscheck.py [--mpirun CMD] WSE_EMU DIR COUNTS PROGRAM [ARGS...]
                  [--output NAME=X.npy]

COUNTS is a comma list (1,2,3) of --threads values, or with --mpirun of
process counts (CMD -np N WSE_EMU ...; CMD is split like a shell line). Each
run gets --stats-json, --trace and its own copies of the --output files in
DIR. Prints one summary line per run ('threads N: cycles C, ...' or
'ranks N: ...'), then 'identical' or the first difference.
"""
import filecmp
import json
import os
import re
import shlex
import subprocess
import sys

# Host facts: they differ from run to run whatever the thread count.
HOST = ("wall_seconds", "pe_cycles_per_second", "peak_rss_bytes")


# mpirun's own notes on a failed process (framed by lines of dashes) name
# its job and process ids: not part of wse-emu's message.
TIMEOUT = 600
MPIRUN_NOTE = re.compile(r"^-{20,}\n.*?^-{20,}\n", re.M | re.S)


def run(emu, work, count, program, args, mpirun):
    d = os.path.join(work, "t%d" % count)
    os.makedirs(d, exist_ok=True)
    if mpirun:
        cmd = shlex.split(mpirun) + ["-np", str(count), emu, program]
    else:
        cmd = [emu, program, "--threads", str(count)]
    cmd += ["--quiet", "--stats-json", os.path.join(d, "stats.json"),
            "--trace", os.path.join(d, "trace.json")]
    outputs = []
    it = iter(args)
    for a in it:
        if a == "--output":
            name = next(it).split("=")[0]
            path = os.path.join(d, name + ".npy")
            cmd += ["--output", "%s=%s" % (name, path)]
            outputs.append(path)
        else:
            cmd.append(a)
    try:
        # A rank that stopped exchanging would leave the others waiting.
        p = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=TIMEOUT if mpirun else None)
    except subprocess.TimeoutExpired:
        print("%s: timed out after %d s" % (" ".join(cmd), TIMEOUT))
        sys.exit(1)
    stderr = MPIRUN_NOTE.sub("", p.stderr) if mpirun else p.stderr
    result = {"rc": p.returncode, "stderr": stderr, "outputs": outputs}
    if p.returncode == 0:
        stats = json.load(open(os.path.join(d, "stats.json")))
        for k in HOST:
            stats.pop(k, None)
        result["stats"] = stats
        result["trace"] = os.path.join(d, "trace.json")
    return result


def main():
    argv = sys.argv[1:]
    mpirun = None
    if argv[0] == "--mpirun":
        mpirun = argv[1]
        argv = argv[2:]
    what_count = "ranks" if mpirun else "threads"
    emu, work, counts, program = argv[:4]
    args = argv[4:]
    runs = {}
    for t in (int(x) for x in counts.split(",")):
        r = runs[t] = run(emu, work, t, program, args, mpirun)
        if r["rc"] == 0:
            s = r["stats"]
            print("%s %d: cycles %d, flops %d, router_blocked_events %d, "
                  "trace events %d" % (
                      what_count, t, s["cycles"], s["flops"]["total"],
                      s["fabric"]["router_blocked_events"],
                      len(json.load(open(r["trace"]))["traceEvents"])))
        else:
            print("%s %d: exit %d: %s" % (what_count, t, r["rc"],
                                          r["stderr"].strip()))
    first = min(runs)
    ref = runs[first]
    for t, r in sorted(runs.items()):
        what = None
        if r["rc"] != ref["rc"] or r["stderr"] != ref["stderr"]:
            what = "exit code or message"
        elif r["rc"] == 0 and r["stats"] != ref["stats"]:
            what = "stats: " + ", ".join(
                k for k in sorted(set(r["stats"]) | set(ref["stats"]))
                if r["stats"].get(k) != ref["stats"].get(k))
        elif r["rc"] == 0 and not filecmp.cmp(r["trace"], ref["trace"], False):
            what = "trace"
        else:
            for a, b in zip(r["outputs"], ref["outputs"]):
                if not filecmp.cmp(a, b, False):
                    what = "output " + os.path.basename(a)
        if what:
            print("%s %d differs from %s %d: %s" % (
                what_count, t, what_count, first, what))
            sys.exit(1)
    print("identical")


if __name__ == "__main__":
    main()

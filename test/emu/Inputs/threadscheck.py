"""Runs one wse-emu command with several --threads values and checks that
every run gives the same bytes: outputs (.npy), the --stats-json document
(host timing and memory fields aside) and the --trace file, or the same
error message and exit code (test/emu/threads.test).

  threadscheck.py WSE_EMU DIR THREADS PROGRAM [ARGS...] [--output NAME=X.npy]

THREADS is a comma list (1,2,3). Each run gets --stats-json, --trace and
its own copies of the --output files in DIR. Prints one summary line per
run ('threads N: cycles C, ...'), then 'identical' or the first difference.
"""
import filecmp
import json
import os
import subprocess
import sys

# Host facts: they differ from run to run whatever the thread count.
HOST = ("wall_seconds", "pe_cycles_per_second", "peak_rss_bytes")


def run(emu, work, threads, program, args):
    d = os.path.join(work, "t%d" % threads)
    os.makedirs(d, exist_ok=True)
    cmd = [emu, program, "--threads", str(threads), "--quiet",
           "--stats-json", os.path.join(d, "stats.json"),
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
    p = subprocess.run(cmd, capture_output=True, text=True)
    result = {"rc": p.returncode, "stderr": p.stderr, "outputs": outputs}
    if p.returncode == 0:
        stats = json.load(open(os.path.join(d, "stats.json")))
        for k in HOST:
            stats.pop(k, None)
        result["stats"] = stats
        result["trace"] = os.path.join(d, "trace.json")
    return result


def main():
    emu, work, threads, program = sys.argv[1:5]
    args = sys.argv[5:]
    runs = {}
    for t in (int(x) for x in threads.split(",")):
        r = runs[t] = run(emu, work, t, program, args)
        if r["rc"] == 0:
            s = r["stats"]
            print("threads %d: cycles %d, flops %d, router_blocked_events %d, "
                  "trace events %d" % (
                      t, s["cycles"], s["flops"]["total"],
                      s["fabric"]["router_blocked_events"],
                      len(json.load(open(r["trace"]))["traceEvents"])))
        else:
            print("threads %d: exit %d: %s" % (t, r["rc"], r["stderr"].strip()))
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
            print("threads %d differs from threads %d: %s" % (t, first, what))
            sys.exit(1)
    print("identical")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""wse-run: compile an ONNX language model for a wafer and run it on wse-emu.

Runs the documented command sequence (docs/pe/running.md) in a work
directory and prints each command:

  1. wse-translate --import-onnx MODEL          -> imported.mlir
  2. wse-opt --wse-pipeline='... lower=true'      -> program.mlir (+ cost.json)
  3. wse-translate --emit-program               -> model.wse (+ constants)
  4. wse-emu model.wse --input ... --output ...  -> outputs, stats.json

then the predicted next tokens (argmax of the last position's logits),
emulated cycles and utilization. With --expect REF.npy the first output is
compared with a reference; the run fails if the largest difference exceeds
--tolerance times the largest reference magnitude. --check-ref (wse-ref on
the imported module) and --expect-ort (ONNX Runtime on the model file,
through wse-ort) compare every output the same way.
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time

import numpy as np

BIN = os.path.dirname(os.path.abspath(__file__))


def ort_file(name):
    """The file wse-ort writes for output NAME (test/models/wse_ort.py)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) + ".npy"


def io_args(inputs, given, outputs, work, suffix):
    """The --input and --output arguments wse-emu and wse-ref share: every
    input from its file, every output into WORK/NAME<suffix>. Returns the
    arguments and the output files by name."""
    args, files = [], {}
    for n in inputs:
        args += ["--input", "%s=%s" % (n, os.path.abspath(given[n]))]
    for n in outputs:
        files[n] = os.path.join(work, n + suffix)
        args += ["--output", "%s=%s" % (n, files[n])]
    return args, files


def run(cmd, quiet, live=False):
    """Runs a step; `live` lets its stderr (wse-emu's progress line) reach a
    terminal instead of being captured."""
    if not quiet:
        print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    start = time.time()
    live = live and not quiet and sys.stderr.isatty()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=None if live else subprocess.PIPE, text=True)
    proc.stderr = proc.stderr or ""
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        sys.stderr.write("wse-run: step failed (exit %d): %s\n" %
                         (proc.returncode, cmd[0]))
        sys.exit(1)
    return proc, time.time() - start


def compare(label, ref_files, out_files, tolerance):
    """Prints one line per output; returns True if any is off."""
    failed = False
    for n, ref_file in ref_files.items():
        ref = np.load(ref_file).astype(np.float64)
        got = np.load(out_files[n]).astype(np.float64)
        if ref.shape != got.shape:
            print("%-12s output %s has shape %s, %s %s (FAIL)" %
                  (label + ":", n, got.shape, label, ref.shape))
            failed = True
            continue
        err = float(np.max(np.abs(got - ref))) if ref.size else 0.0
        scale = float(np.max(np.abs(ref))) if ref.size else 0.0
        scale = scale or 1.0
        ok = err <= tolerance * scale
        failed |= not ok
        print("%-12s output %s: max |diff| %.3g = %.3g of max |ref| "
              "(%s, tolerance %g)" % (label + ":", n, err, err / scale,
                                      "ok" if ok else "FAIL", tolerance))
    return failed


def compile_model(a, model, work, given, quiet):
    """Steps 1-3: import (dynamic inputs take the shapes of their .npy files
    in GIVEN unless --input-shape pins them), compile, emit. Returns the
    paths by role and the host time of each step."""
    tool = lambda t: os.path.join(a.bin, t)
    paths = {k: os.path.join(work, f) for k, f in (
        ("imported", "imported.mlir"), ("program_ir", "program.mlir"),
        ("cost", "cost.json"), ("program", "model.wse"),
        ("stats", "stats.json"))}
    imported = paths["imported"]
    # With debug info, so the ONNX node names reach cost.json and errors.
    cmd = [tool("wse-translate"), "--import-onnx", model, "-o", imported,
           "--mlir-print-debuginfo"]
    for s in a.input_shape:
        cmd += ["--input-shape", s]
    times = {}
    pinned = {s.split("=", 1)[0] for s in a.input_shape}
    if not quiet:
        print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    start = time.time()
    first = subprocess.run(cmd, capture_output=True, text=True)
    times["import"] = time.time() - start
    if first.returncode == 0:
        header = open(imported).read().split("func.func", 1)[-1]
        header = header.split("\n", 1)[0]
        found = re.findall(r'tensor<([^>]*)> \{onnx\.name = "([^"]+)"', header)
    else:
        # Some models only import with their shapes known (sequence ops
        # split along a dynamic axis): pin every given input.
        found = [("?", n) for n in given]
    # Dynamic inputs without --input-shape take the shape of their .npy.
    shapes = []
    for dims, n in found:
        if "?" in dims and n in given and n not in pinned:
            try:
                shape = np.load(given[n], mmap_mode="r").shape
            except (OSError, ValueError) as e:
                sys.exit("wse-run: cannot read input '%s' from %s: %s" %
                         (n, given[n], e))
            shapes.append("%s=%s" % (n, "x".join(str(d) for d in shape)))
    if shapes:
        if not quiet:
            print("# dynamic inputs take the shapes of their .npy files: " +
                  " ".join(shapes))
        _, times["import"] = run(cmd + [x for s in shapes
                                        for x in ("--input-shape", s)],
                                 quiet)
    elif first.returncode:
        run(cmd, quiet)  # reports the error and exits
    compiled, times["compile"] = run(
        [tool("wse-opt"), imported, "-o", paths["program_ir"],
         "--wse-pipeline=target=%s mode=%s lower=true cost-json=%s%s%s" %
         (a.target, a.mode, paths["cost"],
          " explain=true" if a.explain else "",
          " marks=false" if a.no_marks or a.generate is not None else "")],
        quiet)
    if a.explain:
        remarks = [l for l in compiled.stderr.splitlines() if "remark:" in l]
        with open(os.path.join(work, "remarks.txt"), "w") as f:
            f.write("\n".join(remarks) + "\n")
        # Per-op remarks name their ONNX node (loc("...")); the rest sum up.
        if not quiet:
            for l in remarks:
                if 'loc("' not in l:
                    print("remark:      " + l.split("remark: ", 1)[1])
            print("remarks:     %d in %s" % (len(remarks),
                                             os.path.join(work, "remarks.txt")))
    _, times["emit"] = run([tool("wse-translate"), "--emit-program",
                            "--weights-dir", os.path.dirname(model),
                            paths["program_ir"], "-o", paths["program"]],
                           quiet)
    return paths, times


def run_program(a, paths, given, work, quiet, times):
    """Step 4: wse-emu on the program, every output written as
    WORK/NAME.npy. Returns the program's inputs, outputs, the output files
    by name and the emulator's statistics."""
    text, _ = run([os.path.join(a.bin, "wse-emu"), "--disassemble",
                   paths["program"]], True)
    inputs, outputs = [], []
    for line in text.stdout.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] in ("input", "output"):
            (inputs if words[0] == "input" else outputs).append(words[1])
    for n in inputs:
        if n not in given:
            sys.exit("wse-run: the model needs input '%s': pass --input "
                     "%s=FILE.npy" % (n, n))
    cmd = [os.path.join(a.bin, "wse-emu"), paths["program"], "--stats-json",
           paths["stats"], "--quiet"]
    if os.path.isfile(a.target):
        # A machine file: the program names presets only.
        cmd += ["--machine", os.path.abspath(a.target)]
    elif not re.fullmatch(r"wse2|wse3|4x4|8x8|32x32|64x64", a.target):
        cmd += ["--machine", a.target]  # WxH or overrides
    args, out_files = io_args(inputs, given, outputs, work, ".npy")
    cmd += args + a.emu_arg
    if not any(x.startswith("--mark-names") for x in a.emu_arg):
        cmd += ["--mark-names", paths["cost"]]  # marks named by their ONNX nodes
    _, times["emulate"] = run(cmd, quiet, live=True)
    return inputs, outputs, out_files, json.load(open(paths["stats"]))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model", help="ONNX model file")
    p.add_argument("--target", default="32x32",
                   help="machine: a preset, WIDTHxHEIGHT or a JSON file, "
                        "with optional ,key=value overrides, e.g. "
                        "wse2,sram_bytes=65536 (default 32x32)")
    p.add_argument("--mode", default="stream", choices=["stream", "pipelined"])
    p.add_argument("--input", action="append", default=[],
                   metavar="NAME=FILE.npy", help="host input (repeatable)")
    p.add_argument("--input-shape", action="append", default=[],
                   metavar="NAME=DxD", help="shape of a dynamic input")
    p.add_argument("--work", help="work directory (default: ./wse-run-MODEL)")
    p.add_argument("--expect", action="append", default=[],
                   metavar="[NAME=]REF.npy",
                   help="reference for output NAME (default: the first "
                        "output); repeatable")
    p.add_argument("--check-ref", action="store_true",
                   help="also evaluate the imported model with wse-ref (the "
                        "onnx-level reference interpreter) on the same "
                        "inputs and compare every output")
    p.add_argument("--expect-ort", action="store_true",
                   help="also run the model on ONNX Runtime (wse-ort) with "
                        "the same inputs and compare every output")
    p.add_argument("--tolerance", type=float, default=1e-4,
                   help="allowed max |diff| / max |reference| (default 1e-4)")
    p.add_argument("--bin", default=BIN, help="directory of the wse tools")
    p.add_argument("--quiet", action="store_true",
                   help="print only the results")
    p.add_argument("--emu-arg", action="append", default=[],
                   help="extra argument for wse-emu (repeatable)")
    p.add_argument("--generate", type=int, metavar="N",
                   help="generate N tokens after --prompt, one program run "
                        "per token (tools/wse-run/wse_generate.py)")
    p.add_argument("--prompt", metavar="IDS.npy",
                   help="the prompt's token ids for --generate")
    p.add_argument("--temperature", type=float, default=0.0,
                   help="sampling temperature for --generate (default 0: "
                        "greedy)")
    p.add_argument("--top-k", type=int, default=0,
                   help="sample among the K most likely tokens (default: "
                        "all)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed of the sampler (default 0)")
    p.add_argument("--tokenizer", metavar="PATH",
                   help="print text: a llama2.c tokenizer.bin, or GPT-2's "
                        "vocab.json (merges.txt beside it is not needed to "
                        "decode)")
    p.add_argument("--expect-tokens", metavar="IDS.npy",
                   help="with --generate: fail unless the generated tokens "
                        "equal these")
    p.add_argument("--explain", action="store_true",
                   help="compile with explain=true: the remarks (why each "
                        "layer got its rectangle, each stream its window; "
                        "routes, colors, SRAM) go to WORK/remarks.txt and "
                        "the summaries are printed")
    p.add_argument("--no-marks", action="store_true",
                   help="compile without the profiling mark that begins "
                        "each op's code (one instruction per op, left to "
                        "data; per-op cycles are then not measured); "
                        "--generate implies it")
    p.add_argument("--report", action="store_true",
                   help="write WORK/report.html (wse-report: floorplan, "
                        "layers, PE heatmaps; streams with a --trace)")
    a = p.parse_args()

    model = os.path.abspath(a.model)
    if not os.path.exists(model):
        sys.exit("wse-run: no such model file: " + a.model)
    name = os.path.splitext(os.path.basename(model))[0]
    work = os.path.abspath(a.work or "wse-run-" + name)
    os.makedirs(work, exist_ok=True)
    tool = lambda t: os.path.join(a.bin, t)

    given = dict(s.split("=", 1) for s in a.input)
    if a.generate is not None:
        sys.path.insert(0, BIN)
        import wse_generate
        wse_generate.generate(a, model, work, given, compile_model,
                              run_program)
        return
    paths, times = compile_model(a, model, work, given, a.quiet)
    imported, cost, stats = paths["imported"], paths["cost"], paths["stats"]
    inputs, outputs, out_files, st = run_program(a, paths, given, work,
                                                 a.quiet, times)
    e = a.emu_arg
    trace = ([x[8:] for x in e if x.startswith("--trace=")] +
             [e[i + 1] for i in range(len(e) - 1) if e[i] == "--trace"])
    if a.report:
        # cost.json holds the rectangles; stats.json the emulated run.
        report = os.path.join(work, "report.html")
        cmd = [tool("wse-report"), "--cost", cost, "--stats", stats,
               "--title", os.path.basename(model), "-o", report]
        _, times["report"] = run(cmd + ["--trace", trace[0]] if trace else cmd,
                                 a.quiet)
        print("report:      " + report)

    tot = st["totals"]
    pe_cycles = st["cycles"] * max(tot["pes_with_kernels"], 1)
    first = np.load(out_files[outputs[0]]) if outputs else None
    print("model:       %s (%s, %s mode)" % (os.path.basename(model), a.target,
                                             a.mode))
    if first is not None and first.ndim >= 2:
        tokens = first.reshape(-1, first.shape[-1]).argmax(-1)
        print("next tokens: %s" % " ".join(str(t) for t in tokens))
        print("predicted next token after the prompt: %d" % tokens[-1])
    print("cycles:      %d (%.3f ms at the machine's clock)" %
          (st["cycles"], st["seconds"] * 1e3))
    print("utilization: busy %.1f%%, stalled %.1f%%, idle %.1f%% of %d PEs; "
          "%.4f%% of peak FLOPs" %
          (100.0 * tot["busy"] / pe_cycles, 100.0 * tot["stalled"] / pe_cycles,
           100.0 * tot["idle"] / pe_cycles, tot["pes_with_kernels"],
           100.0 * st["flops"]["fraction_of_peak"]))
    try:
        total = json.load(open(cost))["total"]
        est, roof = total["estimated_cycles"], total["roofline_cycles"]
        print("cost model:  estimate %d cycles, roofline %d; emulated/estimate "
              "%.2f, emulated/roofline %.2f" %
              (est, roof, st["cycles"] / max(est, 1), st["cycles"] / max(roof, 1)))
    except (OSError, KeyError, ValueError):
        pass
    failed = False
    if a.check_ref:
        # The oracle of the onnx level, on the module the compiler started
        # from: a miscompile anywhere below shows as a difference here.
        args, ref_files = io_args(inputs, given, outputs, work, ".ref.npy")
        cmd = [tool("wse-ref"), imported, "--weights",
               os.path.dirname(model)] + args
        _, times["wse-ref"] = run(cmd, a.quiet)
        failed |= compare("wse-ref", ref_files, out_files, a.tolerance)
    if a.expect_ort:
        # The independent oracle: ONNX Runtime on the model file itself.
        ort_dir = os.path.join(work, "ort")
        cmd = [tool("wse-ort"), model, "--out", ort_dir, "--quiet"]
        for n, f in given.items():
            cmd += ["--input", "%s=%s" % (n, os.path.abspath(f))]
        _, times["ort"] = run(cmd, a.quiet)
        failed |= compare("ort", {n: os.path.join(ort_dir, ort_file(n))
                                  for n in outputs}, out_files, a.tolerance)
    print("host time:   " + ", ".join("%s %.2f s" % kv for kv in times.items()))
    named = [e.split("=", 1) for e in a.expect if "=" in e]
    for e in a.expect:
        if "=" not in e:
            # The first output, as before: the line names it "logit".
            ref = np.load(e).astype(np.float64)
            got = first.astype(np.float64)
            if ref.shape != got.shape:
                sys.exit("wse-run: output shape %s, reference %s" %
                         (got.shape, ref.shape))
            err = float(np.max(np.abs(got - ref)))
            scale = float(np.max(np.abs(ref))) or 1.0
            ok = err <= a.tolerance * scale
            print("reference:   max |diff| %.3g = %.3g of max |logit| (%s, "
                  "tolerance %g)" % (err, err / scale, "ok" if ok else "FAIL",
                                     a.tolerance))
            if not ok:
                sys.exit(1)
    for n, _ in named:
        if n not in out_files:
            sys.exit("wse-run: --expect names '%s', which is not an output "
                     "(outputs: %s)" % (n, ", ".join(outputs)))
    if named:
        failed |= compare("reference", dict(named), out_files, a.tolerance)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()

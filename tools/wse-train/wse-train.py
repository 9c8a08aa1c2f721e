#!/usr/bin/python3
"""wse-train: train an ONNX decoder language model by next-token prediction.

  wse-train MODEL.onnx --data IDS.npy --steps N --optimizer {sgd,adamw} --lr X
      [--momentum M] [--betas B1,B2] [--eps E] [--weight-decay W] [--batch B]
      [--micro-batch M] [--clip-norm C] [--schedule S] [--freeze PATTERN]
      [--losses OUT.npy] [--checkpoint DIR] [--resume DIR] [--export OUT.onnx]
      [--on ref|emu] [--target T]

The model is the inference export; the compiler derives the training step:

  1. wse-translate --import-onnx MODEL (trainable initializers become
     onnx.parameter symbols)
  2. wse-opt --onnx-prepare --onnx-training-step=params=...: the loss and the
     gradient of every trainable parameter, as onnx IR (@train_step)
  3. per micro-batch, the step runs on the reference interpreter (wse-ref
     --entry train_step, --on ref) or as a wse-emu program compiled for
     --target (--on emu: EmuStep);
  4. the weight store's side of weight streaming averages the gradients
     over the micro-batches, clips them, and applies the optimizer (torch
     semantics): on the host (tools/wse-train/wse_optim.py) with --on ref,
     in the emulator's weight store (wse-emu --store, a checkpoint
     directory) with --on emu.

See docs/training.md.
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

import numpy as np

BIN = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BIN)
import wse_checkpoint  # noqa: E402
import wse_optim  # noqa: E402


def fail(msg):
    sys.stderr.write("wse-train: error: %s\n" % msg)
    sys.exit(1)


def run(cmd, verbose):
    if verbose:
        print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        fail("step failed (exit %d): %s" % (proc.returncode, os.path.basename(cmd[0])))
    return proc


def parse_args(argv):
    p = argparse.ArgumentParser(prog="wse-train", description=__doc__.split("\n")[0])
    p.add_argument("model", help="ONNX decoder (inference export)")
    p.add_argument("--data", required=True, help="int64 token ids [rows, T] (.npy)")
    p.add_argument("--labels", help="int64 labels [rows, T] (.npy; default: the ids)")
    p.add_argument("--steps", type=int, required=True, help="optimizer steps to run")
    p.add_argument("--optimizer", required=True, choices=["sgd", "adamw"])
    p.add_argument("--lr", type=float, required=True, help="learning rate")
    p.add_argument("--momentum", type=float, default=0.0, help="SGD momentum (default 0)")
    p.add_argument("--dampening", type=float, default=0.0, help="SGD dampening (default 0)")
    p.add_argument("--nesterov", action="store_true", help="SGD Nesterov momentum")
    p.add_argument("--betas", default="0.9,0.999", help="AdamW betas B1,B2 (default 0.9,0.999)")
    p.add_argument("--eps", type=float, default=1e-8, help="AdamW epsilon (default 1e-8)")
    p.add_argument("--weight-decay", type=float, default=None,
                   help="weight decay (default: sgd 0, adamw 0.01, as torch)")
    p.add_argument("--batch", type=int, help="rows per step (default: all rows)")
    p.add_argument("--micro-batch", type=int, help="rows per gradient accumulation "
                   "step (default: the batch)")
    p.add_argument("--clip-norm", type=float, help="clip gradients to this global L2 norm")
    p.add_argument("--schedule", default="constant",
                   help="'constant' or 'cosine:WARMUP:TOTAL' (default constant)")
    p.add_argument("--freeze", action="append", default=[], metavar="PATTERN",
                   help="do not train parameters whose name matches this regular "
                        "expression (re.search; repeatable)")
    p.add_argument("--losses", help="write the loss of every step as float32 [N] (.npy)")
    p.add_argument("--checkpoint", help="write weights + optimizer state + step here at the end")
    p.add_argument("--resume", help="continue from this checkpoint")
    p.add_argument("--export", help="write the trained model as ONNX with external data")
    p.add_argument("--on", default="ref", choices=["ref", "emu"],
                   help="where steps run (ref: the reference interpreter)")
    p.add_argument("--target", default="32x32", help="machine for --on emu")
    p.add_argument("--work", help="work directory (default: a temporary one)")
    p.add_argument("--bin", default=BIN, help="directory of the wse tools")
    p.add_argument("--verbose", action="store_true", help="print the commands")
    return p.parse_args(argv)


def model_input(proto):
    """The token-id input (the one graph input without an initializer) and
    its dims (an int for fixed ones, None for symbolic ones)."""
    inits = {i.name for i in proto.graph.initializer}
    inputs = [i for i in proto.graph.input if i.name not in inits]
    if len(inputs) != 1:
        fail("the model must have one input (token ids); it has %d" % len(inputs))
    dims = [d.dim_value if d.HasField("dim_value") else None
            for d in inputs[0].type.tensor_type.shape.dim]
    if len(dims) != 2:
        fail("the model's input %s must be [batch, sequence]" % inputs[0].name)
    return inputs[0].name, dims


def trainable_params(proto, freeze):
    from onnx import numpy_helper, TensorProto
    params, frozen = {}, []
    for init in proto.graph.initializer:
        if init.data_type not in (TensorProto.FLOAT, TensorProto.FLOAT16,
                                  TensorProto.DOUBLE, TensorProto.BFLOAT16):
            continue
        if any(re.search(pat, init.name) for pat in freeze):
            frozen.append(init.name)
            continue
        if init.data_type != TensorProto.FLOAT:
            fail("parameter %s is not float32 (training supports float32 weights)" % init.name)
        params[init.name] = numpy_helper.to_array(init).astype(np.float32)
    if not params:
        fail("nothing to train: every float initializer is frozen")
    return params, frozen


def make_optimizer(a):
    if a.optimizer == "sgd":
        return wse_optim.SGD(momentum=a.momentum, dampening=a.dampening, nesterov=a.nesterov,
                             weight_decay=a.weight_decay if a.weight_decay is not None else 0.0)
    try:
        b1, b2 = (float(x) for x in a.betas.split(","))
    except ValueError:
        fail("--betas must be two numbers B1,B2, not '%s'" % a.betas)
    return wse_optim.AdamW(betas=(b1, b2), eps=a.eps,
                           weight_decay=a.weight_decay if a.weight_decay is not None else 1e-2)


class Geometry:
    """Rows per step, per micro-batch and per run of the compiled step."""

    def __init__(self, a, data, dims):
        self.rows, self.seq = data.shape
        self.batch = a.batch or self.rows
        self.micro = a.micro_batch or self.batch
        if self.batch <= 0 or self.micro <= 0:
            fail("--batch and --micro-batch must be positive")
        if self.batch % self.micro:
            fail("--batch %d is not a multiple of --micro-batch %d" % (self.batch, self.micro))
        if dims[1] is not None and dims[1] != self.seq:
            fail("the model takes sequences of %d tokens; --data has %d" % (dims[1], self.seq))
        self.run = dims[0] if dims[0] is not None else self.micro
        if self.micro % self.run:
            fail("the model's fixed batch %d does not divide --micro-batch %d" % (self.run, self.micro))

    def step_rows(self, step):
        start = step * self.batch
        return [(start + i) % self.rows for i in range(self.batch)]


def compile_step(a, model, input_name, geo, params, work):
    tool = lambda t: os.path.join(a.bin, t)
    # Every trainable initializer must become an onnx.parameter; smaller ones
    # would stay inline constants (shape vectors are far smaller than weights).
    threshold = max(0, min(v.size for v in params.values()) - 1)
    imported = os.path.join(work, "imported.mlir")
    step = os.path.join(work, "train_step.mlir")
    run([tool("wse-translate"), "--import-onnx", model, "--param-threshold", str(threshold),
         "--input-shape", "%s=%dx%d" % (input_name, geo.run, geo.seq), "-o", imported], a.verbose)
    run([tool("wse-opt"), imported, "--onnx-prepare",
         "--onnx-training-step=params=" + ",".join(params), "-o", step], a.verbose)
    return step


# The wafer passes of `wse-opt --wse-pipeline=... training=... lower=true`
# (lib/Pipelines/Pipelines.cpp), run on the onnx-level step compile_step
# made, so the trainable set (--freeze) is the step's.
WAFER_PASSES = ["--convert-onnx-to-wafer", "--wafer-training-step",
                "--wafer-fuse-elementwise", "--canonicalize", "--cse"]
PLACE_PASSES = ["--wafer-place", "--wafer-layout", "--wafer-find-layer-loops",
                "--wafer-schedule-streams", "--wafer-verify"]
PE_PASSES = ["--convert-wafer-to-pe", "--pe-route", "--pe-assign-colors",
             "--pe-allocate-sram", "--pe-verify-routes", "--pe-verify"]
PRESETS = r"wse2|wse3|4x4|8x8|32x32|64x64"


class EmuStep:
    """The step as a wse-emu program, and its weight store: a checkpoint
    directory (work/store) that wse-emu --store serves the trainable weights
    from, accumulates the program's gradient outputs in, and applies the
    optimizer to after a step's last run. Frozen weights come from the
    model's files."""

    def __init__(self, a, step_ir, input_name, work):
        tool = lambda t: os.path.join(a.bin, t)
        self.a, self.work = a, work
        program_ir = os.path.join(work, "program.mlir")
        self.cost = os.path.join(work, "cost.json")
        cmd = ([tool("wse-opt"), step_ir] + WAFER_PASSES +
               ["--wafer-target=target=" + a.target] + PLACE_PASSES +
               ["--wafer-cost-report=table= json=" + self.cost] + PE_PASSES +
               ["-o", program_ir])
        if a.verbose:
            print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            sys.stderr.write(proc.stdout + proc.stderr)
            short = re.search(r"the program needs \d+ words of SRAM per PE[^;]*; "
                              r"[^:]*: short by \d+ words", proc.stderr)
            if short:
                fail("the training step does not fit a PE of %s: %s (its code is "
                     "unrolled over every layer's forward, recompute and backward); "
                     "give the PEs more SRAM, e.g. --target %s,sram_bytes=196608"
                     % (a.target, short.group(0), a.target.split(",")[0]))
            fail("compiling the step for %s failed (exit %d): wse-opt" % (a.target, proc.returncode))
        self.program = os.path.join(work, "step.wse")
        run([tool("wse-translate"), "--emit-program", "--weights-dir",
             os.path.dirname(os.path.abspath(a.model)), program_ir, "-o", self.program],
            a.verbose)
        self.store = os.path.join(work, "store")
        self.input_name = input_name
        self.reports = []
        with open(self.cost) as f:
            cost = json.load(f)
        # The loss's mark: where the forward pass ends.
        self.loss_mark = next((o["index"] for o in cost["ops"] if o["op"] == "wafer.loss"), None)
        self.estimate = cost["training"]["step_cycles"]

    def report(self, stats):
        """One run's figures from wse-emu's statistics: cycles, those before
        the loss (forward) and after it (loss and backward), bytes through
        the ports (weights in, gradients out)."""
        marks = {m["id"]: m["first"] for m in stats.get("marks", [])}
        forward = marks.get(self.loss_mark)
        ports = stats.get("ports", [])
        return {"cycles": stats["cycles"], "forward": forward,
                "bytes_in": 4 * sum(p["in_wavelets"] for p in ports),
                "bytes_out": 4 * sum(p["out_wavelets"] for p in ports),
                "store": stats["store"]}

    def summary(self, runs):
        """The step's line: its runs' figures summed."""
        last = self.reports[-runs:]
        cycles = sum(r["cycles"] for r in last)
        text = "  cycles %d" % cycles
        if all(r["forward"] is not None for r in last):
            forward = sum(r["forward"] for r in last)
            text += " (forward %d, loss and backward %d)" % (forward, cycles - forward)
        text += ", %d B in, %d B out, store %d cycles, emulated/estimate %.2f" % (
            sum(r["bytes_in"] for r in last), sum(r["bytes_out"] for r in last),
            sum(r["store"]["cycles"] for r in last), cycles / (runs * self.estimate))
        return text

    def grad_norm(self):
        """The step's gradient norm before clipping (when the store clipped)."""
        return self.reports[-1]["store"].get("grad_norm")

    def run(self, ids, labels, apply_lr=None):
        """The loss of one run of the step on wse-emu; its gradients go to
        the store, which applies the optimizer with learning rate APPLY_LR
        after them if given (the step's last run)."""
        w = self.work
        np.save(os.path.join(w, "ids.npy"), ids)
        np.save(os.path.join(w, "labels.npy"), labels)
        stats = os.path.join(w, "stats.json")
        cmd = [os.path.join(self.a.bin, "wse-emu"), self.program,
               "--input", "%s=%s" % (self.input_name, os.path.join(w, "ids.npy")),
               "--input", "labels=" + os.path.join(w, "labels.npy"),
               "--output", "loss=" + os.path.join(w, "loss.npy"),
               "--quiet", "--stats-json", stats, "--store", self.store]
        if not re.fullmatch(PRESETS, self.a.target):
            cmd += ["--machine", self.a.target]
        if apply_lr is not None:
            cmd += ["--apply-lr", repr(apply_lr)]
            if self.a.clip_norm:
                cmd += ["--clip-norm", repr(self.a.clip_norm)]
        run(cmd, self.a.verbose)
        with open(stats) as f:
            self.reports.append(self.report(json.load(f)))
        return float(np.load(os.path.join(w, "loss.npy")))


def run_step_ref(a, step_ir, model_dir, params, ids, labels, work):
    """Loss and gradients of one run of the compiled step on wse-ref."""
    np.save(os.path.join(work, "ids.npy"), ids)
    np.save(os.path.join(work, "labels.npy"), labels)
    cmd = [os.path.join(a.bin, "wse-ref"), step_ir, "--entry", "train_step",
           "--weights", model_dir,
           "--input", "0=" + os.path.join(work, "ids.npy"),
           "--input", "1=" + os.path.join(work, "labels.npy"),
           "--output", "0=" + os.path.join(work, "loss.npy")]
    for i, name in enumerate(params):
        cmd += ["--input", "%d=%s" % (i + 2, os.path.join(work, "p%04d.npy" % i)),
                "--output", "%d=%s" % (i + 1, os.path.join(work, "g%04d.npy" % i))]
    run(cmd, a.verbose)
    loss = float(np.load(os.path.join(work, "loss.npy")))
    grads = {n: np.load(os.path.join(work, "g%04d.npy" % i)) for i, n in enumerate(params)}
    return loss, grads


def main(argv):
    a = parse_args(argv)
    if a.steps < 0:
        fail("--steps must be >= 0")
    import onnx

    model = os.path.abspath(a.model)
    if not os.path.exists(model):
        fail("no such model file: " + a.model)
    try:
        data = np.load(a.data)
        labels = np.load(a.labels) if a.labels else data
    except (OSError, ValueError) as e:
        fail("cannot read --data/--labels: %s" % e)
    for what, arr in (("--data", data), ("--labels", labels)):
        if arr.ndim != 2 or not np.issubdtype(arr.dtype, np.integer):
            fail("%s must hold integer token ids [rows, T]; it has %s %s" % (what, arr.dtype, arr.shape))
    if labels.shape != data.shape:
        fail("--labels has shape %s, --data %s" % (labels.shape, data.shape))
    if data.shape[1] < 2:
        fail("next-token training needs sequences of at least 2 tokens")

    proto = onnx.load(model)
    input_name, dims = model_input(proto)
    params, frozen = trainable_params(proto, a.freeze)
    geo = Geometry(a, data, dims)
    try:
        factor = wse_optim.parse_schedule(a.schedule)
        optimizer = make_optimizer(a)
    except ValueError as e:
        fail(str(e))
    vocab = None
    for out in proto.graph.output[:1]:
        d = out.type.tensor_type.shape.dim
        vocab = d[-1].dim_value if d and d[-1].HasField("dim_value") else None
    if vocab and (labels.min() < 0 or labels.max() >= vocab):
        fail("labels must lie in [0, %d); they span [%d, %d]" % (vocab, labels.min(), labels.max()))
    del proto

    start, losses = 0, []
    if a.resume:
        try:
            meta = wse_checkpoint.load(a.resume, params, optimizer)
        except ValueError as e:
            fail(str(e))
        start, losses = meta["step"], list(meta["losses"])
        if meta["batch"] != geo.batch:
            fail("the checkpoint was trained with --batch %d, this run has %d" % (meta["batch"], geo.batch))

    tmp = None if a.work else tempfile.TemporaryDirectory(prefix="wse-train-")
    work = os.path.abspath(a.work or tmp.name)
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    step_ir = compile_step(a, model, input_name, geo, params, work)
    emu = EmuStep(a, step_ir, input_name, work) if a.on == "emu" else None
    print("wse-train: %s, %d trainable tensors (%d weights)%s, step compiled in %.1f s"
          % (os.path.basename(model), len(params), sum(v.size for v in params.values()),
             ", %d frozen" % len(frozen) if frozen else "", time.time() - t0), flush=True)

    tty = sys.stdout.isatty()
    model_dir = os.path.dirname(model)
    runs_per_step = geo.batch // geo.run
    if emu:
        # The store starts from the weights and optimizer state (resumed or
        # fresh) and keeps them until the end.
        wse_checkpoint.save(emu.store, params, optimizer, {"step": start, "losses": losses,
                                                          "batch": geo.batch, "model": model})
    for step in range(start, start + a.steps):
        if not emu:
            for i, name in enumerate(params):
                np.save(os.path.join(work, "p%04d.npy" % i), params[name])
        rows = geo.step_rows(step)
        lr = a.lr * factor(step)
        total_loss, total = 0.0, None
        for r in range(runs_per_step):
            chunk = rows[r * geo.run:(r + 1) * geo.run]
            if tty:
                print("\rstep %d: run %d/%d" % (step + 1, r + 1, runs_per_step), end="", flush=True)
            ids, targets = data[chunk].astype(np.int64), labels[chunk].astype(np.int64)
            if emu:
                total_loss += emu.run(ids, targets, lr if r + 1 == runs_per_step else None)
                continue
            loss, grads = run_step_ref(a, step_ir, model_dir, params, ids, targets, work)
            total_loss += loss
            if total is None:
                total = grads
            else:
                for n in total:
                    total[n] = total[n] + grads[n]
        loss = total_loss / runs_per_step
        if emu:
            norm = emu.grad_norm()
        else:
            # Every run covers the same number of positions, so the mean of
            # the runs' means is the mean over the whole batch.
            grads = {n: g / np.float32(runs_per_step) for n, g in total.items()}
            norm = wse_optim.clip_grad_norm(grads, a.clip_norm) if a.clip_norm else None
            optimizer.step(params, grads, lr)
        losses.append(loss)
        cycles = emu.summary(runs_per_step) if emu else ""
        print("%sstep %d: loss %.6f  lr %.3g%s%s" % ("\r" if tty else "", step + 1, loss, lr,
                                                    "  grad norm %.4g" % norm if norm is not None else "",
                                                    cycles),
              flush=True)

    if emu:
        try:
            wse_checkpoint.load(emu.store, params, optimizer)
        except ValueError as e:
            fail("the emulator's weight store: %s" % e)
    try:
        write_outputs(a, params, optimizer, losses, start, geo, model)
    except OSError as e:
        fail("cannot write %s: %s" % (e.filename, e.strerror))
    if tmp:
        tmp.cleanup()
    return 0


def write_outputs(a, params, optimizer, losses, start, geo, model):
    if a.losses:
        np.save(a.losses, np.array(losses[start:] if a.resume else losses, dtype=np.float32))
    if a.checkpoint:
        wse_checkpoint.save(a.checkpoint, params, optimizer,
                            {"step": start + a.steps, "losses": losses, "batch": geo.batch,
                             "micro_batch": geo.micro, "lr": a.lr, "schedule": a.schedule,
                             "model": model})
        print("wse-train: checkpoint of step %d in %s" % (start + a.steps, a.checkpoint))
    if a.export:
        wse_checkpoint.export_onnx(model, params, a.export)
        print("wse-train: exported %s (+ %s.data)" % (a.export, os.path.basename(a.export)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""wse-run --generate: token-by-token decoding on the emulator.

Each step compiles the model for the current sequence length (its
input_ids axis must be dynamic), runs it on wse-emu, and picks the next
token from the last position's logits: greedy by default, else sampled with
--temperature and --top-k from a generator seeded by --seed. Tokens print
as they come, as text with --tokenizer. Without KV-cache inputs this is
full recompute: every step runs the whole sequence. With past_* inputs and
present_* outputs the cache passes through the host: the prompt runs on a
copy of the model whose past inputs are empty initializers (the compiler
folds the zero-length concatenations away), then every step runs one token
with the previous step's presents as its past.

At the end: the tokens, the emulated time (the programs' cycles at the
machine's clock) as tokens/s, and the host time per token.
"""
import os
import re
import struct
import subprocess
import sys
import time

import numpy as np


def sample(logits, temperature, top_k, rng):
    """The next token: argmax for temperature 0, else a draw from
    softmax(logits / temperature) over the top_k most likely (all if 0)."""
    if temperature <= 0:
        return int(np.argmax(logits))
    z = logits.astype(np.float64) / temperature
    if 0 < top_k < z.size:
        cut = np.partition(z, -top_k)[-top_k]
        z = np.where(z >= cut, z, -np.inf)
    p = np.exp(z - z.max())
    return int(rng.choice(z.size, p=p / p.sum()))


def bytes_to_unicode():
    """GPT-2's map from bytes to the printable characters vocab.json uses."""
    bs = (list(range(ord("!"), ord("~") + 1)) +
          list(range(ord("\xa1"), ord("\xac") + 1)) +
          list(range(ord("\xae"), ord("\xff") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


class Tokenizer:
    """Decodes token ids to bytes: llama2.c's tokenizer.bin (int32
    max_token_length, then per token float32 score, int32 length, bytes;
    <0xXX> pieces are raw bytes) or GPT-2's vocab.json (byte-level BPE)."""

    def __init__(self, path):
        self.pieces = {}
        if path.endswith(".json"):
            import json
            decoder = {c: b for b, c in bytes_to_unicode().items()}
            for text, i in json.load(open(path, encoding="utf-8")).items():
                self.pieces[i] = bytes(decoder[c] for c in text if c in decoder)
            self.llama = False
            return
        data = open(path, "rb").read()
        if len(data) < 4:
            sys.exit("wse-run: %s is not a llama2.c tokenizer.bin" % path)
        offset, i = 4, 0
        while offset < len(data):
            if offset + 8 > len(data):
                sys.exit("wse-run: %s is truncated at token %d" % (path, i))
            _, length = struct.unpack_from("<fi", data, offset)
            offset += 8
            if length < 0 or offset + length > len(data):
                sys.exit("wse-run: %s is truncated at token %d" % (path, i))
            self.pieces[i] = data[offset:offset + length]
            offset += length
            i += 1
        self.llama = True

    def decode(self, token, previous):
        piece = self.pieces.get(token)
        if piece is None:
            return b"<%d>" % token
        if self.llama:
            m = re.fullmatch(rb"<0x([0-9A-Fa-f]{2})>", piece)
            if m:
                return bytes([int(m.group(1), 16)])
            if previous == 1 and piece.startswith(b" "):
                return piece[1:]  # llama2.c: no space after BOS
        return piece


def model_inputs(a, model, work):
    """(name, dims text) of each graph input, from a plain import."""
    out = os.path.join(work, "inputs.mlir")
    proc = subprocess.run([os.path.join(a.bin, "wse-translate"),
                           "--import-onnx", model, "-o", out],
                          capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        sys.exit("wse-run: cannot import %s" % model)
    header = open(out).read().split("func.func", 1)[-1].split("->", 1)[0]
    return [(n, d) for d, n in
            re.findall(r'tensor<([^>]*)> \{onnx\.name = "([^"]+)"', header)]


def decode_step(a, model, work, given, ids_name, ids, step_dir, rng,
                compile_model, run_program):
    """Compiles and runs MODEL on IDS (the other inputs from GIVEN) and
    samples the next token from the last position's logits. Returns the
    token, the program's outputs, their files and the emulator's stats."""
    ids_file = os.path.join(step_dir, "input_ids.npy")
    np.save(ids_file, ids)
    step_given = dict(given, **{ids_name: ids_file})
    paths, times = compile_model(a, model, work, step_given, True)
    _, outputs, out_files, st = run_program(a, paths, step_given, work, True,
                                            times)
    logits = np.load(out_files[outputs[0]])
    token = sample(logits.reshape(-1, logits.shape[-1])[-1], a.temperature,
                   a.top_k, rng)
    return token, outputs, out_files, st


def generate(a, model, work, given, compile_model, run_program):
    if a.prompt is None:
        sys.exit("wse-run: --generate needs --prompt IDS.npy")
    if a.generate <= 0:
        sys.exit("wse-run: --generate needs a positive number of tokens")
    try:
        prompt = np.load(a.prompt).astype(np.int64).reshape(1, -1)
    except (OSError, ValueError) as e:
        sys.exit("wse-run: cannot read the prompt %s: %s" % (a.prompt, e))
    inputs = model_inputs(a, model, work)
    cache = [n for n, _ in inputs if n.startswith("past")]
    ids_name = next((n for n, _ in inputs if n == "input_ids"),
                    inputs[0][0] if inputs else None)
    if cache:
        return generate_with_cache(a, model, work, given, compile_model,
                                   run_program, prompt, ids_name, cache)
    shape = dict(inputs).get(ids_name, "").rsplit("x", 1)[0]  # no dtype
    if "?" not in shape.split("x")[-1]:
        sys.exit("wse-run: input '%s' has the fixed shape %s: generating "
                 "needs a dynamic sequence axis (export with dynamic_axes)" %
                 (ids_name, shape))
    others = [n for n, _ in inputs if n != ids_name and n not in given]
    if others:
        sys.exit("wse-run: the model needs input '%s': pass --input "
                 "%s=FILE.npy" % (others[0], others[0]))
    printer = Printer(a, prompt)
    rng = np.random.default_rng(a.seed)
    step_dir = os.path.join(work, "generate")
    os.makedirs(step_dir, exist_ok=True)
    ids, tokens = prompt, []
    emulated, cycles, start = 0.0, 0, time.time()
    sys.stdout.write("generating %d tokens (%s, %s mode, full recompute):\n" %
                     (a.generate, a.target, a.mode))
    sys.stdout.flush()
    for _ in range(a.generate):
        token, _, _, st = decode_step(a, model, work, given, ids_name, ids,
                                      step_dir, rng, compile_model,
                                      run_program)
        emulated += st["seconds"]
        cycles += st["cycles"]
        printer(token)
        tokens.append(token)
        ids = np.concatenate([ids, [[token]]], axis=1)
    report(a, work, tokens, cycles, emulated, time.time() - start)


class Printer:
    """Prints tokens as they come: ids, or text through --tokenizer."""

    def __init__(self, a, prompt):
        self.tokenizer = Tokenizer(a.tokenizer) if a.tokenizer else None
        self.previous = int(prompt[0, -1])

    def __call__(self, token):
        if self.tokenizer:
            sys.stdout.buffer.write(self.tokenizer.decode(token,
                                                          self.previous))
        else:
            sys.stdout.write("%d " % token)
        sys.stdout.flush()
        self.previous = token


def report(a, work, tokens, cycles, emulated, host):
    np.save(os.path.join(work, "generated.npy"), np.array(tokens, np.int64))
    print()
    print("tokens:      %s" % " ".join(str(t) for t in tokens))
    print("emulated:    %d cycles, %.3f ms at the machine's clock, %.0f "
          "tokens/s" % (cycles, emulated * 1e3, len(tokens) / emulated))
    print("host time:   %.1f s, %.2f s/token (compile and emulate every "
          "step)" % (host, host / len(tokens)))
    if a.expect_tokens:
        want = np.load(a.expect_tokens).astype(np.int64).reshape(-1)
        got = np.array(tokens, np.int64)
        n = min(len(want), len(got))
        if n == 0 or not np.array_equal(want[:n], got[:n]):
            first = next((i for i in range(n) if want[i] != got[i]), n)
            sys.exit("wse-run: generated tokens differ from %s at position "
                     "%d" % (a.expect_tokens, first))
        print("expected:    the %d tokens equal %s" % (n, a.expect_tokens))


def present_for(past, outputs):
    """The output that holds the next step's value of input PAST:
    past_key_0 -> present_key_0, past_0 -> present_0,
    past_key_values.0.key -> present.0.key."""
    for name in (past.replace("past_key_values", "present", 1),
                 past.replace("past", "present", 1)):
        if name in outputs:
            return name
    sys.exit("wse-run: no output holds the next value of cache input '%s' "
             "(expected a present_* output)" % past)


def prefill_model(model, work, cache):
    """A copy of MODEL whose cache inputs are empty (past length 0)
    initializers: the prompt step. Its weights are stored in the copy."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(model)
    keep = []
    for value in m.graph.input:
        if value.name not in cache:
            keep.append(value)
            continue
        # [.., past, head_dim] in both forms: the past axis is the one
        # before last; another dynamic axis is the batch, of 1.
        shape = value.type.tensor_type.shape.dim
        dims = [d.dim_value if d.HasField("dim_value") else
                (0 if i == len(shape) - 2 else 1)
                for i, d in enumerate(shape)]
        dtype = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[
            value.type.tensor_type.elem_type]
        m.graph.initializer.append(
            numpy_helper.from_array(np.zeros(dims, dtype), value.name))
    del m.graph.input[:]
    m.graph.input.extend(keep)
    path = os.path.join(work, "prefill.onnx")
    onnx.save(m, path)
    return path


def generate_with_cache(a, model, work, given, compile_model, run_program,
                        prompt, ids_name, cache):
    """KV-cache decoding, the cache passed through the host: the prompt
    step runs a copy of the model with an empty past (prefill.onnx), each
    later step the model itself on one new token, its present_* outputs
    fed back as the next step's past_* inputs. One program per step (the
    past grows by one position each time)."""
    prefill = prefill_model(model, work, set(cache))
    printer = Printer(a, prompt)
    rng = np.random.default_rng(a.seed)
    step_dir = os.path.join(work, "generate")
    os.makedirs(step_dir, exist_ok=True)
    tokens, emulated, cycles, start = [], 0.0, 0, time.time()
    sys.stdout.write("generating %d tokens (%s, %s mode, KV cache through "
                     "the host):\n" % (a.generate, a.target, a.mode))
    sys.stdout.flush()
    ids, past_files, step_model = prompt, {}, prefill
    for step in range(a.generate):
        token, outputs, out_files, st = decode_step(
            a, step_model, work, dict(given, **past_files), ids_name, ids,
            step_dir, rng, compile_model, run_program)
        emulated += st["seconds"]
        cycles += st["cycles"]
        printer(token)
        tokens.append(token)
        # The presents become the next step's past (copied: the next run
        # overwrites the output files).
        past_files = {}
        for past in cache:
            f = os.path.join(step_dir, past + ".npy")
            np.save(f, np.load(out_files[present_for(past, outputs)]))
            past_files[past] = f
        ids, step_model = np.array([[token]], np.int64), model
    report(a, work, tokens, cycles, emulated, time.time() - start)

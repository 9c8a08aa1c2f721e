"""wse-run --generate: token-by-token decoding on the emulator.

Each step compiles the model for the current sequence length (its
input_ids axis must be dynamic), runs it on wse-emu, and picks the next
token from the last position's logits: greedy by default, else sampled with
--temperature and --top-k from a generator seeded by --seed. Tokens print
as they come, as text with --tokenizer. This is full recompute: every step
runs the whole sequence. Models with KV-cache inputs (past_*) are refused:
their first step needs a past of length 0, a zero-sized tensor the compiler
does not take (they run one step at a time with wse-run --input).

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
    if cache:
        sys.exit("wse-run: '%s' is a KV-cache input: generating with a cache "
                 "needs a first step with an empty (length 0) past, a "
                 "zero-sized tensor the compiler does not take; generate "
                 "with the model exported without past inputs (full "
                 "recompute), or run single steps with --input" % cache[0])
    ids_name = next((n for n, _ in inputs if n == "input_ids"),
                    inputs[0][0] if inputs else None)
    shape = dict(inputs).get(ids_name, "").rsplit("x", 1)[0]  # no dtype
    if "?" not in shape.split("x")[-1]:
        sys.exit("wse-run: input '%s' has the fixed shape %s: generating "
                 "needs a dynamic sequence axis (export with dynamic_axes)" %
                 (ids_name, shape))
    others = [n for n, _ in inputs if n != ids_name and n not in given]
    if others:
        sys.exit("wse-run: the model needs input '%s': pass --input "
                 "%s=FILE.npy" % (others[0], others[0]))
    tokenizer = Tokenizer(a.tokenizer) if a.tokenizer else None
    rng = np.random.default_rng(a.seed)
    step_dir = os.path.join(work, "generate")
    os.makedirs(step_dir, exist_ok=True)
    ids, tokens = prompt, []
    emulated, cycles, start = 0.0, 0, time.time()
    sys.stdout.write("generating %d tokens (%s, %s mode, full recompute):\n" %
                     (a.generate, a.target, a.mode))
    sys.stdout.flush()
    for _ in range(a.generate):
        ids_file = os.path.join(step_dir, "input_ids.npy")
        np.save(ids_file, ids)
        step_given = dict(given, **{ids_name: ids_file})
        paths, times = compile_model(a, model, work, step_given, True)
        _, outputs, out_files, st = run_program(a, paths, step_given, work,
                                                True, times)
        logits = np.load(out_files[outputs[0]])
        token = sample(logits.reshape(-1, logits.shape[-1])[-1],
                       a.temperature, a.top_k, rng)
        emulated += st["seconds"]
        cycles += st["cycles"]
        if tokenizer:
            previous = tokens[-1] if tokens else int(ids[0, -1])
            sys.stdout.buffer.write(tokenizer.decode(token, previous))
        else:
            sys.stdout.write("%d " % token)
        sys.stdout.flush()
        tokens.append(token)
        ids = np.concatenate([ids, [[token]]], axis=1)
    host = time.time() - start
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

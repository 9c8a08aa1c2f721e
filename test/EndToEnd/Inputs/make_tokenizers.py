"""Writes two toy tokenizers over the test decoders' 256-token vocabulary:
DIR/tokenizer.bin in llama2.c's format (max_token_length, then per token
score, length, bytes) with token i spelled " w<i>" and token 65 as the raw
byte <0x41> ("A"); and DIR/vocab.json in GPT-2's byte-level form with token
i spelled "Ġt<i>" (Ġ is GPT-2's character for the space byte)."""
import json
import os
import struct
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
pieces = [b"<0x41>" if i == 65 else b" w%d" % i for i in range(256)]
with open(os.path.join(out, "tokenizer.bin"), "wb") as f:
    f.write(struct.pack("<i", max(len(p) for p in pieces)))
    for i, p in enumerate(pieces):
        f.write(struct.pack("<fi", -float(i), len(p)) + p)
with open(os.path.join(out, "vocab.json"), "w", encoding="utf-8") as f:
    json.dump({"\u0120t%d" % i: i for i in range(256)}, f)

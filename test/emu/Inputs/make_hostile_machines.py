"""Writes machine descriptions that hostile users could pass (issue
"Hardened", findings 6-8), from the valid machines/8x8.json.

usage: make_hostile_machines.py MACHINES_DIR OUT_DIR

huge.json: 65,536 x 16,384 PEs (pe-verify-routes ran out of memory);
slow.json: stream_bytes_per_cycle 1e-300 (the emulator converted 4e300 to an
integer); deep.json: nested 100,000 levels (overflowed the JSON parser's
stack); big.json: 2 MiB of padding (more than a description needs).
"""
import json
import os
import sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
base = json.load(open(os.path.join(src, "8x8.json")))


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


write("huge.json", json.dumps(dict(base, name="huge", width=65536,
                                   height=16384)))
write("slow.json", json.dumps(dict(base, name="slow",
                                   stream_bytes_per_cycle=1e-300)))
write("deep.json", "[" * 100000 + "]" * 100000)
write("big.json", json.dumps(dict(base, name="big")) + " " * (2 << 20))
write("ok.json", json.dumps(dict(base, name="ok", width=4096, height=4096)))

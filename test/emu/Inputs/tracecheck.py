"""Checks a wse-emu trace (test/emu/trace-marks.test): the file parses as
JSON, every event has the trace-event fields Perfetto needs, and the layer
intervals (process 2) are listed as 'PE NAME start cycles' lines sorted by
PE and start, for FileCheck."""
import json
import sys

trace = json.load(open(sys.argv[1]))
events = trace["traceEvents"]
for e in events:
    for key in ("name", "ph", "pid", "tid", "args"):
        assert key in e, "event without %s: %s" % (key, e)
    if e["ph"] == "X":
        assert e["dur"] >= 0 and e["ts"] >= 0, e
layers = sorted((e["tid"], e["args"]["start_cycle"], e["args"]["cycles"],
                 e["name"]) for e in events
                if e["ph"] == "X" and e["pid"] == 2)
print("events %d, layer intervals %d" % (len(events), len(layers)))
for tid, start, cycles, name in layers:
    print("PE %d %s start %d cycles %d" % (tid, name, start, cycles))

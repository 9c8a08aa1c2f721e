#!/usr/bin/python3
"""wse-report: one self-contained HTML page (inline SVG, no scripts) showing
how a model was mapped onto the wafer and how the emulated run went.

  wse-report --cost cost.json [--stats stats.json] [--wafer wafer.mlir]
             [--trace trace.json] -o report.html

Inputs (any but --cost may be left out; the page says what is missing):
  --cost   the cost report JSON (wse-opt --wse-pipeline='... cost-json=F' or
           --wafer-cost-report=json=F): one row per placed op, named by its
           ONNX node, with the cost model's estimate and roofline.
  --stats  wse-emu --stats-json: cycles, per-PE busy/stalled/idle, links,
           ports, and the marks that give each layer's emulated cycles
           (layer N: last PE passing mark N to the last passing mark N+1).
  --wafer  the placed wafer IR (wse-opt --wse-pipeline without lower=true,
           printed with --mlir-print-debuginfo): the rectangle origins of
           the floorplan, for cost reports older than their `placement`
           field; row N of the cost report is the N-th placed
           non-constant op.
  --trace  wse-emu --trace: the stream ops per port, when the stats (from
           an older wse-emu) have no `streams`.

wse-run --report runs all of this and writes report.html in its work
directory (docs/report.md).
"""
import argparse
import html
import json
import re
import sys

# Colors by op kind (wafer.linear -> "linear"); others get a gray.
KIND_COLORS = {
    "linear": "#4e79a7", "matmul": "#59a14f", "attention": "#59a14f",
    "embedding": "#f28e2b", "elementwise": "#e15759", "layer_norm": "#76b7b2",
    "rms_norm": "#76b7b2", "softmax": "#edc948", "reshape": "#b07aa1",
    "transpose": "#ff9da7", "split": "#9c755f", "relayout": "#bab0ac",
    "concat": "#9c755f", "reduce": "#86bcb6", "gather": "#f1ce63",
}


def fail(msg):
    sys.stderr.write("wse-report: error: %s\n" % msg)
    sys.exit(1)


def load_json(path, what, keys):
    try:
        with open(path) as f:
            data = json.load(f)
    except OSError as e:
        fail("cannot read %s '%s': %s" % (what, path, e.strerror))
    except ValueError as e:
        fail("%s '%s' is not JSON: %s" % (what, path, e))
    if not isinstance(data, dict) or any(k not in data for k in keys):
        fail("%s '%s' has no %s: is it the right file?" %
             (what, path, " and ".join("'%s'" % k for k in keys)))
    return data


def kind(op):
    return op.split(".", 1)[-1]


def color(op):
    return KIND_COLORS.get(kind(op), "#8c8c8c")


RECT_RE = re.compile(r"=\s*(wafer\.\w+)\b.*?placement = #mesh\.rect<x = "
                     r"(\d+), y = (\d+), width = (\d+), height = (\d+)>")


def wafer_rects(path, ops):
    """Rectangles (x, y, w, h) of the cost rows, from the wafer IR: the
    placed ops in order, constants skipped, matched to the rows by op name."""
    try:
        text = open(path).read()
    except OSError as e:
        fail("cannot read wafer IR '%s': %s" % (path, e.strerror))
    placed = [(m.group(1), tuple(int(m.group(i)) for i in range(2, 6)))
              for m in RECT_RE.finditer(text) if m.group(1) != "wafer.constant"]
    if not placed:
        fail("wafer IR '%s' has no placed ops (#mesh.rect placements): pass "
             "the output of --wse-pipeline without lower=true" % path)
    rects, i = {}, 0
    for op, rect in placed:
        if i < len(ops) and ops[i]["op"] == op:
            rects[i] = rect
            i += 1
    if i != len(ops):
        fail("wafer IR '%s' does not match the cost report: row %d (%s) has "
             "no placed op" % (path, i, ops[i]["op"]))
    return rects


def layer_cycles(ops, stats):
    """Emulated cycles per row from the marks (benchmarks/pe/layer_cycles.py)."""
    if not stats:
        return {}
    marks = {m["id"]: m["last"] for m in stats.get("marks", [])}
    total = stats["cycles"]
    out = {}
    for i in range(len(ops)):
        if i in marks:
            out[i] = marks.get(i + 1, total) - marks[i]
    return out


def esc(s):
    return html.escape(str(s), quote=True)


def svg_floorplan(width, height, ops, rects, size=560):
    cell = size / max(width, height)
    w, h = width * cell, height * cell
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" '
             'height="%.0f" viewBox="0 0 %.1f %.1f" class="floorplan">' %
             (w + 2, h + 2, w + 2, h + 2),
             '<rect x="1" y="1" width="%.1f" height="%.1f" fill="#f4f4f4" '
             'stroke="#999"/>' % (w, h)]
    # Ops sharing a rectangle (streaming mode: all of them) are drawn once,
    # named together.
    groups = {}
    for i, rect in sorted(rects.items()):
        groups.setdefault(rect, []).append(i)
    for rect, rows in sorted(groups.items(), key=lambda g: -g[0][2] * g[0][3]):
        x, y, rw, rh = rect
        # Named and colored by the op that costs the most in it.
        first = max((ops[r] for r in rows), key=lambda o: o["estimated_cycles"])
        names = ["#%d %s %s" % (r, ops[r]["op"], ops[r]["location"])
                 for r in rows]
        title = "rect x=%d y=%d %dx%d: %d op(s)\n%s" % (
            x, y, rw, rh, len(rows), "\n".join(names[:40]) +
            ("\n..." if len(names) > 40 else ""))
        parts.append('<g><title>%s</title><rect x="%.1f" y="%.1f" '
                     'width="%.1f" height="%.1f" fill="%s" fill-opacity="0.55" '
                     'stroke="#333" stroke-width="1"/>' %
                     (esc(title), 1 + x * cell, 1 + y * cell, rw * cell,
                      rh * cell, color(first["op"])))
        label = first["location"] + ("" if len(rows) == 1 else
                                     " +%d" % (len(rows) - 1))
        if rw * cell > 40 and rh * cell > 14:
            font = max(7.0, min(12.0, rh * cell / 3))
            chars = int((rw * cell - 6) / (font * 0.6))
            if len(label) > chars:
                label = ".." + label[-max(chars - 2, 1):]
            parts.append('<text x="%.1f" y="%.1f" font-size="%.1f">%s</text>' %
                         (4 + x * cell, 1 + y * cell + font + 2, font,
                          esc(label)))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def heat(v):
    """0..1 to white..dark red."""
    v = max(0.0, min(1.0, v))
    return "rgb(%d,%d,%d)" % (255 - int(55 * v), 255 - int(220 * v),
                              255 - int(220 * v))


def svg_heatmap(width, height, values, label, size=360):
    """values: {(x, y): fraction}; PEs without a value are gray."""
    cell = size / max(width, height)
    w, h = width * cell, height * cell
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" '
             'height="%.0f" viewBox="0 0 %.1f %.1f" class="heatmap">' %
             (w, h + 18, w, h + 18)]
    for y in range(height):
        for x in range(width):
            v = values.get((x, y))
            fill = "#ddd" if v is None else heat(v)
            tip = "PE (%d,%d): %s" % (x, y, "no kernel" if v is None else
                                      "%.1f%% %s" % (100 * v, label))
            parts.append('<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" '
                         'fill="%s"><title>%s</title></rect>' %
                         (x * cell, y * cell, cell, cell, fill, esc(tip)))
    parts.append('<text x="0" y="%.1f" font-size="11">%s: white 0%%, dark '
                 'red 100%%</text>' % (h + 13, esc(label)))
    parts.append("</svg>")
    return "\n".join(parts)


def stream_ops(stats, trace):
    """(port, name, start, end) per stream op: the stats' `streams`, else the
    trace's process 1."""
    if stats and "streams" in stats:
        return [("port " + s["port"], "%s %s" % (s["direction"], s["tensor"]),
                 s["start_cycle"], s["end_cycle"]) for s in stats["streams"]]
    if not trace:
        return []
    events = trace.get("traceEvents", [])
    names = {e["tid"]: e["args"]["name"] for e in events
             if e.get("ph") == "M" and e.get("pid") == 1 and
             e.get("name") == "thread_name"}
    return [(names.get(e["tid"], "port %d" % e["tid"]), e["name"],
             e["args"]["start_cycle"],
             e["args"]["start_cycle"] + e["args"]["cycles"])
            for e in events if e.get("ph") == "X" and e.get("pid") == 1]


def svg_gantt(ops, cycles, width=900):
    """Stream ops per I/O port over the run."""
    ports = sorted({o[0] for o in ops})
    end = max([cycles] + [o[3] for o in ops])
    row, left = 22, 90
    scale = (width - left - 10) / max(end, 1)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'class="gantt">' % (width, row * len(ports) + 20)]
    for k, port in enumerate(ports):
        parts.append('<text x="2" y="%d" font-size="11">%s</text>' %
                     (k * row + 15, esc(port)))
    for port, name, s, e in ops:
        k, c = ports.index(port), e - s
        inbound = name.startswith("in ")
        parts.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" '
                     'fill="%s" stroke="#fff" stroke-width="0.5"><title>%s: '
                     'cycles %d-%d</title></rect>' %
                     (left + s * scale, k * row + 3, max(c * scale, 1),
                      row - 6, "#4e79a7" if inbound else "#e15759",
                      esc(name), s, e))
    parts.append('<text x="%d" y="%d" font-size="10">0</text>' %
                 (left, row * len(ports) + 15))
    parts.append('<text x="%d" y="%d" font-size="10" text-anchor="end">%d '
                 'cycles</text>' % (width - 10, row * len(ports) + 15, end))
    parts.append("</svg>")
    return "\n".join(parts)


def layer_table(ops, emulated):
    head = ("<tr><th>#</th><th>ONNX node</th><th>op</th><th>layer</th>"
            "<th>rect</th><th>emulated</th><th>estimate</th><th>roofline</th>"
            "<th>emu/est</th><th>bound</th><th></th></tr>")
    top = max(list(emulated.values()) + [1])
    rows = [head]
    for i, op in enumerate(ops):
        emu = emulated.get(i)
        est, roof = op["estimated_cycles"], op["roofline_cycles"]
        bar = ('<svg width="120" height="10"><rect width="%.1f" height="10" '
               'fill="%s"/></svg>' % (120.0 * emu / top, color(op["op"]))
               if emu is not None else "")
        rows.append(
            '<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>'
            '<td class="n">%s</td><td class="n">%.0f</td>'
            '<td class="n">%.0f</td><td class="n">%s</td><td>%s</td>'
            '<td>%s</td></tr>' %
            (i, esc(op["location"]), esc(op["op"]),
             "" if op.get("layer") is None else op["layer"], esc(op["rect"]),
             "-" if emu is None else emu, est, roof,
             "-" if emu is None else "%.2f" % (emu / max(est, 1)),
             esc(op.get("bound", "")), bar))
    return "<table>%s</table>" % "\n".join(rows)


def training_section(t, clock_hz):
    """The training step's figures (wafer-cost-report's "training")."""
    ms = lambda cycles: cycles / clock_hz * 1e3 if clock_hz else 0.0
    rows = ["<tr><th>phase</th><th>ops</th><th>estimated cycles</th>"
            "<th>ms</th><th>bytes streamed in</th></tr>"]
    for name in ("forward", "loss", "recompute", "backward"):
        ph = t["phases"][name]
        rows.append('<tr><td>%s</td><td class="n">%d</td><td class="n">%.4g'
                    '</td><td class="n">%.3f</td><td class="n">%d</td></tr>'
                    % (name, ph["ops"], ph["estimated_cycles"],
                       ms(ph["estimated_cycles"]), ph["streamed_bytes"]))
    keep = t["tokens_to_keep_pace"]
    return ("<h2>Training step</h2><p>Forward, loss, then backward in "
            "reverse layer order (recompute from checkpoints at layer "
            "inputs); weight gradients stream out to the weight store, which "
            "runs the optimizer (%s). Step %.4g cycles (%.3f ms); gradients "
            "out: %d streams, %d bytes, the last leaving at cycle %d. Tokens "
            "to keep pace with the streams: forward %.0f, backward %.0f "
            "(the step has %d).</p><table>%s</table>"
            % (esc(t["optimizer"]), t["step_cycles"], ms(t["step_cycles"]),
               t["gradient_streams"], t["egress_bytes"],
               t["last_egress_cycle"], keep["forward"], keep["backward"],
               t["tokens"], "".join(rows)))


def main():
    p = argparse.ArgumentParser(
        description="wse-report: an HTML page of a model's mapping and run")
    p.add_argument("--cost", required=True, help="cost report JSON")
    p.add_argument("--stats", help="wse-emu --stats-json output")
    p.add_argument("--wafer", help="placed wafer IR (floorplan origins)")
    p.add_argument("--trace", help="wse-emu --trace output (stream ops, when "
                   "the stats have none)")
    p.add_argument("--title", default="", help="page title (e.g. the model)")
    p.add_argument("-o", "--output", required=True, help="HTML file to write")
    a = p.parse_args()

    cost = load_json(a.cost, "cost report", ["ops", "total"])
    ops = cost["ops"]
    for i, op in enumerate(ops):
        for k in ("op", "location", "rect", "estimated_cycles",
                  "roofline_cycles"):
            if k not in op:
                fail("cost report '%s': ops[%d] has no '%s'" % (a.cost, i, k))
    stats = (load_json(a.stats, "stats", ["cycles", "pes", "machine"])
             if a.stats else None)
    trace = load_json(a.trace, "trace", ["traceEvents"]) if a.trace else None
    machine = stats["machine"] if stats else None
    m = re.match(r"(\d+)x(\d+)$", ops[0]["rect"]) if ops else None
    width = machine["width"] if machine else int(m.group(1)) if m else 0
    height = machine["height"] if machine else int(m.group(2)) if m else 0
    # The cost report carries each op's rectangle; older ones only its size.
    rects = {i: (op["placement"]["x"], op["placement"]["y"],
                 op["placement"]["width"], op["placement"]["height"])
             for i, op in enumerate(ops) if op.get("placement")}
    if a.wafer:
        rects = wafer_rects(a.wafer, ops)
    emulated = layer_cycles(ops, stats)
    total = cost["total"]

    title = a.title or "wse-report"
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
           "<title>%s</title>" % esc(title),
           "<style>body{font-family:sans-serif;margin:1.5em;color:#222}"
           "table{border-collapse:collapse;font-size:13px}"
           "td,th{border:1px solid #ccc;padding:2px 6px}"
           "td.n{text-align:right;font-variant-numeric:tabular-nums}"
           "th{background:#eee}.legend span{display:inline-block;"
           "padding:1px 6px;margin:2px;color:#fff;font-size:12px}"
           "</style></head><body>",
           "<h1>%s</h1>" % esc(title)]
    summary = ["target %s, mode %s, %d placed ops" %
               (esc(cost.get("target", "?")), esc(cost.get("mode", "?")),
                len(ops)),
               "cost model: estimate %.0f cycles, roofline %.0f" %
               (total.get("estimated_cycles", 0),
                total.get("roofline_cycles", 0))]
    if stats:
        summary.append("emulated: %d cycles (%.2fx the estimate)" %
                       (stats["cycles"], stats["cycles"] /
                        max(total.get("estimated_cycles", 1), 1)))
    out.append("<p>%s</p>" % "<br>".join(summary))

    out.append("<h2>Floorplan</h2>")
    if rects and width and height:
        out.append("<p>Every placed op's rectangle on the %dx%d mesh. Ops "
                   "sharing a rectangle are drawn once, named (+N others) "
                   "and colored by the one the cost model charges most; "
                   "hover for all of them.</p>" % (width, height))
        out.append(svg_floorplan(width, height, ops, rects))
        kinds = sorted({op["op"] for op in ops})
        out.append('<p class="legend">%s</p>' % "".join(
            '<span style="background:%s">%s</span>' % (color(k), esc(k))
            for k in kinds))
    else:
        out.append("<p>No floorplan: the cost report has no placements "
                   "(an older one: pass --wafer with the placed wafer "
                   "IR).</p>")

    if cost.get("training"):
        out.append(training_section(cost["training"], cost.get("clock_hz")))

    out.append("<h2>Layers</h2>")
    out.append("<p>One row per placed op (row N = <code>mark N</code>). "
               "Emulated: from the last PE passing mark N to the last "
               "passing mark N+1 (the run's end for the last row).%s</p>" %
               ("" if stats else " No stats: pass --stats for emulated "
                "cycles."))
    out.append(layer_table(ops, emulated))

    if stats:
        cycles = max(stats["cycles"], 1)
        busy = {(p["x"], p["y"]): p["busy"] / cycles for p in stats["pes"]}
        stalled = {(p["x"], p["y"]): p["stalled"] / cycles
                   for p in stats["pes"]}
        out.append("<h2>PEs</h2><p>Share of the run's %d cycles each PE was "
                   "busy and stalled (gray: no kernel).</p>" % stats["cycles"])
        out.append('<div style="display:flex;gap:2em">%s%s</div>' %
                   (svg_heatmap(width, height, busy, "busy"),
                    svg_heatmap(width, height, stalled, "stalled")))
        links = {}
        for l in stats.get("links", []):
            links[(l["x"], l["y"])] = max(
                v["utilization"] for k, v in l.items()
                if isinstance(v, dict) and "utilization" in v)
        if links:
            out.append("<h2>Links</h2><p>Busiest outgoing link of each "
                       "router, as a share of the run.</p>")
            out.append(svg_heatmap(width, height, links, "link utilization"))
    streams = stream_ops(stats, trace)
    if streams:
        out.append("<h2>Streams</h2><p>Stream ops per I/O port as the "
                   "emulator ran them, from the first element to the last "
                   "(blue in, red out); hover for the tensor.</p>")
        out.append(svg_gantt(streams, stats["cycles"] if stats else 0))
    out.append("</body></html>")
    try:
        with open(a.output, "w") as f:
            f.write("\n".join(out) + "\n")
    except OSError as e:
        fail("cannot write '%s': %s" % (a.output, e.strerror))


if __name__ == "__main__":
    main()

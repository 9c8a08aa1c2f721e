#!/usr/bin/env python3
"""Checks that the project's libraries depend only downward.

usage: check_layering.py SOURCE_ROOT BUILD_DIR

Reads the link graph from `cmake --graphviz` of the build and the #include
graph of the sources, and checks the rules of docs/architecture.md
("Library graph"):
  * the onnx libraries reach no wafer, mesh, pe or emulator library, and
    their sources include no header of those;
  * the pe dialect reaches only the mesh dialect, the machine description
    and the emulator's instruction-set library;
  * the pe dialect's transforms include nothing from include/wse/Target;
  * the emulator, machine and support libraries use no MLIR;
  * no public header includes a file generated under lib/.
Prints one line per violation and "layering: N violations".
"""
import os
import re
import subprocess
import sys
import tempfile

src, build = sys.argv[1], sys.argv[2]
bad = []

# --- link graph ---------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["cmake", "--graphviz=" + os.path.join(tmp, "g.dot"),
                    os.path.abspath(build)], cwd=tmp, check=True,
                   capture_output=True)
    dot = open(os.path.join(tmp, "g.dot")).read()
label = dict(re.findall(r'"(node\d+)" \[ label = "([^"]+)"', dot))
edges = {}
for a, b in re.findall(r'"(node\d+)" -> "(node\d+)"', dot):
    edges.setdefault(label[a], set()).add(label[b])


def reach(lib):
    seen, todo = set(), [lib]
    while todo:
        for m in edges.get(todo.pop(), ()):
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def need(lib):
    if lib not in label.values():
        bad.append(f"library {lib} is not in the build graph")
        return set()
    return reach(lib)


for lib in ["WSEONNXDialect", "WSEONNXTransforms", "WSEONNXReference",
            "WSEImport"]:
    for m in need(lib):
        if re.search(r"Wafer|Mesh|WSEPE|Emu", m):
            bad.append(f"{lib} links {m}")
# WSESupport (bounded file reads, .npy) is a leaf without MLIR.
allowed_pe = {"WSEMeshDialect", "WSEMachine", "WSEEmuISA", "WSESupport"}
for m in need("WSEPEDialect"):
    if m.startswith("WSE") and m not in allowed_pe:
        bad.append(f"WSEPEDialect links {m}")
for lib in ["WSEEmuISA", "WSEEmuSimulator", "WSEEmuMPI", "WSEMachine",
            "WSESupport"]:
    for m in need(lib):
        if m.startswith("MLIR"):
            bad.append(f"{lib} links {m}")

# --- include graph ------------------------------------------------------
files = {}
for root, dirs, names in os.walk(src):
    dirs[:] = [d for d in dirs if not d.startswith((".", "build"))]
    for n in names:
        if n.endswith((".h", ".cpp", ".td")):
            p = os.path.relpath(os.path.join(root, n), src)
            text = open(os.path.join(root, n), errors="replace").read()
            files[p] = re.findall(r'^\s*(?:#\s*include|include)\s+"([^"]+)"',
                                  text, re.M)


def rules(prefix, forbidden, what):
    for p, incs in files.items():
        if p.startswith(prefix):
            for inc in incs:
                if re.search(forbidden, inc):
                    bad.append(f"{p} includes {inc} ({what})")


rules("dialects/onnx/", r"dialects/(wafer|mesh|pe)/|wse/(Emu|Target)/",
      "onnx reaches a lower level")
rules("dialects/pe/", r"dialects/wafer/|wse/Target/|Simulator|WeightStore",
      "pe reaches wafer, emission or the simulator")
rules("dialects/mesh/", r"dialects/(onnx|wafer|pe)/", "mesh is the bottom")
rules("lib/Emu/", r"^mlir/|dialects/", "the emulator uses no MLIR")
rules("lib/Emu/ISA/", r"Simulator|SimImpl|WeightStore|Stats\.h|Trace\.h",
      "the instruction set reaches the simulator")
rules("include/", r"^lib/", "a public header includes a file under lib/")

for b in bad:
    print("violation:", b)
print(f"layering: {len(bad)} violations")
sys.exit(1 if bad else 0)

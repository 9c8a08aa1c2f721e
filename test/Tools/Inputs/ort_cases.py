"""A small model and inputs for test/Tools/wse-ort.test.

Usage: ort_cases.py DIR            writes DIR/model.onnx (+ DIR/emb.bin,
                                   external data) and DIR/*.npy inputs
       ort_cases.py DIR --check OUT  compares wse-ort's outputs in OUT with
                                   numpy and prints one line per output

The model: sum = a + b (float32 [2,3]); emb/rows = Gather(emb, ids) with
emb [5,4] in an external file and ids int64 [1, seq] (a symbolic
dimension); mask = a > b (bool). DIR/add.onnx holds the sum alone.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper, numpy_helper

d = sys.argv[1]
rng = np.random.default_rng(5)
a = rng.standard_normal((2, 3)).astype(np.float32)
b = rng.standard_normal((2, 3)).astype(np.float32)
ids = np.array([[4, 0, 2]], np.int64)
emb = np.arange(20, dtype=np.float32).reshape(5, 4) / 8

if len(sys.argv) > 2 and sys.argv[2] == "--check":
    out = sys.argv[3]
    for name, want in (("sum", a + b), ("emb_rows", emb[ids]), ("mask", a > b)):
        got = np.load(os.path.join(out, name + ".npy"))
        print(f"{name}: {got.dtype} {list(got.shape)} "
              f"{'equal' if np.array_equal(got, want) else 'DIFFERENT'}")
    sys.exit(0)

os.makedirs(d, exist_ok=True)
init = numpy_helper.from_array(emb, "emb")
graph = helper.make_graph(
    [helper.make_node("Add", ["a", "b"], ["sum"]),
     helper.make_node("Gather", ["emb", "ids"], ["emb/rows"]),
     helper.make_node("Greater", ["a", "b"], ["mask"])],
    "g",
    [helper.make_tensor_value_info("a", T.FLOAT, [2, 3]),
     helper.make_tensor_value_info("b", T.FLOAT, [2, 3]),
     helper.make_tensor_value_info("ids", T.INT64, [1, "seq"])],
    [helper.make_tensor_value_info("sum", T.FLOAT, [2, 3]),
     helper.make_tensor_value_info("emb/rows", T.FLOAT, [1, "seq", 4]),
     helper.make_tensor_value_info("mask", T.BOOL, [2, 3])],
    [init])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.save_model(model, os.path.join(d, "model.onnx"), save_as_external_data=True,
                location="emb.bin", size_threshold=0)
# add.onnx: sum = a + b alone, small enough for the emulator (wse-run).
add = helper.make_model(helper.make_graph(
    graph.node[:1], "add", graph.input[:2], graph.output[:1]),
    opset_imports=[helper.make_opsetid("", 17)])
add.ir_version = 8
onnx.save(add, os.path.join(d, "add.onnx"))
np.save(os.path.join(d, "a.npy"), a)
np.save(os.path.join(d, "b.npy"), b)
np.save(os.path.join(d, "ids.npy"), ids)
np.save(os.path.join(d, "a_f64.npy"), a.astype(np.float64))
np.save(os.path.join(d, "a_3x2.npy"), a.reshape(3, 2))
np.save(os.path.join(d, "a_fortran.npy"), np.asfortranarray(a))
open(os.path.join(d, "junk.npy"), "w").write("not an array\n")
with open(os.path.join(d, "cut.npy"), "wb") as f:
    f.write(open(os.path.join(d, "a.npy"), "rb").read()[:-4])

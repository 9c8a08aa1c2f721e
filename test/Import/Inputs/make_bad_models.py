"""Writes malformed and hostile ONNX models for the importer's error tests.

Usage: /usr/bin/python3 make_bad_models.py OUTDIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def graph_with_weight(init, opset=17, nodes=None):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])
    nodes = nodes or [helper.make_node("MatMul", ["x", init.name], ["y"], name="mm")]
    g = helper.make_graph(nodes, "g", [x], [y], [init])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def external(name, location, offset=0, length=64 * 64 * 4):
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend([64, 64])
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", location), ("offset", str(offset)), ("length", str(length))):
        e = t.external_data.add()
        e.key, e.value = k, v
    return t


weights = numpy_helper.from_array(np.ones((64, 64), np.float32), "w")
good = graph_with_weight(weights)
data = good.SerializeToString()
open(os.path.join(out, "good.onnx"), "wb").write(data)
open(os.path.join(out, "truncated.onnx"), "wb").write(data[: len(data) // 2])
open(os.path.join(out, "garbage.onnx"), "wb").write(b"\xff\xff\xff\xff not a model")
open(os.path.join(out, "empty.onnx"), "wb").write(b"")
onnx.save(graph_with_weight(weights, opset=12), os.path.join(out, "opset12.onnx"))
onnx.save(graph_with_weight(weights, opset=18), os.path.join(out, "opset18.onnx"))
onnx.save(graph_with_weight(weights, opset=6), os.path.join(out, "opset6.onnx"))
onnx.save(graph_with_weight(weights, opset=22), os.path.join(out, "opset22.onnx"))

# External data cases; the data file holds exactly one 64x64 float matrix.
open(os.path.join(out, "weights.bin"), "wb").write(np.ones((64, 64), np.float32).tobytes())
onnx.save(graph_with_weight(external("w", "weights.bin")), os.path.join(out, "ext_ok.onnx"))
onnx.save(graph_with_weight(external("w", "missing.bin")), os.path.join(out, "ext_missing.onnx"))
onnx.save(graph_with_weight(external("w", "../weights.bin")), os.path.join(out, "ext_dotdot.onnx"))
onnx.save(graph_with_weight(external("w", "/etc/passwd")), os.path.join(out, "ext_absolute.onnx"))
onnx.save(graph_with_weight(external("w", "weights.bin", offset=8)), os.path.join(out, "ext_past_end.onnx"))
onnx.save(graph_with_weight(external("w", "weights.bin", length=12)), os.path.join(out, "ext_bad_length.onnx"))
os.makedirs(os.path.join(out, "sub"), exist_ok=True)
link = os.path.join(out, "sub", "escape.bin")
if os.path.lexists(link):
    os.remove(link)
os.symlink(os.path.abspath(os.path.join(out, "weights.bin")), link)
sub = os.path.join(out, "sub")
onnx.save(graph_with_weight(external("w", "escape.bin")), os.path.join(sub, "ext_symlink.onnx"))

# Control flow: a Loop with a body graph.
body = helper.make_graph(
    [helper.make_node("Identity", ["c"], ["c_out"])], "body",
    [helper.make_tensor_value_info("i", TensorProto.INT64, []),
     helper.make_tensor_value_info("c", TensorProto.BOOL, [])],
    [helper.make_tensor_value_info("c_out", TensorProto.BOOL, [])])
loop = helper.make_node("Loop", ["n", "cond"], [], name="the_loop", body=body)
g = helper.make_graph(
    [loop], "g",
    [helper.make_tensor_value_info("n", TensorProto.INT64, []),
     helper.make_tensor_value_info("cond", TensorProto.BOOL, [])],
    [helper.make_tensor_value_info("n", TensorProto.INT64, [])])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]),
          os.path.join(out, "loop.onnx"))


# Hostile sizes and omitted inputs (issue "Hardened", findings 1, 2 and 4).
def raw_tensor(name, dims, n_values):
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    t.raw_data = np.ones(n_values, np.float32).tobytes()
    return t


def save_unchecked(model, name):
    # onnx.save does not run the checker: these models are meant to be bad.
    open(os.path.join(out, name), "wb").write(model.SerializeToString())


# dims whose product wraps int64 to exactly the 16,384 stored values.
save_unchecked(graph_with_weight(raw_tensor("w", [16384, 2**50 + 1], 16384)),
               "dims_wrap.onnx")
# dims whose product overflows int64.
save_unchecked(graph_with_weight(raw_tensor("w", [64, 2**63 - 1], 64)),
               "dims_overflow.onnx")
# a large (parameter) initializer whose byte count overflows int64.
save_unchecked(graph_with_weight(raw_tensor("w", [2**62, 1], 4096)),
               "param_bytes.onnx")
# a graph value whose declared shape has more than 2^48 elements.
g = helper.make_graph(
    [helper.make_node("Identity", ["x"], ["y"], name="id")], "g",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2**30, 2**30])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2**30, 2**30])])
save_unchecked(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]),
               "value_huge.onnx")
# Concat('', x): an omitted input before a present one.
g = helper.make_graph(
    [helper.make_node("Concat", ["", "x"], ["y"], name="cat", axis=0)], "g",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
save_unchecked(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]),
               "omitted_input.onnx")
# A Transpose with perm [0, 2, 1, 3] reading a 1-D constant, its result's
# Shape taken: libonnx 1.12's shape inference reads out of bounds and crashes
# (found by rewiring a Transpose input of a GPT-J export).
c = helper.make_node("Constant", [], ["c"], name="c",
                     value=numpy_helper.from_array(np.array([7], np.int64)))
t = helper.make_node("Transpose", ["c"], ["t"], name="t", perm=[0, 2, 1, 3])
s = helper.make_node("Shape", ["t"], ["y"], name="s")
g = helper.make_graph([c, t, s], "g", [],
                      [helper.make_tensor_value_info("y", TensorProto.INT64, None)])
save_unchecked(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]),
               "inference_crash.onnx")

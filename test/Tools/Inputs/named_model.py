"""A two-layer model with named nodes for test/Tools/wse-run-names.test.

Usage: named_model.py DIR   writes DIR/static.onnx (x: float32 [1, 4, 8]),
                            DIR/dynamic.onnx (x: float32 [1, "seq", 8]) and
                            DIR/x.npy

y = Relu(x @ W0 + b0) @ W1 with nodes named as exporters name them
("/block0/fc/MatMul", ...).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper, numpy_helper

d = sys.argv[1]
os.makedirs(d, exist_ok=True)
rng = np.random.default_rng(7)
w0 = rng.standard_normal((8, 8)).astype(np.float32)
b0 = rng.standard_normal((8,)).astype(np.float32)
w1 = rng.standard_normal((8, 8)).astype(np.float32)
np.save(os.path.join(d, "x.npy"),
        rng.standard_normal((1, 4, 8)).astype(np.float32))

for name, seq in (("static", 4), ("dynamic", "seq")):
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w0"], ["h0"],
                          name="/block0/fc/MatMul"),
         helper.make_node("Add", ["h0", "b0"], ["h1"], name="/block0/fc/Add"),
         helper.make_node("Relu", ["h1"], ["h2"], name="/block0/act/Relu"),
         helper.make_node("MatMul", ["h2", "w1"], ["y"],
                          name="/block1/fc/MatMul")],
        "g",
        [helper.make_tensor_value_info("x", T.FLOAT, [1, seq, 8])],
        [helper.make_tensor_value_info("y", T.FLOAT, [1, seq, 8])],
        [numpy_helper.from_array(w0, "w0"), numpy_helper.from_array(b0, "b0"),
         numpy_helper.from_array(w1, "w1")])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save_model(model, os.path.join(d, name + ".onnx"))

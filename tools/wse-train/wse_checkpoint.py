"""Checkpoints and ONNX export of wse-train.

A checkpoint is a directory (docs/training.md, "Checkpoints"):

  state.json           format, version, step, optimizer name and
                       hyper-parameters, schedule, base lr, batch geometry,
                       losses so far, and one entry per trainable parameter:
                       {"name", "shape", "file", "state": {KIND: file}}
  params/NNNN.npy      the weights (float32), NNNN the parameter's index
  state/NNNN.KIND.npy  optimizer state (sgd: momentum_buffer; adamw:
                       exp_avg, exp_avg_sq); absent before the first step

Arrays are stored exactly (float32 .npy), so a resumed run continues bit for
bit.
"""
import json
import os

import numpy as np

FORMAT = "wse-train-checkpoint"
VERSION = 1


def save(directory, params, optimizer, meta):
    os.makedirs(os.path.join(directory, "params"), exist_ok=True)
    os.makedirs(os.path.join(directory, "state"), exist_ok=True)
    entries = []
    for i, (name, value) in enumerate(params.items()):
        entry = {"name": name, "shape": list(value.shape),
                 "file": "params/%04d.npy" % i, "state": {}}
        np.save(os.path.join(directory, entry["file"]), value)
        for kind, array in sorted(optimizer.state.get(name, {}).items()):
            f = "state/%04d.%s.npy" % (i, kind)
            np.save(os.path.join(directory, f), array)
            entry["state"][kind] = f
        entries.append(entry)
    state = dict(meta, format=FORMAT, version=VERSION,
                 optimizer=optimizer.name, hyper=optimizer.hyper(),
                 optimizer_steps=optimizer.steps, params=entries)
    tmp = os.path.join(directory, "state.json.tmp")
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1)
    os.replace(tmp, os.path.join(directory, "state.json"))


def load(directory, params, optimizer):
    """Loads DIRECTORY into PARAMS (name -> array, the trainable set of the
    model) and OPTIMIZER; returns the metadata. Raises ValueError when the
    checkpoint does not belong to this model and optimizer."""
    path = os.path.join(directory, "state.json")
    if not os.path.exists(path):
        raise ValueError("no checkpoint in %s (state.json missing)" % directory)
    with open(path) as f:
        state = json.load(f)
    if state.get("format") != FORMAT or state.get("version") != VERSION:
        raise ValueError("%s is not a version-%d wse-train checkpoint" % (path, VERSION))
    if state["optimizer"] != optimizer.name:
        raise ValueError("the checkpoint was written by optimizer '%s', not '%s'"
                         % (state["optimizer"], optimizer.name))
    names = [e["name"] for e in state["params"]]
    if sorted(names) != sorted(params):
        missing = sorted(set(params) - set(names))
        extra = sorted(set(names) - set(params))
        raise ValueError("the checkpoint's parameters differ from the model's "
                         "trainable ones (missing: %s; unknown: %s)" % (missing[:5], extra[:5]))
    for e in state["params"]:
        value = np.load(os.path.join(directory, e["file"]))
        if list(value.shape) != list(params[e["name"]].shape) or value.dtype != np.float32:
            raise ValueError("checkpoint parameter %s has shape %s %s, the model %s float32"
                             % (e["name"], value.shape, value.dtype, params[e["name"]].shape))
        params[e["name"]] = value
        kinds = {k: np.load(os.path.join(directory, f)) for k, f in e["state"].items()}
        if kinds:
            optimizer.state[e["name"]] = kinds
    optimizer.steps = state["optimizer_steps"]
    return state


def export_onnx(model_path, params, out_path):
    """Writes the model at MODEL_PATH with the trained PARAMS as an ONNX file
    whose tensors above 1 KiB live in OUT_PATH + '.data' (external data)."""
    import onnx
    from onnx import numpy_helper

    proto = onnx.load(model_path)
    for init in proto.graph.initializer:
        if init.name in params:
            init.CopyFrom(numpy_helper.from_array(params[init.name], init.name))
    data = os.path.basename(out_path) + ".data"
    out_dir = os.path.dirname(os.path.abspath(out_path))
    os.makedirs(out_dir, exist_ok=True)
    data_path = os.path.join(out_dir, data)
    if os.path.exists(data_path):
        os.remove(data_path)  # onnx appends to an existing data file
    onnx.save_model(proto, out_path, save_as_external_data=True,
                    all_tensors_to_one_file=True, location=data, size_threshold=1024)
    onnx.checker.check_model(out_path)

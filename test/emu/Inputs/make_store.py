# Writes a fresh AdamW weight store (a wse-train checkpoint) in DIR/store
# and a program weight file DIR/../w.bin: make_store.py DIR
import os
import sys
import numpy as np
# wse-train's modules from the source tree: a sanitized build's bin holds
# only the C++ tools.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tools", "wse-train"))
import wse_checkpoint  # noqa: E402
import wse_optim  # noqa: E402
work = sys.argv[1]
np.zeros((2, 2), np.float32).tofile(work + "/../w.bin")
params = {"w": np.random.default_rng(9).standard_normal((2, 2)).astype(np.float32)}
wse_checkpoint.save(work + "/store", params, wse_optim.AdamW(), {"step": 0, "losses": []})

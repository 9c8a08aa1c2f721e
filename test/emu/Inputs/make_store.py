# Writes a fresh AdamW weight store (a wse-train checkpoint) in DIR/store
# and a program weight file DIR/../w.bin: make_store.py BIN DIR
import sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import wse_checkpoint  # noqa: E402
import wse_optim  # noqa: E402
work = sys.argv[2]
np.zeros((2, 2), np.float32).tofile(work + "/../w.bin")
params = {"w": np.random.default_rng(9).standard_normal((2, 2)).astype(np.float32)}
wse_checkpoint.save(work + "/store", params, wse_optim.AdamW(), {"step": 0, "losses": []})

"""The generated decoder grid, imported: shared by the checkers in this
folder. Each model is imported with --input-shape input_ids=1x16 (the
dynamic exports need their shapes pinned)."""
import glob
import os
import subprocess
import sys


def imported_models(translate, models):
    """Yields (file name, imported IR or None, import error) for every
    generated export ({family}_{static,dynamic}_op{14,17}.onnx); exits when
    there is none."""
    paths = sorted(glob.glob(os.path.join(models, "*_op1[47].onnx")))
    if not paths:
        print(f"no models in {models}")
        sys.exit(1)
    for path in paths:
        imp = subprocess.run([translate, "--import-onnx", path, "--input-shape",
                              "input_ids=1x16"], capture_output=True, text=True)
        yield (os.path.basename(path),
               None if imp.returncode else imp.stdout,
               imp.stderr.strip()[:300])

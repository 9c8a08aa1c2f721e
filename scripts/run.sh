#!/usr/bin/env bash
# The main job: set up, build, import the bundled example model (a tiny GPT-2),
# print a summary of its IR, then compile it for TARGET (default 32x32) in MODE
# (stream or pipelined), emit the emulator program, run it on wse-emu and print
# the predicted next tokens, cycles and utilization, checked against the
# logits torch computed at export. A second TARGET (default wse2) gets the
# wafer-level cost table: too large to emulate, cheap to estimate.
#   usage: [TARGET=32x32] [MODE=stream] [COST_TARGET=wse2] scripts/run.sh [MODEL.onnx] [BUILD_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EXAMPLE="$ROOT/examples/gpt2-tiny"
MODEL="${1:-$EXAMPLE/model.onnx}"
BUILD="${2:-$ROOT/build}"

"$ROOT/scripts/setup.sh"
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$BUILD" -j"$(nproc)" wse-translate wse-opt wse-emu wse-run >/dev/null

OUT="$BUILD/run"
mkdir -p "$OUT"
"$BUILD/bin/wse-translate" --import-onnx "$MODEL" --input-shape input_ids=1x16 --mlir-print-debuginfo \
  -o "$OUT/imported.mlir"
"$BUILD/bin/wse-opt" --onnx-prepare "$OUT/imported.mlir" -o "$OUT/prepared.mlir"
/usr/bin/python3 "$ROOT/scripts/ir_summary.py" "$OUT/imported.mlir" "$OUT/prepared.mlir"

COST_TARGET="${COST_TARGET:-wse2}"
echo
echo "== cost model for target=$COST_TARGET mode=${MODE:-stream}: $OUT/wafer.mlir"
# The cost report runs in the same process so its locations are the ONNX
# node names (a re-parsed file would only have its own line numbers).
"$BUILD/bin/wse-opt" "--wse-pipeline=target=$COST_TARGET mode=${MODE:-stream} cost-json=$OUT/cost-$COST_TARGET.json" \
  --wafer-cost-report=table=- "$OUT/imported.mlir" -o "$OUT/wafer.mlir"

TARGET="${TARGET:-32x32}"
echo
echo "== compile for target=$TARGET mode=${MODE:-stream}, emit, run on wse-emu (work dir $OUT/emu)"
ARGS=(--target "$TARGET" --mode "${MODE:-stream}" --input-shape input_ids=1x16
      --work "$OUT/emu")
if [ "$(realpath "$MODEL")" = "$(realpath "$EXAMPLE/model.onnx")" ]; then
  ARGS+=(--input "input_ids=$EXAMPLE/input_ids.npy" --expect "$EXAMPLE/logits.npy")
else
  # Another model: a prompt of 16 zeros.
  /usr/bin/python3 -c "import numpy as np; np.save('$OUT/input_ids.npy', np.zeros((1, 16), np.int64))"
  ARGS+=(--input "input_ids=$OUT/input_ids.npy")
fi
"$BUILD/bin/wse-run" "$MODEL" "${ARGS[@]}"

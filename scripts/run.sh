#!/usr/bin/env bash
# The main job: set up, build, import the bundled example model, print a
# summary of its IR before and after staticization, then compile it to placed,
# scheduled and verified wafer IR for TARGET (default wse2) in streaming mode
# and print the cost model's per-layer table.
#   usage: [TARGET=wse2] [MODE=stream] scripts/run.sh [MODEL.onnx] [BUILD_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODEL="${1:-$ROOT/examples/gpt2-tiny/model.onnx}"
BUILD="${2:-$ROOT/build}"

"$ROOT/scripts/setup.sh"
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$BUILD" -j"$(nproc)" wse-translate wse-opt >/dev/null

OUT="$BUILD/run"
mkdir -p "$OUT"
"$BUILD/bin/wse-translate" --import-onnx "$MODEL" --input-shape input_ids=1x16 --mlir-print-debuginfo \
  -o "$OUT/imported.mlir"
"$BUILD/bin/wse-opt" --onnx-prepare "$OUT/imported.mlir" -o "$OUT/prepared.mlir"
/usr/bin/python3 "$ROOT/scripts/ir_summary.py" "$OUT/imported.mlir" "$OUT/prepared.mlir"

TARGET="${TARGET:-wse2}"
MODE="${MODE:-stream}"
echo
echo "== wafer IR for target=$TARGET mode=$MODE: $OUT/wafer.mlir (cost report: $OUT/cost.json)"
# The cost report runs in the same process so its locations are the ONNX
# node names (a re-parsed file would only have its own line numbers).
"$BUILD/bin/wse-opt" "--wse-pipeline=target=$TARGET mode=$MODE cost-json=$OUT/cost.json" \
  --wafer-cost-report=table=- "$OUT/imported.mlir" -o "$OUT/wafer.mlir"

#!/usr/bin/env bash
# Prints import (and onnx-prepare) wall time and peak memory for GPT-NeoX-
# shaped graphs whose weights are external data in a sparse file, and checks
# that the weight file is never opened.
#   usage: benchmarks/import/import_scale.sh BUILD_DIR [WORK_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:?usage: import_scale.sh BUILD_DIR [WORK_DIR]}"
WORK="${2:-$BUILD/bench-import}"
mkdir -p "$WORK"
printf "%-6s %8s %14s %10s %12s %10s %12s %s\n" shape nodes params "import s" "import MiB" \
  "prepare s" "prepare MiB" "weights.bin opened"
for shape in 124m 1.3b 6b 20b; do
  dir="$WORK/$shape"
  info=$(/usr/bin/python3 "$ROOT/test/models/make_large_graph.py" --shape "$shape" --out "$dir")
  params=$(echo "$info" | sed -n 's/^parameters: \([0-9,]*\).*/\1/p')
  nodes=$(echo "$info" | sed -n 's/.*nodes: \([0-9]*\).*/\1/p')
  /usr/bin/time -f "%e %M" -o "$dir/import.time" \
    "$BUILD/bin/wse-translate" --import-onnx "$dir/model.onnx" -o "$dir/imported.mlir"
  /usr/bin/time -f "%e %M" -o "$dir/prepare.time" \
    "$BUILD/bin/wse-opt" --onnx-prepare "$dir/imported.mlir" -o "$dir/prepared.mlir"
  opened=no
  if command -v strace >/dev/null; then
    strace -f -e trace=open,openat -o "$dir/strace.txt" \
      "$BUILD/bin/wse-translate" --import-onnx "$dir/model.onnx" -o /dev/null
    grep -q weights.bin "$dir/strace.txt" && opened=YES
  else
    opened="(strace missing)"
  fi
  read -r it im < "$dir/import.time"
  read -r pt pm < "$dir/prepare.time"
  printf "%-6s %8s %14s %10s %12d %10s %12d %s\n" "$shape" "$nodes" "$params" "$it" \
    $((im / 1024)) "$pt" $((pm / 1024)) "$opened"
done

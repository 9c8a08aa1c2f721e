#!/usr/bin/env bash
# Time and peak memory of every stage from ONNX to placed, scheduled and
# verified wafer IR, for GPT-NeoX-shaped graphs (124M, 1.3B, 6B, 20B) whose
# weights are external data in a sparse file, on the wse2 preset in streaming
# mode; then the whole --wse-pipeline in one process, pipelined mode (which
# must report "does not fit" for the large shapes), and a check that no stage
# opens weights.bin.
#   usage: benchmarks/wafer/wafer_scale.sh BUILD_DIR [WORK_DIR] [SHAPES...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:?usage: wafer_scale.sh BUILD_DIR [WORK_DIR] [SHAPES...]}"
WORK="${2:-$BUILD/bench-wafer}"
shift $(( $# >= 2 ? 2 : $# ))
SHAPES=("$@")
[ ${#SHAPES[@]} -eq 0 ] && SHAPES=(124m 1.3b 6b 20b)
TARGET="${TARGET:-wse2}"
OPT="$BUILD/bin/wse-opt"
mkdir -p "$WORK"

# stage name, input file, output file, wse-opt arguments
STAGES=(
  "prepare|imported|prepared|--onnx-prepare"
  "convert|prepared|converted|--convert-onnx-to-wafer --wafer-fuse-elementwise --canonicalize --cse"
  "place|converted|placed|--wafer-target=target=$TARGET --wafer-place=mode=stream"
  "layout|placed|laidout|--wafer-layout"
  "schedule|laidout|scheduled|--wafer-schedule-streams"
  "verify|scheduled|verified|--wafer-verify"
)

measure() { # out-prefix command...
  local prefix="$1"; shift
  /usr/bin/time -f "%e %M" -o "$prefix.time" "$@" 2> "$prefix.err" || {
    echo "FAILED: $*" >&2; sed -n 1,5p "$prefix.err" >&2; return 1; }
  read -r secs kib < "$prefix.time"
  printf "%8s %7d" "$secs" $((kib / 1024))
}

printf "target %s, streaming mode; each cell: seconds, peak MiB of that stage's process\n" "$TARGET"
printf "%-6s %6s %10s |%16s" shape ops params import
for s in "${STAGES[@]}"; do printf "|%16s" "${s%%|*}"; done
printf "|%16s| %-24s| %s\n" "whole pipeline" "pipelined mode" "weights.bin opened"
for shape in "${SHAPES[@]}"; do
  dir="$WORK/$shape"
  mkdir -p "$dir"
  info=$(/usr/bin/python3 "$ROOT/test/models/make_large_graph.py" --shape "$shape" --out "$dir")
  params=$(echo "$info" | sed -n 's/^parameters: \([0-9,]*\).*/\1/p')
  row=$(measure "$dir/import" "$BUILD/bin/wse-translate" --import-onnx "$dir/model.onnx" -o "$dir/imported.mlir")
  for s in "${STAGES[@]}"; do
    IFS='|' read -r name in out args <<< "$s"
    # shellcheck disable=SC2086
    cell=$(measure "$dir/$name" "$OPT" $args "$dir/$in.mlir" -o "$dir/$out.mlir")
    row="$row|$cell"
  done
  ops=$(grep -c ' = wafer\.' "$dir/verified.mlir" || true)
  whole=$(measure "$dir/pipeline" "$OPT" "--wse-pipeline=target=$TARGET mode=stream cost-json=$dir/cost.json" \
    "$dir/imported.mlir" -o "$dir/pipeline.mlir")
  if "$OPT" "--wse-pipeline=target=$TARGET mode=pipelined" "$dir/imported.mlir" -o /dev/null 2> "$dir/pipelined.err"; then
    pipelined="fits"
  else
    pipelined=$(grep -o 'short by [0-9]* PEs' "$dir/pipelined.err" || echo "FAILED (see $dir/pipelined.err)")
  fi
  opened=no
  if command -v strace >/dev/null; then
    strace -f -e trace=open,openat -o "$dir/strace.txt" "$BUILD/bin/wse-translate" --import-onnx "$dir/model.onnx" -o /dev/null
    strace -f -e trace=open,openat -o "$dir/strace-opt.txt" "$OPT" "--wse-pipeline=target=$TARGET mode=stream" "$dir/imported.mlir" -o /dev/null
    cat "$dir/strace.txt" "$dir/strace-opt.txt" | grep -q weights.bin && opened=YES
  else
    opened="(strace missing)"
  fi
  printf "%-6s %6s %10s |%s|%s| %-24s| %s\n" "$shape" "$ops" "$params" "$row" "$whole" "$pipelined" "$opened"
done

#!/usr/bin/env bash
# Issue 12 ("Width fits") benchmark: the wide GPT-2 models on the emulator.
#
#   benchmarks/width/run_width.sh BUILD_DIR [WORK_DIR] [d256|d768 ...]
#
# Exports the models (make_width_models.py: d256 = d_model 256, 8 heads,
# ff 1024, 4 layers, T=256; d768 = d_model 768, 12 heads, ff 3072, 2 layers,
# vocab 8192, T=128) and runs each through wse-run (d256 on 32x32, d768 on
# 64x64, stream mode) against torch's logits (tolerance 1e-4 of the largest
# logit). Prints wse-run's summary, the SRAM remark of pe-allocate-sram
# (code, data words and the words left per PE) and the wall time.
# THREADS=N runs the emulator on N threads (the same cycles and outputs;
# on an otherwise idle 2-core machine THREADS=2 is about 1.8x faster; the
# d768 run took 1 h 47 min with THREADS=2 on a shared machine,
# docs/pe/performance.md).
set -euo pipefail
build=$(cd "${1:?usage: run_width.sh BUILD_DIR [WORK_DIR] [MODELS...]}" && pwd)
work=${2:-/tmp/wse-width}
shift $(( $# >= 2 ? 2 : 1 ))
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(d256 d768)
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
/usr/bin/python3 "$here/make_width_models.py" --out "$work" --only "${models[@]}"
for m in "${models[@]}"; do
  case $m in
    d256) target=32x32 ;;
    d768) target=64x64 ;;
  esac
  echo "== $m on $target (stream)"
  "$build/bin/wse-translate" --import-onnx "$work/$m.onnx" -o "$work/$m.mlir"
  "$build/bin/wse-opt" "$work/$m.mlir" \
    --wse-pipeline="target=$target mode=stream lower=true explain=true" \
    -o /dev/null 2>&1 | grep -o "pe-allocate-sram: .*" || true
  /usr/bin/time -f "wall %e s, peak RSS %M KB" "$build/bin/wse-run" \
    "$work/$m.onnx" --target "$target" --mode stream \
    --input "input_ids=$work/$m.input_ids.npy" \
    --expect "$work/$m.logits.npy" --tolerance 1e-4 --work "$work/$m.run" \
    --emu-arg="--threads=${THREADS:-1}" \
    | grep -v '^\$'
done

#!/usr/bin/env bash
# 32 greedy tokens of every family's test decoder on the emulator, against
# torch's greedy tokens (full recompute: one program per length, 4-token
# prompt, so the last step runs 35 positions). GPT-J's biased LM head needs
# a 10x10 mesh that long; the others fit 8x8. Prints one table row per
# family; docs/pe/running.md has the numbers. About 3 minutes per family.
#
# Usage: benchmarks/generate/greedy32.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
M=$BUILD/test/models/import
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "| family | mesh | tokens equal torch | emulated cycles | tokens/s at the clock | host s/token |"
echo "|---|---|---|---:|---:|---:|"
for spec in llama:8x8 gpt2:8x8 gptneo:8x8 gptj:10x10; do
  f=${spec%%:*}; mesh=${spec##*:}
  out=$("$BUILD/bin/wse-run" "$M/opsets/${f}_dynamic_op12.onnx" --target "$mesh" \
        --work "$WORK/$f" --generate 32 --prompt "$M/generate/$f.prompt.npy" \
        --expect-tokens "$M/generate/$f.greedy32.npy" 2>&1) || true
  equal=$(grep -q "^expected:    the 32 tokens equal" <<<"$out" && echo yes || echo NO)
  cycles=$(sed -n 's/^emulated: *\([0-9]*\) cycles.*/\1/p' <<<"$out")
  rate=$(sed -n 's/^emulated:.* \([0-9]*\) tokens\/s.*/\1/p' <<<"$out")
  host=$(sed -n 's/^host time:.*, \([0-9.]*\) s\/token.*/\1/p' <<<"$out")
  echo "| $f | $mesh | $equal | ${cycles:-failed} | ${rate:--} | ${host:--} |"
done

#!/usr/bin/env bash
# Installs everything a fresh Debian 12 machine needs to build and test the
# project. Fast and quiet when all packages are already present.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ git strace time
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libonnx-dev protobuf-compiler libprotobuf-dev
  python3-onnx python3-torch python3-numpy
  libonnx-testdata
  libgtest-dev libgmock-dev libbenchmark-dev
  # wse-emu's MPI ranks (mpirun -np N wse-emu; test/emu/ranks.test)
  libopenmpi-dev openmpi-bin
  # the sanitized build and libFuzzer (scripts/sanitize.sh, scripts/fuzz.sh)
  clang-22 libclang-rt-22-dev
  zlib1g-dev libzstd-dev libedit-dev libcurl4-openssl-dev libxml2-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js >= 18 with npm runs ONNX Runtime (tools/wse-ort). A node that came
# from elsewhere (NodeSource's package conflicts with Debian's npm) is kept.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 18 ] || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -ne 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup: done"
fi

# ONNX Runtime (the CPU library ships inside the npm package), pinned, into
# the project's own folder: nothing of it leaves third_party/ort. Its install
# script only fetches GPU providers, hence --ignore-scripts.
ORT_VERSION=1.30.0
ORT_DIR="$(cd "$(dirname "$0")/.." && pwd)/third_party/ort"
ORT_PKG="$ORT_DIR/node_modules/onnxruntime-node/package.json"
if ! grep -q "\"version\": \"$ORT_VERSION\"" "$ORT_PKG" 2>/dev/null; then
  echo "setup: installing onnxruntime-node@$ORT_VERSION into $ORT_DIR"
  mkdir -p "$ORT_DIR"
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
    --prefix "$ORT_DIR" "onnxruntime-node@$ORT_VERSION" >/dev/null
fi

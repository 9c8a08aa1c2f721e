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
  zlib1g-dev libzstd-dev libedit-dev libcurl4-openssl-dev libxml2-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"

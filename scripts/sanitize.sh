#!/usr/bin/env bash
# The sanitized build (docs/hardening.md): clang-22 with AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage instrumentation, in its
# own build directory (default build-san). Debian's LLVM/MLIR/libonnx stay
# uninstrumented, hence allow_user_poisoning=0 (LLVM's headers poison memory
# that the uninstrumented libraries then use).
#   scripts/sanitize.sh [BUILD_DIR]        build everything, run the whole suite
#   scripts/sanitize.sh --ci [BUILD_DIR]   the parts that read untrusted input:
#       ONNX import, program loading and assembly, machine descriptions; their
#       lit tests, then each fuzz harness for FUZZ_SECONDS (default 10) from
#       its seed corpus
#   scripts/sanitize.sh --build [BUILD_DIR] configure and build the harnesses
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODE=full
case "${1:-}" in
  --ci) MODE=ci; shift ;;
  --build) MODE=build; shift ;;
esac
BUILD="${1:-$ROOT/build-san}"
JOBS="${JOBS:-$(nproc)}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-allow_user_poisoning=0:detect_leaks=0:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

"$ROOT/scripts/setup.sh"
# -O1: sanitizers want some optimization, and it compiles faster than -O3.
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
  -DWSE_FUZZ=ON >/dev/null

LIT=/usr/lib/llvm-22/bin/lit
case "$MODE" in
  build)
    ninja -C "$BUILD" -j"$JOBS" wse-fuzzers
    ;;
  full)
    ninja -C "$BUILD" -j"$JOBS" all WSEUnitTests mlir-doc wse-fuzzers
    "$LIT" -sv "$BUILD/test" "$BUILD/test/unit"
    ;;
  ci)
    ninja -C "$BUILD" -j"$JOBS" wse-translate wse-opt wse-emu wse-fuzzers
    # The import tests read the torch-exported models of the Release build
    # (scripts/test.sh made them); exporting them again would take minutes.
    # (CMake leaves an empty models/train directory in its place.)
    if [ -f "$ROOT/build/test/models/.stamp" ] && [ ! -L "$BUILD/test/models" ] &&
       [ ! -f "$BUILD/test/models/.stamp" ]; then
      rm -rf "$BUILD/test/models"
      ln -s "$ROOT/build/test/models" "$BUILD/test/models"
    fi
    "$LIT" -sv "$BUILD/test" --filter "$(cat "$ROOT/fuzz/untrusted-tests.txt")"
    FUZZ_BUILD="$BUILD" FUZZ_SEED="${FUZZ_SEED:-1}" FUZZ_REPORT_ONLY=1 \
      "$ROOT/scripts/fuzz.sh" "${FUZZ_SECONDS:-10}"
    ;;
esac

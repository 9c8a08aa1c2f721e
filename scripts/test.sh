#!/usr/bin/env bash
# Sets up the machine, builds everything and runs every test (lit suites,
# GoogleTest units, end-to-end checks). Ends with a summary line.
#   usage: scripts/test.sh [BUILD_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"

"$ROOT/scripts/setup.sh"
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
# "all" includes the test models (torch exports with references, generated).
ninja -C "$BUILD" -j"$(nproc)" all WSEUnitTests mlir-doc

set +e
/usr/lib/llvm-22/bin/lit -sv "$BUILD/test" "$BUILD/test/unit" | tee "$BUILD/lit.log"
status=${PIPESTATUS[0]}
set -e
# lit prints "  Passed: N (..%)", "  Failed: N (..%)" and so on.
count() {
  { grep -E "^\s+($1)\s*:" "$BUILD/lit.log" || true; } |
    awk -F: '{split($2, a, " "); s += a[1]} END {print s + 0}'
}
passed=$(count 'Passed|Expectedly Failed')
failed=$(count 'Failed|Unresolved|Timed Out|Unexpectedly Passed')
echo "SUMMARY: passed=${passed:-0} failed=${failed:-0}"
exit "$status"

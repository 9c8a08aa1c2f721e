#!/bin/sh
# Renders a wse-report page in headless Chromium (Debian's `chromium`
# package) and writes a PNG: the check that a real browser draws the page,
# and the way docs/report.md's screenshot was made.
#
#   tools/wse-report/screenshot.sh REPORT.html OUT.png [WIDTH HEIGHT]
set -eu
if [ $# -lt 2 ]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH HEIGHT]" >&2
  exit 1
fi
page=$1 out=$2 width=${3:-1100} height=${4:-1800}
[ -f "$page" ] || { echo "$0: no such page: $page" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "$0: no chromium: apt-get install chromium" >&2
  exit 1
fi
abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size="$width,$height" --screenshot="$out" "file://$abs" \
  >/dev/null 2>&1
[ -s "$out" ] || { echo "$0: chromium wrote no screenshot" >&2; exit 1; }
echo "$out"

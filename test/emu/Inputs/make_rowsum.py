"""Writes a row-sum program spanning a whole mesh, for memory and scale tests.

Usage: make_rowsum.py MACHINE WIDTH HEIGHT PORT_SPACING WORDS > PROGRAM.wse

Every PE of the WIDTH x HEIGHT mesh fills a WORDS-word buffer with
(x % 8 + y % 3), sums it, and the sums travel east along each row, PE to PE,
each adding its own. The last PE of every row with an east port (rows 0,
PORT_SPACING, 2 * PORT_SPACING, ...) sends its row's total to that port, as
element k of the output `rowsum`. Row y's total is
WORDS * (sum over x < WIDTH of x % 8 + WIDTH * (y % 3)); `expected` below
computes it. With wse2 (750 x 994, ports every 16 rows) and WORDS = 2560
every PE uses 10 KiB of SRAM (docs/emulator/benchmark.md).
"""
import sys


def expected(width, height, spacing, words):
    s = sum(x % 8 for x in range(width))
    return [words * (s + width * (y % 3)) for y in range(0, height, spacing)]


def main():
    machine, width, height, spacing, words = sys.argv[1], *map(int,
                                                                sys.argv[2:6])
    rows = list(range(0, height, spacing))
    out = [
        "version 1",
        f'machine "{machine}"',
        f"output rowsum : f32[{len(rows)}]",
        "",
        "kernel rowsum {",
        "  const fromWest = x > 0",
        "  const toEast = x < mw - 1",
        f"  const toPort = (x == mw - 1) * (y % {spacing} == 0)",
        "  const v = x % 8 + y % 3",
        f"  buffer a[{words}] at 0",
        f"  buffer s[1] at {words}",
        "  task main entry {",
        f"    ifill mem(a, {words}), v",
        f"    rsum mem(s, 1), mem(a, {words})",
        "    add mem(s, fromWest), mem(s, fromWest), in(1, fromWest)",
        "    copy out(1, toEast), mem(s, toEast)",
        "    copy out(2, toPort), mem(s, toPort)",
        "  }",
        "}",
        "",
        f"place rowsum rect(0, 0, {width}, {height})",
        "",
        f"route rect(0, 0, {width - 1}, {height}) color 1 : R -> E",
        f"route rect(1, 0, {width - 1}, {height}) color 1 : W -> R",
    ]
    out += [f"route rect({width - 1}, {y}, 1, 1) color 2 : R -> E"
            for y in rows]
    out.append("")
    out += [f"stream out rowsum offset {k} shape [1] strides [1] from E{k} "
            "color 2" for k in range(len(rows))]
    print("\n".join(out))


if __name__ == "__main__":
    main()

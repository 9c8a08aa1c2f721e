//===- ColumnProgram.h - A program for the band and rank tests -*- C++ -*-===//

#ifndef WSE_TEST_UNIT_EMU_COLUMNPROGRAM_H
#define WSE_TEST_UNIT_EMU_COLUMNPROGRAM_H

// Through the library: a column multicast whose receivers are busy first,
// so the sender is held back across every band edge.
inline const char *kColumn = R"(version 1
kernel src {
  task main entry {
    fill out(1, 64), 0.5
  }
}
kernel dst {
  buffer a[64] at 0
  buffer b[512] at 64 init 1.0
  task main entry {
    add mem(b, 512), mem(b, 512), mem(b, 512)
    copy mem(a, 64), in(1, 64)
  }
}
place src rect(0, 0, 1, 1)
place dst rect(0, 1, 1, 3)
route rect(0, 0, 1, 1) color 1 : R -> S
route rect(0, 1, 1, 2) color 1 : N -> S, R
route rect(0, 3, 1, 1) color 1 : N -> R
)";

#endif

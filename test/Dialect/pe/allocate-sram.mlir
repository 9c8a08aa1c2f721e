// pe-allocate-sram places buffers first-fit by decreasing size; buffers with
// disjoint live ranges share words unless reuse=false.
// RUN: wse-opt %s --split-input-file --pe-allocate-sram | FileCheck %s
// RUN: wse-opt %s --split-input-file --pe-allocate-sram=reuse=false | FileCheck %s --check-prefix=NOREUSE

// @a lives over instructions 0-1, @b over 2-3: they share address 0. @c is
// read with a register offset (the emulator cannot rebase it), @d has an init
// value, @e is used by a second task: all three live for the whole program.
// @fixed keeps its address and the others avoid it.
// CHECK-LABEL: pe.kernel @k
// CHECK-DAG: pe.buffer @fixed[4] at 0
// CHECK-DAG: pe.buffer @a[8] at 4
// CHECK-DAG: pe.buffer @b[6] at 4
// CHECK-DAG: pe.buffer @c[2] at 12
// CHECK-DAG: pe.buffer @d[2] at 14 init 1.000000e+00
// CHECK-DAG: pe.buffer @e[1] at 16
// NOREUSE-LABEL: pe.kernel @k
// NOREUSE-DAG: pe.buffer @fixed[4] at 0
// NOREUSE-DAG: pe.buffer @a[8] at 4
// NOREUSE-DAG: pe.buffer @b[6] at 12
// NOREUSE-DAG: pe.buffer @c[2] at 18
// NOREUSE-DAG: pe.buffer @d[2] at 20 init 1.000000e+00
// NOREUSE-DAG: pe.buffer @e[1] at 22
module attributes {wafer.target = #wafer.target<"8x8">} {
  pe.kernel @k {
    pe.buffer @fixed [4] at 0
    pe.buffer @a [8]
    pe.buffer @b [6]
    pe.buffer @c [2]
    pe.buffer @d [2] init 1.0
    pe.buffer @e [1]
    pe.task @t entry {
      pe.fill [#pe.mem<@a, 0, 8, 1>, 0.0 : f32]
      pe.copy [#pe.mem<@fixed, 0, 4, 1>, #pe.mem<@a, 0, 4, 1>]
      pe.fill [#pe.mem<@b, 0, 6, 1>, 0.0 : f32]
      pe.copy [#pe.mem<@fixed, 0, 4, 1>, #pe.mem<@b, 0, 4, 1>]
      pe.copy [#pe.mem<@c, #pe.reg<1>, 1, 1>, #pe.mem<@d, 0, 1, 1>]
      pe.copy [#pe.mem<@e, 0, 1, 1>, #pe.mem<@c, 0, 1, 1>]
    }
    pe.task @u local {
      pe.copy [#pe.mem<@e, 0, 1, 1>, #pe.mem<@fixed, 0, 1, 1>]
    }
  }
}

// -----
// A loop around a reference extends the live range to the whole loop: @x is
// used inside the loop [top, blt] and @y after the loop's first instruction
// but inside it, so they overlap; @z after the loop reuses @x's words.
// CHECK-LABEL: pe.kernel @loop
// CHECK-DAG: pe.buffer @x[4] at 0
// CHECK-DAG: pe.buffer @y[4] at 4
// CHECK-DAG: pe.buffer @z[4] at 0
module attributes {wafer.target = #wafer.target<"8x8">} {
  pe.kernel @loop {
    pe.buffer @x [4]
    pe.buffer @y [4]
    pe.buffer @z [4]
    pe.task @t entry {
      pe.label @top
      pe.fill [#pe.mem<@x, 0, 4, 1>, 0.0 : f32]
      pe.fill [#pe.mem<@y, 0, 4, 1>, 0.0 : f32]
      pe.iadd [#pe.reg<1>, #pe.reg<1>, 1]
      pe.blt [#pe.reg<1>, 3, @top]
      pe.fill [#pe.mem<@z, 0, 4, 1>, 0.0 : f32]
    }
  }
}

// -----
// A buffer whose address is taken (#pe.addr) lives for the whole program.
// CHECK-LABEL: pe.kernel @addr
// CHECK-DAG: pe.buffer @p[4] at 0
// CHECK-DAG: pe.buffer @q[4] at 4
module attributes {wafer.target = #wafer.target<"8x8">} {
  pe.kernel @addr {
    pe.buffer @p [4]
    pe.buffer @q [4]
    pe.task @t entry {
      pe.mov [#pe.reg<2>, #pe.addr<@p>]
      pe.fill [#pe.mem<@q, 0, 4, 1>, 0.0 : f32]
    }
  }
}

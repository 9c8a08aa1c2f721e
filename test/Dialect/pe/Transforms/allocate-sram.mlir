// pe-allocate-sram places buffers first-fit, longest-lived first; buffers
// with disjoint live ranges share words unless reuse=false.
// RUN: wse-opt %s --split-input-file --pe-allocate-sram | FileCheck %s
// RUN: wse-opt %s --split-input-file --pe-allocate-sram=reuse=false | FileCheck %s --check-prefix=NOREUSE

// @d has an init value and @e is used by a second task: both live for the
// whole program and are placed first, after @fixed, which keeps its address.
// @a lives over instructions 0-1, @b over 2-3 and @c (read with a register
// offset, which the emulator allows in a shared word range) over 4-5: all
// three share the words after them.
// CHECK-LABEL: pe.kernel @k
// CHECK-DAG: pe.buffer @fixed[4] at 0
// CHECK-DAG: pe.buffer @a[8] at 7
// CHECK-DAG: pe.buffer @b[6] at 7
// CHECK-DAG: pe.buffer @c[2] at 7
// CHECK-DAG: pe.buffer @d[2] at 4 init 1.000000e+00
// CHECK-DAG: pe.buffer @e[1] at 6
// NOREUSE-LABEL: pe.kernel @k
// NOREUSE-DAG: pe.buffer @fixed[4] at 0
// NOREUSE-DAG: pe.buffer @a[8] at 4
// NOREUSE-DAG: pe.buffer @b[6] at 12
// NOREUSE-DAG: pe.buffer @c[2] at 18
// NOREUSE-DAG: pe.buffer @d[2] at 20 init 1.000000e+00
// NOREUSE-DAG: pe.buffer @e[1] at 22
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.kernel @k {
    pe.buffer @fixed [4] at 0
    pe.buffer @a [8]
    pe.buffer @b [6]
    pe.buffer @c [2]
    pe.buffer @d [2] init 1.0
    pe.buffer @e [1]
    pe.task @t entry {
      pe.fill #pe.mem<@a, 0, 8, 1>, 0.0
      pe.copy #pe.mem<@fixed, 0, 4, 1>, #pe.mem<@a, 0, 4, 1>
      pe.fill #pe.mem<@b, 0, 6, 1>, 0.0
      pe.copy #pe.mem<@fixed, 0, 4, 1>, #pe.mem<@b, 0, 4, 1>
      pe.copy #pe.mem<@c, #pe.reg<1>, 1, 1>, #pe.mem<@d, 0, 1, 1>
      pe.copy #pe.mem<@e, 0, 1, 1>, #pe.mem<@c, 0, 1, 1>
    }
    pe.task @u local {
      pe.copy #pe.mem<@e, 0, 1, 1>, #pe.mem<@fixed, 0, 1, 1>
    }
  }
}

// -----
// A loop around a reference extends the live range to the whole loop: @x
// and @y are used at different instructions inside the loop, so they
// overlap; @z after the loop reuses @x's words.
// CHECK-LABEL: pe.kernel @loop
// CHECK-DAG: pe.buffer @x[4] at 0
// CHECK-DAG: pe.buffer @y[4] at 4
// CHECK-DAG: pe.buffer @z[4] at 0
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.kernel @loop {
    pe.buffer @x [4]
    pe.buffer @y [4]
    pe.buffer @z [4]
    pe.task @t entry {
      pe.loop #pe.reg<1> to 3 {
        pe.fill #pe.mem<@x, 0, 4, 1>, 0.0
        pe.fill #pe.mem<@y, 0, 4, 1>, 0.0
      }
      pe.fill #pe.mem<@z, 0, 4, 1>, 0.0
    }
  }
}

// -----
// A loop over `layers` repeats code that writes its buffers before
// reading them in each iteration: @a and @b, used only inside it at disjoint
// places, share words; @c, written before the loop and read inside it, lives
// across the whole loop, and so does @d, written inside and read after it.
// CHECK-LABEL: pe.kernel @layers
// CHECK-NEXT: pe.buffer @a[4] at 8
// CHECK-NEXT: pe.buffer @b[4] at 8
// CHECK-NEXT: pe.buffer @c[4] at 0
// CHECK-NEXT: pe.buffer @d[4] at 4
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.kernel @layers {
    pe.buffer @a [4]
    pe.buffer @b [4]
    pe.buffer @c [4]
    pe.buffer @d [4]
    pe.task @t entry {
      pe.fill #pe.mem<@c, 0, 4, 1>, 0.0
      pe.loop #pe.reg<1> to 3 layers {
        pe.fill #pe.mem<@d, 0, 4, 1>, 0.0
        pe.copy #pe.mem<@a, 0, 4, 1>, #pe.mem<@c, 0, 4, 1>
        pe.fill #pe.mem<@b, 0, 4, 1>, 0.0
      }
      pe.copy #pe.mem<@c, 0, 4, 1>, #pe.mem<@d, 0, 4, 1>
    }
  }
}

// -----
// Taking a buffer's address (#pe.addr) is a reference at that instruction:
// @p (its address moved into a register, not used after) and @q share words.
// A subroutine's return (a branch back to its call site, after the code) is
// not a loop: @r, used before it, and @s, used after, share words too.
// CHECK-LABEL: pe.kernel @addr
// CHECK-DAG: pe.buffer @p[4] at 0
// CHECK-DAG: pe.buffer @q[4] at 0
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.kernel @addr {
    pe.buffer @p [4]
    pe.buffer @q [4]
    pe.task @t entry {
      pe.mov #pe.reg<2>, #pe.addr<@p>
      pe.fill #pe.mem<@q, 0, 4, 1>, 0.0
    }
  }
}

// -----
// CHECK-LABEL: pe.kernel @sub
// CHECK-DAG: pe.buffer @r[4] at 0
// CHECK-DAG: pe.buffer @s[4] at 0
// NOREUSE-LABEL: pe.kernel @sub
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.kernel @sub {
    pe.buffer @r [4]
    pe.buffer @s [4]
    pe.task @t entry {
      pe.fill #pe.mem<@r, 0, 4, 1>, 0.0
      pe.call @f()
      pe.fill #pe.mem<@r, 0, 4, 1>, 1.0
      pe.fill #pe.mem<@s, 0, 4, 1>, 0.0
      pe.ret
      pe.subroutine @f() {
      }
    }
  }
}

// pe-assign-colors numbers the channels greedily and replaces every
// reference; pe.channel ops are gone afterwards.
// RUN: wse-opt %s --split-input-file --pe-assign-colors | FileCheck %s

// @a and @b share PE (1,0): 0 and 1. @c shares no PE and no kernel with
// them: 0 again. @d has no routes but kernel @k uses it with @a: 1 (the
// numeric color 2 is excluded everywhere). The kernel's const @c shadows the
// channel @c inside the kernel.
// CHECK-LABEL: module
// CHECK-NOT: pe.channel
// CHECK: pe.kernel @k {
// CHECK-NEXT: pe.const @c = 5
// CHECK: pe.task @t on color 0 {
// CHECK-NEXT: pe.copy #pe.out<1, 4>, #pe.in<0, 4>
// CHECK-NEXT: pe.copy #pe.out<@c, 4>, #pe.in<2, 4>
// CHECK: pe.route <x = 0, y = 0, width = 2, height = 1> color 0 from W to [E, R]
// CHECK-NEXT: pe.route <x = 1, y = 0, width = 2, height = 1> color 1 from R to [E]
// CHECK-NEXT: pe.route <x = 5, y = 5, width = 1, height = 1> color 0 from R to [E]
// CHECK-NEXT: pe.route <x = 4, y = 4, width = 1, height = 1> color 2 from W to [R]
// CHECK-NEXT: pe.stream_in @x port W0 color 0
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.input @x : tensor<4xf32>
  pe.channel @a
  pe.channel @b
  pe.channel @c
  pe.channel @d
  pe.kernel @k {
    pe.const @c = 5
    pe.task @t on color @a {
      pe.copy #pe.out<@d, 4>, #pe.in<@a, 4>
      pe.copy #pe.out<@c, 4>, #pe.in<2, 4>
    }
  }
  pe.place @k <x = 0, y = 0, width = 2, height = 1>
  pe.route <x = 0, y = 0, width = 2, height = 1> color @a from W to [E, R]
  pe.route <x = 1, y = 0, width = 2, height = 1> color @b from R to [E]
  pe.route <x = 5, y = 5, width = 1, height = 1> color @c from R to [E]
  pe.route <x = 4, y = 4, width = 1, height = 1> color 2 from W to [R]
  pe.stream_in @x port W0 color @a
}

// -----
// Without channels nothing needs a target.
// CHECK-LABEL: module {
// CHECK-NEXT: pe.route <x = 0, y = 0, width = 1, height = 1> color 1 from W to [E]
module {
  pe.route <x = 0, y = 0, width = 1, height = 1> color 1 from W to [E]
}

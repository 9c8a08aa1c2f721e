// pe-route expands each flow pattern into routes on the flow's channel.
// RUN: wse-opt %s --split-input-file --pe-route | FileCheck %s

// Multicast from W2 (row 2) over rows 1-4, columns 2-4: pass-through from the
// edge on row 2, then up/down the rect's columns.
// CHECK-LABEL: module
// CHECK-NOT: pe.flow
// CHECK-NEXT: pe.channel @a
// CHECK-NEXT: pe.route <x = 0, y = 2, width = 2, height = 1> color @a from W to [E]
// CHECK-NEXT: pe.route <x = 2, y = 2, width = 2, height = 1> color @a from W to [N, E, S, R]
// CHECK-NEXT: pe.route <x = 4, y = 2, width = 1, height = 1> color @a from W to [N, S, R]
// CHECK-NEXT: pe.route <x = 2, y = 1, width = 3, height = 1> color @a from S to [R]
// CHECK-NEXT: pe.route <x = 2, y = 3, width = 3, height = 1> color @a from N to [S, R]
// CHECK-NEXT: pe.route <x = 2, y = 4, width = 3, height = 1> color @a from N to [R]
// CHECK-NEXT: }
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @a
  pe.flow @a multicast <x = 2, y = 1, width = 3, height = 4> port W2
}

// -----
// Multicast from E1 (the rect's top row): east to west along row 1.
// CHECK-LABEL: module
// CHECK-NEXT: pe.channel @b
// CHECK-NEXT: pe.route <x = 5, y = 1, width = 3, height = 1> color @b from E to [W]
// CHECK-NEXT: pe.route <x = 3, y = 1, width = 2, height = 1> color @b from E to [S, W, R]
// CHECK-NEXT: pe.route <x = 2, y = 1, width = 1, height = 1> color @b from E to [S, R]
// CHECK-NEXT: pe.route <x = 2, y = 2, width = 3, height = 2> color @b from N to [S, R]
// CHECK-NEXT: pe.route <x = 2, y = 4, width = 3, height = 1> color @b from N to [R]
// CHECK-NEXT: }
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @b
  pe.flow @b multicast <x = 2, y = 1, width = 3, height = 4> port E1
}

// -----
// A rect at the west edge spanning rows 0-7 on 8x8 (port row 0, top row).
// CHECK-LABEL: module
// CHECK-NEXT: pe.channel @m
// CHECK-NEXT: pe.route <x = 0, y = 0, width = 7, height = 1> color @m from W to [E, S, R]
// CHECK-NEXT: pe.route <x = 7, y = 0, width = 1, height = 1> color @m from W to [S, R]
// CHECK-NEXT: pe.route <x = 0, y = 1, width = 8, height = 6> color @m from N to [S, R]
// CHECK-NEXT: pe.route <x = 0, y = 7, width = 8, height = 1> color @m from N to [R]
// CHECK-NEXT: }
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @m
  pe.flow @m multicast <x = 0, y = 0, width = 8, height = 8> port W0
}

// -----
// Two chains of phases 0 and 1 make a relay line eastward over columns 1-5.
// CHECK-LABEL: module
// CHECK: pe.route <x = 1, y = 0, width = 1, height = 2> color @c0 from R to [E]
// CHECK-NEXT: pe.route <x = 2, y = 0, width = 1, height = 2> color @c0 from W to [R]
// CHECK-NEXT: pe.route <x = 3, y = 0, width = 1, height = 2> color @c0 from R to [E]
// CHECK-NEXT: pe.route <x = 4, y = 0, width = 1, height = 2> color @c0 from W to [R]
// CHECK-NEXT: pe.route <x = 2, y = 0, width = 1, height = 2> color @c1 from R to [E]
// CHECK-NEXT: pe.route <x = 3, y = 0, width = 1, height = 2> color @c1 from W to [R]
// CHECK-NEXT: pe.route <x = 4, y = 0, width = 1, height = 2> color @c1 from R to [E]
// CHECK-NEXT: pe.route <x = 5, y = 0, width = 1, height = 2> color @c1 from W to [R]
// CHECK-NEXT: }
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @c0
  pe.channel @c1
  pe.flow @c0 chain <x = 1, y = 0, width = 5, height = 2> dir E phase 0
  pe.flow @c1 chain <x = 1, y = 0, width = 5, height = 2> dir E phase 1
}

// -----
// A northward chain counts rows from the bottom; a westward one columns from
// the right.
// CHECK-LABEL: module
// CHECK: pe.route <x = 0, y = 5, width = 2, height = 1> color @n from R to [N]
// CHECK-NEXT: pe.route <x = 0, y = 4, width = 2, height = 1> color @n from S to [R]
// CHECK-NEXT: pe.route <x = 2, y = 0, width = 1, height = 1> color @w from R to [W]
// CHECK-NEXT: pe.route <x = 1, y = 0, width = 1, height = 1> color @w from E to [R]
// CHECK-NEXT: }
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @n
  pe.channel @w
  pe.flow @n chain <x = 0, y = 3, width = 2, height = 3> dir N phase 0
  pe.flow @w chain <x = 0, y = 0, width = 4, height = 1> dir W phase 1
}

// -----
// Broadcast southward over rows 3-6: the first row sends, the middle rows
// pass on and deliver, the last row delivers. A line of one PE has no route.
// CHECK-LABEL: module
// CHECK: pe.route <x = 0, y = 3, width = 2, height = 1> color @e from R to [S]
// CHECK-NEXT: pe.route <x = 0, y = 4, width = 2, height = 2> color @e from N to [S, R]
// CHECK-NEXT: pe.route <x = 0, y = 6, width = 2, height = 1> color @e from N to [R]
// CHECK-NEXT: pe.route <x = 7, y = 2, width = 1, height = 1> color @g from R to [W]
// CHECK-NEXT: pe.route <x = 6, y = 2, width = 1, height = 1> color @g from E to [R]
// CHECK-NEXT: }
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @e
  pe.channel @g
  pe.channel @h
  pe.flow @e broadcast <x = 0, y = 3, width = 2, height = 4> dir S
  pe.flow @g broadcast <x = 6, y = 2, width = 2, height = 1> dir W
  pe.flow @h broadcast <x = 6, y = 2, width = 1, height = 1> dir N
}

// -----
// Egress from the PE next to the port.
// CHECK-LABEL: module
// CHECK: pe.route <x = 7, y = 5, width = 1, height = 1> color @f from R to [E]
// CHECK-NEXT: pe.route <x = 0, y = 3, width = 1, height = 1> color @f from R to [W]
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @f
  pe.flow @f egress <x = 7, y = 5, width = 1, height = 1> port E5
  pe.flow @f egress <x = 0, y = 3, width = 1, height = 1> port W3
}

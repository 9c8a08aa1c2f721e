// Every pe construct parses, verifies and prints back to the same text;
// the printed form parses again (round trip through the generic form too).
// RUN: wse-opt %s | FileCheck %s
// RUN: wse-opt %s | wse-opt | FileCheck %s
// RUN: wse-opt %s --mlir-print-op-generic | wse-opt | FileCheck %s

// CHECK-LABEL: module attributes {mesh.target = #mesh.target<"8x8">}
module attributes {mesh.target = #mesh.target<"8x8">} {
  // CHECK: pe.param @w : tensor<4x4xf32> file "w.bin" offset 16
  pe.param @w : tensor<4x4xf32> file "w.bin" offset 16
  // CHECK: pe.param @mask : tensor<2xf32> = dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
  pe.param @mask : tensor<2xf32> = dense<[1.0, 0.0]> : tensor<2xf32>
  // CHECK: pe.param @flags : tensor<2xi1> = dense<[true, false]> : tensor<2xi1>
  pe.param @flags : tensor<2xi1> = dense<[true, false]> : tensor<2xi1>
  // CHECK: pe.input @ids : tensor<1x16xi64>
  pe.input @ids : tensor<1x16xi64>
  // CHECK: pe.input @tokens : tensor<1x16xi64> range [-256, 256]
  pe.input @tokens : tensor<1x16xi64> range [-256, 256]
  // CHECK: pe.input @h : tensor<8xbf16>
  pe.input @h : tensor<8xbf16>
  // CHECK: pe.output @logits : tensor<1x16x8xf32>
  pe.output @logits : tensor<1x16x8xf32>
  // CHECK: pe.output @grad_w : tensor<4x4xf32> gradient @w
  pe.output @grad_w : tensor<4x4xf32> gradient @w
  // CHECK: pe.channel @bcast
  pe.channel @bcast
  pe.channel @res
  // CHECK: pe.kernel @main {
  pe.kernel @main {
    // CHECK: pe.table @rows = [3, 1, 2]
    pe.table @rows = [3, 1, 2]
    // CHECK: pe.const @n0 = ry * 2
    pe.const @n0 = ry * 2
    // CHECK: pe.const @n1 = @rows[@n0 mod 3] + select(lt(x, 2), mw, mh)
    pe.const @n1 = @rows[@n0 mod 3] + select(lt(x, 2), mw, mh)
    // Minimal parentheses; negative literals; unary minus.
    // CHECK: pe.const @n2 = (rx - (ry - 1)) * -3 - -(x / 2) + ph * (pw + 1) mod mh
    pe.const @n2 = ((rx - (ry - 1)) * (-3)) - (-(x / 2)) + ((ph * (pw + 1)) mod mh)
    // CHECK: pe.const @n3 = min(max(y, -9223372036854775808), 9223372036854775807)
    pe.const @n3 = min(max(y, -9223372036854775808), 9223372036854775807)
    // CHECK: pe.const @n4 = le(1, 2) + gt(1, 2) + eq(@n3, 0) + ne(ge(1, 2), 0)
    pe.const @n4 = le(1, 2) + gt(1, 2) + eq(@n3, 0) + ne(ge(1, 2), 0)
    // CHECK: pe.buffer @acc[8]
    pe.buffer @acc [8]
    // CHECK: pe.buffer @x[8] at 16 init 0.000000e+00
    pe.buffer @x [8] at 16 init 0.0
    // CHECK: pe.task @go entry {
    pe.task @go entry {
      // CHECK: pe.loop #pe.reg<0> to @n0 iter(#pe.reg<1> = #pe.addr<@x> step 8, #pe.reg<2> = 0 step -1) {
      pe.loop #pe.reg<0> to @n0 iter(#pe.reg<1> = #pe.addr<@x> step 8, #pe.reg<2> = 0 step -1) {
        // CHECK: pe.fmac #pe.mem<@acc, 0, 8, 1>, #pe.in<@bcast, 8>, #pe.mem<@x, #pe.reg<1>, @n0, 0>
        pe.fmac #pe.mem<@acc, 0, 8, 1>, #pe.in<@bcast, 8>, #pe.mem<@x, #pe.reg<1>, @n0, 0>
        // CHECK: pe.if #pe.reg<0> eq 0 {
        pe.if #pe.reg<0> eq 0 {
          // CHECK: pe.fill #pe.amem<32, 4, 1>, 2.500000e+00
          pe.fill #pe.amem<32, 4, 1>, 2.5
        // CHECK: } else {
        } else {
          // CHECK: pe.ifill #pe.mem<@acc, 0, 1, 1>, @n1
          pe.ifill #pe.mem<@acc, 0, 1, 1>, @n1
        }
      }
      // CHECK: pe.loop #pe.reg<3> to 4 layers {
      pe.loop #pe.reg<3> to 4 layers {
        // CHECK: pe.if #pe.reg<3> in [@n0, @n1) {
        pe.if #pe.reg<3> in [@n0, @n1) {
          // CHECK: pe.call @sum(#pe.addr<@acc>, 8)
          pe.call @sum(#pe.addr<@acc>, 8)
        }
        // CHECK: pe.if @n1 ne 0 {
        pe.if @n1 ne 0 {
          // Descriptor values accept an explicit ': i64' and print without it.
          // CHECK: pe.copy #pe.out<3, 8>, #pe.mem<@acc, -1, 8, 1>
          pe.copy #pe.out<3 : i64, 8>, #pe.mem<@acc, -1, 8 : i64, 1>
        }
        // CHECK: pe.if #pe.reg<3> lt 2 {
        pe.if #pe.reg<3> lt 2 {
        }
        // CHECK: pe.if #pe.reg<3> ge 2 {
        pe.if #pe.reg<3> ge 2 {
        }
      }
      // CHECK: pe.select #pe.out<@res, 8>, #pe.mem<@acc, 0, 8, 1>, #pe.mem<@x, 0, 8, 1>, #pe.in<#pe.reg<2>, 8>
      pe.select #pe.out<@res, 8>, #pe.mem<@acc, 0, 8, 1>, #pe.mem<@x, 0, 8, 1>, #pe.in<#pe.reg<2>, 8>
      // CHECK: pe.log #pe.mem<@acc, 0, 8, 1>, #pe.mem<@acc, 0, 8, 1>
      pe.log #pe.mem<@acc, 0, 8, 1>, #pe.mem<@acc, 0, 8, 1>
      // Registers are virtual: any number.
      // CHECK: pe.mov #pe.reg<100>, #pe.addr<@x>
      pe.mov #pe.reg<100>, #pe.addr<@x>
      // CHECK: pe.iadd #pe.reg<100>, #pe.reg<100>, -4
      pe.iadd #pe.reg<100>, #pe.reg<100>, -4
      // CHECK: pe.activate @recv
      pe.activate @recv
      // CHECK: pe.ret
      pe.ret
      // CHECK: pe.subroutine @sum(#pe.reg<7>, #pe.reg<8>) {
      pe.subroutine @sum(#pe.reg<7>, #pe.reg<8>) {
        // CHECK: pe.add #pe.amem<#pe.reg<7>, #pe.reg<8>, 1>, #pe.amem<#pe.reg<7>, #pe.reg<8>, 1>, #pe.in<@bcast, #pe.reg<8>>
        pe.add #pe.amem<#pe.reg<7>, #pe.reg<8>, 1>, #pe.amem<#pe.reg<7>, #pe.reg<8>, 1>, #pe.in<@bcast, #pe.reg<8>>
      }
    }
    // CHECK: pe.task @recv on color @bcast {
    pe.task @recv on color @bcast {
      pe.mark 3
    }
    // CHECK: pe.task @again on color 5 {
    pe.task @again on color 5 {
    }
    // CHECK: pe.task @byconst on color @n0 {
    pe.task @byconst on color @n0 {
    }
    // CHECK: pe.task @idle local {
    pe.task @idle local {
    }
  }
  // CHECK: pe.place @main <x = 0, y = 0, width = 8, height = 8>
  pe.place @main <x = 0, y = 0, width = 8, height = 8>
  // CHECK: pe.flow @bcast multicast <x = 0, y = 0, width = 8, height = 8> port W0
  pe.flow @bcast multicast <x = 0, y = 0, width = 8, height = 8> port W0
  // CHECK: pe.flow @res chain <x = 0, y = 0, width = 8, height = 1> dir E phase 1
  pe.flow @res chain <x = 0, y = 0, width = 8, height = 1> dir E phase 1
  // CHECK: pe.flow @res broadcast <x = 0, y = 0, width = 1, height = 8> dir S
  pe.flow @res broadcast <x = 0, y = 0, width = 1, height = 8> dir S
  // CHECK: pe.flow @res egress <x = 7, y = 0, width = 1, height = 1> port E0
  pe.flow @res egress <x = 7, y = 0, width = 1, height = 1> port E0
  // CHECK: pe.route <x = 0, y = 0, width = 8, height = 1> color 3 from W to [E, R]
  pe.route <x = 0, y = 0, width = 8, height = 1> color 3 from W to [E, R]
  // CHECK: pe.route <x = 0, y = 1, width = 8, height = 1> color @res from R to [N]
  pe.route <x = 0, y = 1, width = 8, height = 1> color @res from R to [N]
  // CHECK: pe.stream_in @w port W0 color @bcast
  pe.stream_in @w port W0 color @bcast
  // CHECK: pe.stream_in @ids port W1 color 2 offset 4 shape [2, 2] strides [8, 1]
  pe.stream_in @ids port W1 color 2 offset 4 shape [2, 2] strides [8, 1]
  // CHECK: pe.stream_out @logits port E0 color @res
  pe.stream_out @logits port E0 color @res
}

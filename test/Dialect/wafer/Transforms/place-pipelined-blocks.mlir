// RUN: wse-opt %s -wafer-place=mode=pipelined | FileCheck %s
// The placement passes wafer-verify's per-op estimate (what wafer-place
// sizes rectangles by) once laid out and scheduled...
// RUN: wse-opt %s -wafer-place=mode=pipelined | wse-opt --wafer-layout --wafer-schedule-streams --wafer-verify=plan-sram=false | FileCheck %s --check-prefix=VERIFY
// ...but not its SRAM plan: the lowering gathers the slice's whole operand
// onto every PE of the consumer's rectangle (pipelined mode moves tensors
// between rectangles as full copies), 49152 words where a PE has 12288.
// RUN: wse-opt %s -wafer-place=mode=pipelined | not wse-opt --wafer-layout --wafer-schedule-streams --wafer-verify 2>&1 | FileCheck %s --check-prefix=PLAN
// PLAN: error: the program needs {{[0-9]+}} words of SRAM per PE (code {{[0-9]+}} words for {{[0-9]+}} instructions, data {{[0-9]+}} words live at once); the target has 12288 words: short by {{[0-9]+}} words ({{[0-9]+}} bytes); the busiest point is this wafer.slice (largest buffers full[49152]
// VERIFY: wafer.mode = "pipelined"

// A data-movement op whose activations dwarf its layer's: the slice joins
// the elementwise it feeds, and its input stays whole along the two
// dimensions the canonical [*, *, x, y] leaves unspread.
//
// The minimums over 43008 usable bytes per PE (48 KiB - 6144 code):
//   elementwise: in + out [1, 64, 4, 8] = 2 * 8192 = 16384 -> 1
//   linear:      input [1, 64, 32] 8192 + W[32, 256] 32768 + out [1, 64, 256]
//                65536 = 106496 -> 2.48 -> 3
// The elementwise's 2048 FLOPs against the linear's 2 * 64 * 32 * 256 =
// 1048576 earn it no spare PE: a 1x1 box at (0, 0), the linear 7x8 beside it.
// That is all the old sizing did, and wafer-verify then failed: on 1x1 the
// slice holds its whole input, 64 * 4 * 192 * 4 = 196608 bytes, plus its
// 8192-byte result: 204800 bytes.
//
// Measured after a scratch wafer-layout, the 1x1 rectangle needs 204800
// bytes per PE, so its minimum grows to ceil(1 * 204800 / 43008) = 5 PEs
// (more than the +1 floor): a 1x5 column. There the slice's input is
// 64 * 4 * ceil(192 / 5) * 4 = 39936 bytes and its result
// 64 * 4 * ceil(8 / 5) * 4 = 2048: 41984 <= 43008. The linear keeps 7x8: its
// resident W [y, x] is ceil(32 / 8) * ceil(256 / 7) * 4 = 592 bytes, its input
// ceil(64 / 7) * ceil(32 / 8) * 4 = 160 and its result
// ceil(64 / 7) * ceil(256 / 8) * 4 = 1280.
// CHECK-LABEL: func.func @rotary
// CHECK: wafer.slice {{.*}} placement = #mesh.rect<x = 0, y = 0, width = 1, height = 5>,
// CHECK: wafer.elementwise {{.*}} attributes {placement = #mesh.rect<x = 0, y = 0, width = 1, height = 5>}
// CHECK: wafer.reshape {{.*}} {placement = #mesh.rect<x = 1, y = 0, width = 7, height = 8>}
// CHECK: wafer.stream @w {region = #mesh.rect<x = 1, y = 0, width = 7, height = 8>, resident}
// CHECK: wafer.linear {{.*}} {placement = #mesh.rect<x = 1, y = 0, width = 7, height = 8>}
module attributes {mesh.target = #mesh.target<"8x8">} {
  wafer.parameter @w : tensor<32x256xf32> file "m.onnx" offset 0 length 32768
  func.func @rotary(%x: tensor<1x64x4x192xf32>) -> tensor<1x64x256xf32> {
    %s = wafer.slice %x {offsets = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x64x4x192xf32>) -> tensor<1x64x4x8xf32>
    %n = wafer.elementwise ins(%s : tensor<1x64x4x8xf32>) -> tensor<1x64x4x8xf32> {
    ^bb0(%a: f32):
      %0 = arith.negf %a : f32
      wafer.yield %0 : f32
    }
    %r = wafer.reshape %n : (tensor<1x64x4x8xf32>) -> tensor<1x64x32xf32>
    %w = wafer.stream @w : tensor<32x256xf32>
    %y = wafer.linear %r, %w : (tensor<1x64x32xf32>, tensor<32x256xf32>) -> tensor<1x64x256xf32>
    return %y : tensor<1x64x256xf32>
  }
}

// RUN: wse-opt %s -wafer-place=mode=pipelined | FileCheck %s
// RUN: wse-opt %s -wafer-place="mode=pipelined rect=4,8,16,8" | FileCheck %s --check-prefix=RECT

// Geometry checks independent of the packing details: every layer's
// rectangle lies inside the area, no two overlap, and each holds its
// minimum PEs (listed in program order after the area, computed by hand in
// the comment further down: bytes of resident weights plus activations over
// 48 KiB - 6144 bytes of code reserve = 43008 bytes per PE). The script
// takes the area as x y width height.
// RUN: wse-opt %s -wafer-place=mode=pipelined \
// RUN: | %python %S/../Inputs/check_placement.py 0 0 32 32 \
// RUN:     embedding=7 layer_norm=1 linear=3 elementwise=1 linear=4 elementwise=1 \
// RUN: | FileCheck %s --check-prefix=GEOM
// RUN: wse-opt %s -wafer-place="mode=pipelined rect=4,8,16,8" \
// RUN: | %python %S/../Inputs/check_placement.py 4 8 16 8 \
// RUN:     embedding=7 layer_norm=1 linear=3 elementwise=1 linear=4 elementwise=1 \
// RUN: | FileCheck %s --check-prefix=GEOM
// GEOM: 6 layers inside apart big

// A GPT-style block, 16 tokens of width 64, on a 32x32 mesh (1024 PEs).
// Minimum PEs, over 43008 usable bytes per PE:
//   embedding:   256000 table + 128 ids + 4096 out = 260224 -> 6.05 -> 7
//   layer_norm:  512 scale/bias + 4096 in + 4096 out = 8704 -> 1
//   fc linear:   65536 + 1024 weights + 4096 in + 16384 out = 87040
//                -> 2.02 -> 3
//   gelu:        16384 in + 4 (the 0.5) + 16384 out = 32772 -> 1
//   proj linear: 65536 resident (its stream, via the transpose that joins
//                it) + 16384 in + 65536 transposed weight (an activation
//                operand: a second copy) + 4096 out = 151552 -> 3.52 -> 4
//   add:         3 * 4096 = 12288 -> 1
// 17 in all. The 1007 spare PEs go by FLOPs, nearly all to the two linears
// (scaled to about 0.97 so that the rounded boxes pack).

// In the 16x8 rectangle at (4, 8) (128 PEs, 111 spare), bands of 4 rows:
// the embedding's 7 PEs round up to a full-height 2x4 column, so the layer_norm's
// single PE starts the next column, then the first linear; the second band
// runs right to left. Rounding boxes to whole columns costs more than the
// spare PEs, so the FLOP shares are scaled down (to about 0.92).
// RECT-LABEL: func.func @block
// RECT: wafer.embedding {{.*}} {placement = #mesh.rect<x = 4, y = 8, width = 2, height = 4>}
// RECT: wafer.layer_norm {{.*}}placement = #mesh.rect<x = 6, y = 8, width = 1, height = 1>}
// RECT: wafer.linear {{.*}} {placement = #mesh.rect<x = 7, y = 8, width = 13, height = 4>}
// RECT: wafer.elementwise {{.*}} attributes {placement = #mesh.rect<x = 19, y = 12, width = 1, height = 2>}
// RECT: wafer.linear {{.*}} {placement = #mesh.rect<x = 5, y = 12, width = 14, height = 4>}
// RECT: wafer.elementwise {{.*}} attributes {placement = #mesh.rect<x = 4, y = 12, width = 1, height = 1>}

// CHECK: module attributes {mesh.target = #mesh.target<"32x32">, wafer.mode = "pipelined"}
module attributes {mesh.target = #mesh.target<"32x32">} {
  wafer.parameter @wte : tensor<1000x64xf32> file "m.onnx" offset 0 length 256000
  wafer.parameter @ln.g : tensor<64xf32> file "m.onnx" offset 256000 length 256
  wafer.parameter @ln.b : tensor<64xf32> file "m.onnx" offset 256256 length 256
  wafer.parameter @fc.w : tensor<64x256xf32> file "m.onnx" offset 256512 length 65536
  wafer.parameter @fc.b : tensor<256xf32> file "m.onnx" offset 322048 length 1024
  wafer.parameter @proj.w : tensor<64x256xf32> file "m.onnx" offset 323072 length 65536

  // CHECK-LABEL: func.func @block
  func.func @block(%ids: tensor<1x16xi64>) -> tensor<16x64xf32> {
    // Streams are resident and delivered to their consumer's rectangle.
    // CHECK: wafer.stream @wte {region = [[EMB:#mesh.rect<[^>]*>]], resident}
    // CHECK: wafer.embedding {{.*}} {placement = [[EMB]]}
    // CHECK: wafer.stream @ln.g {region = [[LN:#mesh.rect<[^>]*>]], resident}
    // CHECK: wafer.stream @ln.b {region = [[LN]], resident}
    // CHECK: wafer.layer_norm {{.*}}placement = [[LN]]}
    // CHECK: wafer.stream @fc.w {region = [[FC:#mesh.rect<[^>]*>]], resident}
    // CHECK: wafer.stream @fc.b {region = [[FC]], resident}
    // CHECK: wafer.linear {{.*}} {placement = [[FC]]}
    // The constant joins the gelu it feeds.
    // CHECK: wafer.constant {{.*}} {placement = [[GELU:#mesh.rect<[^>]*>]]}
    // CHECK: wafer.elementwise {{.*}} attributes {placement = [[GELU]]}
    // The transposed weight is a data-movement op: it joins its linear.
    // CHECK: wafer.stream @proj.w {region = [[PROJ:#mesh.rect<[^>]*>]], resident}
    // CHECK: wafer.transpose {{.*}} {placement = [[PROJ]]}
    // CHECK: wafer.linear {{.*}} {placement = [[PROJ]]}
    // CHECK: wafer.elementwise {{.*}} attributes {placement = [[ADD:#mesh.rect<[^>]*>]]}
    // A data-movement op feeding no layer joins its producer.
    // CHECK: wafer.reshape {{.*}} {placement = [[ADD]]}
    %t = wafer.stream @wte : tensor<1000x64xf32>
    %e = wafer.embedding %t, %ids : (tensor<1000x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    %g = wafer.stream @ln.g : tensor<64xf32>
    %b = wafer.stream @ln.b : tensor<64xf32>
    %n = wafer.layer_norm %e, %g, %b {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
    %w1 = wafer.stream @fc.w : tensor<64x256xf32>
    %b1 = wafer.stream @fc.b : tensor<256xf32>
    %h = wafer.linear %n, %w1, %b1 : (tensor<1x16x64xf32>, tensor<64x256xf32>, tensor<256xf32>) -> tensor<1x16x256xf32>
    %half = wafer.constant dense<0.5> : tensor<f32> -> tensor<f32>
    %a = wafer.elementwise ins(%h, %half : tensor<1x16x256xf32>, tensor<f32>) -> tensor<1x16x256xf32> {
    ^bb0(%x: f32, %s: f32):
      %0 = arith.mulf %x, %s : f32
      %1 = math.tanh %0 : f32
      %2 = arith.mulf %1, %x : f32
      wafer.yield %2 : f32
    }
    %w2 = wafer.stream @proj.w : tensor<64x256xf32>
    %w2t = wafer.transpose %w2, [1, 0] : (tensor<64x256xf32>) -> tensor<256x64xf32>
    %p = wafer.linear %a, %w2t : (tensor<1x16x256xf32>, tensor<256x64xf32>) -> tensor<1x16x64xf32>
    %r = wafer.elementwise ins(%e, %p : tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
    ^bb0(%x: f32, %y: f32):
      %0 = arith.addf %x, %y : f32
      wafer.yield %0 : f32
    }
    %o = wafer.reshape %r : (tensor<1x16x64xf32>) -> tensor<16x64xf32>
    return %o : tensor<16x64xf32>
  }
}

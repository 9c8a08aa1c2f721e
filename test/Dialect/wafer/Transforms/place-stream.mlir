// RUN: wse-opt %s -split-input-file -wafer-place | FileCheck %s
// RUN: wse-opt %s -split-input-file -wafer-place=mode=stream | FileCheck %s
// RUN: wse-opt %s -split-input-file -wafer-place="rect=2,1,4,6" | FileCheck %s --check-prefix=RECT

// Stream mode: every op on the whole 8x8 mesh, every stream delivered to
// its consumer's rectangle, nothing resident (a stale flag is removed).

// CHECK: module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"}
// RECT: module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"}
module attributes {mesh.target = #mesh.target<"8x8">} {
  wafer.parameter @w : tensor<64x128xf32> file "m.onnx" offset 0 length 32768
  wafer.parameter @b : tensor<128xf32> file "m.onnx" offset 32768 length 512

  // CHECK-LABEL: func.func @block
  // RECT-LABEL: func.func @block
  func.func @block(%x: tensor<1x16x64xf32>) -> tensor<16x128xf32> {
    // CHECK: wafer.stream @w {region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<64x128xf32>
    // CHECK: wafer.stream @b {region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<128xf32>
    // CHECK: wafer.linear {{.*}} {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>}
    // CHECK: wafer.constant {{.*}} {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>}
    // CHECK: wafer.elementwise {{.*}} attributes {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>}
    // CHECK: wafer.reshape {{.*}} {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>}
    // RECT: wafer.stream @w {region = #mesh.rect<x = 2, y = 1, width = 4, height = 6>}
    // RECT: wafer.stream @b {region = #mesh.rect<x = 2, y = 1, width = 4, height = 6>}
    // RECT: wafer.linear {{.*}} {placement = #mesh.rect<x = 2, y = 1, width = 4, height = 6>}
    // RECT: wafer.constant {{.*}} {placement = #mesh.rect<x = 2, y = 1, width = 4, height = 6>}
    // RECT: wafer.elementwise {{.*}} attributes {placement = #mesh.rect<x = 2, y = 1, width = 4, height = 6>}
    // RECT: wafer.reshape {{.*}} {placement = #mesh.rect<x = 2, y = 1, width = 4, height = 6>}
    // CHECK-NOT: resident
    %w = wafer.stream @w {resident} : tensor<64x128xf32>
    %b = wafer.stream @b : tensor<128xf32>
    %y = wafer.linear %x, %w, %b : (tensor<1x16x64xf32>, tensor<64x128xf32>, tensor<128xf32>) -> tensor<1x16x128xf32>
    %c = wafer.constant dense<0.5> : tensor<f32> -> tensor<f32>
    %r = wafer.elementwise ins(%y, %c : tensor<1x16x128xf32>, tensor<f32>) -> tensor<1x16x128xf32> {
    ^bb0(%a: f32, %s: f32):
      %m = arith.mulf %a, %s : f32
      wafer.yield %m : f32
    }
    %o = wafer.reshape %r : (tensor<1x16x128xf32>) -> tensor<16x128xf32>
    return %o : tensor<16x128xf32>
  }
}

// -----

// An existing placement is replaced, and a stream read by ops on different
// rectangles would get their bounding rectangle (here they coincide).
// RUN: wse-opt %s -split-input-file -wafer-place="rect=0,4,8,4" | FileCheck %s --check-prefix=SPLIT
// SPLIT-LABEL: func.func @replaced
// SPLIT: wafer.stream @t {region = #mesh.rect<x = 0, y = 4, width = 8, height = 4>}
// SPLIT: wafer.embedding {{.*}} {placement = #mesh.rect<x = 0, y = 4, width = 8, height = 4>}
module attributes {mesh.target = #mesh.target<"8x8">} {
  wafer.parameter @t : tensor<100x32xf32> file "m.onnx" offset 0 length 12800
  func.func @replaced(%ids: tensor<1x16xi64>) -> tensor<1x16x32xf32> {
    %t = wafer.stream @t : tensor<100x32xf32>
    %e = wafer.embedding %t, %ids {placement = #mesh.rect<x = 0, y = 0, width = 1, height = 1>} : (tensor<100x32xf32>, tensor<1x16xi64>) -> tensor<1x16x32xf32>
    return %e : tensor<1x16x32xf32>
  }
}

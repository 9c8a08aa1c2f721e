// Every wafer op, attribute and encoding prints and parses back unchanged.
// RUN: wse-opt %s | FileCheck %s
// RUN: wse-opt %s | wse-opt | FileCheck %s
// RUN: wse-opt %s --mlir-print-op-generic | wse-opt | FileCheck %s

// CHECK: module attributes {mesh.target = #mesh.target<"32x32">, wafer.mode = "stream"}
module attributes {mesh.target = #mesh.target<"32x32">, wafer.mode = "stream"} {
  // CHECK: wafer.parameter @w : tensor<64x256xf32> file "m.onnx" offset 128 length 65536
  wafer.parameter @w : tensor<64x256xf32> file "m.onnx" offset 128 length 65536
  wafer.parameter @table : tensor<256x64xf32> file "m.onnx" offset 65664 length 65536

  // CHECK-LABEL: func.func @layers
  func.func @layers(%x: tensor<16x64xf32, #wafer.dist<[x, y]>>, %ids: tensor<1x16xi64>) -> tensor<16x256xf32> {
    // CHECK: %[[W:.*]] = wafer.stream @w {chunk_bytes = 256 : i64, depth = 2 : i64, end_cycle = 900 : i64, order = 1 : i64, region = #mesh.rect<x = 0, y = 0, width = 32, height = 32>, start_cycle = 100 : i64} : tensor<64x256xf32, #wafer.dist<[y, *]>>
    %w = wafer.stream @w {order = 1 : i64, depth = 2 : i64, chunk_bytes = 256 : i64, start_cycle = 100 : i64, end_cycle = 900 : i64, region = #mesh.rect<x = 0, y = 0, width = 32, height = 32>} : tensor<64x256xf32, #wafer.dist<[y, *]>>
    // CHECK: %[[B:.*]] = wafer.constant dense<1.000000e+00> : tensor<256xf32> -> tensor<256xf32>
    %b = wafer.constant dense<1.0> : tensor<256xf32> -> tensor<256xf32>
    // CHECK: wafer.linear %{{.*}}, %[[W]], %[[B]] {placement = #mesh.rect<x = 0, y = 0, width = 32, height = 32>} : (tensor<16x64xf32, #wafer.dist<[x, y]>>, tensor<64x256xf32, #wafer.dist<[y, *]>>, tensor<256xf32>) -> tensor<16x256xf32>
    %0 = wafer.linear %x, %w, %b {placement = #mesh.rect<x = 0, y = 0, width = 32, height = 32>} : (tensor<16x64xf32, #wafer.dist<[x, y]>>, tensor<64x256xf32, #wafer.dist<[y, *]>>, tensor<256xf32>) -> tensor<16x256xf32>
    // CHECK: wafer.linear %{{.*}}, %{{.*}} {transpose_weight} : (tensor<16x256xf32>, tensor<64x256xf32>) -> tensor<16x64xf32>
    %t = wafer.stream @w : tensor<64x256xf32>
    %1 = wafer.linear %0, %t {transpose_weight} : (tensor<16x256xf32>, tensor<64x256xf32>) -> tensor<16x64xf32>
    // CHECK: wafer.stream @table {resident} : tensor<256x64xf32>
    %table = wafer.stream @table {resident} : tensor<256x64xf32>
    // CHECK: wafer.embedding %{{.*}}, %{{.*}} : (tensor<256x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    %2 = wafer.embedding %table, %ids : (tensor<256x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    // CHECK: wafer.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64, epsilon = 9.99999974E-6 : f32}
    %g = wafer.constant dense<1.0> : tensor<64xf32> -> tensor<64xf32>
    %3 = wafer.layer_norm %2, %g, %g {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
    // CHECK: wafer.rms_norm %{{.*}}, %{{.*}} {axis = 2 : i64, epsilon = 9.99999997E-7 : f32}
    %4 = wafer.rms_norm %3, %g {axis = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
    // CHECK: wafer.softmax %{{.*}} {axis = -1 : i64, log} : tensor<1x16x64xf32>
    %5 = wafer.softmax %4 {axis = -1 : i64, log} : tensor<1x16x64xf32>
    // CHECK: wafer.reduce <mean> %{{.*}} {axes = array<i64: 2>, keepdims = true} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
    %6 = wafer.reduce <mean> %5 {axes = array<i64: 2>, keepdims = true} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
    // CHECK: wafer.reduce <max> %{{.*}} {axes = array<i64: 0, 2>, keepdims = false} : (tensor<1x16x64xf32>) -> tensor<16xf32>
    %7 = wafer.reduce <max> %5 {axes = array<i64: 0, 2>, keepdims = false} : (tensor<1x16x64xf32>) -> tensor<16xf32>
    // CHECK: wafer.reduce <sum>
    %8 = wafer.reduce <sum> %5 {axes = array<i64: 1>, keepdims = true} : (tensor<1x16x64xf32>) -> tensor<1x1x64xf32>
    return %0 : tensor<16x256xf32>
  }

  // CHECK-LABEL: func.func @attention
  func.func @attention(%q: tensor<1x4x16x16xf32>, %k: tensor<1x4x16x16xf32>, %mask: tensor<1x1x16x16xi1>) -> tensor<1x4x16x16xf32> {
    // CHECK: wafer.transpose %{{.*}}, [0, 1, 3, 2] : (tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
    %kt = wafer.transpose %k, [0, 1, 3, 2] : (tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
    // CHECK: wafer.matmul %{{.*}}, %{{.*}} : (tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
    %s = wafer.matmul %q, %kt : (tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
    %neg = wafer.constant dense<-3.40282347E+38> : tensor<f32> -> tensor<f32>
    // CHECK: wafer.elementwise ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x1x16x16xi1>, tensor<1x4x16x16xf32>, tensor<f32>) -> tensor<1x4x16x16xf32> {
    // CHECK-NEXT: ^bb0(%{{.*}}: i1, %{{.*}}: f32, %{{.*}}: f32):
    // CHECK-NEXT:   arith.select
    // CHECK-NEXT:   wafer.yield %{{.*}} : f32
    %m = wafer.elementwise ins(%mask, %s, %neg : tensor<1x1x16x16xi1>, tensor<1x4x16x16xf32>, tensor<f32>) -> tensor<1x4x16x16xf32> {
    ^bb0(%c: i1, %a: f32, %n: f32):
      %r = arith.select %c, %a, %n : f32
      wafer.yield %r : f32
    }
    // CHECK: wafer.elementwise -> tensor<2xf32> attributes {placement = #mesh.rect<x = 1, y = 2, width = 3, height = 4>} {
    %c = wafer.elementwise -> tensor<2xf32> attributes {placement = #mesh.rect<x = 1, y = 2, width = 3, height = 4>} {
      %one = arith.constant 1.0 : f32
      wafer.yield %one : f32
    }
    return %m : tensor<1x4x16x16xf32>
  }

  // CHECK-LABEL: func.func @movement
  func.func @movement(%x: tensor<1x16x192xf32>) -> tensor<1x4x16x16xf32> {
    // CHECK: wafer.split %{{.*}} {axis = 2 : i64} : (tensor<1x16x192xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x128xf32>)
    %a:2 = wafer.split %x {axis = 2 : i64} : (tensor<1x16x192xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x128xf32>)
    // CHECK: wafer.reshape %{{.*}} : (tensor<1x16x64xf32>) -> tensor<1x16x4x16xf32>
    %r = wafer.reshape %a#0 : (tensor<1x16x64xf32>) -> tensor<1x16x4x16xf32>
    // CHECK: wafer.slice %{{.*}} {offsets = array<i64: 0, 0, 0, 8>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x16x4x16xf32>) -> tensor<1x16x4x8xf32>
    %s = wafer.slice %r {offsets = array<i64: 0, 0, 0, 8>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x16x4x16xf32>) -> tensor<1x16x4x8xf32>
    // CHECK: wafer.concat %{{.*}}, %{{.*}} {axis = 3 : i64} : (tensor<1x16x4x8xf32>, tensor<1x16x4x8xf32>) -> tensor<1x16x4x16xf32>
    %c = wafer.concat %s, %s {axis = 3 : i64} : (tensor<1x16x4x8xf32>, tensor<1x16x4x8xf32>) -> tensor<1x16x4x16xf32>
    %idx = wafer.constant dense<[0, 2]> : tensor<2xi64> -> tensor<2xi64>
    // CHECK: wafer.gather %{{.*}}, %{{.*}} {axis = 2 : i64} : (tensor<1x16x4x16xf32>, tensor<2xi64>) -> tensor<1x16x2x16xf32>
    %g = wafer.gather %c, %idx {axis = 2 : i64} : (tensor<1x16x4x16xf32>, tensor<2xi64>) -> tensor<1x16x2x16xf32>
    // CHECK: wafer.broadcast %{{.*}} : (tensor<1x16x2x16xf32>) -> tensor<3x16x2x16xf32>
    %b = wafer.broadcast %g : (tensor<1x16x2x16xf32>) -> tensor<3x16x2x16xf32>
    %t = wafer.transpose %c, [0, 2, 1, 3] : (tensor<1x16x4x16xf32>) -> tensor<1x4x16x16xf32>
    // CHECK: wafer.relayout %{{.*}} : tensor<1x4x16x16xf32, #wafer.dist<[*, *, x, y]>> -> tensor<1x4x16x16xf32, #wafer.dist<[*, *, y, *]>>
    %e = wafer.relayout %t : tensor<1x4x16x16xf32> -> tensor<1x4x16x16xf32, #wafer.dist<[*, *, x, y]>>
    %f = wafer.relayout %e : tensor<1x4x16x16xf32, #wafer.dist<[*, *, x, y]>> -> tensor<1x4x16x16xf32, #wafer.dist<[*, *, y, *]>>
    return %t : tensor<1x4x16x16xf32>
  }
}

// The wafer compute layers on inline constants: linear (plain, transposed
// weight with bias, rank-3 input), batched broadcasting matmul, layer_norm
// (with and without bias), rms_norm, softmax and log-softmax, reduce
// sum/mean/max with and without keepdims. Placement attributes, stream
// schedules and #wafer.dist encodings are ignored.
//
// RUN: wse-ref %s --entry linear --print-outputs | FileCheck %s --check-prefix=LINEAR
// LINEAR: 0: 2x2xf32 [-2.500000e-01, 7.500000e+00, 5.000000e-01, 1.800000e+01]
// LINEAR: 1: 2x2xf32 [9.750000e+00, 2.750000e+01, 1.050000e+01, 3.800000e+01]
// LINEAR: 2: 1x2x2xf32 [9.750000e+00, 2.750000e+01, 1.050000e+01, 3.800000e+01]
//
// RUN: wse-ref %s --entry matmul --print-outputs | FileCheck %s --check-prefix=MATMUL
// MATMUL: 0: 2x1x2xf32 [3.000000e+00, 4.000000e+00, 1.000000e+01, 1.200000e+01]
// MATMUL: 1: 2x2x1xf32 [1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]
//
// RUN: wse-ref %s --entry norms --print-outputs | FileCheck %s --check-prefix=NORMS
// NORMS: 0: 2x2xf32 [-1.000000e+00, 1.000000e+00, -1.000000e+00, 1.000000e+00]
// NORMS: 1: 2x2xf32 [-1.000000e+00, 5.000000e+00, -1.000000e+00, 5.000000e+00]
// NORMS: 2: 1x4xf32 [7.500000e-01, 1.000000e+00, -1.500000e+00, 2.000000e+00]
//
// RUN: wse-ref %s --entry softmax --print-outputs | FileCheck %s --check-prefix=SOFTMAX
// SOFTMAX: 0: 2x2xf32 [5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]
// SOFTMAX: 1: 2x2xf32 [-6.931472e-01, -6.931472e-01, -6.931472e-01, -6.931472e-01]
// SOFTMAX: 2: 1x2xf32 [0.000000e+00, 1.000000e+00]
//
// RUN: wse-ref %s --entry reduce --print-outputs | FileCheck %s --check-prefix=REDUCE
// REDUCE: 0: 2xf32 [6.000000e+00, 1.500000e+01]
// REDUCE: 1: 1x3xf32 [2.500000e+00, 3.500000e+00, 4.500000e+00]
// REDUCE: 2: 2x1xf32 [3.000000e+00, 6.000000e+00]
// REDUCE: 3: scalarxi64 [2.100000e+01]

module attributes {wafer.mode = "stream"} {
  func.func @linear() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x2x2xf32>) {
    %x = wafer.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32> -> tensor<2x3xf32>
    %w = wafer.constant dense<[[1.0, 0.5], [-1.0, 2.0], [0.25, 1.0]]> : tensor<3x2xf32> -> tensor<3x2xf32>
    %wt = wafer.constant dense<[[1.0, -1.0, 0.25], [0.5, 2.0, 1.0]]> : tensor<2x3xf32> -> tensor<2x3xf32>
    %b = wafer.constant dense<[10.0, 20.0]> : tensor<2xf32> -> tensor<2xf32>
    %0 = wafer.linear %x, %w {placement = #mesh.rect<x = 0, y = 0, width = 2, height = 2>}
        : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
    %1 = wafer.linear %x, %wt, %b {transpose_weight}
        : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x2xf32>
    %x3 = wafer.reshape %x : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
    %2 = wafer.linear %x3, %w, %b
        : (tensor<1x2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
    return %0, %1, %2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x2x2xf32>
  }

  // Batch dimensions broadcast: [2,1,2] x [1,2,2] and [1,2,2] x [2,2,1].
  func.func @matmul() -> (tensor<2x1x2xf32>, tensor<2x2x1xf32>) {
    %a = wafer.constant dense<[[[1.0, 0.0]], [[1.0, 2.0]]]> : tensor<2x1x2xf32> -> tensor<2x1x2xf32>
    %b = wafer.constant dense<[[[3.0, 4.0], [3.5, 4.0]]]> : tensor<1x2x2xf32> -> tensor<1x2x2xf32>
    %0 = wafer.matmul %a, %b : (tensor<2x1x2xf32>, tensor<1x2x2xf32>) -> tensor<2x1x2xf32>
    %i = wafer.constant dense<[[[1.0, 0.0], [0.0, 1.0]]]> : tensor<1x2x2xf32> -> tensor<1x2x2xf32>
    %v = wafer.constant dense<[[[1.0], [2.0]], [[3.0], [4.0]]]> : tensor<2x2x1xf32> -> tensor<2x2x1xf32>
    %1 = wafer.matmul %i, %v : (tensor<1x2x2xf32>, tensor<2x2x1xf32>) -> tensor<2x2x1xf32>
    return %0, %1 : tensor<2x1x2xf32>, tensor<2x2x1xf32>
  }

  // Rows [1, 3] and [-2, 0] normalize to [-1, 1] (epsilon 0); scale 3 and
  // bias 2 give [-1, 5]. [3, 1, -1, 1] has mean square 3, plus epsilon 1: /2.
  func.func @norms() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x4xf32>) {
    %x = wafer.constant dense<[[1.0, 3.0], [-2.0, 0.0]]> : tensor<2x2xf32> -> tensor<2x2xf32>
    %one = wafer.constant dense<1.0> : tensor<2xf32> -> tensor<2xf32>
    %s = wafer.constant dense<3.0> : tensor<2xf32> -> tensor<2xf32>
    %b = wafer.constant dense<2.0> : tensor<2xf32> -> tensor<2xf32>
    %0 = wafer.layer_norm %x, %one {axis = -1 : i64, epsilon = 0.0 : f32}
        : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
    %1 = wafer.layer_norm %x, %s, %b {axis = 1 : i64, epsilon = 0.0 : f32}
        : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
    %r = wafer.constant dense<[[3.0, 1.0, -1.0, 1.0]]> : tensor<1x4xf32> -> tensor<1x4xf32>
    %g = wafer.constant dense<[0.5, 2.0, 3.0, 4.0]> : tensor<4xf32> -> tensor<4xf32>
    %2 = wafer.rms_norm %r, %g {axis = -1 : i64, epsilon = 1.0 : f32}
        : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
    return %0, %1, %2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x4xf32>
  }

  // The finfo.min mask of decoders does not overflow: exp is taken after
  // subtracting the row maximum.
  func.func @softmax() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>) {
    %x = wafer.constant dense<[[7.0, 7.0], [-3.0, -3.0]]> : tensor<2x2xf32> -> tensor<2x2xf32, #wafer.dist<[x, y]>>
    %0 = wafer.softmax %x {axis = 1 : i64} : tensor<2x2xf32, #wafer.dist<[x, y]>>
    %1 = wafer.softmax %x {axis = -1 : i64, log} : tensor<2x2xf32, #wafer.dist<[x, y]>>
    %m = wafer.constant dense<[[-3.4028234663852886e+38, 0.0]]> : tensor<1x2xf32> -> tensor<1x2xf32>
    %2 = wafer.softmax %m {axis = 1 : i64} : tensor<1x2xf32>
    %r0 = wafer.relayout %0 : tensor<2x2xf32, #wafer.dist<[x, y]>> -> tensor<2x2xf32>
    %r1 = wafer.relayout %1 : tensor<2x2xf32, #wafer.dist<[x, y]>> -> tensor<2x2xf32>
    return %r0, %r1, %2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>
  }

  func.func @reduce() -> (tensor<2xf32>, tensor<1x3xf32>, tensor<2x1xf32>, tensor<i64>) {
    %x = wafer.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32> -> tensor<2x3xf32>
    %0 = wafer.reduce <sum> %x {axes = array<i64: 1>, keepdims = false}
        : (tensor<2x3xf32>) -> tensor<2xf32>
    %1 = wafer.reduce <mean> %x {axes = array<i64: 0>, keepdims = true}
        : (tensor<2x3xf32>) -> tensor<1x3xf32>
    %2 = wafer.reduce <max> %x {axes = array<i64: -1>, keepdims = true}
        : (tensor<2x3xf32>) -> tensor<2x1xf32>
    %i = wafer.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64> -> tensor<2x3xi64>
    %3 = wafer.reduce <sum> %i {axes = array<i64: 0, 1>, keepdims = false}
        : (tensor<2x3xi64>) -> tensor<i64>
    return %0, %1, %2, %3 : tensor<2xf32>, tensor<1x3xf32>, tensor<2x1xf32>, tensor<i64>
  }
}

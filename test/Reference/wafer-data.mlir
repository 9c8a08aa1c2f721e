// The wafer data-movement ops on inline constants: reshape, transpose,
// concat, split (uneven pieces), strided slice, gather (inner axis, negative
// index), embedding, broadcast (size-1 and missing leading dimensions) and
// relayout (the identity, between two distributions).
//
// RUN: wse-ref %s --entry data --print-outputs | FileCheck %s
// CHECK: reshape: 3x2xf32 [0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00]
// CHECK: transpose: 3x2xf32 [0.000000e+00, 3.000000e+00, 1.000000e+00, 4.000000e+00, 2.000000e+00, 5.000000e+00]
// CHECK: concat: 2x4xf32 [0.000000e+00, 1.000000e+00, 2.000000e+00, 9.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 9.000000e+00]
// CHECK: split0: 2x1xf32 [0.000000e+00, 3.000000e+00]
// CHECK: split1: 2x2xf32 [1.000000e+00, 2.000000e+00, 4.000000e+00, 5.000000e+00]
// CHECK: slice: 2x2xf32 [1.000000e+00, 3.000000e+00, 9.000000e+00, 1.100000e+01]
// CHECK: gather: 2x2xf32 [2.000000e+00, 0.000000e+00, 5.000000e+00, 3.000000e+00]
// CHECK: embedding: 1x3x2xf32 [4.000000e+00, 5.000000e+00, 0.000000e+00, 1.000000e+00, 4.000000e+00, 5.000000e+00]
// CHECK: broadcast: 2x2x3xf32 [0.000000e+00, 1.000000e+00, 2.000000e+00, 0.000000e+00, 1.000000e+00, 2.000000e+00, 0.000000e+00, 1.000000e+00, ...]
// CHECK: relayout: 2x3xf32 [0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00]

module {
  func.func @data() -> (tensor<3x2xf32> {onnx.name = "reshape"},
                        tensor<3x2xf32> {onnx.name = "transpose"},
                        tensor<2x4xf32> {onnx.name = "concat"},
                        tensor<2x1xf32> {onnx.name = "split0"},
                        tensor<2x2xf32> {onnx.name = "split1"},
                        tensor<2x2xf32> {onnx.name = "slice"},
                        tensor<2x2xf32> {onnx.name = "gather"},
                        tensor<1x3x2xf32> {onnx.name = "embedding"},
                        tensor<2x2x3xf32> {onnx.name = "broadcast"},
                        tensor<2x3xf32> {onnx.name = "relayout"}) {
    %x = wafer.constant dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]>
        : tensor<2x3xf32> -> tensor<2x3xf32, #wafer.dist<[x, y]>>
    %0 = wafer.reshape %x : (tensor<2x3xf32, #wafer.dist<[x, y]>>) -> tensor<3x2xf32>
    %1 = wafer.transpose %x, [1, 0] : (tensor<2x3xf32, #wafer.dist<[x, y]>>) -> tensor<3x2xf32>
    %n = wafer.constant dense<9.0> : tensor<2x1xf32> -> tensor<2x1xf32>
    %2 = wafer.concat %x, %n {axis = -1 : i64}
        : (tensor<2x3xf32, #wafer.dist<[x, y]>>, tensor<2x1xf32>) -> tensor<2x4xf32>
    %3:2 = wafer.split %x {axis = 1 : i64}
        : (tensor<2x3xf32, #wafer.dist<[x, y]>>) -> (tensor<2x1xf32>, tensor<2x2xf32>)
    // Rows 0 and 2, columns 1 and 3 of a 4x4 iota.
    %m = wafer.constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0],
                               [8.0, 9.0, 10.0, 11.0], [12.0, 13.0, 14.0, 15.0]]>
        : tensor<4x4xf32> -> tensor<4x4xf32>
    %4 = wafer.slice %m {offsets = array<i64: 0, 1>, strides = array<i64: 2, 2>}
        : (tensor<4x4xf32>) -> tensor<2x2xf32>
    %gi = wafer.constant dense<[2, -3]> : tensor<2xi64> -> tensor<2xi64>
    %5 = wafer.gather %x, %gi {axis = 1 : i64}
        : (tensor<2x3xf32, #wafer.dist<[x, y]>>, tensor<2xi64>) -> tensor<2x2xf32>
    %table = wafer.constant dense<[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]> : tensor<3x2xf32> -> tensor<3x2xf32>
    %ids = wafer.constant dense<[[2, 0, 2]]> : tensor<1x3xi32> -> tensor<1x3xi32>
    %6 = wafer.embedding %table, %ids : (tensor<3x2xf32>, tensor<1x3xi32>) -> tensor<1x3x2xf32>
    %row = wafer.constant dense<[[0.0, 1.0, 2.0]]> : tensor<1x3xf32> -> tensor<1x3xf32>
    %7 = wafer.broadcast %row : (tensor<1x3xf32>) -> tensor<2x2x3xf32>
    %8 = wafer.relayout %x : tensor<2x3xf32, #wafer.dist<[x, y]>> -> tensor<2x3xf32, #wafer.dist<[*, x]>>
    %9 = wafer.relayout %8 : tensor<2x3xf32, #wafer.dist<[*, x]>> -> tensor<2x3xf32>
    return %0, %1, %2, %3#0, %3#1, %4, %5, %6, %7, %9
        : tensor<3x2xf32>, tensor<3x2xf32>, tensor<2x4xf32>, tensor<2x1xf32>,
          tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x3x2xf32>,
          tensor<2x2x3xf32>, tensor<2x3xf32>
  }
}

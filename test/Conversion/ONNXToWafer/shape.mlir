// RUN: wse-opt %s --convert-onnx-to-wafer -split-input-file | FileCheck %s

// Reshape, Squeeze and Unsqueeze are reshapes to the static result type; the
// shape constant goes away.
// CHECK-LABEL: func.func @reshapes
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
func.func @reshapes(%x: tensor<1x16x64xf32>) -> (tensor<1x16x4x16xf32>, tensor<16x64xf32>, tensor<1x1x16x64xf32>) {
  // CHECK-NOT: wafer.constant
  // CHECK: wafer.reshape %[[X]] : (tensor<1x16x64xf32>) -> tensor<1x16x4x16xf32>
  %s = onnx.Constant dense<[1, 16, 4, 16]> : tensor<4xi64>
  %0 = onnx.Reshape %x, %s : (tensor<1x16x64xf32>, tensor<4xi64>) -> tensor<1x16x4x16xf32>
  // CHECK: wafer.reshape %[[X]] : (tensor<1x16x64xf32>) -> tensor<16x64xf32>
  %1 = onnx.Squeeze %x, [0] : (tensor<1x16x64xf32>) -> tensor<16x64xf32>
  // CHECK: wafer.reshape %[[X]] : (tensor<1x16x64xf32>) -> tensor<1x1x16x64xf32>
  %2 = onnx.Unsqueeze %x, [1] : (tensor<1x16x64xf32>) -> tensor<1x1x16x64xf32>
  return %0, %1, %2 : tensor<1x16x4x16xf32>, tensor<16x64xf32>, tensor<1x1x16x64xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_concat_split
func.func @transpose_concat_split(%x: tensor<1x16x4x16xf32>, %a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> (tensor<1x4x16x16xf32>, tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x5xf32>) {
  // CHECK: wafer.transpose %{{.*}}, [0, 2, 1, 3] : (tensor<1x16x4x16xf32>) -> tensor<1x4x16x16xf32>
  %0 = onnx.Transpose %x, [0, 2, 1, 3] : (tensor<1x16x4x16xf32>) -> tensor<1x4x16x16xf32>
  // CHECK: %[[C:.*]] = wafer.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %1 = onnx.Concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  // CHECK: wafer.split %[[C]] {axis = -1 : i64} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  %2:2 = onnx.Split %1 {axis = -1 : i64, split = array<i64: 3, 5>} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  return %0, %1, %2#0, %2#1 : tensor<1x4x16x16xf32>, tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x5xf32>
}

// -----

// Slice: offsets and strides per dimension, ends clamped like ONNX
// (INT64_MAX means "to the end"), negative starts counted from the end.
// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%[[X:.*]]: tensor<4x10xf32>)
func.func @slice(%x: tensor<4x10xf32>) -> (tensor<4x4xf32>, tensor<2x3xf32>, tensor<4x10xf32>) {
  // CHECK: wafer.slice %[[X]] {offsets = array<i64: 0, 2>, strides = array<i64: 1, 2>} : (tensor<4x10xf32>) -> tensor<4x4xf32>
  %st = onnx.Constant dense<2> : tensor<1xi64>
  %en = onnx.Constant dense<9223372036854775807> : tensor<1xi64>
  %ax = onnx.Constant dense<1> : tensor<1xi64>
  %sp = onnx.Constant dense<2> : tensor<1xi64>
  %0 = onnx.Slice %x, %st, %en, %ax, %sp : (tensor<4x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x4xf32>
  // CHECK: wafer.slice %[[X]] {offsets = array<i64: 1, 7>, strides = array<i64: 1, 1>} : (tensor<4x10xf32>) -> tensor<2x3xf32>
  %st2 = onnx.Constant dense<[-3, 1]> : tensor<2xi32>
  %en2 = onnx.Constant dense<[100, 3]> : tensor<2xi32>
  %ax2 = onnx.Constant dense<[-1, 0]> : tensor<2xi32>
  %sp2 = onnx.Constant dense<1> : tensor<2xi32>
  %1 = onnx.Slice %x, %st2, %en2, %ax2, %sp2 : (tensor<4x10xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x3xf32>
  // A window over everything is no op.
  // CHECK-NOT: wafer.slice
  // CHECK: return
  %st3 = onnx.Constant dense<0> : tensor<1xi64>
  %en3 = onnx.Constant dense<9223372036854775807> : tensor<1xi64>
  %one = onnx.Constant dense<1> : tensor<1xi64>
  %2 = onnx.Slice %x, %st3, %en3, %ax, %one : (tensor<4x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x10xf32>
  return %0, %1, %2 : tensor<4x4xf32>, tensor<2x3xf32>, tensor<4x10xf32>
}

// -----

// Expand: a reshape adds the missing leading dimensions, then a broadcast.
// CHECK-LABEL: func.func @expand
// CHECK-SAME: (%[[X:.*]]: tensor<2x1xf32>, %[[Y:.*]]: tensor<1x4xf32>)
func.func @expand(%x: tensor<2x1xf32>, %y: tensor<1x4xf32>) -> (tensor<3x2x4xf32>, tensor<5x4xf32>, tensor<1x4xf32>) {
  // CHECK: %[[R:.*]] = wafer.reshape %[[X]] : (tensor<2x1xf32>) -> tensor<1x2x1xf32>
  // CHECK: wafer.broadcast %[[R]] : (tensor<1x2x1xf32>) -> tensor<3x2x4xf32>
  %s = onnx.Constant dense<[3, 2, 4]> : tensor<3xi64>
  %0 = onnx.Expand %x, %s : (tensor<2x1xf32>, tensor<3xi64>) -> tensor<3x2x4xf32>
  // CHECK: wafer.broadcast %[[Y]] : (tensor<1x4xf32>) -> tensor<5x4xf32>
  %s2 = onnx.Constant dense<[5, 1]> : tensor<2xi64>
  %1 = onnx.Expand %y, %s2 : (tensor<1x4xf32>, tensor<2xi64>) -> tensor<5x4xf32>
  // Expanding to the same shape is no op.
  // CHECK: return {{.*}}, {{.*}}, %[[Y]] :
  %s3 = onnx.Constant dense<[1, 1]> : tensor<2xi64>
  %2 = onnx.Expand %y, %s3 : (tensor<1x4xf32>, tensor<2xi64>) -> tensor<1x4xf32>
  return %0, %1, %2 : tensor<3x2x4xf32>, tensor<5x4xf32>, tensor<1x4xf32>
}

// -----

// Tile [2, 3] by [2, 1]: [1, 2, 1, 3] -> broadcast [2, 2, 1, 3] -> [4, 3].
// CHECK-LABEL: func.func @tile
func.func @tile(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // CHECK: %[[V:.*]] = wafer.reshape %{{.*}} : (tensor<2x3xf32>) -> tensor<1x2x1x3xf32>
  // CHECK: %[[B:.*]] = wafer.broadcast %[[V]] : (tensor<1x2x1x3xf32>) -> tensor<2x2x1x3xf32>
  // CHECK: wafer.reshape %[[B]] : (tensor<2x2x1x3xf32>) -> tensor<4x3xf32>
  %r = onnx.Constant dense<[2, 1]> : tensor<2xi64>
  %0 = onnx.Tile %x, %r : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Constants; ConstantOfShape of a constant shape is a splat constant.
// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2xf32>, tensor<4x2xf32>) {
  // CHECK: %[[A:.*]] = wafer.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: %[[B:.*]] = wafer.constant dense<7.000000e+00> : tensor<4x2xf32>
  %shape = onnx.Constant dense<[4, 2]> : tensor<2xi64>
  %1 = onnx.ConstantOfShape %shape, dense<7.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<4x2xf32>
  // CHECK: return %[[A]], %[[B]]
  return %0, %1 : tensor<2xf32>, tensor<4x2xf32>
}

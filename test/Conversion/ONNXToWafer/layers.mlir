// RUN: wse-opt %s --convert-onnx-to-wafer -split-input-file | FileCheck %s

onnx.parameter @g : tensor<64xf32> file "m.onnx" offset 0 length 256
onnx.parameter @b : tensor<64xf32> file "m.onnx" offset 256 length 256
// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  // CHECK: %[[G:.*]] = wafer.stream @g : tensor<64xf32>
  // CHECK: %[[B:.*]] = wafer.stream @b : tensor<64xf32>
  // CHECK: wafer.layer_norm %{{.*}}, %[[G]], %[[B]] {axis = -1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  %g = onnx.param_ref @g : tensor<64xf32>
  %b = onnx.param_ref @b : tensor<64xf32>
  %0 = onnx.LayerNormalization %x, %g, %b : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  // The scale is used a second time: a second stream.
  // CHECK: %[[G2:.*]] = wafer.stream @g : tensor<64xf32>
  // CHECK: wafer.rms_norm %{{.*}}, %[[G2]] {axis = 2 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  %1 = onnx.RMSNormalization %x, %g {axis = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  return %0, %1 : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<1x4x16x16xf32>) -> (tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32>) {
  // CHECK: wafer.softmax %{{.*}} {axis = -1 : i64} : tensor<1x4x16x16xf32>
  %0 = onnx.Softmax %x {axis = -1 : i64} : (tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  // CHECK: wafer.softmax %{{.*}} {axis = 2 : i64, log} : tensor<1x4x16x16xf32>
  %1 = onnx.LogSoftmax %x {axis = 2 : i64} : (tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  return %0, %1 : tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32>
}

// -----

// CHECK-LABEL: func.func @reduce
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
func.func @reduce(%x: tensor<2x4xf32>) -> (tensor<2x1xf32>, tensor<4xf32>, tensor<1x1xf32>, tensor<2x4xf32>) {
  // CHECK: wafer.reduce <mean> %[[X]] {axes = array<i64: 1>, keepdims = true} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  %0 = onnx.ReduceMean %x {axes = array<i64: -1>} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  // CHECK: wafer.reduce <sum> %[[X]] {axes = array<i64: 0>, keepdims = false} : (tensor<2x4xf32>) -> tensor<4xf32>
  %1 = onnx.ReduceSum %x {axes = array<i64: 0>, keepdims = 0 : i64} : (tensor<2x4xf32>) -> tensor<4xf32>
  // No axes: all of them.
  // CHECK: wafer.reduce <max> %[[X]] {axes = array<i64: 0, 1>, keepdims = true} : (tensor<2x4xf32>) -> tensor<1x1xf32>
  %2 = onnx.ReduceMax %x : (tensor<2x4xf32>) -> tensor<1x1xf32>
  // No axes with noop_with_empty_axes: the input itself.
  // CHECK: return {{.*}}, %[[X]] :
  %3 = onnx.ReduceSum %x {noop_with_empty_axes = 1 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0, %1, %2, %3 : tensor<2x1xf32>, tensor<4xf32>, tensor<1x1xf32>, tensor<2x4xf32>
}

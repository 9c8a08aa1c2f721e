// RUN: wse-opt %s --convert-onnx-to-wafer -split-input-file | FileCheck %s

// Token ids into a weight table: an embedding fed by a stream.
onnx.parameter @wte : tensor<256x64xf32> file "m.onnx" offset 0 length 65536
// CHECK-LABEL: func.func @embedding
// CHECK-SAME: (%[[IDS:.*]]: tensor<1x16xi64>)
func.func @embedding(%ids: tensor<1x16xi64>) -> tensor<1x16x64xf32> {
  // CHECK: %[[T:.*]] = wafer.stream @wte : tensor<256x64xf32>
  // CHECK: wafer.embedding %[[T]], %[[IDS]] : (tensor<256x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
  %t = onnx.param_ref @wte : tensor<256x64xf32>
  %e = onnx.Gather %t, %ids {axis = 0 : i64} : (tensor<256x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
  return %e : tensor<1x16x64xf32>
}

// -----

// Gather of an activation (or not along axis 0) is a wafer.gather; negative
// constant indices count from the end and are made non-negative.
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>, %[[I:.*]]: tensor<3xi32>)
func.func @gather(%x: tensor<1x16x64xf32>, %i: tensor<3xi32>) -> (tensor<1x64xf32>, tensor<1x3x64xf32>) {
  // CHECK: %[[L:.*]] = wafer.constant dense<15> : tensor<i64>
  // CHECK: wafer.gather %[[X]], %[[L]] {axis = 1 : i64} : (tensor<1x16x64xf32>, tensor<i64>) -> tensor<1x64xf32>
  %last = onnx.Constant dense<-1> : tensor<i64>
  %0 = onnx.Gather %x, %last {axis = -2 : i64} : (tensor<1x16x64xf32>, tensor<i64>) -> tensor<1x64xf32>
  // CHECK: wafer.gather %[[X]], %[[I]] {axis = 1 : i64} : (tensor<1x16x64xf32>, tensor<3xi32>) -> tensor<1x3x64xf32>
  %1 = onnx.Gather %x, %i {axis = 1 : i64} : (tensor<1x16x64xf32>, tensor<3xi32>) -> tensor<1x3x64xf32>
  return %0, %1 : tensor<1x64xf32>, tensor<1x3x64xf32>
}

// -----

// A weight gathered along axis 1 is not an embedding.
onnx.parameter @w : tensor<8x4xf32> file "m.onnx" offset 0 length 128
// CHECK-LABEL: func.func @gather_weight_axis1
func.func @gather_weight_axis1(%i: tensor<2xi64>) -> tensor<8x2xf32> {
  // CHECK: %[[W:.*]] = wafer.stream @w : tensor<8x4xf32>
  // CHECK: wafer.gather %[[W]], %{{.*}} {axis = 1 : i64} : (tensor<8x4xf32>, tensor<2xi64>) -> tensor<8x2xf32>
  // CHECK-NOT: wafer.embedding
  %w = onnx.param_ref @w : tensor<8x4xf32>
  %0 = onnx.Gather %w, %i {axis = 1 : i64} : (tensor<8x4xf32>, tensor<2xi64>) -> tensor<8x2xf32>
  return %0 : tensor<8x2xf32>
}

// RUN: wse-opt %s --canonicalize | FileCheck %s

// Reshape, Expand, Cast and Identity to the operand's own type fold away;
// the ones that change the type stay.
// CHECK-LABEL: func.func @same_type
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK-NEXT: %[[S:.*]] = onnx.Constant dense<[4, 2]>
// CHECK-NEXT: %[[R:.*]] = onnx.Reshape %[[X]], %[[S]]
// CHECK-NEXT: %[[C:.*]] = onnx.Cast %[[X]] : (tensor<2x4xf32>) -> tensor<2x4xf16>
// CHECK-NEXT: return %[[X]], %[[R]], %[[C]]
func.func @same_type(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<4x2xf32>, tensor<2x4xf16>) {
  %s = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %r = onnx.Reshape %x, %s : (tensor<2x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %e = onnx.Expand %r, %s : (tensor<2x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %c = onnx.Cast %e : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %i = onnx.Identity %c : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %s2 = onnx.Constant dense<[4, 2]> : tensor<2xi64>
  %r2 = onnx.Reshape %i, %s2 : (tensor<2x4xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  %h = onnx.Cast %i : (tensor<2x4xf32>) -> tensor<2x4xf16>
  return %i, %r2, %h : tensor<2x4xf32>, tensor<4x2xf32>, tensor<2x4xf16>
}

// Dynamic types are left for staticization.
// CHECK-LABEL: func.func @dynamic
// CHECK: onnx.Reshape
func.func @dynamic(%x: tensor<?x4xf32>, %s: tensor<2xi64>) -> tensor<?x4xf32> {
  %r = onnx.Reshape %x, %s : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

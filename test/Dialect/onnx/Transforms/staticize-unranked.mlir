// RUN: wse-opt --onnx-staticize %s | FileCheck %s
// Imported types may be unranked where ONNX shape inference gave up; they
// are refined like dynamic ones.

// CHECK-LABEL: func.func @unranked
// CHECK-SAME: -> tensor<2x3x4xf32>
// CHECK-NOT: tensor<*
// CHECK: onnx.Reshape {{.*}} -> tensor<6x4xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<2x3x4xf32>
func.func @unranked(%x: tensor<6x4xf32>) -> tensor<*xf32> {
  %s = onnx.Shape %x : (tensor<6x4xf32>) -> tensor<*xi64>
  %r = onnx.Reshape %x, %s : (tensor<6x4xf32>, tensor<*xi64>) -> tensor<*xf32>
  %c = onnx.Constant dense<[2, 3, -1]> : tensor<3xi64>
  %r2 = onnx.Reshape %r, %c : (tensor<*xf32>, tensor<3xi64>) -> tensor<*xf32>
  %n = onnx.Relu %r2 : (tensor<*xf32>) -> tensor<*xf32>
  return %n : tensor<*xf32>
}

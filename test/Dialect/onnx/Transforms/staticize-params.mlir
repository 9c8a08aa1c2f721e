// RUN: wse-opt --onnx-staticize %s | FileCheck %s
// Weights are never folded: ops reading onnx.param_ref stay, even when their
// result is small, while the Shape of a weight (its type, not its bytes)
// folds.

// CHECK-LABEL: func.func @weights
// CHECK-DAG: %[[B:.*]] = onnx.param_ref @b : tensor<4xf32>
// CHECK-DAG: %[[I:.*]] = onnx.param_ref @idx : tensor<2xi64>
// CHECK-DAG: %[[C:.*]] = onnx.Cast %[[B]] : (tensor<4xf32>) -> tensor<4xf16>
// CHECK-DAG: onnx.Add %[[B]], %{{.*}} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
// CHECK-DAG: onnx.Gather %[[B]], %[[I]]{{.*}} -> tensor<2xf32>
// CHECK-DAG: onnx.Constant dense<2> : tensor<2xi64>
// CHECK-NOT: onnx.Shape
func.func @weights() -> (tensor<?xf16>, tensor<?xf32>, tensor<?xf32>, tensor<?xi64>) {
  %b = onnx.param_ref @b : tensor<4xf32>
  %c = onnx.Cast %b : (tensor<4xf32>) -> tensor<?xf16>
  %one = onnx.Constant dense<1.0> : tensor<f32>
  %a = onnx.Add %b, %one : (tensor<4xf32>, tensor<f32>) -> tensor<?xf32>
  %idx = onnx.param_ref @idx : tensor<2xi64>
  %g = onnx.Gather %b, %idx {axis = 0 : i64} : (tensor<4xf32>, tensor<2xi64>) -> tensor<?xf32>
  %s = onnx.Shape %g : (tensor<?xf32>) -> tensor<?xi64>
  %ss = onnx.Concat %s, %s {axis = 0 : i64} : (tensor<?xi64>, tensor<?xi64>) -> tensor<?xi64>
  return %c, %a, %g, %ss : tensor<?xf16>, tensor<?xf32>, tensor<?xf32>, tensor<?xi64>
}

onnx.parameter @b : tensor<4xf32> file "w.bin" offset 0 length 16
onnx.parameter @idx : tensor<2xi64> file "w.bin" offset 16 length 16

// Large results stay computed at run time (max-fold-elements, default 4096).
// CHECK-LABEL: func.func @too_big
// CHECK: onnx.ConstantOfShape {{.*}} -> tensor<128x64xf32>
// CHECK: onnx.Trilu {{.*}} -> tensor<128x64xf32>
func.func @too_big() -> tensor<?x?xf32> {
  %s = onnx.Constant dense<[128, 64]> : tensor<2xi64>
  %0 = onnx.ConstantOfShape %s, dense<1.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x?xf32>
  %1 = onnx.Trilu %0 : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// RUN: wse-opt --onnx-staticize="max-fold-elements=4" %s | FileCheck %s
// RUN: wse-opt --onnx-staticize %s | FileCheck %s --check-prefix=DEFAULT

// A 2x3 result exceeds max-fold-elements=4: its type is refined but it is
// not materialized; the 2-element shape vector is.
// CHECK-LABEL: func.func @limit
// CHECK-NOT: onnx.Shape
// CHECK: %[[S:.*]] = onnx.Constant dense<[2, 3]> : tensor<2xi64>
// CHECK: onnx.ConstantOfShape %[[S]], {{.*}} -> tensor<2x3xi64>
// DEFAULT-LABEL: func.func @limit
// DEFAULT: onnx.Constant dense<7> : tensor<2x3xi64>
// DEFAULT-NOT: onnx.ConstantOfShape
func.func @limit(%x: tensor<2x3xf32>) -> tensor<?x?xi64> {
  %s = onnx.Shape %x : (tensor<2x3xf32>) -> tensor<?xi64>
  %0 = onnx.ConstantOfShape %s, dense<7> : tensor<1xi64> : (tensor<?xi64>) -> tensor<?x?xi64>
  return %0 : tensor<?x?xi64>
}

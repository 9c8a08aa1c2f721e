// RUN: wse-opt --onnx-staticize="allow-dynamic=true" --verify-diagnostics %s | FileCheck %s
// With allow-dynamic, the remaining dynamic result is a warning; everything
// that can be made static still is, and partially known shape vectors give
// partially static types.

// CHECK-LABEL: func.func @partial
// CHECK-SAME: -> tensor<?x4x2xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<?x4x2xf32>
func.func @partial(%x: tensor<?x8xf32>) -> tensor<?x?x?xf32> {
  // expected-warning @above {{cannot make argument #0 of @partial static}}
  %s = onnx.Shape %x {end = 1 : i64} : (tensor<?x8xf32>) -> tensor<?xi64>
  %c = onnx.Constant dense<[4, 2]> : tensor<2xi64>
  %shape = onnx.Concat %s, %c {axis = 0 : i64} : (tensor<?xi64>, tensor<2xi64>) -> tensor<?xi64>
  %0 = onnx.Reshape %x, %shape : (tensor<?x8xf32>, tensor<?xi64>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// Reductions (axes, keepdims=0, noop_with_empty_axes, all axes, negative
// axis) and CumSum (inclusive, reverse, exclusive+reverse, exclusive, int).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py reduce %t/r
// RUN: wse-ref %s --entry reduce --input x=%t/r/x.npy --input c=%t/r/c.npy \
// RUN:   --output 0=%t/r/o0.npy --output 1=%t/r/o1.npy --output 2=%t/r/o2.npy \
// RUN:   --output 3=%t/r/o3.npy --output 4=%t/r/o4.npy --output 5=%t/r/o5.npy \
// RUN:   --output 6=%t/r/o6.npy --output 7=%t/r/o7.npy --output 8=%t/r/o8.npy
// RUN: %python %S/Inputs/compare_npy.py --rtol 2e-6 \
// RUN:   %t/r/ref0.npy %t/r/o0.npy %t/r/ref1.npy %t/r/o1.npy \
// RUN:   %t/r/ref2.npy %t/r/o2.npy %t/r/ref3.npy %t/r/o3.npy \
// RUN:   %t/r/ref4.npy %t/r/o4.npy %t/r/ref5.npy %t/r/o5.npy \
// RUN:   %t/r/ref6.npy %t/r/o6.npy %t/r/ref7.npy %t/r/o7.npy \
// RUN:   %t/r/ref8.npy %t/r/o8.npy \
// RUN:   | FileCheck %s --implicit-check-not=MISMATCH
// CHECK: MATCH

func.func @reduce(%x: tensor<2x3x4xf32> {onnx.name = "x"},
                  %c: tensor<2x3xf32> {onnx.name = "c"})
    -> (tensor<3xf32>, tensor<2x3x1xf32>, tensor<2x3x4xf32>, tensor<1x1x1xf32>,
        tensor<2x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<3xi64>) {
  %0 = onnx.ReduceMean %x {axes = array<i64: 0, 2>, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %1 = onnx.ReduceSum %x {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %2 = onnx.ReduceSum %x {noop_with_empty_axes = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %3 = onnx.ReduceSum %x : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %4 = onnx.ReduceMax %x {axes = array<i64: -2>, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
  %5 = onnx.CumSum %c {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = onnx.CumSum %c {axis = -1 : i64, exclusive = 1 : i64, reverse = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = onnx.CumSum %c {axis = 0 : i64, exclusive = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %i = onnx.Constant dense<[1, 2, 3]> : tensor<3xi64>
  %8 = onnx.CumSum %i {axis = 0 : i64, reverse = 1 : i64} : (tensor<3xi64>) -> tensor<3xi64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8
      : tensor<3xf32>, tensor<2x3x1xf32>, tensor<2x3x4xf32>, tensor<1x1x1xf32>,
        tensor<2x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<3xi64>
}

// Softmax and LogSoftmax (axis 1 and -1; large and finfo.min-like inputs that
// overflow a naive exp), LayerNormalization (axis -2 without bias, axis -1
// with bias and epsilon), RMSNormalization.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py norm %t/n
// RUN: wse-ref %s --entry norm --input x=%t/n/x.npy --input big=%t/n/big.npy --input s=%t/n/s.npy --input b=%t/n/b.npy --input g=%t/n/g.npy \
// RUN:   --output 0=%t/n/o0.npy --output 1=%t/n/o1.npy --output 2=%t/n/o2.npy \
// RUN:   --output 3=%t/n/o3.npy --output 4=%t/n/o4.npy --output 5=%t/n/o5.npy \
// RUN:   --output 6=%t/n/o6.npy
// RUN: %python %S/Inputs/compare_npy.py --rtol 1e-5 --atol 1e-5 \
// RUN:   %t/n/ref0.npy %t/n/o0.npy %t/n/ref1.npy %t/n/o1.npy \
// RUN:   %t/n/ref2.npy %t/n/o2.npy %t/n/ref3.npy %t/n/o3.npy \
// RUN:   %t/n/ref4.npy %t/n/o4.npy %t/n/ref5.npy %t/n/o5.npy \
// RUN:   %t/n/ref6.npy %t/n/o6.npy \
// RUN:   | FileCheck %s --implicit-check-not=MISMATCH
// CHECK: MATCH

func.func @norm(%x: tensor<2x3x4xf32> {onnx.name = "x"},
                %big: tensor<2x3xf32> {onnx.name = "big"},
                %s: tensor<3x4xf32> {onnx.name = "s"},
                %b: tensor<4xf32> {onnx.name = "b"},
                %g: tensor<4xf32> {onnx.name = "g"})
    -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = onnx.Softmax %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = onnx.LogSoftmax %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %2 = onnx.Softmax %big : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = onnx.LogSoftmax %big : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = onnx.LayerNormalization %x, %s {axis = -2 : i64} : (tensor<2x3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  %5 = onnx.LayerNormalization %x, %g, %b {epsilon = 1.0e-3 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %6 = onnx.RMSNormalization %x, %g {epsilon = 1.0e-6 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0, %1, %2, %3, %4, %5, %6
      : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// MatMul (batch broadcasting, 1-D operands on either side or both) and Gemm
// (transA/transB, alpha/beta, C broadcast from [N] and [M,1], no C).
//
// RUN: rm -rf %t && mkdir -p %t/m %t/g
// RUN: %python %S/Inputs/cases.py matmul %t/m
// RUN: wse-ref %s --entry matmul --input a=%t/m/a.npy --input b=%t/m/b.npy \
// RUN:   --input v=%t/m/v.npy --input w=%t/m/w.npy --input c=%t/m/c.npy \
// RUN:   --input d=%t/m/d.npy \
// RUN:   --output 0=%t/m/o0.npy --output 1=%t/m/o1.npy --output 2=%t/m/o2.npy \
// RUN:   --output 3=%t/m/o3.npy --output 4=%t/m/o4.npy --output 5=%t/m/o5.npy
// RUN: %python %S/Inputs/compare_npy.py --rtol 1e-5 --atol 1e-5 \
// RUN:   %t/m/ref0.npy %t/m/o0.npy %t/m/ref1.npy %t/m/o1.npy \
// RUN:   %t/m/ref2.npy %t/m/o2.npy %t/m/ref3.npy %t/m/o3.npy \
// RUN:   %t/m/ref4.npy %t/m/o4.npy %t/m/ref5.npy %t/m/o5.npy \
// RUN:   | FileCheck %s --implicit-check-not=MISMATCH
// RUN: %python %S/Inputs/cases.py gemm %t/g
// RUN: wse-ref %s --entry gemm --input a=%t/g/a.npy --input b=%t/g/b.npy \
// RUN:   --input c=%t/g/c.npy --input a2=%t/g/a2.npy --input b2=%t/g/b2.npy \
// RUN:   --input c2=%t/g/c2.npy \
// RUN:   --output 0=%t/g/o0.npy --output 1=%t/g/o1.npy --output 2=%t/g/o2.npy \
// RUN:   --output 3=%t/g/o3.npy
// RUN: %python %S/Inputs/compare_npy.py --rtol 1e-5 --atol 1e-5 \
// RUN:   %t/g/ref0.npy %t/g/o0.npy %t/g/ref1.npy %t/g/o1.npy \
// RUN:   %t/g/ref2.npy %t/g/o2.npy %t/g/ref3.npy %t/g/o3.npy \
// RUN:   | FileCheck %s --implicit-check-not=MISMATCH
// CHECK: MATCH

func.func @matmul(%a: tensor<2x3x4xf32> {onnx.name = "a"},
                  %b: tensor<4x5xf32> {onnx.name = "b"},
                  %v: tensor<4xf32> {onnx.name = "v"},
                  %w: tensor<5xf32> {onnx.name = "w"},
                  %c: tensor<2x1x3x4xf32> {onnx.name = "c"},
                  %d: tensor<5x4x2xf32> {onnx.name = "d"})
    -> (tensor<2x3x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<f32>,
        tensor<2x5x3x2xf32>, tensor<4xf32>) {
  %bt = onnx.Transpose %b, [1, 0] : (tensor<4x5xf32>) -> tensor<5x4xf32>
  %0 = onnx.MatMul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %1 = onnx.MatMul %v, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  %2 = onnx.MatMul %bt, %v : (tensor<5x4xf32>, tensor<4xf32>) -> tensor<5xf32>
  %3 = onnx.MatMul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %4 = onnx.MatMul %c, %d : (tensor<2x1x3x4xf32>, tensor<5x4x2xf32>) -> tensor<2x5x3x2xf32>
  %5 = onnx.MatMul %w, %bt : (tensor<5xf32>, tensor<5x4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3x5xf32>, tensor<5xf32>,
      tensor<5xf32>, tensor<f32>, tensor<2x5x3x2xf32>, tensor<4xf32>
}

func.func @gemm(%a: tensor<4x3xf32> {onnx.name = "a"},
                %b: tensor<5x4xf32> {onnx.name = "b"},
                %c: tensor<5xf32> {onnx.name = "c"},
                %a2: tensor<3x4xf32> {onnx.name = "a2"},
                %b2: tensor<4x5xf32> {onnx.name = "b2"},
                %c2: tensor<3x1xf32> {onnx.name = "c2"})
    -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = onnx.Gemm %a, %b, %c {transA = 1 : i64, transB = 1 : i64}
      : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  %1 = onnx.Gemm %a2, %b2, %c2 {alpha = 0.5 : f32, beta = 2.0 : f32}
      : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<3x1xf32>) -> tensor<3x5xf32>
  %2 = onnx.Gemm %a2, %b {alpha = 1.5 : f32, transB = 1 : i64}
      : (tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<3x5xf32>
  %3 = onnx.Gemm %a, %b2, %c2 {transA = 1 : i64, beta = -1.0 : f32}
      : (tensor<4x3xf32>, tensor<4x5xf32>, tensor<3x1xf32>) -> tensor<3x5xf32>
  return %0, %1, %2, %3 : tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>,
      tensor<3x5xf32>
}

// RUN: wse-opt %s --convert-onnx-to-wafer -split-input-file | FileCheck %s

// A MatMul by a parameter is a linear layer fed by its own stream.
onnx.parameter @w : tensor<64x256xf32> file "m.onnx" offset 0 length 65536
// CHECK-LABEL: func.func @matmul_weight
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
func.func @matmul_weight(%x: tensor<1x16x64xf32>) -> tensor<1x16x256xf32> {
  // CHECK: %[[W:.*]] = wafer.stream @w : tensor<64x256xf32>
  // CHECK: %[[Y:.*]] = wafer.linear %[[X]], %[[W]] : (tensor<1x16x64xf32>, tensor<64x256xf32>) -> tensor<1x16x256xf32>
  // CHECK-NOT: transpose_weight
  // CHECK: return %[[Y]]
  %w = onnx.param_ref @w : tensor<64x256xf32>
  %y = onnx.MatMul %x, %w : (tensor<1x16x64xf32>, tensor<64x256xf32>) -> tensor<1x16x256xf32>
  return %y : tensor<1x16x256xf32>
}

// -----

// A transposed parameter (torch Linear stores [out, in]) becomes
// transpose_weight; the transpose disappears.
onnx.parameter @w : tensor<256x64xf32> file "m.onnx" offset 0 length 65536
// CHECK-LABEL: func.func @matmul_transposed_weight
func.func @matmul_transposed_weight(%x: tensor<16x64xf32>) -> tensor<16x256xf32> {
  // CHECK-NOT: wafer.transpose
  // CHECK: %[[W:.*]] = wafer.stream @w : tensor<256x64xf32>
  // CHECK-NOT: wafer.transpose
  // CHECK: wafer.linear %{{.*}}, %[[W]] {transpose_weight} : (tensor<16x64xf32>, tensor<256x64xf32>) -> tensor<16x256xf32>
  %w = onnx.param_ref @w : tensor<256x64xf32>
  %t = onnx.Transpose %w, [1, 0] : (tensor<256x64xf32>) -> tensor<64x256xf32>
  %y = onnx.MatMul %x, %t : (tensor<16x64xf32>, tensor<64x256xf32>) -> tensor<16x256xf32>
  return %y : tensor<16x256xf32>
}

// -----

// A rank-1 input times a weight is still a linear layer.
onnx.parameter @w : tensor<8x4xf32> file "m.onnx" offset 0 length 128
// CHECK-LABEL: func.func @matmul_vector_weight
func.func @matmul_vector_weight(%x: tensor<8xf32>) -> tensor<4xf32> {
  // CHECK: wafer.linear %{{.*}}, %{{.*}} : (tensor<8xf32>, tensor<8x4xf32>) -> tensor<4xf32>
  %w = onnx.param_ref @w : tensor<8x4xf32>
  %y = onnx.MatMul %x, %w : (tensor<8xf32>, tensor<8x4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A small constant is a valid weight operand.
// CHECK-LABEL: func.func @matmul_constant_weight
func.func @matmul_constant_weight(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  // CHECK: %[[C:.*]] = wafer.constant dense<{{.*}}> : tensor<2x2xf32>
  // CHECK: wafer.linear %{{.*}}, %[[C]] : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %c = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = onnx.MatMul %x, %c : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Two activations: attention scores, batch dimensions broadcast.
// CHECK-LABEL: func.func @matmul_activations
func.func @matmul_activations(%q: tensor<1x4x16x8xf32>, %k: tensor<1x4x8x16xf32>) -> tensor<1x4x16x16xf32> {
  // CHECK: %[[S:.*]] = wafer.matmul %{{.*}}, %{{.*}} : (tensor<1x4x16x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x16x16xf32>
  // CHECK: return %[[S]]
  %s = onnx.MatMul %q, %k : (tensor<1x4x16x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x16x16xf32>
  return %s : tensor<1x4x16x16xf32>
}

// -----

// Rank-1 activations are made matrices and the result reshaped back.
// CHECK-LABEL: func.func @matmul_rank1
func.func @matmul_rank1(%a: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<3x8x5xf32>) -> (tensor<f32>, tensor<3x5xf32>) {
  // CHECK: %[[A:.*]] = wafer.reshape %{{.*}} : (tensor<8xf32>) -> tensor<1x8xf32>
  // CHECK: %[[B:.*]] = wafer.reshape %{{.*}} : (tensor<8xf32>) -> tensor<8x1xf32>
  // CHECK: %[[D:.*]] = wafer.matmul %[[A]], %[[B]] : (tensor<1x8xf32>, tensor<8x1xf32>) -> tensor<1x1xf32>
  // CHECK: wafer.reshape %[[D]] : (tensor<1x1xf32>) -> tensor<f32>
  %d = onnx.MatMul %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  // CHECK: %[[A2:.*]] = wafer.reshape %{{.*}} : (tensor<8xf32>) -> tensor<1x8xf32>
  // CHECK: %[[E:.*]] = wafer.matmul %[[A2]], %{{.*}} : (tensor<1x8xf32>, tensor<3x8x5xf32>) -> tensor<3x1x5xf32>
  // CHECK: wafer.reshape %[[E]] : (tensor<3x1x5xf32>) -> tensor<3x5xf32>
  %e = onnx.MatMul %a, %m : (tensor<8xf32>, tensor<3x8x5xf32>) -> tensor<3x5xf32>
  return %d, %e : tensor<f32>, tensor<3x5xf32>
}

// -----

// Gemm with transB and a [N] bias (the GPT-2 Conv1D / torch Linear export).
onnx.parameter @w : tensor<32x16xf32> file "m.onnx" offset 0 length 2048
onnx.parameter @b : tensor<32xf32> file "m.onnx" offset 2048 length 128
// CHECK-LABEL: func.func @gemm_bias
func.func @gemm_bias(%x: tensor<4x16xf32>) -> tensor<4x32xf32> {
  // CHECK: %[[W:.*]] = wafer.stream @w : tensor<32x16xf32>
  // CHECK: %[[B:.*]] = wafer.stream @b : tensor<32xf32>
  // CHECK: %[[Y:.*]] = wafer.linear %{{.*}}, %[[W]], %[[B]] {transpose_weight} : (tensor<4x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  // CHECK-NOT: wafer.elementwise
  // CHECK: return %[[Y]]
  %w = onnx.param_ref @w : tensor<32x16xf32>
  %b = onnx.param_ref @b : tensor<32xf32>
  %y = onnx.Gemm %x, %w, %b {transB = 1 : i64} : (tensor<4x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// -----

// A [1, N] C is reshaped to the [N] bias.
onnx.parameter @w : tensor<16x32xf32> file "m.onnx" offset 0 length 2048
onnx.parameter @b : tensor<1x32xf32> file "m.onnx" offset 2048 length 128
// CHECK-LABEL: func.func @gemm_row_bias
func.func @gemm_row_bias(%x: tensor<4x16xf32>) -> tensor<4x32xf32> {
  // CHECK: %[[B:.*]] = wafer.stream @b : tensor<1x32xf32>
  // CHECK: %[[R:.*]] = wafer.reshape %[[B]] : (tensor<1x32xf32>) -> tensor<32xf32>
  // CHECK: wafer.linear %{{.*}}, %{{.*}}, %[[R]] : (tensor<4x16xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  %w = onnx.param_ref @w : tensor<16x32xf32>
  %b = onnx.param_ref @b : tensor<1x32xf32>
  %y = onnx.Gemm %x, %w, %b : (tensor<4x16xf32>, tensor<16x32xf32>, tensor<1x32xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// -----

// alpha, beta and a full C: linear without bias, then alpha*y + beta*c.
onnx.parameter @w : tensor<16x32xf32> file "m.onnx" offset 0 length 2048
// CHECK-LABEL: func.func @gemm_alpha_beta
func.func @gemm_alpha_beta(%x: tensor<4x16xf32>, %c: tensor<4x32xf32>) -> tensor<4x32xf32> {
  // CHECK: %[[Y:.*]] = wafer.linear %{{.*}}, %{{.*}} : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32>
  // CHECK: wafer.elementwise ins(%[[Y]], %{{.*}} : tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32> {
  // CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32):
  // CHECK: %[[AL:.*]] = arith.constant 5.000000e-01 : f32
  // CHECK: %[[AY:.*]] = arith.mulf %[[AL]], %[[A]] : f32
  // CHECK: %[[BE:.*]] = arith.constant 2.000000e+00 : f32
  // CHECK: %[[BC:.*]] = arith.mulf %[[BE]], %[[B]] : f32
  // CHECK: %[[S:.*]] = arith.addf %[[AY]], %[[BC]] : f32
  // CHECK: wafer.yield %[[S]] : f32
  %w = onnx.param_ref @w : tensor<16x32xf32>
  %y = onnx.Gemm %x, %w, %c {alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<4x16xf32>, tensor<16x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// -----

// Gemm of two activations: transposes, a matmul, and an elementwise add of C.
// CHECK-LABEL: func.func @gemm_activations
// CHECK-SAME: (%[[A:.*]]: tensor<16x4xf32>, %[[B:.*]]: tensor<8x16xf32>, %[[C:.*]]: tensor<8xf32>)
func.func @gemm_activations(%a: tensor<16x4xf32>, %b: tensor<8x16xf32>, %c: tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[AT:.*]] = wafer.transpose %[[A]], [1, 0] : (tensor<16x4xf32>) -> tensor<4x16xf32>
  // CHECK: %[[BT:.*]] = wafer.transpose %[[B]], [1, 0] : (tensor<8x16xf32>) -> tensor<16x8xf32>
  // CHECK: %[[P:.*]] = wafer.matmul %[[AT]], %[[BT]] : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  // CHECK: wafer.elementwise ins(%[[P]], %[[C]] : tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK: arith.addf
  %y = onnx.Gemm %a, %b, %c {transA = 1 : i64, transB = 1 : i64} : (tensor<16x4xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// A transposed parameter under transB: the two transposes cancel.
onnx.parameter @w : tensor<16x32xf32> file "m.onnx" offset 0 length 2048
// CHECK-LABEL: func.func @gemm_transposed_weight_transB
func.func @gemm_transposed_weight_transB(%x: tensor<4x16xf32>) -> tensor<4x32xf32> {
  // CHECK-NOT: wafer.transpose
  // CHECK: %[[W:.*]] = wafer.stream @w : tensor<16x32xf32>
  // CHECK-NEXT: wafer.linear %{{.*}}, %[[W]] : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32>
  %w = onnx.param_ref @w : tensor<16x32xf32>
  %t = onnx.Transpose %w, [1, 0] : (tensor<16x32xf32>) -> tensor<32x16xf32>
  %y = onnx.Gemm %x, %t {transB = 1 : i64} : (tensor<4x16xf32>, tensor<32x16xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// -----

// A transposed weight with another user keeps its transpose (on its own
// stream) while the linear reads a fresh stream.
onnx.parameter @w : tensor<8x4xf32> file "m.onnx" offset 0 length 128
// CHECK-LABEL: func.func @transposed_weight_shared
func.func @transposed_weight_shared(%x: tensor<2x4xf32>) -> (tensor<2x8xf32>, tensor<4x8xf32>) {
  // CHECK: %[[W1:.*]] = wafer.stream @w : tensor<8x4xf32>
  // CHECK-NEXT: %[[T:.*]] = wafer.transpose %[[W1]], [1, 0]
  // CHECK-NEXT: %[[W2:.*]] = wafer.stream @w : tensor<8x4xf32>
  // CHECK-NEXT: %[[Y:.*]] = wafer.linear %{{.*}}, %[[W2]] {transpose_weight}
  // CHECK-NEXT: return %[[Y]], %[[T]]
  %w = onnx.param_ref @w : tensor<8x4xf32>
  %t = onnx.Transpose %w, [1, 0] : (tensor<8x4xf32>) -> tensor<4x8xf32>
  %y = onnx.MatMul %x, %t : (tensor<2x4xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
  return %y, %t : tensor<2x8xf32>, tensor<4x8xf32>
}

// -----

// A large inline constant is not a weight: a matmul of activations.
// CHECK-LABEL: func.func @large_constant_rhs
func.func @large_constant_rhs(%x: tensor<2x32xf32>) -> tensor<2x32xf32> {
  // CHECK: wafer.matmul
  // CHECK-NOT: wafer.linear
  %c = onnx.Constant dense<1.0> : tensor<32x32xf32>
  %y = onnx.MatMul %x, %c : (tensor<2x32xf32>, tensor<32x32xf32>) -> tensor<2x32xf32>
  return %y : tensor<2x32xf32>
}

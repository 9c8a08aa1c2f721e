// RUN: wse-opt --onnx-recompose %s | FileCheck %s
// Chains that look like an idiom but are not (wrong constant, wrong axis,
// shared intermediate, broadcasting constant) are left alone.

// Pow exponent 3: not a variance.
// CHECK-LABEL: func.func @layernorm_wrong_exponent
// CHECK-NOT: onnx.LayerNormalization
// CHECK: onnx.Pow
func.func @layernorm_wrong_exponent(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %m = onnx.ReduceMean %x {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = onnx.Sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %three = onnx.Constant dense<3.0> : tensor<f32>
  %p = onnx.Pow %d, %three : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %eps = onnx.Constant dense<1.0e-5> : tensor<f32>
  %a = onnx.Add %v, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s = onnx.Sqrt %a : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = onnx.Div %d, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// The mean is also returned: no LayerNormalization. What remains,
// d / sqrt(mean(d^2) + eps) with d = x - mean, is a genuine RMSNorm of d
// with no shared intermediate, and is recomposed as such.
// CHECK-LABEL: func.func @layernorm_shared_mean
// CHECK-NOT: onnx.LayerNormalization
// CHECK: %[[M:.*]] = onnx.ReduceMean
// CHECK: %[[D:.*]] = onnx.Sub %{{.*}}, %[[M]]
// CHECK: %[[R:.*]] = onnx.RMSNormalization %[[D]]
// CHECK: return %[[R]], %[[M]]
func.func @layernorm_shared_mean(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x1xf32>) {
  %m = onnx.ReduceMean %x {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = onnx.Sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %two = onnx.Constant dense<2.0> : tensor<f32>
  %p = onnx.Pow %d, %two : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %eps = onnx.Constant dense<1.0e-5> : tensor<f32>
  %a = onnx.Add %v, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s = onnx.Sqrt %a : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = onnx.Div %d, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %y, %m : tensor<2x8xf32>, tensor<2x1xf32>
}

// Normalizing over the first axis is not LayerNormalization(axis=-1).
// CHECK-LABEL: func.func @layernorm_leading_axis
// CHECK-NOT: onnx.LayerNormalization
// CHECK-NOT: onnx.RMSNormalization
// CHECK: onnx.Div
func.func @layernorm_leading_axis(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %m = onnx.ReduceMean %x {axes = array<i64: 0>} : (tensor<2x8xf32>) -> tensor<1x8xf32>
  %d = onnx.Sub %x, %m : (tensor<2x8xf32>, tensor<1x8xf32>) -> tensor<2x8xf32>
  %two = onnx.Constant dense<2.0> : tensor<f32>
  %p = onnx.Pow %d, %two : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: 0>} : (tensor<2x8xf32>) -> tensor<1x8xf32>
  %eps = onnx.Constant dense<1.0e-5> : tensor<f32>
  %a = onnx.Add %v, %eps : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %s = onnx.Sqrt %a : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = onnx.Div %d, %s : (tensor<2x8xf32>, tensor<1x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// A scale that is not of the normalized shape stays a separate Mul.
// CHECK-LABEL: func.func @layernorm_scale_broadcasts
// CHECK: %[[LN:.*]] = onnx.LayerNormalization
// CHECK: onnx.Mul %[[LN]], %{{.*}} : (tensor<2x8xf32>, tensor<2x1xf32>)
func.func @layernorm_scale_broadcasts(%x: tensor<2x8xf32>, %w: tensor<2x1xf32>) -> tensor<2x8xf32> {
  %m = onnx.ReduceMean %x {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = onnx.Sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %two = onnx.Constant dense<2.0> : tensor<f32>
  %p = onnx.Pow %d, %two : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %eps = onnx.Constant dense<1.0e-5> : tensor<f32>
  %a = onnx.Add %v, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s = onnx.Sqrt %a : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = onnx.Div %d, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %ys = onnx.Mul %y, %w : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %ys : tensor<2x8xf32>
}

// RMSNorm whose variance is also used elsewhere.
// CHECK-LABEL: func.func @rmsnorm_shared_variance
// CHECK-NOT: onnx.RMSNormalization
// CHECK: onnx.Reciprocal
func.func @rmsnorm_shared_variance(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x1xf32>) {
  %two = onnx.Constant dense<2.0> : tensor<f32>
  %p = onnx.Pow %x, %two : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %eps = onnx.Constant dense<1.0e-5> : tensor<f32>
  %a = onnx.Add %v, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s = onnx.Sqrt %a : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %r = onnx.Reciprocal %s : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = onnx.Mul %x, %r : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %y, %v : tensor<2x8xf32>, tensor<2x1xf32>
}

// RMS of one value applied to another.
// CHECK-LABEL: func.func @rmsnorm_different_input
// CHECK-NOT: onnx.RMSNormalization
func.func @rmsnorm_different_input(%x: tensor<2x8xf32>, %z: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %two = onnx.Constant dense<2.0> : tensor<f32>
  %p = onnx.Pow %x, %two : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %eps = onnx.Constant dense<1.0e-5> : tensor<f32>
  %a = onnx.Add %v, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s = onnx.Sqrt %a : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = onnx.Div %z, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// 0.6 instead of 0.5; 1.5 instead of sqrt(2).
// CHECK-LABEL: func.func @gelu_wrong_constants
// CHECK-NOT: onnx.Gelu
// CHECK: onnx.Erf
// CHECK: onnx.Erf
func.func @gelu_wrong_constants(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %c = onnx.Constant dense<1.41421354> : tensor<f32>
  %d = onnx.Div %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %e = onnx.Erf %d : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %one = onnx.Constant dense<1.0> : tensor<f32>
  %a = onnx.Add %e, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %m = onnx.Mul %x, %a : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %bad = onnx.Constant dense<0.6> : tensor<f32>
  %g = onnx.Mul %m, %bad : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>

  %c2 = onnx.Constant dense<1.5> : tensor<f32>
  %d2 = onnx.Div %x, %c2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %e2 = onnx.Erf %d2 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %a2 = onnx.Add %e2, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %m2 = onnx.Mul %x, %a2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %half = onnx.Constant dense<0.5> : tensor<f32>
  %g2 = onnx.Mul %m2, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %g, %g2 : tensor<2x8xf32>, tensor<2x8xf32>
}

// The tanh argument is also returned.
// CHECK-LABEL: func.func @gelu_tanh_shared
// CHECK-NOT: onnx.Gelu
// CHECK: onnx.Tanh
func.func @gelu_tanh_shared(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %half = onnx.Constant dense<0.5> : tensor<f32>
  %m1 = onnx.Mul %half, %x : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %three = onnx.Constant dense<3.0> : tensor<f32>
  %p = onnx.Pow %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %k = onnx.Constant dense<0.044715> : tensor<f32>
  %m2 = onnx.Mul %k, %p : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %a = onnx.Add %x, %m2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %c = onnx.Constant dense<0.797884583> : tensor<f32>
  %m3 = onnx.Mul %c, %a : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %t = onnx.Tanh %m3 : (tensor<8xf32>) -> tensor<8xf32>
  %one = onnx.Constant dense<1.0> : tensor<f32>
  %a2 = onnx.Add %one, %t : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %g = onnx.Mul %m1, %a2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %g, %m3 : tensor<8xf32>, tensor<8xf32>
}

// Sigmoid of another value; Sigmoid used twice; 0.5 that broadcasts x up.
// CHECK-LABEL: func.func @silu_negative
// CHECK-NOT: onnx.SiLU
// CHECK: onnx.Sigmoid
// CHECK: onnx.Sigmoid
func.func @silu_negative(%x: tensor<4xf32>, %z: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %s = onnx.Sigmoid %z : (tensor<4xf32>) -> tensor<4xf32>
  %y = onnx.Mul %x, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s2 = onnx.Sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  %y2 = onnx.Mul %x, %s2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y, %y2, %s2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @gelu_broadcasting_half
// CHECK-NOT: onnx.Gelu
func.func @gelu_broadcasting_half(%x: tensor<8xf32>) -> tensor<2x8xf32> {
  %c = onnx.Constant dense<1.41421354> : tensor<f32>
  %d = onnx.Div %x, %c : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e = onnx.Erf %d : (tensor<8xf32>) -> tensor<8xf32>
  %one = onnx.Constant dense<1.0> : tensor<f32>
  %a = onnx.Add %e, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m = onnx.Mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %half = onnx.Constant dense<0.5> : tensor<2x1xf32>
  %g = onnx.Mul %m, %half : (tensor<8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %g : tensor<2x8xf32>
}

// A Cast that changes the type stays.
// CHECK-LABEL: func.func @real_cast
// CHECK: onnx.Cast
func.func @real_cast(%x: tensor<4xf32>) -> tensor<4xf16> {
  %c = onnx.Cast %x : (tensor<4xf32>) -> tensor<4xf16>
  return %c : tensor<4xf16>
}

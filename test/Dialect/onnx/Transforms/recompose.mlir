// RUN: wse-opt --onnx-recompose %s | FileCheck %s
// Each idiom as torch.onnx exports it becomes one op.

// GPT-2 ln_1 at opset 14 (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div,
// Mul, Add).
// CHECK-LABEL: func.func @layernorm
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>, %[[W:.*]]: tensor<64xf32>, %[[B:.*]]: tensor<64xf32>)
// Default attributes (axis = -1, epsilon = 1e-5) are elided when printed.
// CHECK-NEXT: %[[LN:.*]] = onnx.LayerNormalization %[[X]], %[[W]], %[[B]] : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NEXT: return %[[LN]]
func.func @layernorm(%x: tensor<1x16x64xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<1x16x64xf32> {
  %m = onnx.ReduceMean %x {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %d = onnx.Sub %x, %m : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %two = onnx.Constant dense<2.0> : tensor<f32>
  %p = onnx.Pow %d, %two : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = onnx.Constant dense<1.0e-5> : tensor<f32>
  %a = onnx.Add %v, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %s = onnx.Sqrt %a : (tensor<1x16x1xf32>) -> tensor<1x16x1xf32>
  %y = onnx.Div %d, %s : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %ys = onnx.Mul %y, %w : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  %yb = onnx.Add %ys, %b : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  return %yb : tensor<1x16x64xf32>
}

// Axes given as [rank-1], scale first, no bias; an elementwise_affine=False
// LayerNorm gets a splat ones scale (one element of storage).
// CHECK-LABEL: func.func @layernorm_variants
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[W:.*]]: tensor<8xf32>)
// CHECK-DAG: %[[ONES:.*]] = onnx.Constant dense<1.000000e+00> : tensor<8xf32>
// CHECK-DAG: %[[LN:.*]] = onnx.LayerNormalization %[[X]], %[[W]] {epsilon = 9.99999996E-13 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
// CHECK: onnx.LayerNormalization %[[LN]], %[[ONES]] : (tensor<2x8xf32>, tensor<8xf32>)
// CHECK-NOT: onnx.ReduceMean
func.func @layernorm_variants(%x: tensor<2x8xf32>, %w: tensor<8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %m = onnx.ReduceMean %x {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = onnx.Sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %two = onnx.Constant dense<2.0> : tensor<1xf32>
  %p = onnx.Pow %d, %two : (tensor<2x8xf32>, tensor<1xf32>) -> tensor<2x8xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %eps = onnx.Constant dense<1.0e-12> : tensor<f32>
  %a = onnx.Add %eps, %v : (tensor<f32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  %s = onnx.Sqrt %a : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = onnx.Div %d, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %ys = onnx.Mul %w, %y : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>

  %m2 = onnx.ReduceMean %ys {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d2 = onnx.Sub %ys, %m2 : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %p2 = onnx.Pow %d2, %two : (tensor<2x8xf32>, tensor<1xf32>) -> tensor<2x8xf32>
  %v2 = onnx.ReduceMean %p2 {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %eps2 = onnx.Constant dense<1.0e-5> : tensor<f32>
  %a2 = onnx.Add %v2, %eps2 : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s2 = onnx.Sqrt %a2 : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y2 = onnx.Div %d2, %s2 : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %ys, %y2 : tensor<2x8xf32>, tensor<2x8xf32>
}

// HF LLaMA RMSNorm: Cast to f32 (a no-op here), Pow, ReduceMean, Add, Sqrt,
// Div(1, .), Mul, Cast back, Mul(weight, .).
// CHECK-LABEL: func.func @rmsnorm_llama
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>, %[[W:.*]]: tensor<64xf32>)
// CHECK-NEXT: %[[R:.*]] = onnx.RMSNormalization %[[X]], %[[W]] {epsilon = 9.99999997E-7 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
// CHECK-NEXT: return %[[R]]
func.func @rmsnorm_llama(%x0: tensor<1x16x64xf32>, %w: tensor<64xf32>) -> tensor<1x16x64xf32> {
  %x = onnx.Cast %x0 : (tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %two = onnx.Constant dense<2.0> : tensor<f32>
  %p = onnx.Pow %x, %two : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x1xf32>
  %eps = onnx.Constant dense<1.0e-6> : tensor<f32>
  %a = onnx.Add %v, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %s = onnx.Sqrt %a : (tensor<1x16x1xf32>) -> tensor<1x16x1xf32>
  %one = onnx.Constant dense<1.0> : tensor<f32>
  %r = onnx.Div %one, %s : (tensor<f32>, tensor<1x16x1xf32>) -> tensor<1x16x1xf32>
  %y = onnx.Mul %x, %r : (tensor<1x16x64xf32>, tensor<1x16x1xf32>) -> tensor<1x16x64xf32>
  %yc = onnx.Cast %y : (tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  %out = onnx.Mul %w, %yc : (tensor<64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %out : tensor<1x16x64xf32>
}

// Reciprocal(Sqrt) form with r * x and no weight; x / Sqrt(.) form.
// CHECK-LABEL: func.func @rmsnorm_variants
// CHECK: %[[ONES:.*]] = onnx.Constant dense<1.000000e+00> : tensor<8xf32>
// CHECK: onnx.RMSNormalization %[[X:.*]], %[[ONES]] : (tensor<2x8xf32>, tensor<8xf32>)
// CHECK: onnx.RMSNormalization %[[X]], %{{.*}} : (tensor<2x8xf32>, tensor<8xf32>)
// CHECK-NOT: onnx.Sqrt
func.func @rmsnorm_variants(%x: tensor<2x8xf32>, %w: tensor<8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %two = onnx.Constant dense<2> : tensor<i64>
  %eps = onnx.Constant dense<1.0e-5> : tensor<1xf32>
  %p = onnx.Pow %x, %two : (tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  %v = onnx.ReduceMean %p {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %a = onnx.Add %v, %eps : (tensor<2x1xf32>, tensor<1xf32>) -> tensor<2x1xf32>
  %s = onnx.Sqrt %a : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %r = onnx.Reciprocal %s : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = onnx.Mul %r, %x : (tensor<2x1xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>

  %p2 = onnx.Pow %x, %two : (tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  %v2 = onnx.ReduceMean %p2 {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %a2 = onnx.Add %v2, %eps : (tensor<2x1xf32>, tensor<1xf32>) -> tensor<2x1xf32>
  %s2 = onnx.Sqrt %a2 : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y2 = onnx.Div %x, %s2 : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %o2 = onnx.Mul %y2, %w : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %y, %o2 : tensor<2x8xf32>, tensor<2x8xf32>
}

// nn.GELU() exported: Div, Erf, Add, Mul, Mul.
// CHECK-LABEL: func.func @gelu_erf
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[G:.*]] = onnx.Gelu %[[X]] : (tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: %[[G2:.*]] = onnx.Gelu %[[G]] :
// CHECK-NEXT: return %[[G2]]
func.func @gelu_erf(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = onnx.Constant dense<1.41421354> : tensor<f32>
  %d = onnx.Div %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %e = onnx.Erf %d : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %one = onnx.Constant dense<1.0> : tensor<f32>
  %a = onnx.Add %e, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %m = onnx.Mul %x, %a : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %half = onnx.Constant dense<0.5> : tensor<f32>
  %g = onnx.Mul %m, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  // x * 0.5 first, Mul by 1/sqrt(2), 1 + erf on the left.
  %h = onnx.Mul %g, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %c2 = onnx.Constant dense<0.707106769> : tensor<f32>
  %d2 = onnx.Mul %c2, %g : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %e2 = onnx.Erf %d2 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %a2 = onnx.Add %one, %e2 : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %g2 = onnx.Mul %h, %a2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %g2 : tensor<2x8xf32>
}

// HF gelu_new (GPT-2, GPT-J): 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
// CHECK-LABEL: func.func @gelu_tanh
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x256xf32>)
// CHECK-NEXT: %[[G:.*]] = onnx.Gelu %[[X]] {approximate = "tanh"} : (tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_tanh(%x: tensor<1x16x256xf32>) -> tensor<1x16x256xf32> {
  %half = onnx.Constant dense<0.5> : tensor<f32>
  %m1 = onnx.Mul %half, %x : (tensor<f32>, tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
  %three = onnx.Constant dense<3.0> : tensor<f32>
  %p = onnx.Pow %x, %three : (tensor<1x16x256xf32>, tensor<f32>) -> tensor<1x16x256xf32>
  %k = onnx.Constant dense<0.044715> : tensor<f32>
  %m2 = onnx.Mul %k, %p : (tensor<f32>, tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
  %a = onnx.Add %x, %m2 : (tensor<1x16x256xf32>, tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
  %c = onnx.Constant dense<0.797884583> : tensor<f32>
  %m3 = onnx.Mul %c, %a : (tensor<f32>, tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
  %t = onnx.Tanh %m3 : (tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
  %one = onnx.Constant dense<1.0> : tensor<f32>
  %a2 = onnx.Add %one, %t : (tensor<f32>, tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
  %g = onnx.Mul %m1, %a2 : (tensor<1x16x256xf32>, tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
  return %g : tensor<1x16x256xf32>
}

// CHECK-LABEL: func.func @silu
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[S:.*]] = onnx.SiLU %[[X]] : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[S2:.*]] = onnx.SiLU %[[S]]
// CHECK-NEXT: return %[[S2]]
func.func @silu(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %s = onnx.Sigmoid %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %y = onnx.Mul %x, %s : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %s2 = onnx.Sigmoid %y : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %y2 = onnx.Mul %s2, %y : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y2 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @identity_and_noop_cast
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[C:.*]] = onnx.Cast %[[X]] : (tensor<4xf32>) -> tensor<4xf16>
// CHECK-NEXT: return %[[X]], %[[C]]
func.func @identity_and_noop_cast(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf16>) {
  %i = onnx.Identity %x : (tensor<4xf32>) -> tensor<4xf32>
  %c = onnx.Cast %i : (tensor<4xf32>) -> tensor<4xf32>
  %h = onnx.Cast %c : (tensor<4xf32>) -> tensor<4xf16>
  return %c, %h : tensor<4xf32>, tensor<4xf16>
}

// Reshape/Expand to the same type vanish; a Reshape chain becomes one.
// CHECK-LABEL: func.func @noop_reshapes
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-NEXT: %[[S:.*]] = onnx.Constant dense<[16, 64]> : tensor<2xi64>
// CHECK-NEXT: %[[R:.*]] = onnx.Reshape %[[X]], %[[S]] : (tensor<1x16x64xf32>, tensor<2xi64>) -> tensor<16x64xf32>
// CHECK-NEXT: return %[[X]], %[[R]]
func.func @noop_reshapes(%x: tensor<1x16x64xf32>) -> (tensor<1x16x64xf32>, tensor<16x64xf32>) {
  %s = onnx.Constant dense<[1, 16, 64]> : tensor<3xi64>
  %r = onnx.Reshape %x, %s : (tensor<1x16x64xf32>, tensor<3xi64>) -> tensor<1x16x64xf32>
  %e = onnx.Expand %r, %s : (tensor<1x16x64xf32>, tensor<3xi64>) -> tensor<1x16x64xf32>
  %s4 = onnx.Constant dense<[1, 16, 4, 16]> : tensor<4xi64>
  %r4 = onnx.Reshape %x, %s4 : (tensor<1x16x64xf32>, tensor<4xi64>) -> tensor<1x16x4x16xf32>
  %s2 = onnx.Constant dense<[-1, 64]> : tensor<2xi64>
  %r2 = onnx.Reshape %r4, %s2 : (tensor<1x16x4x16xf32>, tensor<2xi64>) -> tensor<16x64xf32>
  return %e, %r2 : tensor<1x16x64xf32>, tensor<16x64xf32>
}

// RUN: wse-opt %s -split-input-file -verify-diagnostics

func.func @matmul_k(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{contraction dimensions differ: 3 vs 4}}
  %0 = onnx.MatMul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand shapes do not broadcast}}
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @element_types(%a: tensor<2xf32>, %b: tensor<2xi64>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = onnx.Add %a, %b : (tensor<2xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @float_only(%a: tensor<2xi64>) {
  // expected-error @+1 {{operand #0 must be tensor of floating-point values}}
  %0 = onnx.Sqrt %a : (tensor<2xi64>) -> tensor<2xi64>
  return
}

// -----

func.func @perm(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{perm is not a permutation}}
  %0 = onnx.Transpose %a, [0, 0] : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @perm_result(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{is not the permuted operand shape}}
  %0 = onnx.Transpose %a, [1, 0] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = onnx.Softmax %a {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @squeeze(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{cannot squeeze dimension 0 of size 2}}
  %0 = onnx.Squeeze %a, [0] : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @repeated_axes(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axes entry -1 is repeated}}
  %0 = onnx.ReduceMean %a {axes = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @keepdims(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{keepdims must be 0 or 1, got 2}}
  %0 = onnx.ReduceSum %a {keepdims = 2 : i64} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @split(%a: tensor<2x6xf32>) {
  // expected-error @+1 {{split sizes sum to 5 but the dimension has size 6}}
  %0:2 = onnx.Split %a {axis = 1 : i64, split = array<i64: 2, 3>} : (tensor<2x6xf32>) -> (tensor<2x2xf32>, tensor<2x3xf32>)
  return
}

// -----

func.func @concat(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @+1 {{inputs differ in dimension 0 outside the concatenation axis}}
  %0 = onnx.Concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @gelu(%a: tensor<2xf32>) {
  // expected-error @+1 {{approximate must be "none" or "tanh", got "fast"}}
  %0 = onnx.Gelu %a {approximate = "fast"} : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @trilu(%a: tensor<4xf32>) {
  // expected-error @+1 {{input must have rank >= 2}}
  %0 = onnx.Trilu %a : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @where(%c: tensor<2xi1>, %a: tensor<2xf32>, %b: tensor<2xi64>) {
  // expected-error @+1 {{x, y and the result must have the same element type}}
  %0 = onnx.Where %c, %a, %b : (tensor<2xi1>, tensor<2xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @compare(%a: tensor<2xf32>) {
  // expected-error @+1 {{result must have element type i1}}
  %0 = onnx.Less %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{result has 3 entries but the selected dimensions number 2}}
  %0 = onnx.Shape %a : (tensor<2x3xf32>) -> tensor<3xi64>
  return
}

// -----

func.func @range(%a: tensor<1xi64>) {
  // expected-error @+1 {{start, limit and delta must have rank 0}}
  %0 = onnx.Range %a, %a, %a : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xi64>
  return
}

// -----

func.func @constant_of_shape(%s: tensor<2xi64>) {
  // expected-error @+1 {{value must hold exactly one element}}
  %0 = onnx.ConstantOfShape %s, dense<[1.0, 2.0]> : tensor<2xf32> : (tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

// expected-error @+1 {{length 100 differs from the 128 bytes of 'tensor<4x8xf32>'}}
onnx.parameter @w : tensor<4x8xf32> file "model.onnx" offset 0 length 100

// -----

// expected-error @+1 {{file '../w.bin' must be relative to the model's folder and stay inside it}}
onnx.parameter @w : tensor<4x8xf32> file "../w.bin" offset 0 length 128

// -----

// expected-error @+1 {{file '/w.bin' must be relative}}
onnx.parameter @w : tensor<4x8xf32> file "/w.bin" offset 0 length 128

// -----

// expected-error @+1 {{offset must be non-negative}}
onnx.parameter @w : tensor<4x8xf32> file "w.bin" offset -4 length 128

// -----

func.func @missing_param() {
  // expected-error @+1 {{refers to 'nope', which is not an onnx.parameter}}
  %0 = onnx.param_ref @nope : tensor<4xf32>
  return
}

// -----

onnx.parameter @w : tensor<4x8xf32> file "w.bin" offset 0 length 128
func.func @param_type() {
  // expected-error @+1 {{result type 'tensor<8x4xf32>' differs from the type of parameter 'w': 'tensor<4x8xf32>'}}
  %0 = onnx.param_ref @w : tensor<8x4xf32>
  return
}

// -----

func.func @constant_type() {
  // expected-error @+1 {{failed to verify that all of {value, output} have same type}}
  %0 = "onnx.Constant"() {value = dense<1> : tensor<2xi64>} : () -> tensor<3xi64>
  return
}

// -----

func.func @layernorm_scale(%a: tensor<2x8xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{scale and bias must broadcast to the normalized dimensions [8], got 'tensor<4xf32>'}}
  %0 = onnx.LayerNormalization %a, %g : (tensor<2x8xf32>, tensor<4xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @rmsnorm_eps(%a: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{epsilon must be non-negative}}
  %0 = onnx.RMSNormalization %a, %g {epsilon = -1.0 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @reshape_count(%a: tensor<4x4xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{reshapes 16 elements into 21}}
  %0 = onnx.Reshape %a, %s : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<3x7xf32>
  return
}

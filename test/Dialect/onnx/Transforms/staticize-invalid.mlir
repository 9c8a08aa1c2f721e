// RUN: wse-opt %s --onnx-staticize=allow-dynamic=true -split-input-file -verify-diagnostics
// Shape operands whose values are invalid are model errors, reported as such
// (even with allow-dynamic), not as "cannot make static".

func.func @slice_step_zero(%x: tensor<4x4xf32>) -> tensor<*xf32> {
  %s = onnx.Constant dense<[0, 1]> : tensor<2xi64>
  %e = onnx.Constant dense<[4, 4]> : tensor<2xi64>
  %ax = onnx.Constant dense<[0, 1]> : tensor<2xi64>
  %st = onnx.Constant dense<[0, 1]> : tensor<2xi64>
  // expected-error @+1 {{invalid onnx.Slice: steps [0, 1] contain 0}}
  %0 = onnx.Slice %x, %s, %e, %ax, %st : (tensor<4x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @range_delta_zero() -> tensor<?xi64> {
  %z = onnx.Constant dense<0> : tensor<i64>
  %l = onnx.Constant dense<10> : tensor<i64>
  // expected-error @+1 {{invalid onnx.Range: delta is 0}}
  %0 = onnx.Range %z, %l, %z : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

func.func @huge() -> tensor<?x?xf32> {
  %s = onnx.Constant dense<[1000000000000, 1000000000000]> : tensor<2xi64>
  // expected-error @+1 {{has more than 2^48 elements}}
  %0 = onnx.ConstantOfShape %s, dense<0.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @negative_shape() -> tensor<?x?xf32> {
  %s = onnx.Constant dense<[2, -3]> : tensor<2xi64>
  // expected-error @+1 {{invalid onnx.ConstantOfShape: shape [2, -3] has a negative entry}}
  %0 = onnx.ConstantOfShape %s, dense<0.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_bad_entry(%x: tensor<4x4xf32>) -> tensor<?x?xf32> {
  %s = onnx.Constant dense<[-5, 2]> : tensor<2xi64>
  // expected-error @+1 {{invalid onnx.Reshape: shape [-5, 2] has the invalid entry -5}}
  %0 = onnx.Reshape %x, %s : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_two_inferred(%x: tensor<4x4xf32>) -> tensor<?x?xf32> {
  %s = onnx.Constant dense<[-1, -1]> : tensor<2xi64>
  // expected-error @+1 {{shape [-1, -1] has more than one -1}}
  %0 = onnx.Reshape %x, %s : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_count(%x: tensor<4x4xf32>) -> tensor<?x?xf32> {
  %s = onnx.Constant dense<[3, 7]> : tensor<2xi64>
  // expected-error @+1 {{invalid onnx.Reshape: shape [3, 7] does not fit the 16 elements of tensor<4x4xf32>}}
  %0 = onnx.Reshape %x, %s : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_inferred_indivisible(%x: tensor<4x4xf32>) -> tensor<?x?xf32> {
  %s = onnx.Constant dense<[3, -1]> : tensor<2xi64>
  // expected-error @+1 {{shape [3, -1] does not fit the 16 elements}}
  %0 = onnx.Reshape %x, %s : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_copy_past_rank(%x: tensor<16xf32>) -> tensor<?x?xf32> {
  %s = onnx.Constant dense<[4, 0]> : tensor<2xi64>
  // expected-error @+1 {{copies dimension 1 (0) of a rank-1 input}}
  %0 = onnx.Reshape %x, %s : (tensor<16xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// RUN: wse-opt --onnx-staticize --split-input-file --verify-diagnostics %s
// The error names the first op whose result stays dynamic and why.

onnx.parameter @shape : tensor<2xi64> file "w.bin" offset 0 length 16
func.func @shape_from_weights(%x: tensor<2x8xf32>) -> tensor<?x?xf32> {
  %s = onnx.param_ref @shape : tensor<2xi64>
  // expected-error @below {{cannot make the result of onnx.Reshape static: its shape operand is not a constant (it is computed by onnx.param_ref (weights are never folded))}}
  %0 = onnx.Reshape %x, %s : (tensor<2x8xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %1 = onnx.Relu %0 : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// expected-error @below {{cannot make argument #0 of @dynamic_input static: its type tensor<1x?xi64> has dynamic dimensions (pin them at import with --input-shape)}}
func.func @dynamic_input(%ids: tensor<1x?xi64>) -> tensor<?xi64> {
  %s = onnx.Shape %ids : (tensor<1x?xi64>) -> tensor<?xi64>
  return %s : tensor<?xi64>
}

// -----

func.func @range_of_data(%x: tensor<4xi64>) -> tensor<?xi64> {
  %z = onnx.Constant dense<0> : tensor<i64>
  %one = onnx.Constant dense<1> : tensor<i64>
  %n = onnx.ReduceMax %x {keepdims = 0 : i64} : (tensor<4xi64>) -> tensor<i64>
  // expected-error @below {{cannot make the result of onnx.Range static: its limit operand is not a constant (it is computed by onnx.ReduceMax)}}
  %r = onnx.Range %z, %n, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %r : tensor<?xi64>
}

// -----

func.func @expand_of_data(%x: tensor<3xf32>, %s: tensor<2xi64>) -> tensor<?x?xf32> {
  // expected-error @below {{cannot make the result of onnx.Expand static: its shape operand is not a constant (it is computed by function argument #1)}}
  %0 = onnx.Expand %x, %s : (tensor<3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @slice_of_data(%x: tensor<8xf32>, %start: tensor<1xi64>) -> tensor<?xf32> {
  %e = onnx.Constant dense<8> : tensor<1xi64>
  %a = onnx.Constant dense<0> : tensor<1xi64>
  %t = onnx.Constant dense<1> : tensor<1xi64>
  // expected-error @below {{cannot make the result of onnx.Slice static: its starts operand is not a constant (it is computed by function argument #1)}}
  %0 = onnx.Slice %x, %start, %e, %a, %t : (tensor<8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

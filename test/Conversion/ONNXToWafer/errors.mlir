// RUN: wse-opt %s --convert-onnx-to-wafer -split-input-file -verify-diagnostics

func.func @trilu(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'onnx.Trilu' op cannot be lowered to wafer: no wafer op computes it; it must be constant (run --onnx-prepare to fold masks)}}
  %0 = onnx.Trilu %x : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @cumsum(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'onnx.CumSum' op cannot be lowered to wafer: no wafer op computes it}}
  %0 = onnx.CumSum %x {axis = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @shape(%x: tensor<4x2xf32>) -> tensor<2xi64> {
  // expected-error @+1 {{'onnx.Shape' op cannot be lowered to wafer: shape computations must be folded away first}}
  %0 = onnx.Shape %x : (tensor<4x2xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

func.func @range(%a: tensor<i64>, %b: tensor<i64>, %c: tensor<i64>) -> tensor<4xi64> {
  // expected-error @+1 {{'onnx.Range' op cannot be lowered to wafer: shape computations must be folded away first}}
  %0 = onnx.Range %a, %b, %c : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @constant_of_shape(%s: tensor<2xi64>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'onnx.ConstantOfShape' op cannot be lowered to wafer: the shape operand is not a constant}}
  %0 = onnx.ConstantOfShape %s, dense<0.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'onnx.Relu' op cannot be lowered to wafer: operand #0 does not have a static shape (run --onnx-prepare with static input shapes)}}
  %0 = onnx.Relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @negative_step(%x: tensor<8xf32>) -> tensor<4xf32> {
  %st = onnx.Constant dense<7> : tensor<1xi64>
  %en = onnx.Constant dense<-9> : tensor<1xi64>
  %ax = onnx.Constant dense<0> : tensor<1xi64>
  %sp = onnx.Constant dense<-2> : tensor<1xi64>
  // expected-error @+1 {{'onnx.Slice' op cannot be lowered to wafer: step -2 of axis 0 is not positive (wafer.slice takes positive strides)}}
  %0 = onnx.Slice %x, %st, %en, %ax, %sp : (tensor<8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @slice_dynamic_starts(%x: tensor<8xf32>, %st: tensor<1xi64>) -> tensor<4xf32> {
  %en = onnx.Constant dense<8> : tensor<1xi64>
  %ax = onnx.Constant dense<0> : tensor<1xi64>
  %sp = onnx.Constant dense<1> : tensor<1xi64>
  // expected-error @+1 {{'onnx.Slice' op cannot be lowered to wafer: starts, ends, axes and steps must be constants}}
  %0 = onnx.Slice %x, %st, %en, %ax, %sp : (tensor<8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @integer_matmul(%a: tensor<2x3xi32>, %b: tensor<3x4xi32>) -> tensor<2x4xi32> {
  // expected-error @+1 {{'onnx.MatMul' op cannot be lowered to wafer: wafer products compute on floats, got 'tensor<2x3xi32>'}}
  %0 = onnx.MatMul %a, %b : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'onnx.Add' op cannot be lowered to wafer: element type 'ui8' is not a signless integer or float}}
  %0 = onnx.Add %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Every failing op is reported, not just the first.
func.func @two_errors(%x: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  // expected-error @+1 {{'onnx.Trilu' op cannot be lowered to wafer}}
  %0 = onnx.Trilu %x : (tensor<4x4xf32>) -> tensor<4x4xf32>
  // expected-error @+1 {{'onnx.CumSum' op cannot be lowered to wafer}}
  %1 = onnx.CumSum %x {axis = 0 : i64} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0, %1 : tensor<4x4xf32>, tensor<4x4xf32>
}

// Each verifier of the wafer dialect rejects bad IR with a message naming the
// problem.
// RUN: wse-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{mesh axis 'x' distributes more than one dimension}}
func.func private @f(tensor<4x4xf32, #wafer.dist<[x, x]>>)

// -----
// expected-error @+1 {{expected '*', 'x' or 'y', got 'z'}}
func.func private @f(tensor<4x4xf32, #wafer.dist<[x, z]>>)

// -----
func.func @f(%a: tensor<4x4xf32, #wafer.dist<[x]>>) {
  // expected-error @+1 {{operand #0 has a distribution of 1 dimensions for a tensor of rank 2}}
  %0 = wafer.softmax %a {axis = 1 : i64} : tensor<4x4xf32, #wafer.dist<[x]>>
  return
}

// -----
// expected-error @+1 {{length 100 does not match 'tensor<4x4xf32>' (64 bytes)}}
wafer.parameter @p : tensor<4x4xf32> file "w.bin" offset 0 length 100

// -----
// expected-error @+1 {{offset -4 is negative}}
wafer.parameter @p : tensor<4x4xf32> file "w.bin" offset -4 length 64

// -----
func.func @f() {
  // expected-error @+1 {{'nope' does not name a wafer.parameter}}
  %0 = wafer.stream @nope : tensor<4x4xf32>
  return
}

// -----
wafer.parameter @p : tensor<4x4xf32> file "w.bin" offset 0 length 64
func.func @f() {
  // expected-error @+1 {{result type 'tensor<4x8xf32>' does not match parameter 'p' of type 'tensor<4x4xf32>'}}
  %0 = wafer.stream @p : tensor<4x8xf32>
  return
}

// -----
wafer.parameter @p : tensor<4x4xf32> file "w.bin" offset 0 length 64
func.func @f() {
  // expected-error @+1 {{buffering depth 0 must be at least 1}}
  %0 = wafer.stream @p {depth = 0 : i64} : tensor<4x4xf32>
  return
}

// -----
wafer.parameter @p : tensor<4x4xf32> file "w.bin" offset 0 length 64
func.func @f() {
  // expected-error @+1 {{arrival window [10, 5] is not a valid interval}}
  %0 = wafer.stream @p {start_cycle = 10 : i64, end_cycle = 5 : i64} : tensor<4x4xf32>
  return
}

// -----
wafer.parameter @p : tensor<4x4xf32> file "w.bin" offset 0 length 64
func.func @f() {
  // expected-error @+1 {{start_cycle and end_cycle come together}}
  %0 = wafer.stream @p {start_cycle = 10 : i64} : tensor<4x4xf32>
  return
}

// -----
func.func @f() {
  // expected-error @+1 {{value of type 'tensor<2xf32>' does not match the result type 'tensor<3xf32>'}}
  %0 = wafer.constant dense<1.0> : tensor<2xf32> -> tensor<3xf32>
  return
}

// -----
func.func @f(%x: tensor<16x64xf32>, %w: tensor<32x8xf32>) {
  // expected-error @+1 {{input's last dimension 64 does not match the weight's reduction dimension 32}}
  %0 = wafer.linear %x, %w : (tensor<16x64xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
  return
}

// -----
func.func @f(%x: tensor<16x64xf32>, %w: tensor<64x8xf32>) {
  // expected-error @+1 {{result has shape [16, 64], expected [16, 8]}}
  %0 = wafer.linear %x, %w : (tensor<16x64xf32>, tensor<64x8xf32>) -> tensor<16x64xf32>
  return
}

// -----
func.func @f(%x: tensor<16x64xf32>, %w: tensor<8x64xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{bias has shape [64], expected [8]}}
  %0 = wafer.linear %x, %w, %b {transpose_weight} : (tensor<16x64xf32>, tensor<8x64xf32>, tensor<64xf32>) -> tensor<16x8xf32>
  return
}

// -----
func.func @f(%x: tensor<16x64xf32>, %w: tensor<2x64x8xf32>) {
  // expected-error @+1 {{weight must have rank 2, got 3}}
  %0 = wafer.linear %x, %w : (tensor<16x64xf32>, tensor<2x64x8xf32>) -> tensor<16x8xf32>
  return
}

// -----
func.func @f(%x: tensor<16x64xf32>, %w: tensor<64x8xf16>) {
  // expected-error @+1 {{operands and result must have one element type}}
  %0 = wafer.linear %x, %w : (tensor<16x64xf32>, tensor<64x8xf16>) -> tensor<16x8xf32>
  return
}

// -----
func.func @f(%a: tensor<2x4x8xf32>, %b: tensor<3x8x5xf32>) {
  // expected-error @+1 {{batch dimensions do not broadcast}}
  %0 = wafer.matmul %a, %b : (tensor<2x4x8xf32>, tensor<3x8x5xf32>) -> tensor<2x4x5xf32>
  return
}

// -----
func.func @f(%a: tensor<4x8xf32>, %b: tensor<7x5xf32>) {
  // expected-error @+1 {{contraction dimensions differ: 8 vs 7}}
  %0 = wafer.matmul %a, %b : (tensor<4x8xf32>, tensor<7x5xf32>) -> tensor<4x5xf32>
  return
}

// -----
func.func @f(%a: tensor<8xf32>, %b: tensor<8x5xf32>) {
  // expected-error @+1 {{operands must have rank at least 2}}
  %0 = wafer.matmul %a, %b : (tensor<8xf32>, tensor<8x5xf32>) -> tensor<5xf32>
  return
}

// -----
func.func @f(%a: tensor<3x4xf32>) {
  // expected-error @+1 {{operand #0 of shape [3, 4] does not broadcast to the result shape [4, 4]}}
  %0 = wafer.elementwise ins(%a : tensor<3x4xf32>) -> tensor<4x4xf32> {
  ^bb0(%x: f32):
    wafer.yield %x : f32
  }
  return
}

// -----
func.func @f(%a: tensor<4xf32>) {
  // expected-error @+1 {{body has 2 arguments for 1 operands}}
  %0 = wafer.elementwise ins(%a : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: f32, %y: f32):
    wafer.yield %x : f32
  }
  return
}

// -----
func.func @f(%a: tensor<4xf32>) {
  // expected-error @+1 {{body argument #0 has type 'i32', expected the element type 'f32'}}
  %0 = wafer.elementwise ins(%a : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: i32):
    %c = arith.sitofp %x : i32 to f32
    wafer.yield %c : f32
  }
  return
}

// -----
func.func @f(%a: tensor<4xf32>) {
  // expected-error @+1 {{body yields 'f32', expected the result element type 'f16'}}
  %0 = wafer.elementwise ins(%a : tensor<4xf32>) -> tensor<4xf16> {
  ^bb0(%x: f32):
    wafer.yield %x : f32
  }
  return
}

// -----
func.func @f(%a: tensor<4xf32>) {
  %0 = wafer.elementwise ins(%a : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: f32):
    // expected-error @+1 {{is not allowed in a wafer.elementwise body (arith and math scalar ops only)}}
    %y = wafer.constant dense<1.0> : tensor<f32> -> tensor<f32>
    wafer.yield %x : f32
  }
  return
}

// -----
func.func @f(%a: tensor<4xf32>) {
  %0 = wafer.elementwise ins(%a : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: f32):
    // expected-error @+1 {{produces 'vector<2xf32>'; elementwise bodies compute on scalars}}
    %v = arith.constant dense<1.0> : vector<2xf32>
    wafer.yield %x : f32
  }
  return
}

// -----
func.func @f(%x: tensor<2x8xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{scale/bias of shape [4] does not broadcast to the normalized shape [8]}}
  %0 = wafer.layer_norm %x, %g {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>, tensor<4xf32>) -> tensor<2x8xf32>
  return
}

// -----
func.func @f(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = wafer.rms_norm %x, %g {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----
func.func @f(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{axis -3 is out of range for rank 2}}
  %0 = wafer.softmax %x {axis = -3 : i64} : tensor<2x8xf32>
  return
}

// -----
func.func @f(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{axis -1 is listed twice}}
  %0 = wafer.reduce <sum> %x {axes = array<i64: 1, -1>, keepdims = true} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  return
}

// -----
func.func @f(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{result has shape [2, 1], expected [2]}}
  %0 = wafer.reduce <mean> %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  return
}

// -----
func.func @f(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{needs at least one axis}}
  %0 = wafer.reduce <max> %x {axes = array<i64>, keepdims = false} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----
func.func @f(%t: tensor<16xf32>, %i: tensor<4xi64>) {
  // expected-error @+1 {{table must have rank 2, got 1}}
  %0 = wafer.embedding %t, %i : (tensor<16xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----
func.func @f(%t: tensor<16x8xf32>, %i: tensor<4xi64>) {
  // expected-error @+1 {{result has shape [4, 16], expected [4, 8]}}
  %0 = wafer.embedding %t, %i : (tensor<16x8xf32>, tensor<4xi64>) -> tensor<4x16xf32>
  return
}

// -----
func.func @f(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{cannot reshape [4, 4] to [3, 5]: element counts differ}}
  %0 = wafer.reshape %x : (tensor<4x4xf32>) -> tensor<3x5xf32>
  return
}

// -----
func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{perm is not a permutation}}
  %0 = wafer.transpose %x, [0, 0] : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----
func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result has shape [2, 3], expected [3, 2]}}
  %0 = wafer.transpose %x, [1, 0] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @+1 {{operands differ in dimension 0 outside the concatenation axis}}
  %0 = wafer.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  return
}

// -----
func.func @f(%a: tensor<2x6xf32>) {
  // expected-error @+1 {{pieces cover 5 of 6 elements along axis 1}}
  %0:2 = wafer.split %a {axis = 1 : i64} : (tensor<2x6xf32>) -> (tensor<2x2xf32>, tensor<2x3xf32>)
  return
}

// -----
func.func @f(%a: tensor<8xf32>) {
  // expected-error @+1 {{stride 0 of dimension 0 must be positive}}
  %0 = wafer.slice %a {offsets = array<i64: 0>, strides = array<i64: 0>} : (tensor<8xf32>) -> tensor<2xf32>
  return
}

// -----
func.func @f(%a: tensor<8xf32>) {
  // expected-error @+1 {{window of dimension 0 (offset 4, 3 elements, stride 2) leaves the operand of size 8}}
  %0 = wafer.slice %a {offsets = array<i64: 4>, strides = array<i64: 2>} : (tensor<8xf32>) -> tensor<3xf32>
  return
}

// -----
func.func @f(%a: tensor<8xf32>) {
  // expected-error @+1 {{operand, result, offsets and strides must all have rank 1}}
  %0 = wafer.slice %a {offsets = array<i64: 0, 0>, strides = array<i64: 1>} : (tensor<8xf32>) -> tensor<3xf32>
  return
}

// -----
func.func @f(%a: tensor<4x8xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{result has shape [4, 8], expected [4, 2]}}
  %0 = wafer.gather %a, %i {axis = 1 : i64} : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<4x8xf32>
  return
}

// -----
func.func @f(%a: tensor<3x8xf32>) {
  // expected-error @+1 {{operand of shape [3, 8] does not broadcast to [6, 8]}}
  %0 = wafer.broadcast %a : (tensor<3x8xf32>) -> tensor<6x8xf32>
  return
}

// -----
func.func @f(%a: tensor<3x8xf32>) {
  // expected-error @+1 {{result has shape [8, 3], expected [3, 8]}}
  %0 = wafer.relayout %a : tensor<3x8xf32> -> tensor<8x3xf32>
  return
}

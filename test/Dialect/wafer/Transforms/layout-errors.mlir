// RUN: wse-opt %s -split-input-file -verify-diagnostics -wafer-layout

// Every unplaced op is reported, not just the first.
module attributes {mesh.target = #mesh.target<"8x8">} {
  func.func @unplaced(%x: tensor<4x8xf32>) -> tensor<8x4xf32> {
    // expected-error @+1 {{'wafer.elementwise' op has no placement; run wafer-place before wafer-layout}}
    %y = wafer.elementwise ins(%x : tensor<4x8xf32>) -> tensor<4x8xf32> {
    ^bb0(%a: f32):
      wafer.yield %a : f32
    }
    // expected-error @+1 {{'wafer.transpose' op has no placement; run wafer-place before wafer-layout}}
    %t = wafer.transpose %y, [1, 0] : (tensor<4x8xf32>) -> tensor<8x4xf32>
    return %t : tensor<8x4xf32>
  }
}

// -----

module attributes {mesh.target = #mesh.target<"8x8">} {
  func.func @unplaced_constant() -> tensor<4xf32> {
    // expected-error @+1 {{'wafer.constant' op has no placement; run wafer-place before wafer-layout}}
    %c = wafer.constant dense<1.0> : tensor<4xf32> -> tensor<4xf32>
    return %c : tensor<4xf32>
  }
}

// -----

// Tensors made by other dialects have no distribution rule.
module attributes {mesh.target = #mesh.target<"8x8">} {
  func.func @foreign(%x: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{'arith.addf' op produces a tensor but is not a wafer op; wafer-layout can only distribute wafer ops' tensors}}
    %y = arith.addf %x, %x : tensor<4xf32>
    return %y : tensor<4xf32>
  }
}

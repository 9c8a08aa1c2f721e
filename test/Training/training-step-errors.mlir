// RUN: wse-opt %s --onnx-training-step -split-input-file -verify-diagnostics
// RUN: not wse-opt %s --split-input-file --onnx-training-step=params=nope 2>&1 | FileCheck %s --check-prefix=PARAMS

// PARAMS: error: no parameter named 'nope' to train

// An op on the path from a weight to the loss without a gradient rule.
module {
  onnx.parameter @e : tensor<3x4xf32> file "w.bin" offset 0 length 48
  func.func @main(%ids: tensor<1x2xi64>) -> tensor<1x2x4xf32> {
    %e = onnx.param_ref @e : tensor<3x4xf32>
    %h = onnx.Gather %e, %ids : (tensor<3x4xf32>, tensor<1x2xi64>) -> tensor<1x2x4xf32>
    // expected-error @+1 {{no gradient rule for 'onnx.CumSum' (it is on a path from a trainable parameter to the loss)}}
    %c = onnx.CumSum %h {axis = 2 : i64} : (tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
    return %c : tensor<1x2x4xf32>
  }
}

// -----

// Gather gradients cover embeddings (axis 0) only.
module {
  onnx.parameter @e : tensor<2x3xf32> file "w.bin" offset 0 length 24
  func.func @main(%ids: tensor<1x2xi64>) -> tensor<1x2x2xf32> {
    %e = onnx.param_ref @e : tensor<2x3xf32>
    // expected-error @+1 {{no gradient rule for onnx.Gather along axis 1 (only axis 0, embeddings)}}
    %h = onnx.Gather %e, %ids {axis = 1 : i64} : (tensor<2x3xf32>, tensor<1x2xi64>) -> tensor<2x1x2xf32>
    %t = onnx.Transpose %h, [1, 2, 0] : (tensor<2x1x2xf32>) -> tensor<1x2x2xf32>
    return %t : tensor<1x2x2xf32>
  }
}

// -----

// The forward function must produce logits [batch, sequence, vocab].
module {
  onnx.parameter @e : tensor<3x4xf32> file "w.bin" offset 0 length 48
  // expected-error @+1 {{the forward function's first result must be static float logits [batch, sequence, vocab] matching the ids}}
  func.func @main(%ids: tensor<1x2xi64>) -> tensor<2x4xf32> {
    %e = onnx.param_ref @e : tensor<3x4xf32>
    %s = onnx.Constant dense<[2]> : tensor<1xi64>
    %h = onnx.Gather %e, %s : (tensor<3x4xf32>, tensor<1xi64>) -> tensor<1x4xf32>
    %c = onnx.Constant dense<[2, 4]> : tensor<2xi64>
    %r = onnx.Expand %h, %c : (tensor<1x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
    return %r : tensor<2x4xf32>
  }
}

// -----

// A single token predicts nothing.
module {
  onnx.parameter @e : tensor<3x4xf32> file "w.bin" offset 0 length 48
  // expected-error @+1 {{next-token loss needs a sequence of at least 2 tokens}}
  func.func @main(%ids: tensor<1x1xi64>) -> tensor<1x1x4xf32> {
    %e = onnx.param_ref @e : tensor<3x4xf32>
    %h = onnx.Gather %e, %ids : (tensor<3x4xf32>, tensor<1x1xi64>) -> tensor<1x1x4xf32>
    return %h : tensor<1x1x4xf32>
  }
}

// -----

// Logits that no trainable parameter reaches.
module {
  // expected-error @+1 {{the logits do not depend on any trainable parameter}}
  func.func @main(%ids: tensor<1x2xi64>) -> tensor<1x2x3xf32> {
    %c = onnx.Constant dense<1.0> : tensor<1x2x3xf32>
    return %c : tensor<1x2x3xf32>
  }
}

// -----

// Slice gradients need constant bounds.
module {
  onnx.parameter @e : tensor<3x4xf32> file "w.bin" offset 0 length 48
  func.func @main(%ids: tensor<1x2xi64>) -> tensor<1x2x2xf32> {
    %e = onnx.param_ref @e : tensor<3x4xf32>
    %h = onnx.Gather %e, %ids : (tensor<3x4xf32>, tensor<1x2xi64>) -> tensor<1x2x4xf32>
    %c = onnx.Constant dense<2> : tensor<1xi64>
    %one = onnx.Constant dense<1> : tensor<1xi64>
    %k = onnx.Sub %one, %one : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
    // expected-error @+1 {{no gradient rule for onnx.Slice with run-time starts, ends, axes or steps}}
    %s = onnx.Slice %h, %k, %c, %c, %one : (tensor<1x2x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1x2x2xf32>
    return %s : tensor<1x2x2xf32>
  }
}

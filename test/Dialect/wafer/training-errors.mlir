// The verifiers of the training-step ops and of `wafer.training_step`
// reject bad IR with a message naming the problem.
// RUN: wse-opt %s -split-input-file -verify-diagnostics

wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
func.func @f(%g: tensor<8x4xf32>) {
  // expected-error @+1 {{gradient 'tensor<8x4xf32>' does not match parameter 'w' of type 'tensor<8x8xf32>'}}
  wafer.stream_out %g to @w : tensor<8x4xf32>
  return
}

// -----
func.func @f(%g: tensor<8x8xf32>) {
  // expected-error @+1 {{'nope' does not name a wafer.parameter}}
  wafer.stream_out %g to @nope : tensor<8x8xf32>
  return
}

// -----
func.func @f(%l: tensor<1x4x16xf32>, %y: tensor<1x5xi64>) {
  // expected-error @+1 {{labels 'tensor<1x5xi64>' must have the logits' batch and sequence}}
  %a, %b = wafer.loss %l, %y : (tensor<1x4x16xf32>, tensor<1x5xi64>) -> (tensor<f32>, tensor<1x4x16xf32>)
  return
}

// -----
func.func @f(%l: tensor<1x4x16xf32>, %y: tensor<1x4xi64>) {
  // expected-error @+1 {{loss must be a 0-d tensor of 'f32', not 'tensor<1xf32>'}}
  %a, %b = wafer.loss %l, %y : (tensor<1x4x16xf32>, tensor<1x4xi64>) -> (tensor<1xf32>, tensor<1x4x16xf32>)
  return
}

// -----
func.func @f(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{result must hold the input's shape and element type}}
  %c = wafer.checkpoint %x {layer = 0 : i64} : tensor<4x8xf32> -> tensor<8x4xf32>
  return
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
// expected-error @+1 {{beta1, beta2 and eps belong to adamw, not sgd}}
wafer.store_optimizer <sgd> lr 0.1 params [@w] {eps = 1.0e-8 : f64}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
// expected-error @+1 {{nesterov needs a momentum and zero dampening (as torch.optim.SGD)}}
wafer.store_optimizer <sgd> lr 0.1 params [@w] {nesterov}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
// expected-error @+1 {{beta2 must lie in [0, 1)}}
wafer.store_optimizer <adamw> lr 0.1 params [@w] {beta1 = 0.9 : f64, beta2 = 1.0 : f64, eps = 1.0e-8 : f64}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
// expected-error @+1 {{lr -1.000000e+00 must be positive}}
wafer.store_optimizer <sgd> lr -1.0 params [@w]

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
// expected-error @+1 {{'w' is listed twice}}
wafer.store_optimizer <sgd> lr 0.1 params [@w, @w]

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
func.func @f() {
  // expected-error @+1 {{expects parent op 'builtin.module'}}
  wafer.store_optimizer <sgd> lr 0.1 params [@w]
  return
}

// -----
// expected-error @+1 {{the loss belongs to no layer}}
func.func private @f() attributes {wafer.step = #wafer.step<loss, layer 2>}

// -----
// The function-level rules. A valid step for reference is in
// training-roundtrip.mlir; each case below breaks one rule.
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w]
func.func @train_step(%x: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>) -> tensor<1x4x8xf32> attributes {wafer.training_step} {
  %w = wafer.stream @w {wafer.step = #wafer.step<forward, layer 0>} : tensor<8x8xf32>
  // expected-error @+1 {{has no 'wafer.step': every op of a training step needs its phase (run wafer-training-step)}}
  %h = wafer.linear %x, %w : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %h : tensor<1x4x8xf32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w]
func.func @train_step(%x: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>) -> tensor<1x4x8xf32> attributes {wafer.training_step} {
  %w = wafer.stream @w {wafer.step = #wafer.step<forward, layer 1>} : tensor<8x8xf32>
  %h = wafer.linear %x, %w {wafer.step = #wafer.step<forward, layer 1>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  // expected-error @+1 {{forward layers must run in ascending order: layer 0 after layer 1}}
  %w1 = wafer.stream @w {wafer.step = #wafer.step<forward, layer 0>} : tensor<8x8xf32>
  %h1 = wafer.linear %h, %w1 {wafer.step = #wafer.step<forward, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %h1 : tensor<1x4x8xf32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w]
func.func @train_step(%l: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>) -> tensor<f32> attributes {wafer.training_step} {
  %loss, %dl = wafer.loss %l, %labels {wafer.step = #wafer.step<loss>} : (tensor<1x4x8xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x8xf32>)
  %w = wafer.stream @w {wafer.step = #wafer.step<backward, layer 0>} : tensor<8x8xf32>
  %a = wafer.linear %dl, %w {wafer.step = #wafer.step<backward, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  // expected-error @+1 {{backward layers must run in descending order: layer 1 after layer 0}}
  %w1 = wafer.stream @w {wafer.step = #wafer.step<backward, layer 1>} : tensor<8x8xf32>
  %b = wafer.linear %a, %w1 {wafer.step = #wafer.step<backward, layer 1>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %loss : tensor<f32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w]
func.func @train_step(%l: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>) -> tensor<f32> attributes {wafer.training_step} {
  %loss, %dl = wafer.loss %l, %labels {wafer.step = #wafer.step<loss>} : (tensor<1x4x8xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x8xf32>)
  %w = wafer.stream @w {wafer.step = #wafer.step<backward, layer 0>} : tensor<8x8xf32>
  // expected-error @+1 {{is a forward op after the backward section began}}
  %a = wafer.linear %dl, %w {wafer.step = #wafer.step<forward, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %loss : tensor<f32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w]
// expected-error @+1 {{is a training step with 0 wafer.loss ops; it needs exactly one}}
func.func @train_step(%x: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>) -> tensor<f32> attributes {wafer.training_step} {
  %w = wafer.stream @w {wafer.step = #wafer.step<forward, layer 0>} : tensor<8x8xf32>
  %h = wafer.linear %x, %w {wafer.step = #wafer.step<forward, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %z = wafer.constant dense<0.0> : tensor<f32> -> tensor<f32>
  return %z : tensor<f32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w]
func.func @train_step(%x: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>) -> tensor<f32> attributes {wafer.training_step} {
  %w = wafer.stream @w {wafer.step = #wafer.step<forward, layer 0>} : tensor<8x8xf32>
  %h = wafer.linear %x, %w {wafer.step = #wafer.step<forward, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %loss, %dl = wafer.loss %h, %labels {wafer.step = #wafer.step<loss>} : (tensor<1x4x8xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x8xf32>)
  // expected-error @+1 {{reads a weight streamed in for the forward pass: backward streams its weights in again}}
  %d = wafer.linear %dl, %w {transpose_weight, wafer.step = #wafer.step<backward, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %loss : tensor<f32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w]
func.func @train_step(%x: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>) -> tensor<f32> attributes {wafer.training_step} {
  %w = wafer.stream @w {wafer.step = #wafer.step<forward, layer 0>} : tensor<8x8xf32>
  %h = wafer.linear %x, %w {wafer.step = #wafer.step<forward, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %g = wafer.elementwise ins(%h : tensor<1x4x8xf32>) -> tensor<1x4x8xf32> attributes {wafer.step = #wafer.step<forward, layer 0>} {
  ^bb0(%a: f32):
    %t = math.tanh %a : f32
    wafer.yield %t : f32
  }
  %loss, %dl = wafer.loss %g, %labels {wafer.step = #wafer.step<loss>} : (tensor<1x4x8xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x8xf32>)
  %w2 = wafer.stream @w {wafer.step = #wafer.step<backward, layer 0>} : tensor<8x8xf32>
  %h2 = wafer.linear %x, %w2 {wafer.step = #wafer.step<recompute, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  // expected-error @+1 {{reads an activation of layer 0 that is not kept: the layer is recomputed from its checkpoints}}
  %d = wafer.elementwise ins(%dl, %h : tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32> attributes {wafer.step = #wafer.step<backward, layer 0>} {
  ^bb0(%a: f32, %b: f32):
    %t = arith.mulf %a, %b : f32
    wafer.yield %t : f32
  }
  return %loss : tensor<f32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.parameter @v : tensor<8x8xf32> file "w.bin" offset 256 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w, @v]
// expected-error @+1 {{streams the gradient of 'v' out 0 times; the weight store updates it from exactly one}}
func.func @train_step(%l: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>, %g: tensor<8x8xf32>) -> tensor<f32> attributes {wafer.training_step} {
  %loss, %dl = wafer.loss %l, %labels {wafer.step = #wafer.step<loss>} : (tensor<1x4x8xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x8xf32>)
  wafer.stream_out %g to @w {wafer.step = #wafer.step<backward>} : tensor<8x8xf32>
  return %loss : tensor<f32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.parameter @v : tensor<8x8xf32> file "w.bin" offset 256 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w]
func.func @train_step(%l: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>, %g: tensor<8x8xf32>) -> tensor<f32> attributes {wafer.training_step} {
  %loss, %dl = wafer.loss %l, %labels {wafer.step = #wafer.step<loss>} : (tensor<1x4x8xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x8xf32>)
  wafer.stream_out %g to @w {wafer.step = #wafer.step<backward>} : tensor<8x8xf32>
  // expected-error @+1 {{streams out the gradient of 'v', which the store's optimizer does not update}}
  wafer.stream_out %g to @v {wafer.step = #wafer.step<backward>} : tensor<8x8xf32>
  return %loss : tensor<f32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
// expected-error @+1 {{is a training step: its module needs one wafer.store_optimizer (found 0)}}
func.func @train_step(%l: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>) -> tensor<f32> attributes {wafer.training_step} {
  %loss, %dl = wafer.loss %l, %labels {wafer.step = #wafer.step<loss>} : (tensor<1x4x8xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x8xf32>)
  return %loss : tensor<f32>
}

// -----
wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
wafer.store_optimizer <sgd> lr 0.1 params [@w]
func.func @train_step(%l: tensor<1x4x8xf32>, %labels: tensor<1x4xi64>, %g: tensor<8x8xf32>) -> tensor<f32> attributes {wafer.training_step} {
  // expected-error @+1 {{gradients stream out in the backward phase}}
  wafer.stream_out %g to @w {wafer.step = #wafer.step<forward>} : tensor<8x8xf32>
  %loss, %dl = wafer.loss %l, %labels {wafer.step = #wafer.step<loss>} : (tensor<1x4x8xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x8xf32>)
  return %loss : tensor<f32>
}

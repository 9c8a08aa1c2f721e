// The training-step ops and attributes print and parse back: a step with
// one layer (checkpointed and recomputed), the loss, the backward in
// reverse, a gradient streamed out and the weight store's optimizer.
// RUN: wse-opt -split-input-file %s | wse-opt -split-input-file | FileCheck %s

// CHECK: wafer.store_optimizer <adamw> lr 1.000000e-03 params [@w] {beta1 = 9.000000e-01 : f64, beta2 = 0.99899999999999999 : f64, eps = 1.000000e-08 : f64, weight_decay = 1.000000e-02 : f64}
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: attributes {wafer.training_step}
// CHECK: wafer.checkpoint %{{.*}} {layer = 0 : i64, wafer.step = #wafer.step<forward, layer 0>} : tensor<1x4x8xf32> -> tensor<1x4x8xf32>
// CHECK: %{{.*}}, %[[DL:.*]] = wafer.loss %{{.*}}, %{{.*}} {wafer.step = #wafer.step<loss>} : (tensor<1x4x16xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x16xf32>)
// CHECK: wafer.linear {{.*}}wafer.step = #wafer.step<recompute, layer 0>
// CHECK: wafer.stream_out %{{.*}} to @w {wafer.step = #wafer.step<backward, layer 0>} : tensor<8x8xf32>

module {
  wafer.parameter @emb : tensor<16x8xf32> file "w.bin" offset 0 length 512
  wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 512 length 256
  wafer.store_optimizer <adamw> lr 1.0e-3 params [@w] {beta1 = 0.9 : f64, beta2 = 0.999 : f64, eps = 1.0e-8 : f64, weight_decay = 0.01 : f64}
  func.func @train_step(%ids: tensor<1x4xi64>, %labels: tensor<1x4xi64>) -> tensor<f32> attributes {wafer.training_step} {
    %e = wafer.stream @emb {wafer.step = #wafer.step<forward>} : tensor<16x8xf32>
    %x = wafer.embedding %e, %ids {wafer.step = #wafer.step<forward>} : (tensor<16x8xf32>, tensor<1x4xi64>) -> tensor<1x4x8xf32>
    %c = wafer.checkpoint %x {layer = 0 : i64, wafer.step = #wafer.step<forward, layer 0>} : tensor<1x4x8xf32> -> tensor<1x4x8xf32>
    %w = wafer.stream @w {wafer.step = #wafer.step<forward, layer 0>} : tensor<8x8xf32>
    %h = wafer.linear %x, %w {wafer.step = #wafer.step<forward, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %e2 = wafer.stream @emb {wafer.step = #wafer.step<forward>} : tensor<16x8xf32>
    %logits = wafer.linear %h, %e2 {transpose_weight, wafer.step = #wafer.step<forward>} : (tensor<1x4x8xf32>, tensor<16x8xf32>) -> tensor<1x4x16xf32>
    %loss, %dl = wafer.loss %logits, %labels {wafer.step = #wafer.step<loss>} : (tensor<1x4x16xf32>, tensor<1x4xi64>) -> (tensor<f32>, tensor<1x4x16xf32>)
    %e3 = wafer.stream @emb {wafer.step = #wafer.step<backward>} : tensor<16x8xf32>
    %dh = wafer.linear %dl, %e3 {wafer.step = #wafer.step<backward>} : (tensor<1x4x16xf32>, tensor<16x8xf32>) -> tensor<1x4x8xf32>
    %w2 = wafer.stream @w {wafer.step = #wafer.step<backward, layer 0>} : tensor<8x8xf32>
    %h2 = wafer.linear %c, %w2 {wafer.step = #wafer.step<recompute, layer 0>} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x2 = wafer.reshape %c {wafer.step = #wafer.step<backward, layer 0>} : (tensor<1x4x8xf32>) -> tensor<4x8xf32>
    %xt = wafer.transpose %x2, [1, 0] {wafer.step = #wafer.step<backward, layer 0>} : (tensor<4x8xf32>) -> tensor<8x4xf32>
    %d2 = wafer.reshape %dh {wafer.step = #wafer.step<backward, layer 0>} : (tensor<1x4x8xf32>) -> tensor<4x8xf32>
    %dw = wafer.matmul %xt, %d2 {wafer.step = #wafer.step<backward, layer 0>} : (tensor<8x4xf32>, tensor<4x8xf32>) -> tensor<8x8xf32>
    wafer.stream_out %dw to @w {wafer.step = #wafer.step<backward, layer 0>} : tensor<8x8xf32>
    return %loss : tensor<f32>
  }
}

// -----
// CHECK: wafer.store_optimizer <sgd> lr 5.000000e-02 params [@w] {momentum = 9.000000e-01 : f64, nesterov}
// An SGD store (in a module without a step: the optimizer op stands alone).
module {
  wafer.parameter @w : tensor<8x8xf32> file "w.bin" offset 0 length 256
  wafer.store_optimizer <sgd> lr 0.05 params [@w] {momentum = 0.9 : f64, nesterov}
}

// RUN: wse-opt %s --onnx-training-step | FileCheck %s
// RUN: wse-opt %s --onnx-training-step=params=w | FileCheck %s --check-prefix=FROZEN
// RUN: wse-opt %s --onnx-training-step | wse-opt | FileCheck %s --check-prefix=ROUNDTRIP

// An embedding and a head: the smallest decoder.
module {
  onnx.parameter @e : tensor<3x4xf32> file "w.bin" offset 0 length 48
  onnx.parameter @w : tensor<4x3xf32> file "w.bin" offset 48 length 48
  func.func @main(%ids: tensor<1x2xi64> {onnx.name = "input_ids"}) -> (tensor<1x2x3xf32> {onnx.name = "logits"}) {
    %e = onnx.param_ref @e : tensor<3x4xf32>
    %w = onnx.param_ref @w : tensor<4x3xf32>
    %h = onnx.Gather %e, %ids : (tensor<3x4xf32>, tensor<1x2xi64>) -> tensor<1x2x4xf32>
    %y = onnx.MatMul %h, %w : (tensor<1x2x4xf32>, tensor<4x3xf32>) -> tensor<1x2x3xf32>
    return %y : tensor<1x2x3xf32>
  }
}

// The forward function stays; the step takes the ids, the labels and the
// trainable parameters, and returns the loss and one gradient per parameter.
// CHECK-LABEL: func.func @main(
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[IDS:.*]]: tensor<1x2xi64> {onnx.name = "input_ids"}
// CHECK-SAME: %[[LABELS:.*]]: tensor<1x2xi64> {onnx.name = "labels"}
// CHECK-SAME: %[[E:.*]]: tensor<3x4xf32> {onnx.name = "e"}
// CHECK-SAME: %[[W:.*]]: tensor<4x3xf32> {onnx.name = "w"}
// CHECK-SAME: -> (tensor<f32> {onnx.name = "loss"}, tensor<3x4xf32> {onnx.name = "grad.e"}, tensor<4x3xf32> {onnx.name = "grad.w"})
// CHECK-NOT: onnx.param_ref
// Every op of the step is tagged with where it comes from (forward op k,
// the loss, the gradient of forward op k) for wafer-training-step.
// CHECK: %[[H:.*]] = onnx.Gather %[[E]], %[[IDS]] {training.forward = 0 : i64}
// CHECK: %[[Y:.*]] = onnx.MatMul %[[H]], %[[W]] {training.forward = 1 : i64}
// Loss: positions 0..T-2 predict labels 1..T-1.
// CHECK: %[[PRED:.*]] = onnx.Slice %[[Y]]
// CHECK-SAME: {training.loss} {{.*}} -> tensor<1x1x3xf32>
// CHECK: %[[LSM:.*]] = onnx.LogSoftmax %[[PRED]] {axis = 2 : i64, training.loss}
// CHECK: onnx.Slice %[[LABELS]]
// CHECK: onnx.Equal
// CHECK: %[[LOSS:.*]] = onnx.ReduceMean {{.*}} -> tensor<f32>
// Seed: (softmax - onehot) / N, zero for the last position.
// CHECK: onnx.Exp %[[LSM]]
// CHECK: %[[SEED:.*]] = onnx.Concat {{.*}} {axis = 1 : i64, training.loss} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x2x3xf32>
// MatMul: dW = h^T dY (summed over the batch), dh = dY W^T.
// CHECK: %[[WT:.*]] = onnx.Transpose %[[W]], [1, 0] {training.gradient_of = 1 : i64}
// CHECK: %[[DH:.*]] = onnx.MatMul %[[SEED]], %[[WT]] {training.gradient_of = 1 : i64}
// CHECK: %[[HT:.*]] = onnx.Transpose %[[H]], [0, 2, 1]
// CHECK: %[[DW3:.*]] = onnx.MatMul %[[HT]], %[[SEED]] {{.*}} -> tensor<1x4x3xf32>
// CHECK: %[[DW:.*]] = onnx.Reshape %[[DW3]]
// Gather: dE = onehot(ids)^T dh.
// CHECK: onnx.Range
// CHECK: %[[HOT:.*]] = onnx.Cast {{.*}} -> tensor<2x3xf32>
// CHECK: %[[HOTT:.*]] = onnx.Transpose %[[HOT]], [1, 0] {training.gradient_of = 0 : i64}
// CHECK: %[[DE2:.*]] = onnx.MatMul %[[HOTT]], {{.*}} -> tensor<3x4xf32>
// CHECK: return %[[LOSS]], %[[DE2]], %[[DW]]

// Frozen parameters stay parameter references and get no gradient.
// FROZEN-LABEL: func.func @train_step(
// FROZEN-SAME: %{{.*}}: tensor<4x3xf32> {onnx.name = "w"}) -> (tensor<f32> {onnx.name = "loss"}, tensor<4x3xf32> {onnx.name = "grad.w"})
// FROZEN: onnx.param_ref @e
// FROZEN-NOT: onnx.Less
// FROZEN: return

// ROUNDTRIP: func.func @train_step(

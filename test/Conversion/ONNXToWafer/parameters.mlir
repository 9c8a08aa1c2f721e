// RUN: wse-opt %s --convert-onnx-to-wafer | FileCheck %s
// RUN: wse-opt %s --convert-onnx-to-wafer | wse-opt | FileCheck %s

// Parameters keep their fields and provenance; module and argument
// attributes stay. A tied weight (embedding and LM head) gets one stream per
// use, each just before its consumer.

// CHECK: module attributes {onnx.producer = "pytorch"}
module attributes {onnx.producer = "pytorch"} {
  // CHECK: wafer.parameter @wte : tensor<256x64xf32> file "model.onnx" offset 128 length 65536 {onnx.name = "transformer.wte.weight"}
  // CHECK-NOT: onnx.
  onnx.parameter @wte : tensor<256x64xf32> file "model.onnx" offset 128 length 65536 {onnx.name = "transformer.wte.weight"}

  // CHECK-LABEL: func.func @tied
  // CHECK-SAME: (%[[IDS:.*]]: tensor<1x16xi64> {onnx.name = "input_ids"}) -> tensor<1x16x256xf32>
  func.func @tied(%ids: tensor<1x16xi64> {onnx.name = "input_ids"}) -> tensor<1x16x256xf32> {
    // CHECK-NEXT: %[[T1:.*]] = wafer.stream @wte : tensor<256x64xf32>
    // CHECK-NEXT: %[[E:.*]] = wafer.embedding %[[T1]], %[[IDS]]
    // CHECK-NEXT: %[[T2:.*]] = wafer.stream @wte : tensor<256x64xf32>
    // CHECK-NEXT: %[[L:.*]] = wafer.linear %[[E]], %[[T2]] {transpose_weight} : (tensor<1x16x64xf32>, tensor<256x64xf32>) -> tensor<1x16x256xf32>
    // CHECK-NEXT: return %[[L]]
    %w = onnx.param_ref @wte : tensor<256x64xf32>
    %e = onnx.Gather %w, %ids {axis = 0 : i64} : (tensor<256x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    %t = onnx.Transpose %w, [1, 0] : (tensor<256x64xf32>) -> tensor<64x256xf32>
    %l = onnx.MatMul %e, %t : (tensor<1x16x64xf32>, tensor<64x256xf32>) -> tensor<1x16x256xf32>
    return %l : tensor<1x16x256xf32>
  }
}

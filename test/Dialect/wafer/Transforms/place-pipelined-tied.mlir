// RUN: wse-opt %s -wafer-place=mode=pipelined | FileCheck %s

// A stream read by two layers (a tied embedding and LM head, as some
// exporters leave it) is delivered to the bounding rectangle of both: here
// the embedding sits at the top-left and the head to its right in the same
// band, so the region spans both.

// Embedding: 6 PEs (250 KiB table, no FLOPs, so no share); head: at least 7
// (the table again plus 62.5 KiB of logits), and all the FLOPs.
// CHECK-LABEL: func.func @tied
// CHECK: wafer.stream @wte {region = #wafer.rect<x = 0, y = 0, width = 8, height = 8>, resident}
// CHECK: wafer.embedding {{.*}} {placement = #wafer.rect<x = 0, y = 0, width = 1, height = 6>}
// CHECK: wafer.linear {{.*}} {placement = #wafer.rect<x = 1, y = 0, width = 7, height = 8>, transpose_weight}
module attributes {wafer.target = #wafer.target<"8x8">} {
  wafer.parameter @wte : tensor<1000x64xf32> file "m.onnx" offset 0 length 256000
  func.func @tied(%ids: tensor<1x16xi64>) -> tensor<1x16x1000xf32> {
    %t = wafer.stream @wte : tensor<1000x64xf32>
    %e = wafer.embedding %t, %ids : (tensor<1000x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    %l = wafer.linear %e, %t {transpose_weight} : (tensor<1x16x64xf32>, tensor<1000x64xf32>) -> tensor<1x16x1000xf32>
    return %l : tensor<1x16x1000xf32>
  }
}

// RUN: wse-opt %s -wafer-place=mode=pipelined | FileCheck %s

// A stream read by two layers (a tied embedding and LM head, as some
// exporters leave it) is delivered to the bounding rectangle of both: here
// the embedding sits at the top-left and the head to its right in the same
// band, so the region spans both.

// Over 43008 usable bytes per PE (48 KiB less the 6144-byte code reserve):
// embedding: 256000 table + 128 ids + 4096 out = 260224 -> 6.05 -> 7 PEs
// (no FLOPs, so no share); head: 256000 (the table again) + 4096 in + 64000
// logits = 324096 -> 7.54 -> at least 8, and all the FLOPs. Bands of 8 rows:
// the embedding is a 1x7 column, the head takes the remaining 7x8.
// CHECK-LABEL: func.func @tied
// CHECK: wafer.stream @wte {region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>, resident}
// CHECK: wafer.embedding {{.*}} {placement = #mesh.rect<x = 0, y = 0, width = 1, height = 7>}
// CHECK: wafer.linear {{.*}} {placement = #mesh.rect<x = 1, y = 0, width = 7, height = 8>, transpose_weight}
module attributes {mesh.target = #mesh.target<"8x8">} {
  wafer.parameter @wte : tensor<1000x64xf32> file "m.onnx" offset 0 length 256000
  func.func @tied(%ids: tensor<1x16xi64>) -> tensor<1x16x1000xf32> {
    %t = wafer.stream @wte : tensor<1000x64xf32>
    %e = wafer.embedding %t, %ids : (tensor<1000x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    %l = wafer.linear %e, %t {transpose_weight} : (tensor<1x16x64xf32>, tensor<1000x64xf32>) -> tensor<1x16x1000xf32>
    return %l : tensor<1x16x1000xf32>
  }
}

// RUN: wse-opt %s -split-input-file -wafer-verify | FileCheck %s
// RUN: wse-opt %s -split-input-file -wafer-schedule-streams -wafer-verify | FileCheck %s --check-prefix=SCHED

// Placed, laid out and scheduled stream-mode IR passes unchanged.
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  func.func @main(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> {
    %c = wafer.constant dense<1.0> : tensor<128xf32> -> tensor<128xf32, #wafer.dist<[y]>>
    %w = wafer.stream @w0 {order = 0 : i64, depth = 2 : i64, chunk_bytes = 2048 : i64, start_cycle = 0 : i64, end_cycle = 256 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w, %c {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>, tensor<128xf32, #wafer.dist<[y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    %n = wafer.layer_norm %h, %c {axis = -1 : i64, epsilon = 1.0e-5 : f32, placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<128xf32, #wafer.dist<[y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    return %n : tensor<64x128xf32, #wafer.dist<[x, y]>>
  }
}

// CHECK-LABEL: func.func @main
// CHECK: wafer.linear
// CHECK: wafer.layer_norm

// -----

// Pipelined: two layers with resident weights on rectangles of their own;
// the schedule produced by wafer-schedule-streams verifies.
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "pipelined"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  wafer.parameter @w1 : tensor<128x32xf32> file "model.onnx" offset 16384 length 16384
  func.func @pipe(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>> {
    %w0 = wafer.stream @w0 {resident, order = 0 : i64, depth = 1 : i64, chunk_bytes = 2048 : i64, start_cycle = 0 : i64, end_cycle = 256 : i64, region = #mesh.rect<x = 0, y = 0, width = 4, height = 8>} : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %w1 = wafer.stream @w1 {resident, order = 1 : i64, depth = 1 : i64, chunk_bytes = 2048 : i64, start_cycle = 256 : i64, end_cycle = 512 : i64, region = #mesh.rect<x = 4, y = 0, width = 4, height = 8>} : tensor<128x32xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w0 {placement = #mesh.rect<x = 0, y = 0, width = 4, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    %g = wafer.elementwise ins(%h : tensor<64x128xf32, #wafer.dist<[x, y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> attributes {placement = #mesh.rect<x = 0, y = 0, width = 4, height = 8>} {
    ^bb0(%a: f32):
      %m = arith.mulf %a, %a : f32
      wafer.yield %m : f32
    }
    %o = wafer.linear %g, %w1 {placement = #mesh.rect<x = 4, y = 0, width = 4, height = 8>} : (tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<128x32xf32, #wafer.dist<[y, *]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>>
    return %o : tensor<64x32xf32, #wafer.dist<[x, y]>>
  }
}

// CHECK-LABEL: func.func @pipe
// SCHED-LABEL: func.func @pipe
// SCHED: wafer.stream @w0 {chunk_bytes = 2048 : i64, depth = 1 : i64, end_cycle = 256 : i64, order = 0 : i64
// SCHED: wafer.stream @w1 {chunk_bytes = 2048 : i64, depth = 1 : i64, end_cycle = 512 : i64, order = 1 : i64

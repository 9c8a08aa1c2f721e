// RUN: wse-opt %s -split-input-file -wafer-schedule-streams | FileCheck %s
// RUN: wse-opt %s -split-input-file -wafer-schedule-streams=depth=1 | FileCheck %s --check-prefix=DEPTH1

// Stream mode on 8x8 (64 bytes/cycle of edge ports for the whole mesh).
// Each weight is 16384 bytes: 256 cycles of streaming. Per-PE shares under
// [y, *]: w0 ceil(32/8)*128*4 = 2048, w1 ceil(128/8)*32*4 = 2048; both fit
// whole, twice (depth 2), in the SRAM the linears leave.
// Timeline (cost-report.mlir has the same op costs):
//   fc0 runs [0, 2096), act [2096, 2242), fc1 [2242, 4338).
//   w0 streams [0, 256). w1 is defined first but consumed later: order 1.
//   With two buffers w1 starts once w0 has arrived and fc0 has started:
//   [256, 512), while fc0 computes. With one buffer it waits for fc0 to
//   finish: [2096, 2352).
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  wafer.parameter @w1 : tensor<128x32xf32> file "model.onnx" offset 16384 length 16384
  func.func @main(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>> {
    %w1 = wafer.stream @w1 : tensor<128x32xf32, #wafer.dist<[y, *]>>
    %w0 = wafer.stream @w0 : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w0 {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    %g = wafer.elementwise ins(%h : tensor<64x128xf32, #wafer.dist<[x, y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> attributes {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} {
    ^bb0(%a: f32):
      %m = arith.mulf %a, %a : f32
      %s = arith.addf %m, %a : f32
      wafer.yield %s : f32
    }
    %o = wafer.linear %g, %w1 {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<128x32xf32, #wafer.dist<[y, *]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>>
    return %o : tensor<64x32xf32, #wafer.dist<[x, y]>>
  }
}

// CHECK-LABEL: func.func @main
// CHECK: wafer.stream @w1 {chunk_bytes = 2048 : i64, depth = 2 : i64, end_cycle = 512 : i64, order = 1 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>, start_cycle = 256 : i64}
// CHECK: wafer.stream @w0 {chunk_bytes = 2048 : i64, depth = 2 : i64, end_cycle = 256 : i64, order = 0 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>, start_cycle = 0 : i64}

// DEPTH1-LABEL: func.func @main
// DEPTH1: wafer.stream @w1 {chunk_bytes = 2048 : i64, depth = 1 : i64, end_cycle = 2352 : i64, order = 1 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>, start_cycle = 2096 : i64}
// DEPTH1: wafer.stream @w0 {chunk_bytes = 2048 : i64, depth = 1 : i64, end_cycle = 256 : i64, order = 0 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>, start_cycle = 0 : i64}

// -----

// Little SRAM (8192 bytes): the linears' activations take 640 bytes and the
// code reserve 6144, leaving 1408 for two buffers: chunks of 704 bytes (44
// row blocks of 16 bytes) of the 2048-byte shares. Before its consumer
// starts a stream can only fill its two buffers, 1408/2048 of the weight,
// so w1 (started at 256) ends 256 * (1 - 1408/2048) = 80 cycles after fc1
// starts at 2242: 2322. With one buffer of 1408: 2242 + 256 * (1 - 1408 /
// 2048) = 2322 too, but it only starts when fc0 has finished (2096).
module attributes {mesh.target = #mesh.target<"8x8", sram_bytes = 8192>, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  wafer.parameter @w1 : tensor<128x32xf32> file "model.onnx" offset 16384 length 16384
  func.func @small(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>> {
    %w0 = wafer.stream @w0 : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %w1 = wafer.stream @w1 : tensor<128x32xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w0 {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    %g = wafer.elementwise ins(%h : tensor<64x128xf32, #wafer.dist<[x, y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> attributes {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} {
    ^bb0(%a: f32):
      %m = arith.mulf %a, %a : f32
      %s = arith.addf %m, %a : f32
      wafer.yield %s : f32
    }
    %o = wafer.linear %g, %w1 {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<128x32xf32, #wafer.dist<[y, *]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>>
    return %o : tensor<64x32xf32, #wafer.dist<[x, y]>>
  }
}

// CHECK-LABEL: func.func @small
// CHECK: wafer.stream @w0 {chunk_bytes = 704 : i64, depth = 2 : i64, end_cycle = 256 : i64, order = 0 : i64
// CHECK: wafer.stream @w1 {chunk_bytes = 704 : i64, depth = 2 : i64, end_cycle = 2322 : i64, order = 1 : i64, {{.*}} start_cycle = 256 : i64}

// One buffer: 1408 bytes, 88 row blocks.
// DEPTH1-LABEL: func.func @small
// DEPTH1: wafer.stream @w0 {chunk_bytes = 1408 : i64, depth = 1 : i64, end_cycle = 256 : i64, order = 0 : i64
// DEPTH1: wafer.stream @w1 {chunk_bytes = 1408 : i64, depth = 1 : i64, end_cycle = 2352 : i64, order = 1 : i64, {{.*}} start_cycle = 2096 : i64}

// -----

// Pipelined: weights are loaded once, one after another, before the first
// op: one buffer holding the whole per-PE share, region = the consumer's
// rectangle (rows 0-7: 16 ports, 256 cycles each). Streams are marked
// resident.
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "pipelined"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  wafer.parameter @w1 : tensor<128x32xf32> file "model.onnx" offset 16384 length 16384
  func.func @pipe(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>> {
    %w0 = wafer.stream @w0 {resident} : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %w1 = wafer.stream @w1 : tensor<128x32xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w0 {placement = #mesh.rect<x = 0, y = 0, width = 4, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    %o = wafer.linear %h, %w1 {placement = #mesh.rect<x = 4, y = 0, width = 4, height = 8>} : (tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<128x32xf32, #wafer.dist<[y, *]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>>
    return %o : tensor<64x32xf32, #wafer.dist<[x, y]>>
  }
}

// Shares on 4x8: w0 ceil(32/8)*128*4 = 2048, w1 ceil(128/8)*32*4 = 2048.
// CHECK-LABEL: func.func @pipe
// CHECK: wafer.stream @w0 {chunk_bytes = 2048 : i64, depth = 1 : i64, end_cycle = 256 : i64, order = 0 : i64, region = #mesh.rect<x = 0, y = 0, width = 4, height = 8>, resident, start_cycle = 0 : i64}
// CHECK: wafer.stream @w1 {chunk_bytes = 2048 : i64, depth = 1 : i64, end_cycle = 512 : i64, order = 1 : i64, region = #mesh.rect<x = 4, y = 0, width = 4, height = 8>, resident, start_cycle = 256 : i64}

// The depth option does not apply to resident weights.
// DEPTH1-LABEL: func.func @pipe
// DEPTH1: wafer.stream @w0 {chunk_bytes = 2048 : i64, depth = 1 : i64, end_cycle = 256 : i64

// -----

// A rectangle on rows 4-7 of 32x32 touches no port row (ports every 16
// rows: 0 and 16): one port's worth, 4 bytes/cycle, so 16384 bytes take
// 4096 cycles. A rectangle on rows 0-31 has 4 ports: 16 bytes/cycle, 1024.
module attributes {mesh.target = #mesh.target<"32x32">, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  wafer.parameter @w1 : tensor<128x32xf32> file "model.onnx" offset 16384 length 16384
  func.func @ports(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>> {
    %w0 = wafer.stream @w0 : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %w1 = wafer.stream @w1 : tensor<128x32xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w0 {placement = #mesh.rect<x = 0, y = 4, width = 8, height = 4>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    %o = wafer.linear %h, %w1 {placement = #mesh.rect<x = 0, y = 0, width = 32, height = 32>} : (tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<128x32xf32, #wafer.dist<[y, *]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>>
    return %o : tensor<64x32xf32, #wafer.dist<[x, y]>>
  }
}

// CHECK-LABEL: func.func @ports
// CHECK: wafer.stream @w0 {chunk_bytes = 4096 : i64, depth = 2 : i64, end_cycle = 4096 : i64, order = 0 : i64, region = #mesh.rect<x = 0, y = 4, width = 8, height = 4>, start_cycle = 0 : i64}
// CHECK: wafer.stream @w1 {chunk_bytes = 512 : i64, depth = 2 : i64, end_cycle = 5120 : i64, order = 1 : i64, region = #mesh.rect<x = 0, y = 0, width = 32, height = 32>, start_cycle = 4096 : i64}

// RUN: wse-opt %s -split-input-file -wafer-cost-report=json=- -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=JSON
// RUN: wse-opt %s -split-input-file -wafer-cost-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE
// RUN: wse-opt %s -split-input-file -wafer-cost-report='table=%t.txt json=%t.json' | FileCheck %s --check-prefix=IR
// Each split module rewrites the files: they end up with the last report.
// RUN: FileCheck %s --check-prefix=FILETABLE < %t.txt
// RUN: FileCheck %s --check-prefix=FILEJSON < %t.json

// Hand-computed example on the 8x8 preset: 2 lanes, 16 edge ports (one per
// row on both sides) at 4 bytes/cycle = 64 bytes/cycle for a rectangle
// covering every row, hop latency 1, overhead 2 (task switch) + 16 (setup)
// = 18 cycles, code reserve 768 * 8 = 6144 bytes, peak 2*2*64 = 256
// FLOP/cycle, 1.1 GHz.
//
// fc: linear [64,32] x [32,128] -> [64,128], result [x, y] on 8x8.
//   FLOPs     = 2*64*128*32 = 524288
//   compute   = busiest PE: 8*16 = 128 results of 2*32 FLOPs = 8192 FLOPs
//               / (2 FLOPs * 2 lanes) = 2048 cycles
//   stream    = 32*128*4 = 16384 bytes / 64 = 256 cycles
//   fabric    = multicast (8+8)*1 + chain reduction over 8 rows 7*(1+1)
//               = 30
//   estimated = max(2048, 256) + 30 + 18 = 2096; bound compute
//   SRAM/PE   = input 8*4*4 = 128 + result 8*16*4 = 512
//               + weight buffers 2 * 512 = 1664
//   tokens    = 64 tokens * 256 / 2048 = 8
// act: elementwise with 2 ops per element on [64,128] [x, y].
//   FLOPs = 8192*2 = 16384; compute = 128 elements * 2 ops / 2 lanes = 128
//   estimated = 128 + 0 + 18 = 146; SRAM/PE = 512 + 512 = 1024
// flat: reshape [64,128] -> [8192] [y]: moves 32768 bytes.
//   fabric = 32768 / (4 bytes * 8 bisection links) + diameter 14 = 1038
//   estimated = 0 + 1038 + 18 = 1056; bound fabric
//   SRAM/PE = 512 + 1024*4 = 4608
// total: FLOPs 540672, estimated 2096+146+1056 = 3298 cycles
//   = 3298 / 1.1e9 s = 0.0029982 ms; peak fraction
//   540672 / (3298 * 256) = 0.640388; tokens to keep pace 256 / (256/8) = 8.

module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  func.func @main(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<8192xf32, #wafer.dist<[y]>> {
    %w = wafer.stream @w0 {order = 0 : i64, depth = 2 : i64, chunk_bytes = 512 : i64, start_cycle = 0 : i64, end_cycle = 256 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> loc("fc")
    %g = wafer.elementwise ins(%h : tensor<64x128xf32, #wafer.dist<[x, y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> attributes {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} {
    ^bb0(%a: f32):
      %m = arith.mulf %a, %a : f32
      %s = arith.addf %m, %a : f32
      wafer.yield %s : f32
    } loc("act")
    %r = wafer.reshape %g {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x128xf32, #wafer.dist<[x, y]>>) -> tensor<8192xf32, #wafer.dist<[y]>> loc("flat")
    return %r : tensor<8192xf32, #wafer.dist<[y]>>
  }
}

// JSON-LABEL: "mode": "stream",
// JSON: "ops": [
// JSON: "bound": "compute",
// JSON-NEXT: "compute_cycles": 2048,
// JSON-NEXT: "estimated_cycles": 2096,
// JSON-NEXT: "fabric_cycles": 30,
// JSON-NEXT: "flops": 524288,
// JSON-NEXT: "index": 0,
// JSON-NEXT: "layer": null,
// JSON-NEXT: "location": "fc",
// JSON-NEXT: "op": "wafer.linear",
// JSON-NEXT: "overhead_cycles": 18,
// JSON-NEXT: "phase": null,
// JSON-NEXT: "placement": {
// JSON-NEXT: "height": 8,
// JSON-NEXT: "width": 8,
// JSON-NEXT: "x": 0,
// JSON-NEXT: "y": 0
// JSON-NEXT: },
// JSON-NEXT: "rect": "8x8",
// JSON-NEXT: "roofline_cycles": 2048,
// JSON-NEXT: "sram_bytes_per_pe": 1664,
// JSON-NEXT: "step_layer": null,
// JSON-NEXT: "stream_cycles": 256,
// JSON-NEXT: "streamed_bytes": 16384,
// JSON-NEXT: "tokens_to_keep_pace": 8,
// JSON-NEXT: "weight_bytes_per_pe": 1024
// JSON: "bound": "compute",
// JSON-NEXT: "compute_cycles": 128,
// JSON-NEXT: "estimated_cycles": 146,
// JSON-NEXT: "fabric_cycles": 0,
// JSON-NEXT: "flops": 16384,
// JSON: "location": "act",
// JSON: "sram_bytes_per_pe": 1024,
// JSON: "bound": "fabric",
// JSON-NEXT: "compute_cycles": 0,
// JSON-NEXT: "estimated_cycles": 1056,
// JSON-NEXT: "fabric_cycles": 1038,
// JSON: "location": "flat",
// JSON-NEXT: "op": "wafer.reshape",
// JSON: "sram_bytes_per_pe": 4608,
// The schedule wafer-schedule-streams planned, per stream.
// JSON: "streams": [
// JSON-NEXT: {
// JSON-NEXT: "chunk_bytes": 512,
// JSON-NEXT: "depth": 2,
// JSON-NEXT: "end_cycle": 256,
// JSON-NEXT: "location": "cost-report.mlir:{{[0-9]+}}",
// JSON-NEXT: "name": "w0",
// JSON-NEXT: "order": 0,
// JSON-NEXT: "region": {
// JSON-NEXT: "height": 8,
// JSON-NEXT: "width": 8,
// JSON-NEXT: "x": 0,
// JSON-NEXT: "y": 0
// JSON-NEXT: },
// JSON-NEXT: "resident": false,
// JSON-NEXT: "start_cycle": 0
// JSON-NEXT: }
// JSON-NEXT: ],
// JSON-NEXT: "target": "8x8",
// JSON-NEXT: "total": {
// JSON-NEXT: "code_reserve_bytes": 6144,
// JSON-NEXT: "compute_cycles": 2176,
// JSON-NEXT: "estimated_cycles": 3298,
// JSON-NEXT: "fabric_cycles": 1068,
// JSON-NEXT: "flops": 540672,
// JSON-NEXT: "layer_loop": null,
// JSON-NEXT: "max_sram_bytes_per_pe": 4608,
// JSON-NEXT: "peak_fraction": 0.640388{{[0-9]*}},
// JSON-NEXT: "pipeline_interval_cycles": 0,
// JSON-NEXT: "roofline_cycles": 2176,
// The SRAM plan: the program's code and data per PE, from a lowered copy
// (the whole 8192-word result gathered for the host is the largest buffer).
// JSON-NEXT: "sram_plan": {
// JSON-NEXT: "busiest_layer": "",
// JSON-NEXT: "busiest_op": 2,
// JSON-NEXT: "code_words": 234,
// JSON-NEXT: "data_words": 8320,
// JSON-NEXT: "fits": true,
// JSON-NEXT: "instructions": 117,
// JSON-NEXT: "largest_buffers": [
// JSON-NEXT: {
// JSON-NEXT: "buffer": "full",
// JSON-NEXT: "words": 8192
// JSON-NEXT: },
// JSON-NEXT: {
// JSON-NEXT: "buffer": "blk_1",
// JSON-NEXT: "words": 128
// JSON-NEXT: }
// JSON-NEXT: ],
// JSON-NEXT: "needed_words": 8554,
// JSON-NEXT: "peak_live_words": 8320,
// JSON-NEXT: "shortfall_words": 0,
// JSON-NEXT: "sram_words": 12288
// JSON-NEXT: },
// JSON-NEXT: "stream_cycles": 256,
// JSON-NEXT: "streamed_bytes": 16384,
// JSON-NEXT: "time_ms": 0.0029981{{[0-9]*}},
// JSON-NEXT: "tokens_to_keep_pace": 8

// TABLE-LABEL: wafer cost report: target 8x8 (8x8), mode stream, clock 1.1 GHz, code reserve 6144 bytes/PE
// TABLE: 0 wafer.linear{{ +}}fc{{ +}}8x8{{ +}}524288{{ +}}16384{{ +}}2048{{ +}}256{{ +}}2048{{ +}}2096 compute{{ +}}1664{{ +}}8
// TABLE: 1 wafer.elementwise{{ +}}act{{ +}}8x8{{ +}}16384{{ +}}0{{ +}}128{{ +}}0{{ +}}128{{ +}}146 compute{{ +}}1024{{ +}}0
// TABLE: 2 wafer.reshape{{ +}}flat{{ +}}8x8{{ +}}0{{ +}}0{{ +}}0{{ +}}0{{ +}}0{{ +}}1056 fabric{{ +}}4608{{ +}}0
// TABLE: total{{ +}}540672{{ +}}16384{{ +}}2176{{ +}}256{{ +}}2176{{ +}}3298{{ +}}4608{{ +}}8
// TABLE: time 0.002998 ms at 1.1 GHz; 64.0388% of peak FLOP/s; tokens to keep pace 8
// TABLE-NEXT: SRAM plan per PE: code 234 words (117 instructions) + data 8320 words = 8554 of 12288 words (34216 bytes), 3734 left; busiest at #2: full[8192] blk_1[128]

// The IR is unchanged.
// IR: wafer.stream @w0 {chunk_bytes = 512 : i64, depth = 2 : i64, end_cycle = 256 : i64, order = 0 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>, start_cycle = 0 : i64}
// IR: wafer.linear

// FILETABLE: wafer cost report: target wse2 (750x994), mode stream
// FILETABLE: 0 wafer.linear{{ +}}fc{{ +}}750x994
// FILEJSON: "location": "fc",
// FILEJSON: "target": "wse2",

// -----

// Pipelined: a resident weight costs no stream cycles; its share of the
// 4x8 rectangle, ceil(32/8)*128*4 = 2048 bytes, is in SRAM/PE:
// 256 (input 16x4) + 1024 (result 16x16) + 2048 = 3328. compute: 16*16
// results * 64 FLOPs / 4 = 4096 cycles; fabric (4+8) + 7*2 = 26;
// estimated 4096 + 26 + 18 = 4140; no tokens to keep pace.
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "pipelined"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  func.func @main(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> {
    %w = wafer.stream @w0 {resident, order = 0 : i64, depth = 1 : i64, chunk_bytes = 2048 : i64, start_cycle = 0 : i64, end_cycle = 256 : i64, region = #mesh.rect<x = 0, y = 0, width = 4, height = 8>} : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w {placement = #mesh.rect<x = 0, y = 0, width = 4, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> loc("fc")
    return %h : tensor<64x128xf32, #wafer.dist<[x, y]>>
  }
}

// JSON-LABEL: "mode": "pipelined",
// JSON: "compute_cycles": 4096,
// JSON-NEXT: "estimated_cycles": 4140,
// JSON-NEXT: "fabric_cycles": 26,
// JSON: "rect": "4x8",
// JSON: "sram_bytes_per_pe": 3328,
// JSON-NEXT: "step_layer": null,
// JSON-NEXT: "stream_cycles": 0,
// JSON-NEXT: "streamed_bytes": 0,
// JSON-NEXT: "tokens_to_keep_pace": 0,
// JSON-NEXT: "weight_bytes_per_pe": 2048

// One rectangle: a new batch every 4140 cycles, 524288 FLOPs per
// 4140 * 256 peak FLOPs (8x8 PEs * 2 lanes * 2) = 49.4686%.
// JSON: "pipeline_interval_cycles": 4140,

// TABLE-LABEL: mode pipelined
// TABLE: 0 wafer.linear{{ +}}fc{{ +}}4x8{{ +}}524288{{ +}}0{{ +}}4096{{ +}}0{{ +}}4096{{ +}}4140 compute{{ +}}3328{{ +}}0
// TABLE: pipelined: a new batch every 4140 cycles (the busiest rectangle), 49.4686% of peak FLOP/s in steady state

// -----

// wse2, whole mesh, 126 edge ports at 1 byte/cycle. A linear [750, 64] x
// [64, 994]: each PE computes one result of 2*64 FLOPs: 32 cycles; the
// 254464-byte weight streams in 254464 / 126 = 2019.6 cycles. Tokens to
// keep pace: 750 * 2019.6 / 32 = 47333 = 8 * 750 * 994 / 126, whatever
// K and N: the design brief's "about 50,000 tokens per layer". With one
// token per column the latencies dominate: fabric (750 + 994) + 993 * 2 =
// 3730 cycles, so the bound is "fabric".
module attributes {mesh.target = #mesh.target<"wse2">, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<64x994xf32> file "model.onnx" offset 0 length 254464
  func.func @main(%x: tensor<750x64xf32, #wafer.dist<[x, y]>>) -> tensor<750x994xf32, #wafer.dist<[x, y]>> {
    %w = wafer.stream @w0 : tensor<64x994xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w {placement = #mesh.rect<x = 0, y = 0, width = 750, height = 994>} : (tensor<750x64xf32, #wafer.dist<[x, y]>>, tensor<64x994xf32, #wafer.dist<[y, *]>>) -> tensor<750x994xf32, #wafer.dist<[x, y]>> loc("fc")
    return %h : tensor<750x994xf32, #wafer.dist<[x, y]>>
  }
}

// JSON-LABEL: "mode": "stream",
// JSON: "bound": "fabric",
// JSON-NEXT: "compute_cycles": 32,
// JSON-NEXT: "estimated_cycles": 5767.55{{[0-9]*}},
// JSON-NEXT: "fabric_cycles": 3730,
// JSON: "stream_cycles": 2019.55{{[0-9]*}},
// JSON-NEXT: "streamed_bytes": 254464,
// JSON-NEXT: "tokens_to_keep_pace": 47333.33{{[0-9]*}},
// JSON: "target": "wse2",

// TABLE-LABEL: target wse2 (750x994), mode stream
// TABLE: tokens to keep pace 47333

// RUN: wse-opt %s -split-input-file -wafer-schedule-streams -verify-diagnostics
// RUN: not wse-opt %s -split-input-file -wafer-schedule-streams=depth=0 2>&1 | FileCheck %s --check-prefix=DEPTH
// DEPTH: error: wafer-schedule-streams: depth 0 must be at least 1

// SRAM of 6800 bytes: 6144 code + 640 activations leave 16 bytes, not
// enough for two buffers of one 16-byte row block (ceil(32/8) * 4).
module attributes {mesh.target = #mesh.target<"8x8", sram_bytes = 6800>, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  func.func @main(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> {
    %w0 = wafer.stream @w0 : tensor<32x128xf32, #wafer.dist<[y, *]>>
    // expected-error @+1 {{'wafer.linear' op cannot buffer stream @w0 on PE (0, 0) of its 8x8 rectangle: 2 buffers of its smallest chunk (16 bytes, one row block) need 32 bytes but only 16 are left (SRAM 6800, activations 640, code 6144)}}
    %h = wafer.linear %x, %w0 {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    return %h : tensor<64x128xf32, #wafer.dist<[x, y]>>
  }
}

// -----

module attributes {mesh.target = #mesh.target<"8x8">} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  func.func @main(%x: tensor<64x32xf32>) -> tensor<64x128xf32> {
    %w0 = wafer.stream @w0 : tensor<32x128xf32>
    // expected-error @+1 {{'wafer.linear' op consumes stream @w0 but is not placed: run wafer-place first}}
    %h = wafer.linear %x, %w0 : (tensor<64x32xf32>, tensor<32x128xf32>) -> tensor<64x128xf32>
    return %h : tensor<64x128xf32>
  }
}

// -----

// expected-error @+1 {{wafer-schedule-streams needs the module attribute 'mesh.target': run wafer-target first}}
module {
}

// -----

// Regression: a window past int64 used to be stored wrapped
// (end_cycle = -9223372036854775808). 2^53 bytes through the 16 edge ports
// of the 8x8 mesh at 2^-16 bytes per cycle each take 2^65 cycles.
module attributes {mesh.target = #mesh.target<"8x8", stream_bytes_per_cycle = 1.52587890625e-05>, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<32x70368744177664xf32> file "model.onnx" offset 0 length 9007199254740992
  func.func @main(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x32xf32, #wafer.dist<[x, y]>> {
    // expected-error @+1 {{'wafer.stream' op arrives after 3.689e+19 cycles, past the 2^62 the schedule can record: the target's stream_bytes_per_cycle (1.525879e-05) is too low for this model}}
    %w0 = wafer.stream @w0 {region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<32x70368744177664xf32, #wafer.dist<[y, *]>>
    return %x : tensor<64x32xf32, #wafer.dist<[x, y]>>
  }
}

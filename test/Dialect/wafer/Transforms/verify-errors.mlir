// The per-op SRAM estimate (plan-sram=false; the SRAM plan's own errors are
// in Models/sram-plan.test).
// RUN: wse-opt %s -split-input-file -wafer-verify=plan-sram=false -verify-diagnostics

// expected-error @+1 {{wafer-verify needs the module attribute 'mesh.target': run wafer-target first}}
module {
}

// -----

module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"} {
  func.func @unplaced(%x: tensor<8x8xf32, #wafer.dist<[x, y]>>) -> tensor<8x8xf32, #wafer.dist<[x, y]>> {
    // expected-error @+1 {{'wafer.elementwise' op is not placed: run wafer-place}}
    %g = wafer.elementwise ins(%x : tensor<8x8xf32, #wafer.dist<[x, y]>>) -> tensor<8x8xf32, #wafer.dist<[x, y]>> {
    ^bb0(%a: f32):
      wafer.yield %a : f32
    }
    // expected-error @+1 {{'wafer.elementwise' op rectangle #mesh.rect<x = 4, y = 2, width = 8, height = 4> leaves the 8x8 mesh of target '8x8' (PE (11, 5) does not exist)}}
    %h = wafer.elementwise ins(%g : tensor<8x8xf32, #wafer.dist<[x, y]>>) -> tensor<8x8xf32, #wafer.dist<[x, y]>> attributes {placement = #mesh.rect<x = 4, y = 2, width = 8, height = 4>} {
    ^bb0(%a: f32):
      wafer.yield %a : f32
    }
    return %h : tensor<8x8xf32, #wafer.dist<[x, y]>>
  }
}

// -----

module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"} {
  func.func @nodist(%x: tensor<8x8xf32>) -> tensor<8x8xf32, #wafer.dist<[x, y]>> {
    // expected-error @+1 {{'wafer.elementwise' op operand #0 ('tensor<8x8xf32>') has no distribution: run wafer-layout}}
    %g = wafer.elementwise ins(%x : tensor<8x8xf32>) -> tensor<8x8xf32, #wafer.dist<[x, y]>> attributes {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} {
    ^bb0(%a: f32):
      wafer.yield %a : f32
    }
    return %g : tensor<8x8xf32, #wafer.dist<[x, y]>>
  }
}

// -----

// Stream mode: per PE of 8x8, input 32x128 floats (16384 bytes), result
// 32x192 (24576), two 8192-byte weight buffers, 6144 code: 63488 bytes.
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<1024x1536xf32> file "model.onnx" offset 0 length 6291456
  func.func @sram(%x: tensor<256x1024xf32, #wafer.dist<[x, y]>>) -> tensor<256x1536xf32, #wafer.dist<[x, y]>> {
    %w = wafer.stream @w0 {order = 0 : i64, depth = 2 : i64, chunk_bytes = 8192 : i64, start_cycle = 0 : i64, end_cycle = 98304 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<1024x1536xf32, #wafer.dist<[y, *]>>
    // expected-error @+1 {{'wafer.linear' op needs 63488 bytes of SRAM on PE (0, 0) of its 8x8 rectangle; the target has 49152 (activations 40960, weight buffers 16384, code 6144)}}
    %h = wafer.linear %x, %w {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<256x1024xf32, #wafer.dist<[x, y]>>, tensor<1024x1536xf32, #wafer.dist<[y, *]>>) -> tensor<256x1536xf32, #wafer.dist<[x, y]>>
    return %h : tensor<256x1536xf32, #wafer.dist<[x, y]>>
  }
}

// -----

// Pipelined: both layers keep their weights on the one PE at (2, 3):
// 16384 + 32768 resident bytes, plus the larger activations (second layer:
// 4x128 + 4x64 floats = 3072) and 6144 code: 58368 bytes.
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "pipelined"} {
  wafer.parameter @w1 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  wafer.parameter @w2 : tensor<128x64xf32> file "model.onnx" offset 16384 length 32768
  func.func @resident(%x: tensor<4x32xf32, #wafer.dist<[x, y]>>) -> tensor<4x64xf32, #wafer.dist<[x, y]>> {
    %w1 = wafer.stream @w1 {resident, order = 0 : i64, depth = 1 : i64, chunk_bytes = 16384 : i64, start_cycle = 0 : i64, end_cycle = 2048 : i64, region = #mesh.rect<x = 2, y = 3, width = 1, height = 1>} : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %w2 = wafer.stream @w2 {resident, order = 1 : i64, depth = 1 : i64, chunk_bytes = 32768 : i64, start_cycle = 2048 : i64, end_cycle = 6144 : i64, region = #mesh.rect<x = 2, y = 3, width = 1, height = 1>} : tensor<128x64xf32, #wafer.dist<[y, *]>>
    %h = wafer.linear %x, %w1 {placement = #mesh.rect<x = 2, y = 3, width = 1, height = 1>} : (tensor<4x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<4x128xf32, #wafer.dist<[x, y]>>
    // expected-error @+1 {{'wafer.linear' op needs 58368 bytes of SRAM on PE (2, 3) of its 1x1 rectangle; the target has 49152 (activations 3072, resident weights 49152 of 2 ops, code 6144)}}
    %o = wafer.linear %h, %w2 {placement = #mesh.rect<x = 2, y = 3, width = 1, height = 1>} : (tensor<4x128xf32, #wafer.dist<[x, y]>>, tensor<128x64xf32, #wafer.dist<[y, *]>>) -> tensor<4x64xf32, #wafer.dist<[x, y]>>
    return %o : tensor<4x64xf32, #wafer.dist<[x, y]>>
  }
}

// -----

module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "pipelined"} {
  func.func @overlap(%x: tensor<8x8xf32, #wafer.dist<[x, y]>>) -> tensor<8x8xf32, #wafer.dist<[x, y]>> {
    // expected-note @+1 {{the other op}}
    %g = wafer.elementwise ins(%x : tensor<8x8xf32, #wafer.dist<[x, y]>>) -> tensor<8x8xf32, #wafer.dist<[x, y]>> attributes {placement = #mesh.rect<x = 0, y = 0, width = 4, height = 4>} {
    ^bb0(%a: f32):
      wafer.yield %a : f32
    }
    // expected-error @+1 {{'wafer.elementwise' op rectangle #mesh.rect<x = 2, y = 2, width = 4, height = 4> overlaps the rectangle #mesh.rect<x = 0, y = 0, width = 4, height = 4> of 'wafer.elementwise' at PE (2, 2); pipelined layers need rectangles of their own}}
    %h = wafer.elementwise ins(%g : tensor<8x8xf32, #wafer.dist<[x, y]>>) -> tensor<8x8xf32, #wafer.dist<[x, y]>> attributes {placement = #mesh.rect<x = 2, y = 2, width = 4, height = 4>} {
    ^bb0(%a: f32):
      wafer.yield %a : f32
    }
    return %h : tensor<8x8xf32, #wafer.dist<[x, y]>>
  }
}

// -----

module attributes {mesh.target = #mesh.target<"8x8", colors = 2>, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  func.func @colors(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>> {
    // expected-error @+1 {{'wafer.stream' op @w0 is not scheduled (no order): run wafer-schedule-streams}}
    %w = wafer.stream @w0 : tensor<32x128xf32, #wafer.dist<[y, *]>>
    // expected-error @+1 {{'wafer.linear' op needs 3 routing colors on PE (0, 0) of its 8x8 rectangle; the target has 2}}
    %h = wafer.linear %x, %w {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    return %h : tensor<64x128xf32, #wafer.dist<[x, y]>>
  }
}

// -----

// The whole 8x8 mesh has 16 ports at 4 bytes/cycle: 64 bytes/cycle. w0's
// window is too short for its 16384 bytes; w1 and w2 each use every port
// and overlap in cycles [128, 256).
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<32x128xf32> file "model.onnx" offset 0 length 16384
  wafer.parameter @w1 : tensor<32x128xf32> file "model.onnx" offset 16384 length 16384
  wafer.parameter @w2 : tensor<32x128xf32> file "model.onnx" offset 32768 length 16384
  func.func @bandwidth(%x: tensor<64x32xf32, #wafer.dist<[x, y]>>) -> (tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<64x128xf32, #wafer.dist<[x, y]>>) {
    // expected-error @+1 {{'wafer.stream' op @w0 delivers 16384 bytes in cycles [0, 128), 128 bytes/cycle, but the edge ports of its region supply 64 (PE (0, 0))}}
    %w0 = wafer.stream @w0 {order = 0 : i64, depth = 2 : i64, chunk_bytes = 2048 : i64, start_cycle = 0 : i64, end_cycle = 128 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %w1 = wafer.stream @w1 {order = 1 : i64, depth = 2 : i64, chunk_bytes = 2048 : i64, start_cycle = 0 : i64, end_cycle = 256 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<32x128xf32, #wafer.dist<[y, *]>>
    // expected-error @+1 {{'wafer.stream' op @w2 starts at cycle 128 while 1 other streams are active: together they need 128 bytes/cycle, the edge ports supply 64 (PE (0, 0))}}
    %w2 = wafer.stream @w2 {order = 2 : i64, depth = 2 : i64, chunk_bytes = 2048 : i64, start_cycle = 128 : i64, end_cycle = 384 : i64, region = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<32x128xf32, #wafer.dist<[y, *]>>
    %h0 = wafer.linear %x, %w0 {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    %h1 = wafer.linear %x, %w1 {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    %h2 = wafer.linear %x, %w2 {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<64x32xf32, #wafer.dist<[x, y]>>, tensor<32x128xf32, #wafer.dist<[y, *]>>) -> tensor<64x128xf32, #wafer.dist<[x, y]>>
    return %h0, %h1, %h2 : tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<64x128xf32, #wafer.dist<[x, y]>>, tensor<64x128xf32, #wafer.dist<[x, y]>>
  }
}

// RUN: wse-opt %s -split-input-file -verify-diagnostics -wafer-place=mode=pipelined

// Option errors: the mode and the rect's syntax when options are parsed,
// the rect's shape and size against each module's
// target (the 4x4 module below is the one it leaves).
// RUN: not wse-opt %s -split-input-file -wafer-place=mode=bogus 2>&1 | FileCheck %s --check-prefix=MODE
// MODE: for the --mode option: 'bogus' is not one of: stream, pipelined
// RUN: not wse-opt %s -split-input-file -wafer-place=rect=1,2,3 2>&1 | FileCheck %s --check-prefix=MALFORMED
// MALFORMED: wafer-place: invalid rect '1,2,3': expected x,y,width,height (four integers)
// RUN: not wse-opt %s -split-input-file -wafer-place=rect=a,0,1,1 2>&1 | FileCheck %s --check-prefix=MALFORMED2
// MALFORMED2: for the --rect option: 'a' value invalid for long argument
// RUN: not wse-opt %s -split-input-file -wafer-place=rect=0,0,0,4 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: wafer-place: rect '0,0,0,4' needs a non-negative corner and a positive size
// RUN: not wse-opt %s -split-input-file -wafer-place=rect=2,0,3,4 2>&1 | FileCheck %s --check-prefix=OUTSIDE
// OUTSIDE: wafer-place: rect '2,0,3,4' does not fit in the 4x4 mesh of '4x4'

// expected-error @+1 {{wafer-place needs the module attribute 'mesh.target': run wafer-target first}}
module {
  func.func @no_target(%x: tensor<4xf32>) -> tensor<4xf32> {
    %y = wafer.reshape %x : (tensor<4xf32>) -> tensor<4xf32>
    return %y : tensor<4xf32>
  }
}

// -----

// A 1 MiB weight on a 4x4 mesh. Usable SRAM per PE is 48 KiB less the code
// reserve of 768 * 8 = 6144 bytes: 43008 bytes (42 KiB), so the mesh holds
// 16 * 42 KiB = 672 KiB. 1048576 weight bytes + 2 * 8 KiB of activations =
// 1064960 bytes = 24.76 PEs, so 25 PEs (25 * 43008 = 1075200 bytes, 1.0 MiB);
// short by 9 PEs = 387072 bytes = 378 KiB.
module attributes {mesh.target = #mesh.target<"4x4">} {
  wafer.parameter @w : tensor<512x512xf32> file "m.onnx" offset 0 length 1048576
  // expected-error @+1 {{model does not fit on '4x4' in pipelined mode: its weights and activations need 25 PEs (1.0 MiB) but the mesh has 16 PEs (672.0 KiB); short by 9 PEs (378.0 KiB); use mode=stream or a larger target}}
  func.func @too_big(%x: tensor<4x512xf32>) -> tensor<4x512xf32> {
    %w = wafer.stream @w : tensor<512x512xf32>
    %y = wafer.linear %x, %w : (tensor<4x512xf32>, tensor<512x512xf32>) -> tensor<4x512xf32>
    return %y : tensor<4x512xf32>
  }
}

// -----

// The wse2 message in GiB: a 48.8 GiB weight needs 1219246 PEs
// (52428800000 weight bytes + 6400000 + 2097152 activation bytes =
// 52437297152, over 43008 = 1219245.2). The 750x994 mesh has 745500 PEs
// * 43008 = 29.9 GiB; short by 473746 PEs (19.0 GiB).
module attributes {mesh.target = #mesh.target<"wse2">} {
  wafer.parameter @huge : tensor<200000x65536xf32> file "m.onnx" offset 0 length 52428800000
  // expected-error @+1 {{model does not fit on 'wse2' in pipelined mode: its weights and activations need 1219246 PEs (48.8 GiB) but the mesh has 745500 PEs (29.9 GiB); short by 473746 PEs (19.0 GiB); use mode=stream or a larger target}}
  func.func @giant(%x: tensor<1x8x200000xf32>) -> tensor<1x8x65536xf32> {
    %w = wafer.stream @huge : tensor<200000x65536xf32>
    %y = wafer.linear %x, %w : (tensor<1x8x200000xf32>, tensor<200000x65536xf32>) -> tensor<1x8x65536xf32>
    return %y : tensor<1x8x65536xf32>
  }
}

// -----

// Three layers of 5 PEs each fit 16 PEs in sum, but no band height packs
// three 5-PE rectangles into 4x4 (each rounds up to 2x3 or 3x2). Each layer
// holds its input and output of 24000 f32: 192000 bytes = 4.46 PEs of 43008
// bytes, so 5 PEs (with 28000 elements it would be 6 PEs each, 18 > 16, and
// the does-not-fit check would fire first).
module attributes {mesh.target = #mesh.target<"4x4">} {
  // expected-error @+1 {{wafer-place cannot pack the 3 layers into the mesh (4x4) in pipelined mode: their minimum rectangles need 15 of 16 PEs (largest layer 5 PEs) but rounding them to rectangles leaves no room; use mode=stream or a larger target}}
  func.func @unpackable(%x: tensor<24000xf32>) -> tensor<24000xf32> {
    %a = wafer.elementwise ins(%x : tensor<24000xf32>) -> tensor<24000xf32> {
    ^bb0(%v: f32):
      %0 = math.exp %v : f32
      wafer.yield %0 : f32
    }
    %b = wafer.elementwise ins(%a : tensor<24000xf32>) -> tensor<24000xf32> {
    ^bb0(%v: f32):
      %0 = math.exp %v : f32
      wafer.yield %0 : f32
    }
    %c = wafer.elementwise ins(%b : tensor<24000xf32>) -> tensor<24000xf32> {
    ^bb0(%v: f32):
      %0 = math.exp %v : f32
      wafer.yield %0 : f32
    }
    return %c : tensor<24000xf32>
  }
}

// -----

// An activation no rectangle can spread: [1, 100000, 1, 1] is canonically
// [*, *, x, y], and the two spread dimensions have size 1, so every PE holds
// all of it, input and output: 2 * 400000 = 800000 bytes (+ 6144 code), even
// on the whole mesh. The minimum (800000 / 43008 -> 19 PEs) fits, so the
// sizing rounds, not the does-not-fit check, find it and stop at once.
module attributes {mesh.target = #mesh.target<"8x8">} {
  func.func @unspreadable(%x: tensor<1x100000x1x1xf32>) -> tensor<1x100000x1x1xf32> {
    // expected-error @+1 {{'wafer.elementwise' op cannot fit in pipelined mode even on all of the mesh (8x8): with the ops that share its rectangle it needs 806144 bytes of SRAM per PE (activations 800000, resident weights 0 of 1 op, code 6144); a PE has 49152 (its distributions leave too few blocks to spread); use mode=stream}}
    %n = wafer.elementwise ins(%x : tensor<1x100000x1x1xf32>) -> tensor<1x100000x1x1xf32> {
    ^bb0(%a: f32):
      %0 = arith.negf %a : f32
      wafer.yield %0 : f32
    }
    return %n : tensor<1x100000x1x1xf32>
  }
}

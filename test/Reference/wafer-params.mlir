// wafer.stream reads its wafer.parameter's bytes from the file at
// offset/length relative to --weights (the layout of params.mlir: an f32
// matrix after 8 bytes of padding, then an f16 vector), whatever its stream
// schedule; a parameter that is never streamed is never read.
//
// RUN: rm -rf %t && mkdir -p %t/p
// RUN: %python %S/Inputs/cases.py params %t/p
// RUN: wse-ref %s --weights %t/p --input x=%t/p/x.npy \
// RUN:   --output y=%t/p/o0.npy --output h=%t/p/o1.npy
// RUN: %python %S/Inputs/compare_npy.py --rtol 1e-5 \
// RUN:   %t/p/ref0.npy %t/p/o0.npy %t/p/ref1.npy %t/p/o1.npy \
// RUN:   | FileCheck %s --implicit-check-not=MISMATCH
// CHECK: MATCH
//
// A missing weight file is an error naming the stream.
// RUN: not wse-ref %s --weights %t --input x=%t/p/x.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOFILE
// NOFILE: wse-ref: error: {{.*}}wafer-params.mlir:{{[0-9]+}}:{{[0-9]+}}: wafer.stream: cannot read parameter @w from '{{.*}}weights.bin'

module attributes {wafer.mode = "pipelined"} {
  wafer.parameter @w : tensor<2x3xf32> file "weights.bin" offset 8 length 24
  wafer.parameter @h : tensor<4xf16> file "weights.bin" offset 32 length 8
  // Never streamed: its file does not exist, and it is never read.
  wafer.parameter @unused : tensor<4xf32> file "missing.bin" offset 0 length 16
  func.func @main(%x: tensor<3xf32> {onnx.name = "x"})
      -> (tensor<2xf32> {onnx.name = "y"}, tensor<4xf32> {onnx.name = "h"}) {
    %w = wafer.stream @w {resident, order = 0 : i64, depth = 2 : i64,
        region = #mesh.rect<x = 0, y = 0, width = 2, height = 1>}
        : tensor<2x3xf32>
    %y = wafer.linear %x, %w {transpose_weight}
        : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2xf32>
    %h = wafer.stream @h : tensor<4xf16>
    %hf = wafer.elementwise ins(%h : tensor<4xf16>) -> tensor<4xf32> {
    ^bb0(%a: f16):
      %e = arith.extf %a : f16 to f32
      wafer.yield %e : f32
    }
    return %y, %hf : tensor<2xf32>, tensor<4xf32>
  }
}

// Parameters are read from their file at offset/length relative to --weights
// (an f32 matrix after 8 bytes of padding, then an f16 vector converted to
// fp32 for compute).
//
// RUN: rm -rf %t && mkdir -p %t/p
// RUN: %python %S/Inputs/cases.py params %t/p
// RUN: wse-ref %s --weights %t/p --input x=%t/p/x.npy \
// RUN:   --output y=%t/p/o0.npy --output h=%t/p/o1.npy
// RUN: %python %S/Inputs/compare_npy.py --rtol 1e-5 \
// RUN:   %t/p/ref0.npy %t/p/o0.npy %t/p/ref1.npy %t/p/o1.npy \
// RUN:   | FileCheck %s --implicit-check-not=MISMATCH
// CHECK: MATCH

module {
  onnx.parameter @w : tensor<2x3xf32> file "weights.bin" offset 8 length 24
  onnx.parameter @h : tensor<4xf16> file "weights.bin" offset 32 length 8
  // Never referenced: its file does not exist, and it is never read.
  onnx.parameter @unused : tensor<4xf32> file "missing.bin" offset 0 length 16
  func.func @main(%x: tensor<3xf32> {onnx.name = "x"})
      -> (tensor<2xf32> {onnx.name = "y"}, tensor<4xf32> {onnx.name = "h"}) {
    %w = onnx.param_ref @w : tensor<2x3xf32>
    %y = onnx.MatMul %w, %x : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
    %h = onnx.param_ref @h : tensor<4xf16>
    %hf = onnx.Cast %h : (tensor<4xf16>) -> tensor<4xf32>
    return %y, %hf : tensor<2xf32>, tensor<4xf32>
  }
}

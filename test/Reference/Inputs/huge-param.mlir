// A 4 TiB parameter whose file holds 64 bytes (test/Reference/huge-param.test).
module {
  onnx.parameter @w : tensor<1099511627776xf32> file "w.bin" offset 0 length 4398046511104
  func.func @main() -> tensor<1099511627776xf32> {
    %w = onnx.param_ref @w : tensor<1099511627776xf32>
    return %w : tensor<1099511627776xf32>
  }
}

// Functions for errors.test (not a test by itself: Inputs/ is excluded).
module {
  onnx.parameter @w : tensor<2x3xf32> file "missing.bin" offset 0 length 24
  func.func @reshape(%x: tensor<6xf32> {onnx.name = "x"},
                     %s: tensor<2xi64> {onnx.name = "s"})
      -> tensor<2x3xf32> {
    %0 = onnx.Reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }
  func.func @param() -> tensor<2x3xf32> {
    %w = onnx.param_ref @w : tensor<2x3xf32>
    return %w : tensor<2x3xf32>
  }
  func.func @gather(%x: tensor<6xf32> {onnx.name = "x"},
                    %i: tensor<2xi64> {onnx.name = "i"}) -> tensor<2xf32> {
    %0 = onnx.Gather %x, %i : (tensor<6xf32>, tensor<2xi64>) -> tensor<2xf32>
    return %0 : tensor<2xf32>
  }
  func.func @call(%x: tensor<6xf32> {onnx.name = "x"}) -> tensor<6xf32> {
    %0 = func.call @id(%x) : (tensor<6xf32>) -> tensor<6xf32>
    return %0 : tensor<6xf32>
  }
  func.func private @id(tensor<6xf32>) -> tensor<6xf32>
}

// Functions for data-shapes.test (not a test by itself: Inputs/ is excluded):
// result shapes that come from the input values.
module {
  func.func @range(%n: tensor<i64> {onnx.name = "n"}) -> tensor<?xi64> {
    %0 = onnx.Constant dense<0> : tensor<i64>
    %1 = onnx.Constant dense<1> : tensor<i64>
    %2 = onnx.Range %0, %n, %1 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
    return %2 : tensor<?xi64>
  }
  func.func @frange(%n: tensor<f32> {onnx.name = "n"}) -> tensor<?xf32> {
    %0 = onnx.Constant dense<0.0> : tensor<f32>
    %1 = onnx.Constant dense<1.0> : tensor<f32>
    %2 = onnx.Range %0, %n, %1 : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
    return %2 : tensor<?xf32>
  }
  func.func @fill(%s: tensor<2xi64> {onnx.name = "s"}) -> tensor<?x?xf32> {
    %0 = onnx.ConstantOfShape %s, dense<1.5> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x?xf32>
    return %0 : tensor<?x?xf32>
  }
  func.func @expand(%x: tensor<1xf32> {onnx.name = "x"},
                    %s: tensor<2xi64> {onnx.name = "s"}) -> tensor<?x?xf32> {
    %0 = onnx.Expand %x, %s : (tensor<1xf32>, tensor<2xi64>) -> tensor<?x?xf32>
    return %0 : tensor<?x?xf32>
  }
  func.func @tile(%x: tensor<2xf32> {onnx.name = "x"},
                  %r: tensor<1xi64> {onnx.name = "r"}) -> tensor<?xf32> {
    %0 = onnx.Tile %x, %r : (tensor<2xf32>, tensor<1xi64>) -> tensor<?xf32>
    return %0 : tensor<?xf32>
  }
  // A Range of n values, added as a column to itself as a row: n^2 values.
  func.func @outer(%n: tensor<i64> {onnx.name = "n"}) -> tensor<?x?xi64> {
    %0 = onnx.Constant dense<0> : tensor<i64>
    %1 = onnx.Constant dense<1> : tensor<i64>
    %2 = onnx.Range %0, %n, %1 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
    %3 = onnx.Unsqueeze %2, [1] : (tensor<?xi64>) -> tensor<?x1xi64>
    %4 = onnx.Unsqueeze %2, [0] : (tensor<?xi64>) -> tensor<1x?xi64>
    %5 = onnx.Add %3, %4 : (tensor<?x1xi64>, tensor<1x?xi64>) -> tensor<?x?xi64>
    return %5 : tensor<?x?xi64>
  }
}

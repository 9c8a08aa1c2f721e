// Shape and data-movement ops: Reshape (0, -1, allowzero), Transpose, Squeeze,
// Unsqueeze (negative axes), Concat (negative axis), Split (explicit and
// equal with a remainder), Slice (negative steps, negative and clamped
// bounds, INT64 bounds), Gather (axis 1, negative indices), Expand
// (bidirectional), Tile, Shape (start/end), Range (int, float with negative
// delta), ConstantOfShape, Trilu (upper/lower with k), Constant.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py shape %t/s
// RUN: wse-ref %s --entry shape --input x=%t/s/x.npy --input z=%t/s/z.npy \
// RUN:   --output 0=%t/s/o0.npy --output 1=%t/s/o1.npy --output 2=%t/s/o2.npy \
// RUN:   --output 3=%t/s/o3.npy --output 4=%t/s/o4.npy --output 5=%t/s/o5.npy \
// RUN:   --output 6=%t/s/o6.npy --output 7=%t/s/o7.npy --output 8=%t/s/o8.npy \
// RUN:   --output 9=%t/s/o9.npy --output 10=%t/s/o10.npy --output 11=%t/s/o11.npy \
// RUN:   --output 12=%t/s/o12.npy --output 13=%t/s/o13.npy --output 14=%t/s/o14.npy \
// RUN:   --output 15=%t/s/o15.npy --output 16=%t/s/o16.npy --output 17=%t/s/o17.npy \
// RUN:   --output 18=%t/s/o18.npy --output 19=%t/s/o19.npy --output 20=%t/s/o20.npy \
// RUN:   --output 21=%t/s/o21.npy --output 22=%t/s/o22.npy
// RUN: %python %S/Inputs/compare_npy.py --atol 0 \
// RUN:   %t/s/ref0.npy %t/s/o0.npy %t/s/ref1.npy %t/s/o1.npy \
// RUN:   %t/s/ref2.npy %t/s/o2.npy %t/s/ref3.npy %t/s/o3.npy \
// RUN:   %t/s/ref4.npy %t/s/o4.npy %t/s/ref5.npy %t/s/o5.npy \
// RUN:   %t/s/ref6.npy %t/s/o6.npy %t/s/ref7.npy %t/s/o7.npy \
// RUN:   %t/s/ref8.npy %t/s/o8.npy %t/s/ref9.npy %t/s/o9.npy \
// RUN:   %t/s/ref10.npy %t/s/o10.npy %t/s/ref11.npy %t/s/o11.npy \
// RUN:   %t/s/ref12.npy %t/s/o12.npy %t/s/ref13.npy %t/s/o13.npy \
// RUN:   %t/s/ref14.npy %t/s/o14.npy %t/s/ref15.npy %t/s/o15.npy \
// RUN:   %t/s/ref16.npy %t/s/o16.npy %t/s/ref17.npy %t/s/o17.npy \
// RUN:   %t/s/ref18.npy %t/s/o18.npy %t/s/ref19.npy %t/s/o19.npy \
// RUN:   %t/s/ref20.npy %t/s/o20.npy %t/s/ref21.npy %t/s/o21.npy \
// RUN:   %t/s/ref22.npy %t/s/o22.npy \
// RUN:   | FileCheck %s --implicit-check-not=MISMATCH
// CHECK: MATCH

func.func @shape(%x: tensor<2x3x4xf32> {onnx.name = "x"},
                 %z: tensor<0x3xf32> {onnx.name = "z"})
    -> (tensor<2x12xf32>, tensor<3x0xf32>, tensor<4x2x3xf32>, tensor<2x12xf32>,
        tensor<2x1x3x4x1xf32>, tensor<2x4x4xf32>, tensor<2x3x1xf32>,
        tensor<2x3x3xf32>, tensor<2x2x4xf32>, tensor<2x1x4xf32>,
        tensor<2x2x2xf32>, tensor<2x2x2xf32>, tensor<2x2x2x4xf32>,
        tensor<3x2x3x4xf32>, tensor<6x4xf32>, tensor<2xi64>, tensor<3xi64>,
        tensor<4xf32>, tensor<2x3xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>,
        tensor<2x2xi64>, tensor<?xi64>) {
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c1 = onnx.Constant dense<1> : tensor<1xi64>
  %s0 = onnx.Constant dense<[0, -1]> : tensor<2xi64>
  %0 = onnx.Reshape %x, %s0 : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  %s1 = onnx.Constant dense<[3, 0]> : tensor<2xi64>
  %1 = onnx.Reshape %z, %s1 {allowzero = 1 : i64} : (tensor<0x3xf32>, tensor<2xi64>) -> tensor<3x0xf32>
  %2 = onnx.Transpose %x, [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %s3 = onnx.Constant dense<[1, 2, 1, 12]> : tensor<4xi64>
  %r3 = onnx.Reshape %x, %s3 : (tensor<2x3x4xf32>, tensor<4xi64>) -> tensor<1x2x1x12xf32>
  %3 = onnx.Squeeze %r3, [0, -2] : (tensor<1x2x1x12xf32>) -> tensor<2x12xf32>
  %4 = onnx.Unsqueeze %x, [1, -1] : (tensor<2x3x4xf32>) -> tensor<2x1x3x4x1xf32>
  %x1 = onnx.Slice %x, %c0, %c1, %c1, %c1 : (tensor<2x3x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %5 = onnx.Concat %x, %x1 {axis = -2 : i64} : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x4x4xf32>
  %6:2 = onnx.Split %x {axis = 2 : i64, split = array<i64: 1, 3>} : (tensor<2x3x4xf32>) -> (tensor<2x3x1xf32>, tensor<2x3x3xf32>)
  %7:2 = onnx.Split %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> (tensor<2x2x4xf32>, tensor<2x1x4xf32>)
  %st = onnx.Constant dense<[-1, 2, 9223372036854775807]> : tensor<3xi64>
  %en = onnx.Constant dense<[-9223372036854775808, 0, -100]> : tensor<3xi64>
  %ax = onnx.Constant dense<[0, 1, 2]> : tensor<3xi64>
  %sp = onnx.Constant dense<[-1, -1, -2]> : tensor<3xi64>
  %8 = onnx.Slice %x, %st, %en, %ax, %sp : (tensor<2x3x4xf32>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %st2 = onnx.Constant dense<[-2, 1]> : tensor<2xi32>
  %en2 = onnx.Constant dense<[100, -1]> : tensor<2xi32>
  %ax2 = onnx.Constant dense<[-2, -1]> : tensor<2xi32>
  %sp2 = onnx.Constant dense<1> : tensor<2xi32>
  %9 = onnx.Slice %x, %st2, %en2, %ax2, %sp2 : (tensor<2x3x4xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x2x2xf32>
  %gi = onnx.Constant dense<[[-1, 0], [1, -3]]> : tensor<2x2xi64>
  %10 = onnx.Gather %x, %gi {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x2xi64>) -> tensor<2x2x2x4xf32>
  %es = onnx.Constant dense<[3, 1, 3, 1]> : tensor<4xi64>
  %11 = onnx.Expand %x1, %es : (tensor<2x1x4xf32>, tensor<4xi64>) -> tensor<3x2x3x4xf32>
  %g0 = onnx.Gather %x, %c0 {axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<1x3x4xf32>
  %x0 = onnx.Squeeze %g0, [0] : (tensor<1x3x4xf32>) -> tensor<3x4xf32>
  %rep = onnx.Constant dense<[2, 1]> : tensor<2xi64>
  %12 = onnx.Tile %x0, %rep : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %13 = onnx.Shape %x {start = 1 : i64, end = 5 : i64} : (tensor<2x3x4xf32>) -> tensor<2xi64>
  %r0 = onnx.Constant dense<2> : tensor<i64>
  %r1 = onnx.Constant dense<11> : tensor<i64>
  %r2 = onnx.Constant dense<3> : tensor<i64>
  %14 = onnx.Range %r0, %r1, %r2 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<3xi64>
  %f0 = onnx.Constant dense<1.0> : tensor<f32>
  %f1 = onnx.Constant dense<-1.0> : tensor<f32>
  %f2 = onnx.Constant dense<-0.5> : tensor<f32>
  %15 = onnx.Range %f0, %f1, %f2 : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  %cs = onnx.Constant dense<[2, 3]> : tensor<2xi64>
  %16 = onnx.ConstantOfShape %cs, dense<1.5> : tensor<1xf32> : (tensor<2xi64>) -> tensor<2x3xf32>
  %17 = onnx.Trilu %x {k = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %18 = onnx.Trilu %x {k = -1 : i64, upper = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %19 = onnx.Constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  // A dynamic result type: the shape is computed at run time.
  %20 = onnx.Shape %x {start = -2 : i64} : (tensor<2x3x4xf32>) -> tensor<?xi64>
  return %0, %1, %2, %3, %4, %5, %6#0, %6#1, %7#0, %7#1, %8, %9, %10, %11,
         %12, %13, %14, %15, %16, %17, %18, %19, %20
      : tensor<2x12xf32>, tensor<3x0xf32>, tensor<4x2x3xf32>, tensor<2x12xf32>,
        tensor<2x1x3x4x1xf32>, tensor<2x4x4xf32>, tensor<2x3x1xf32>,
        tensor<2x3x3xf32>, tensor<2x2x4xf32>, tensor<2x1x4xf32>,
        tensor<2x2x2xf32>, tensor<2x2x2xf32>, tensor<2x2x2x4xf32>,
        tensor<3x2x3x4xf32>, tensor<6x4xf32>, tensor<2xi64>, tensor<3xi64>,
        tensor<4xf32>, tensor<2x3xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>,
        tensor<2x2xi64>, tensor<?xi64>
}

// RUN: wse-opt --onnx-staticize %s | FileCheck %s
// Constant evaluation: every rule replaces its op by an onnx.Constant.

// CHECK-LABEL: func.func @shape
// CHECK-DAG: onnx.Constant dense<[2, 3, 4, 5]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<[3, 4]> : tensor<2xi64>
// CHECK-DAG: onnx.Constant dense<5> : tensor<1xi64>
// CHECK-NOT: onnx.Shape
func.func @shape(%x: tensor<2x3x4x5xf32>) -> (tensor<?xi64>, tensor<?xi64>, tensor<?xi64>) {
  %0 = onnx.Shape %x : (tensor<2x3x4x5xf32>) -> tensor<?xi64>
  %1 = onnx.Shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x3x4x5xf32>) -> tensor<?xi64>
  %2 = onnx.Shape %x {start = -1 : i64} : (tensor<2x3x4x5xf32>) -> tensor<?xi64>
  return %0, %1, %2 : tensor<?xi64>, tensor<?xi64>, tensor<?xi64>
}

// CHECK-LABEL: func.func @gather_slice_concat
// CHECK-DAG: onnx.Constant dense<[40, 10]> : tensor<2xi64>
// CHECK-DAG: onnx.Constant dense<[40, 20]> : tensor<2xi64>
// CHECK-DAG: onnx.Constant dense<[10, 20, 30, 40, 7]> : tensor<5xi64>
// CHECK-DAG: onnx.Constant dense<{{\[}}[1, 3], [4, 6]]> : tensor<2x2xi32>
// CHECK-NOT: onnx.Gather
// CHECK-NOT: onnx.Slice
// CHECK-NOT: onnx.Concat
func.func @gather_slice_concat() -> (tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?x?xi32>) {
  %v = onnx.Constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %m1 = onnx.Constant dense<-1> : tensor<i64>
  // scalar index (negative)
  %g0 = onnx.Gather %v, %m1 {axis = 0 : i64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %idx = onnx.Constant dense<[3, 0]> : tensor<2xi64>
  %g1 = onnx.Gather %v, %idx {axis = 0 : i64} : (tensor<4xi64>, tensor<2xi64>) -> tensor<?xi64>
  // reverse every other element: [40, 20]
  %s = onnx.Constant dense<-1> : tensor<1xi64>
  %e = onnx.Constant dense<-9223372036854775807> : tensor<1xi64>
  %a = onnx.Constant dense<0> : tensor<1xi64>
  %t = onnx.Constant dense<-2> : tensor<1xi64>
  %sl = onnx.Slice %v, %s, %e, %a, %t : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xi64>
  %seven = onnx.Constant dense<7> : tensor<1xi64>
  %c = onnx.Concat %v, %seven {axis = 0 : i64} : (tensor<4xi64>, tensor<1xi64>) -> tensor<?xi64>
  %u = onnx.Unsqueeze %g0, [0] : (tensor<i64>) -> tensor<?xi64>
  %ten = onnx.Constant dense<10> : tensor<1xi64>
  %c2 = onnx.Concat %u, %ten {axis = 0 : i64} : (tensor<?xi64>, tensor<1xi64>) -> tensor<?xi64>
  // 2-D slice and gather on axis 1
  %m = onnx.Constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %cols = onnx.Constant dense<[0, 2]> : tensor<2xi64>
  %g2 = onnx.Gather %m, %cols {axis = 1 : i64} : (tensor<2x3xi32>, tensor<2xi64>) -> tensor<?x?xi32>
  return %g1, %sl, %c, %c2, %g2 : tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?x?xi32>
}

// CHECK-LABEL: func.func @reshape_like
// CHECK-DAG: onnx.Constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi64>
// CHECK-DAG: onnx.Constant dense<{{\[}}[1, 3], [2, 4]]> : tensor<2x2xi64>
// CHECK-DAG: onnx.Constant dense<[1, 2, 3, 4]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<{{\[}}[1, 2, 1, 2]]> : tensor<1x4xi64>
// CHECK-DAG: onnx.Constant dense<{{\[}}[1, 2], [1, 2], [1, 2]]> : tensor<3x2xi64>
func.func @reshape_like() -> (tensor<?x?xi64>, tensor<?x?xi64>, tensor<?xi64>, tensor<?x?xi64>, tensor<?x?xi64>) {
  %v = onnx.Constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %s = onnx.Constant dense<[2, -1]> : tensor<2xi64>
  %r = onnx.Reshape %v, %s : (tensor<4xi64>, tensor<2xi64>) -> tensor<?x?xi64>
  %t = onnx.Transpose %r, [1, 0] : (tensor<?x?xi64>) -> tensor<?x?xi64>
  %u = onnx.Unsqueeze %v, [0] : (tensor<4xi64>) -> tensor<?x?xi64>
  %q = onnx.Squeeze %u, [0] : (tensor<?x?xi64>) -> tensor<?xi64>
  %p = onnx.Constant dense<[[1, 2]]> : tensor<1x2xi64>
  %reps = onnx.Constant dense<[1, 2]> : tensor<2xi64>
  %tile = onnx.Tile %p, %reps : (tensor<1x2xi64>, tensor<2xi64>) -> tensor<?x?xi64>
  %es = onnx.Constant dense<[3, 1]> : tensor<2xi64>
  %ex = onnx.Expand %p, %es : (tensor<1x2xi64>, tensor<2xi64>) -> tensor<?x?xi64>
  %id = onnx.Identity %ex : (tensor<?x?xi64>) -> tensor<?x?xi64>
  return %r, %t, %q, %tile, %id : tensor<?x?xi64>, tensor<?x?xi64>, tensor<?xi64>, tensor<?x?xi64>, tensor<?x?xi64>
}

// ONNX integer Div truncates toward zero; arithmetic broadcasts.
// CHECK-LABEL: func.func @arith
// CHECK-DAG: onnx.Constant dense<[-3, 3, -3, 3]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<[-5, 9, -5, 9]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<[-9, 5, -9, 5]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<[-14, 14, -14, 14]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<[7, -7, 7, -7]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<[2, 7, 2, 7]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<[-7, 2, -7, 2]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<[-3.500000e+00, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: onnx.Constant dense<8.000000e+00> : tensor<f32>
// CHECK-DAG: onnx.Constant dense<1.250000e-01> : tensor<f16>
func.func @arith() -> (tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xf32>, tensor<f32>, tensor<f16>) {
  %a = onnx.Constant dense<[-7, 7, -7, 7]> : tensor<4xi64>
  %two = onnx.Constant dense<2> : tensor<i64>
  %0 = onnx.Div %a, %two : (tensor<4xi64>, tensor<i64>) -> tensor<?xi64>
  %1 = onnx.Add %a, %two : (tensor<4xi64>, tensor<i64>) -> tensor<?xi64>
  %2 = onnx.Sub %a, %two : (tensor<4xi64>, tensor<i64>) -> tensor<?xi64>
  %3 = onnx.Mul %a, %two : (tensor<4xi64>, tensor<i64>) -> tensor<?xi64>
  %4 = onnx.Neg %a : (tensor<4xi64>) -> tensor<?xi64>
  %5 = onnx.Max %a, %two : (tensor<4xi64>, tensor<i64>) -> tensor<?xi64>
  %6 = onnx.Min %a, %two : (tensor<4xi64>, tensor<i64>) -> tensor<?xi64>
  %f = onnx.Constant dense<[-7.0, 0.5]> : tensor<2xf32>
  %f2 = onnx.Constant dense<2.0> : tensor<f32>
  %7 = onnx.Div %f, %f2 : (tensor<2xf32>, tensor<f32>) -> tensor<?xf32>
  %sq = onnx.Constant dense<64.0> : tensor<f32>
  %8 = onnx.Sqrt %sq : (tensor<f32>) -> tensor<f32>
  %h = onnx.Constant dense<8.0> : tensor<f16>
  %9 = onnx.Reciprocal %h : (tensor<f16>) -> tensor<f16>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?xf32>, tensor<f32>, tensor<f16>
}

// CHECK-LABEL: func.func @integer_division_by_zero_is_kept
// CHECK: onnx.Div
func.func @integer_division_by_zero_is_kept() -> tensor<2xi64> {
  %a = onnx.Constant dense<[1, 2]> : tensor<2xi64>
  %z = onnx.Constant dense<0> : tensor<i64>
  %0 = onnx.Div %a, %z : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// CHECK-LABEL: func.func @cast
// CHECK-DAG: onnx.Constant dense<[-2, 2, 0]> : tensor<3xi64>
// CHECK-DAG: onnx.Constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-DAG: onnx.Constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
func.func @cast() -> (tensor<?xi64>, tensor<?xi1>, tensor<?xf32>) {
  %f = onnx.Constant dense<[-2.7, 2.7, 0.0]> : tensor<3xf32>
  %0 = onnx.Cast %f : (tensor<3xf32>) -> tensor<?xi64>
  %1 = onnx.Cast %f : (tensor<3xf32>) -> tensor<?xi1>
  %b = onnx.Constant dense<[true, false]> : tensor<2xi1>
  %2 = onnx.Cast %b : (tensor<2xi1>) -> tensor<?xf32>
  return %0, %1, %2 : tensor<?xi64>, tensor<?xi1>, tensor<?xf32>
}

// CHECK-LABEL: func.func @logic
// CHECK-DAG: onnx.Constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: onnx.Constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: onnx.Constant dense<[false, false, true]> : tensor<3xi1>
// CHECK-DAG: onnx.Constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-DAG: onnx.Constant dense<[1, 5, 1]> : tensor<3xi64>
// CHECK-NOT: onnx.Equal
// CHECK-NOT: onnx.Where
func.func @logic() -> (tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi64>) {
  %a = onnx.Constant dense<[1, 5, 9]> : tensor<3xi64>
  %five = onnx.Constant dense<5> : tensor<1xi64>
  %eq = onnx.Equal %a, %five : (tensor<3xi64>, tensor<1xi64>) -> tensor<?xi1>
  %lt = onnx.Less %a, %five : (tensor<3xi64>, tensor<1xi64>) -> tensor<?xi1>
  %gt = onnx.Greater %a, %five : (tensor<3xi64>, tensor<1xi64>) -> tensor<?xi1>
  %ne = onnx.Not %eq : (tensor<?xi1>) -> tensor<?xi1>
  %or = onnx.Or %lt, %gt : (tensor<?xi1>, tensor<?xi1>) -> tensor<?xi1>
  %and = onnx.And %ne, %or : (tensor<?xi1>, tensor<?xi1>) -> tensor<?xi1>
  %one = onnx.Constant dense<1> : tensor<i64>
  %w = onnx.Where %lt, %one, %a : (tensor<?xi1>, tensor<i64>, tensor<3xi64>) -> tensor<?xi64>
  %w2 = onnx.Where %gt, %one, %w : (tensor<?xi1>, tensor<i64>, tensor<?xi64>) -> tensor<?xi64>
  return %eq, %lt, %gt, %or, %and, %w2 : tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi64>
}

// CHECK-LABEL: func.func @range_constantofshape_trilu_cumsum
// CHECK-DAG: onnx.Constant dense<[0, 1, 2, 3]> : tensor<4xi64>
// CHECK-DAG: onnx.Constant dense<[10, 7, 4, 1]> : tensor<4xi32>
// CHECK-DAG: onnx.Constant dense<{{\[}}[false, true, true], [false, false, true], [false, false, false]]> : tensor<3x3xi1>
// CHECK-DAG: onnx.Constant dense<{{\[}}[1.000000e+00, 0.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00, 0.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: onnx.Constant dense<[1, 3, 6, 10]> : tensor<4xi64>
// CHECK-NOT: onnx.Range
// CHECK-NOT: onnx.Trilu
func.func @range_constantofshape_trilu_cumsum() -> (tensor<?xi64>, tensor<?xi32>, tensor<?x?xi1>, tensor<?x?xf32>, tensor<4xi64>) {
  %z = onnx.Constant dense<0> : tensor<i64>
  %four = onnx.Constant dense<4> : tensor<i64>
  %one = onnx.Constant dense<1> : tensor<i64>
  %r = onnx.Range %z, %four, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %s = onnx.Constant dense<10> : tensor<i32>
  %l = onnx.Constant dense<0> : tensor<i32>
  %d = onnx.Constant dense<-3> : tensor<i32>
  %r2 = onnx.Range %s, %l, %d : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<?xi32>
  %sh = onnx.Constant dense<[3, 3]> : tensor<2xi64>
  %ones = onnx.ConstantOfShape %sh, dense<true> : tensor<1xi1> : (tensor<2xi64>) -> tensor<?x?xi1>
  // torch causal mask: strictly upper triangle
  %mask = onnx.Trilu %ones {k = 1 : i64, upper = 1 : i64} : (tensor<?x?xi1>) -> tensor<?x?xi1>
  %sh2 = onnx.Constant dense<[2, 3]> : tensor<2xi64>
  %f = onnx.ConstantOfShape %sh2, dense<1.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x?xf32>
  %low = onnx.Trilu %f {upper = 0 : i64} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  %v = onnx.Constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %cs = onnx.CumSum %v {axis = 0 : i64} : (tensor<4xi64>) -> tensor<4xi64>
  return %r, %r2, %mask, %low, %cs : tensor<?xi64>, tensor<?xi32>, tensor<?x?xi1>, tensor<?x?xf32>, tensor<4xi64>
}

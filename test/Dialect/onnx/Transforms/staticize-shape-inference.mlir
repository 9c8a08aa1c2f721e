// RUN: wse-opt --onnx-staticize %s | FileCheck %s
// Shape inference, one function per op family: every result starts with
// dynamic dimensions and must come out static.

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: -> tensor<2x3x4xf32>
// CHECK: onnx.Add {{.*}} -> tensor<2x3x4xf32>
// CHECK: onnx.Sqrt {{.*}} -> tensor<2x3x4xf32>
// CHECK: onnx.Where {{.*}} -> tensor<2x3x4xf32>
// CHECK: onnx.Less {{.*}} -> tensor<2x3x4xi1>
func.func @elementwise(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>, %c: tensor<1x3x4xi1>) -> tensor<?x?x?xf32> {
  %0 = onnx.Add %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xf32>
  %1 = onnx.Sqrt %0 : (tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %2 = onnx.Where %c, %1, %a : (tensor<1x3x4xi1>, tensor<?x?x?xf32>, tensor<2x1x4xf32>) -> tensor<?x?x?xf32>
  %3 = onnx.Less %2, %a : (tensor<?x?x?xf32>, tensor<2x1x4xf32>) -> tensor<?x?x?xi1>
  %4 = onnx.Where %3, %2, %2 : (tensor<?x?x?xi1>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  return %4 : tensor<?x?x?xf32>
}

// CHECK-LABEL: func.func @matmul
// CHECK: onnx.MatMul {{.*}} -> tensor<5x2x3x7xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<2x3xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<7xf32>
// CHECK: onnx.Gemm {{.*}} -> tensor<3x6xf32>
func.func @matmul(%a: tensor<2x3x4xf32>, %b: tensor<5x1x4x7xf32>, %v: tensor<4xf32>, %w: tensor<4x7xf32>, %g: tensor<4x3xf32>, %h: tensor<6x4xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?x?xf32>) {
  %0 = onnx.MatMul %a, %b : (tensor<2x3x4xf32>, tensor<5x1x4x7xf32>) -> tensor<?x?x?x?xf32>
  %1 = onnx.MatMul %a, %v : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<?x?xf32>
  %2 = onnx.MatMul %v, %w : (tensor<4xf32>, tensor<4x7xf32>) -> tensor<?xf32>
  %3 = onnx.Gemm %g, %h {transA = 1 : i64, transB = 1 : i64} : (tensor<4x3xf32>, tensor<6x4xf32>) -> tensor<?x?xf32>
  return %0, %1, %2, %3 : tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?x?xf32>
}

// Static Reshapes get explicit shape vectors (no 0 or -1 left).
// CHECK-LABEL: func.func @reshape
// CHECK: %[[S0:.*]] = onnx.Constant dense<[2, 12]> : tensor<2xi64>
// CHECK: onnx.Reshape %{{.*}}, %[[S0]] : {{.*}} -> tensor<2x12xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<2x3x2x2xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<2x0xf32>
func.func @reshape(%x: tensor<2x3x4xf32>, %e: tensor<2x0x4xf32>) -> (tensor<?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?xf32>) {
  %s0 = onnx.Constant dense<[0, -1]> : tensor<2xi64>
  %0 = onnx.Reshape %x, %s0 : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %s1 = onnx.Constant dense<[0, 0, -1, 2]> : tensor<4xi64>
  %1 = onnx.Reshape %x, %s1 : (tensor<2x3x4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  // allowzero = 1: a 0 is a real zero-sized dimension.
  %s2 = onnx.Constant dense<[2, 0]> : tensor<2xi64>
  %2 = onnx.Reshape %e, %s2 {allowzero = 1 : i64} : (tensor<2x0x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?xf32>
}

// CHECK-LABEL: func.func @transpose_squeeze_unsqueeze
// CHECK: onnx.Transpose {{.*}} -> tensor<4x2x3xf32>
// CHECK: onnx.Unsqueeze {{.*}} -> tensor<1x4x2x1x3xf32>
// CHECK: onnx.Squeeze {{.*}} -> tensor<4x2x3xf32>
// CHECK: onnx.Squeeze {{.*}} -> tensor<4x2x3xf32>
func.func @transpose_squeeze_unsqueeze(%x: tensor<2x3x4xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  %0 = onnx.Transpose %x, [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  %1 = onnx.Unsqueeze %0, [0, -2] : (tensor<?x?x?xf32>) -> tensor<?x?x?x?x?xf32>
  %2 = onnx.Squeeze %1, [0, 3] : (tensor<?x?x?x?x?xf32>) -> tensor<?x?x?xf32>
  // No axes: every size-1 dimension goes.
  %3 = onnx.Squeeze %1, [] : (tensor<?x?x?x?x?xf32>) -> tensor<?x?x?xf32>
  return %2, %3 : tensor<?x?x?xf32>, tensor<?x?x?xf32>
}

// CHECK-LABEL: func.func @concat_split
// CHECK: onnx.Concat {{.*}} -> tensor<2x7xf32>
// CHECK: onnx.Split {{.*}} -> (tensor<2x3xf32>, tensor<2x4xf32>)
// CHECK: onnx.Split {{.*}} -> (tensor<1x7xf32>, tensor<1x7xf32>)
func.func @concat_split(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = onnx.Concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<?x?xf32>
  %1:2 = onnx.Split %0 {axis = 1 : i64, split = array<i64: 3, 4>} : (tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>)
  %2:2 = onnx.Split %0 {axis = 0 : i64} : (tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>)
  return %1#1, %2#0, %2#1 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// CHECK-LABEL: func.func @slice
// CHECK: onnx.Slice {{.*}} -> tensor<3x4xf32>
// CHECK: onnx.Slice {{.*}} -> tensor<10x2xf32>
// CHECK: onnx.Slice {{.*}} -> tensor<4x10xf32>
// CHECK: onnx.Slice {{.*}} -> tensor<10x0xf32>
// CHECK: onnx.Transpose {{.*}} -> tensor<0x10xf32>
func.func @slice(%x: tensor<10x10xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  // rows 2..5 (negative end), columns 1, 3, 5, 7 (step 2, clamped end)
  %s0 = onnx.Constant dense<[2, 1]> : tensor<2xi64>
  %e0 = onnx.Constant dense<[-5, 8]> : tensor<2xi64>
  %a0 = onnx.Constant dense<[0, 1]> : tensor<2xi64>
  %t0 = onnx.Constant dense<[1, 2]> : tensor<2xi64>
  %0 = onnx.Slice %x, %s0, %e0, %a0, %t0 : (tensor<10x10xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  // INT64_MAX end on axis -1 from -2: the last two columns.
  %s1 = onnx.Constant dense<-2> : tensor<1xi64>
  %e1 = onnx.Constant dense<9223372036854775807> : tensor<1xi64>
  %a1 = onnx.Constant dense<-1> : tensor<1xi64>
  %t1 = onnx.Constant dense<1> : tensor<1xi64>
  %1 = onnx.Slice %x, %s1, %e1, %a1, %t1 : (tensor<10x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  // Negative step: rows 9, 7, 5, 3 (start clamped to 9, end 1 excluded).
  %s2 = onnx.Constant dense<100> : tensor<1xi32>
  %e2 = onnx.Constant dense<1> : tensor<1xi32>
  %a2 = onnx.Constant dense<0> : tensor<1xi32>
  %t2 = onnx.Constant dense<-2> : tensor<1xi32>
  %2 = onnx.Slice %x, %s2, %e2, %a2, %t2 : (tensor<10x10xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<?x?xf32>
  // Empty: start after end.
  %s3 = onnx.Constant dense<7> : tensor<1xi64>
  %e3 = onnx.Constant dense<3> : tensor<1xi64>
  %3 = onnx.Slice %x, %s3, %e3, %a1, %t1 : (tensor<10x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  %4 = onnx.Transpose %3, [1, 0] : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %0, %1, %2, %4 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// CHECK-LABEL: func.func @gather_expand_tile
// CHECK: onnx.Gather {{.*}} -> tensor<2x5x7xf32>
// CHECK: onnx.Expand {{.*}} -> tensor<2x3x4xf32>
// CHECK: onnx.Tile {{.*}} -> tensor<4x12xf32>
func.func @gather_expand_tile(%x: tensor<2x3x7xf32>, %i: tensor<5xi64>, %y: tensor<3x1xf32>, %z: tensor<2x6xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>) {
  %0 = onnx.Gather %x, %i {axis = 1 : i64} : (tensor<2x3x7xf32>, tensor<5xi64>) -> tensor<?x?x?xf32>
  // Expand broadcasts both ways: shape [2, 1, 4] with input [3, 1].
  %s = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %1 = onnx.Expand %y, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %r = onnx.Constant dense<[2, 2]> : tensor<2xi64>
  %2 = onnx.Tile %z, %r : (tensor<2x6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>
}

// CHECK-LABEL: func.func @reductions
// CHECK: onnx.ReduceMean {{.*}} -> tensor<2x3x1xf32>
// CHECK: onnx.ReduceSum {{.*}} -> tensor<3xf32>
// CHECK: onnx.ReduceMax {{.*}} -> tensor<1x1x1xf32>
func.func @reductions(%x: tensor<2x3x4xf32>) -> (tensor<?x?x?xf32>, tensor<?xf32>, tensor<?x?x?xf32>) {
  %0 = onnx.ReduceMean %x {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  %1 = onnx.ReduceSum %x {axes = array<i64: 0, 2>, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<?xf32>
  %2 = onnx.ReduceMax %x : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  return %0, %1, %2 : tensor<?x?x?xf32>, tensor<?xf32>, tensor<?x?x?xf32>
}

// Same-shape families: Cast, Softmax, norms, Gelu, SiLU, Trilu, CumSum.
// CHECK-LABEL: func.func @same_shape
// CHECK: onnx.Cast {{.*}} -> tensor<2x8xf16>
// CHECK: onnx.Softmax {{.*}} -> tensor<2x8xf16>
// CHECK: onnx.LayerNormalization {{.*}} -> tensor<2x8xf16>
// CHECK: onnx.RMSNormalization {{.*}} -> tensor<2x8xf16>
// CHECK: onnx.Gelu {{.*}} -> tensor<2x8xf16>
// CHECK: onnx.SiLU {{.*}} -> tensor<2x8xf16>
// CHECK: onnx.Trilu {{.*}} -> tensor<2x8xf16>
// CHECK: onnx.CumSum {{.*}} -> tensor<2x8xf16>
func.func @same_shape(%x: tensor<2x8xf32>, %w: tensor<8xf16>) -> tensor<?x?xf16> {
  %0 = onnx.Cast %x : (tensor<2x8xf32>) -> tensor<?x?xf16>
  %1 = onnx.Softmax %0 : (tensor<?x?xf16>) -> tensor<?x?xf16>
  %2 = onnx.LayerNormalization %1, %w : (tensor<?x?xf16>, tensor<8xf16>) -> tensor<?x?xf16>
  %3 = onnx.RMSNormalization %2, %w : (tensor<?x?xf16>, tensor<8xf16>) -> tensor<?x?xf16>
  %4 = onnx.Gelu %3 {approximate = "tanh"} : (tensor<?x?xf16>) -> tensor<?x?xf16>
  %5 = onnx.SiLU %4 : (tensor<?x?xf16>) -> tensor<?x?xf16>
  %6 = onnx.Trilu %5 : (tensor<?x?xf16>) -> tensor<?x?xf16>
  %7 = onnx.CumSum %6 {axis = 1 : i64} : (tensor<?x?xf16>) -> tensor<?x?xf16>
  return %7 : tensor<?x?xf16>
}

// Shape, Range and ConstantOfShape are folded once static; their users
// get static types.
// CHECK-LABEL: func.func @shape_range_cos
// CHECK-SAME: -> (tensor<3xf32>, tensor<4x2xi1>)
// CHECK-NOT: onnx.Shape
// CHECK-NOT: onnx.Range
// CHECK-NOT: onnx.ConstantOfShape
// CHECK: return
func.func @shape_range_cos(%x: tensor<4x2xf32>) -> (tensor<?xf32>, tensor<?x?xi1>) {
  %start = onnx.Constant dense<1.0> : tensor<f32>
  %limit = onnx.Constant dense<2.5> : tensor<f32>
  %delta = onnx.Constant dense<0.5> : tensor<f32>
  %0 = onnx.Range %start, %limit, %delta : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  %s = onnx.Shape %x : (tensor<4x2xf32>) -> tensor<?xi64>
  %1 = onnx.ConstantOfShape %s, dense<true> : tensor<1xi1> : (tensor<?xi64>) -> tensor<?x?xi1>
  return %0, %1 : tensor<?xf32>, tensor<?x?xi1>
}

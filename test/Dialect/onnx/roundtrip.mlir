// RUN: wse-opt %s | FileCheck %s
// RUN: wse-opt %s | wse-opt | FileCheck %s
// RUN: wse-opt %s --mlir-print-op-generic | wse-opt | FileCheck %s

// CHECK: onnx.parameter @w : tensor<4x8xf32> file "model.onnx" offset 128 length 128
onnx.parameter @w : tensor<4x8xf32> file "model.onnx" offset 128 length 128

// CHECK-LABEL: func.func @all_ops
func.func @all_ops(%x: tensor<2x4xf32>, %c: tensor<2x4xi1>, %ids: tensor<2x3xi64>) -> tensor<2x8xf32> {
  // CHECK: onnx.param_ref @w : tensor<4x8xf32>
  %w = onnx.param_ref @w : tensor<4x8xf32>
  // CHECK: onnx.MatMul
  %mm = onnx.MatMul %x, %w : (tensor<2x4xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
  // CHECK: onnx.Gemm {{.*}} {alpha = 5.000000e-01 : f32, transB = 1 : i64}
  %g = onnx.Gemm %x, %x {alpha = 0.5 : f32, transB = 1 : i64} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a = onnx.Add %x, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %s = onnx.Sub %a, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %m = onnx.Mul %s, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %d = onnx.Div %m, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %p = onnx.Pow %d, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %mx = onnx.Max %p, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %mn = onnx.Min %mx, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sq = onnx.Sqrt %mn : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %r = onnx.Reciprocal %sq : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %e = onnx.Exp %r : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %l = onnx.Log %e : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %er = onnx.Erf %l : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %t = onnx.Tanh %er : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %sg = onnx.Sigmoid %t : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %sn = onnx.Sin %sg : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %cs = onnx.Cos %sn : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %ng = onnx.Neg %cs : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %ab = onnx.Abs %ng : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %re = onnx.Relu %ab : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %si = onnx.SiLU %re : (tensor<2x4xf32>) -> tensor<2x4xf32>
  // CHECK: onnx.Gelu {{.*}} {approximate = "tanh"}
  %ge = onnx.Gelu %si {approximate = "tanh"} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %id = onnx.Identity %ge : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %eq = onnx.Equal %id, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xi1>
  %lt = onnx.Less %id, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xi1>
  %gt = onnx.Greater %id, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xi1>
  %an = onnx.And %eq, %lt : (tensor<2x4xi1>, tensor<2x4xi1>) -> tensor<2x4xi1>
  %or = onnx.Or %an, %gt : (tensor<2x4xi1>, tensor<2x4xi1>) -> tensor<2x4xi1>
  %nt = onnx.Not %or : (tensor<2x4xi1>) -> tensor<2x4xi1>
  // CHECK: onnx.Where
  %wh = onnx.Where %nt, %id, %x : (tensor<2x4xi1>, tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %shape = onnx.Constant dense<[4, 2]> : tensor<2xi64>
  // CHECK: onnx.Reshape
  %rs = onnx.Reshape %wh, %shape : (tensor<2x4xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  // CHECK: onnx.Transpose {{.*}}, [1, 0]
  %tr = onnx.Transpose %rs, [1, 0] : (tensor<4x2xf32>) -> tensor<2x4xf32>
  %us = onnx.Unsqueeze %tr, [0] : (tensor<2x4xf32>) -> tensor<1x2x4xf32>
  %sqz = onnx.Squeeze %us, [0] : (tensor<1x2x4xf32>) -> tensor<2x4xf32>
  %cat = onnx.Concat %sqz, %x {axis = 1 : i64} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x8xf32>
  // CHECK: onnx.Split {{.*}} {axis = 1 : i64, split = array<i64: 3, 5>}
  %sp:2 = onnx.Split %cat {axis = 1 : i64, split = array<i64: 3, 5>} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  %st = onnx.Constant dense<0> : tensor<1xi64>
  %en = onnx.Constant dense<2> : tensor<1xi64>
  %ax = onnx.Constant dense<1> : tensor<1xi64>
  %sl = onnx.Slice %sp#1, %st, %en, %ax, %ax : (tensor<2x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x2xf32>
  %ga = onnx.Gather %x, %ids {axis = 0 : i64} : (tensor<2x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  %es = onnx.Constant dense<[3, 2, 4]> : tensor<3xi64>
  %ex = onnx.Expand %x, %es : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<3x2x4xf32>
  %reps = onnx.Constant dense<[1, 2]> : tensor<2xi64>
  %ti = onnx.Tile %x, %reps : (tensor<2x4xf32>, tensor<2xi64>) -> tensor<2x8xf32>
  %ca = onnx.Cast %x : (tensor<2x4xf32>) -> tensor<2x4xf16>
  %rm = onnx.ReduceMean %x {axes = array<i64: -1>} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  %rsum = onnx.ReduceSum %x {axes = array<i64: 0>, keepdims = 0 : i64} : (tensor<2x4xf32>) -> tensor<4xf32>
  %rmax = onnx.ReduceMax %x : (tensor<2x4xf32>) -> tensor<1x1xf32>
  %sm = onnx.Softmax %x {axis = -1 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %lsm = onnx.LogSoftmax %x : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %scale = onnx.Constant dense<1.0> : tensor<4xf32>
  // CHECK: onnx.LayerNormalization {{.*}} {epsilon = 1.000000e-03 : f32}
  %ln = onnx.LayerNormalization %x, %scale, %scale {epsilon = 1.0e-3 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %rms = onnx.RMSNormalization %x, %scale : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %tl = onnx.Trilu %x {upper = 0 : i64, k = -1 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %cu = onnx.CumSum %x {axis = 1 : i64, exclusive = 1 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  // CHECK: onnx.ConstantOfShape {{.*}}, dense<0.000000e+00> : tensor<1xf32>
  %cos = onnx.ConstantOfShape %shape, dense<0.0> : tensor<1xf32> : (tensor<2xi64>) -> tensor<4x2xf32>
  // CHECK: onnx.Shape {{.*}} {end = 1 : i64}
  %sh = onnx.Shape %x {start = 0 : i64, end = 1 : i64} : (tensor<2x4xf32>) -> tensor<1xi64>
  %z = onnx.Constant dense<0> : tensor<i64>
  %lim = onnx.Constant dense<5> : tensor<i64>
  %one = onnx.Constant dense<1> : tensor<i64>
  // CHECK: onnx.Range
  %rg = onnx.Range %z, %lim, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<5xi64>
  return %mm : tensor<2x8xf32>
}

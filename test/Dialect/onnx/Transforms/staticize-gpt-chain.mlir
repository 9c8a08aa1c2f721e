// RUN: wse-opt --onnx-staticize %s | FileCheck %s
// RUN: wse-opt --onnx-staticize --onnx-recompose --canonicalize %s | FileCheck %s --check-prefix=PREP
//
// The shape computations of a dynamic-axis GPT-style export (input pinned to
// 1x16 at import): Shape -> Gather -> Unsqueeze -> Concat -> Reshape, Range
// positions, a sliced bool mask buffer, a ConstantOfShape + Trilu additive
// mask, and head splitting with -1. Everything becomes static and the shape
// ops disappear; weights stay param_refs.

// CHECK-NOT: tensor<?
// CHECK-NOT: tensor<*
// CHECK-LABEL: func.func @main_graph
// CHECK-SAME: (%{{.*}}: tensor<1x16xi64>) -> tensor<1x4x16x16xf32>
// CHECK-NOT: onnx.Shape
// CHECK-NOT: onnx.Range
// CHECK-NOT: onnx.ConstantOfShape
// CHECK-NOT: onnx.Concat
// CHECK-NOT: onnx.Unsqueeze
// CHECK-DAG: %[[WTE:.*]] = onnx.param_ref @wte : tensor<256x64xf32>
// CHECK-DAG: %[[WPE:.*]] = onnx.param_ref @wpe : tensor<64x64xf32>
// CHECK-DAG: %[[BIAS:.*]] = onnx.param_ref @bias : tensor<1x1x64x64xi1>
// CHECK-DAG: %[[POS:.*]] = onnx.Constant dense<{{\[}}[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]]> : tensor<1x16xi64>
// CHECK-DAG: onnx.Gather %[[WPE]], %[[POS]] {{.*}} -> tensor<1x16x64xf32>
// CHECK-DAG: onnx.Gather %[[WTE]], {{.*}} -> tensor<1x16x64xf32>
// CHECK-DAG: onnx.Reshape {{.*}} -> tensor<1x16x4x16xf32>
// CHECK-DAG: %[[M0:.*]] = onnx.Slice %[[BIAS]], {{.*}} -> tensor<1x1x16x64xi1>
// CHECK-DAG: onnx.Slice %[[M0]], {{.*}} -> tensor<1x1x16x16xi1>
// CHECK-DAG: onnx.Constant dense<"0x00000000FFFF7FFF{{.*}}"> : tensor<16x16xf32>
// CHECK: return {{.*}} : tensor<1x4x16x16xf32>

// PREP-NOT: tensor<?
// PREP-NOT: onnx.Shape
// PREP-LABEL: func.func @main_graph

module {
  onnx.parameter @wte : tensor<256x64xf32> file "model.onnx" offset 0 length 65536
  onnx.parameter @wpe : tensor<64x64xf32> file "model.onnx" offset 65536 length 16384
  onnx.parameter @bias : tensor<1x1x64x64xi1> file "model.onnx" offset 81920 length 4096
  func.func @main_graph(%ids: tensor<1x16xi64>) -> tensor<?x?x?x?xf32> {
    // input_shape = ids.size(); ids = ids.view(-1, input_shape[-1])
    %shape = onnx.Shape %ids : (tensor<1x16xi64>) -> tensor<2xi64>
    %m1 = onnx.Constant dense<-1> : tensor<i64>
    %seq = onnx.Gather %shape, %m1 {axis = 0 : i64} : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
    %seq1 = onnx.Unsqueeze %seq, [0] : (tensor<i64>) -> tensor<1xi64>
    %neg1 = onnx.Constant dense<-1> : tensor<1xi64>
    %vshape = onnx.Concat %neg1, %seq1 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
    %ids2 = onnx.Reshape %ids, %vshape : (tensor<1x16xi64>, tensor<2xi64>) -> tensor<?x?xi64>
    // position_ids = arange(0, seq).unsqueeze(0)
    %zero = onnx.Constant dense<0> : tensor<i64>
    %one = onnx.Constant dense<1> : tensor<i64>
    %pos = onnx.Range %zero, %seq, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
    %pos2 = onnx.Unsqueeze %pos, [0] : (tensor<?xi64>) -> tensor<1x?xi64>
    %wte = onnx.param_ref @wte : tensor<256x64xf32>
    %wpe = onnx.param_ref @wpe : tensor<64x64xf32>
    %te = onnx.Gather %wte, %ids2 {axis = 0 : i64} : (tensor<256x64xf32>, tensor<?x?xi64>) -> tensor<?x?x64xf32>
    %pe = onnx.Gather %wpe, %pos2 {axis = 0 : i64} : (tensor<64x64xf32>, tensor<1x?xi64>) -> tensor<1x?x64xf32>
    %h = onnx.Add %te, %pe : (tensor<?x?x64xf32>, tensor<1x?x64xf32>) -> tensor<?x?x64xf32>
    // split heads: view(b, s, 4, -1)
    %hs = onnx.Shape %h : (tensor<?x?x64xf32>) -> tensor<3xi64>
    %i0 = onnx.Constant dense<0> : tensor<i64>
    %i1 = onnx.Constant dense<1> : tensor<i64>
    %b = onnx.Gather %hs, %i0 {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
    %s = onnx.Gather %hs, %i1 {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
    %b1 = onnx.Unsqueeze %b, [0] : (tensor<i64>) -> tensor<1xi64>
    %s1 = onnx.Unsqueeze %s, [0] : (tensor<i64>) -> tensor<1xi64>
    %four = onnx.Constant dense<4> : tensor<1xi64>
    %hshape = onnx.Concat %b1, %s1, %four, %neg1 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4xi64>
    %q = onnx.Reshape %h, %hshape : (tensor<?x?x64xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
    %qt = onnx.Transpose %q, [0, 2, 1, 3] : (tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
    %kt = onnx.Transpose %q, [0, 2, 3, 1] : (tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
    %scores = onnx.MatMul %qt, %kt : (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
    // causal_mask = bias[:, :, k - q : k, :k]
    %qs = onnx.Shape %qt {start = -2 : i64, end = -1 : i64} : (tensor<?x?x?x?xf32>) -> tensor<1xi64>
    %ks = onnx.Shape %kt {start = -1 : i64} : (tensor<?x?x?x?xf32>) -> tensor<1xi64>
    %kq = onnx.Sub %ks, %qs : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
    %ax2 = onnx.Constant dense<2> : tensor<1xi64>
    %st1 = onnx.Constant dense<1> : tensor<1xi64>
    %bias = onnx.param_ref @bias : tensor<1x1x64x64xi1>
    %m0 = onnx.Slice %bias, %kq, %ks, %ax2, %st1 : (tensor<1x1x64x64xi1>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?x?x?xi1>
    %z1 = onnx.Constant dense<0> : tensor<1xi64>
    %ax3 = onnx.Constant dense<3> : tensor<1xi64>
    %mask = onnx.Slice %m0, %z1, %ks, %ax3, %st1 : (tensor<?x?x?x?xi1>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?x?x?xi1>
    %minval = onnx.Constant dense<-3.40282347E+38> : tensor<f32>
    %masked = onnx.Where %mask, %scores, %minval : (tensor<?x?x?x?xi1>, tensor<?x?x?x?xf32>, tensor<f32>) -> tensor<?x?x?x?xf32>
    // additive mask: full((s, s), min).triu(1) via ConstantOfShape + Trilu
    %ss = onnx.Concat %s1, %s1 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
    %full = onnx.ConstantOfShape %ss, dense<-3.40282347E+38> : tensor<1xf32> : (tensor<2xi64>) -> tensor<?x?xf32>
    %tri = onnx.Trilu %full {k = 1 : i64, upper = 1 : i64} : (tensor<?x?xf32>) -> tensor<?x?xf32>
    %added = onnx.Add %masked, %tri : (tensor<?x?x?x?xf32>, tensor<?x?xf32>) -> tensor<?x?x?x?xf32>
    %p = onnx.Softmax %added {axis = -1 : i64} : (tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
    return %p : tensor<?x?x?x?xf32>
  }
}

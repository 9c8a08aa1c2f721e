// RUN: wse-opt %s -split-input-file -wafer-layout | FileCheck %s
// Running the pass again changes nothing.
// RUN: wse-opt %s -split-input-file -wafer-layout | wse-opt -split-input-file -wafer-layout | FileCheck %s

#mesh = #mesh.rect<x = 0, y = 0, width = 8, height = 8>
module attributes {mesh.target = #mesh.target<"8x8">} {
  wafer.parameter @w : tensor<64x128xf32> file "m.onnx" offset 0 length 32768
  wafer.parameter @wt : tensor<64x128xf32> file "m.onnx" offset 32768 length 32768
  wafer.parameter @b : tensor<128xf32> file "m.onnx" offset 65536 length 512
  wafer.parameter @tab : tensor<100x64xf32> file "m.onnx" offset 66048 length 25600

  // The host writes the inputs in whatever distribution their first
  // consumer needs (the ids as the embedding's [*, x], the [16, 1] operand
  // broadcast as [x, *]); the results are canonical, rank 3 [*, x, y].
  // CHECK-LABEL: func.func @block(
  // CHECK-SAME: %[[IDS:.*]]: tensor<1x16xi64, #wafer.dist<[*, x]>>, %[[G:.*]]: tensor<64xf32, #wafer.dist<[y]>>, %[[M:.*]]: tensor<16x1xf32, #wafer.dist<[x, *]>>)
  // CHECK-SAME: -> (tensor<1x16x128xf32, #wafer.dist<[*, x, y]>>, tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>)
  func.func @block(%ids: tensor<1x16xi64>, %g: tensor<64xf32>, %m: tensor<16x1xf32>) -> (tensor<1x16x128xf32>, tensor<1x16x64xf32>) {
    // The embedding table streams in as [*, y]; the indices are the result's
    // distribution without the feature dimension, [*, x]: the argument's.
    // CHECK: %[[TAB:.*]] = wafer.stream @tab {{.*}} : tensor<100x64xf32, #wafer.dist<[*, y]>>
    // CHECK-NOT: wafer.relayout
    // CHECK: %[[E:.*]] = wafer.embedding %[[TAB]], %[[IDS]] {{.*}} -> tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>
    %t = wafer.stream @tab {region = #mesh} : tensor<100x64xf32>
    %e = wafer.embedding %t, %ids {placement = #mesh} : (tensor<100x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    // Broadcast operands take the result's axes on their aligned dimensions
    // and `*` on broadcast ones. The constant is needed as [*, *, y] here
    // and as [*, x, y] below: it is cloned, not relaid out.
    // CHECK: %[[C:.*]] = wafer.constant {{.*}} -> tensor<1x1x64xf32, #wafer.dist<[*, *, y]>>
    // CHECK: %[[C2:.*]] = wafer.constant {{.*}} -> tensor<1x1x64xf32, #wafer.dist<[*, x, y]>>
    // CHECK-NOT: wafer.relayout
    // CHECK: %[[S:.*]] = wafer.elementwise ins(%[[E]], %[[C]], %[[G]], %[[M]] : tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>, tensor<1x1x64xf32, #wafer.dist<[*, *, y]>>, tensor<64xf32, #wafer.dist<[y]>>, tensor<16x1xf32, #wafer.dist<[x, *]>>) -> tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>
    // CHECK: wafer.elementwise ins(%[[C2]] : tensor<1x1x64xf32, #wafer.dist<[*, x, y]>>) -> tensor<1x1x64xf32, #wafer.dist<[*, x, y]>>
    %c = wafer.constant dense<0.5> : tensor<1x1x64xf32> {placement = #mesh} -> tensor<1x1x64xf32>
    %s = wafer.elementwise ins(%e, %c, %g, %m : tensor<1x16x64xf32>, tensor<1x1x64xf32>, tensor<64xf32>, tensor<16x1xf32>) -> tensor<1x16x64xf32> attributes {placement = #mesh} {
    ^bb0(%a: f32, %b: f32, %cc: f32, %d: f32):
      %0 = arith.mulf %a, %b : f32
      %1 = arith.addf %0, %cc : f32
      %2 = arith.addf %1, %d : f32
      wafer.yield %2 : f32
    }
    %c2 = wafer.elementwise ins(%c : tensor<1x1x64xf32>) -> tensor<1x1x64xf32> attributes {placement = #mesh} {
    ^bb0(%a: f32):
      wafer.yield %a : f32
    }
    // Linear weights: [y, *], or [*, y] when stored transposed; bias [y].
    // Streams get them directly.
    // CHECK: %[[W:.*]] = wafer.stream @w {{.*}} : tensor<64x128xf32, #wafer.dist<[y, *]>>
    // CHECK: %[[B:.*]] = wafer.stream @b {{.*}} : tensor<128xf32, #wafer.dist<[y]>>
    // CHECK: %[[Y:.*]] = wafer.linear %[[S]], %[[W]], %[[B]] {{.*}} -> tensor<1x16x128xf32, #wafer.dist<[*, x, y]>>
    // CHECK: %[[WT:.*]] = wafer.stream @wt {{.*}} : tensor<64x128xf32, #wafer.dist<[*, y]>>
    // CHECK: wafer.linear %[[Y]], %[[WT]] {{.*}} -> tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>
    %w = wafer.stream @w {region = #mesh} : tensor<64x128xf32>
    %b = wafer.stream @b {region = #mesh} : tensor<128xf32>
    %y = wafer.linear %s, %w, %b {placement = #mesh} : (tensor<1x16x64xf32>, tensor<64x128xf32>, tensor<128xf32>) -> tensor<1x16x128xf32>
    %wt = wafer.stream @wt {region = #mesh} : tensor<64x128xf32>
    %z = wafer.linear %y, %wt {transpose_weight, placement = #mesh} : (tensor<1x16x128xf32>, tensor<64x128xf32>) -> tensor<1x16x64xf32>
    // A head split keeps tokens over columns and head_dim over rows; the
    // transpose permutes that, which lands canonical. A matmul's rhs here
    // needs N over rows and K whole (each PE keeps its output block: fewer
    // words per PE than partial sums at this size): one relayout, right
    // after the producer, shared by both matmuls.
    // CHECK: wafer.reshape {{.*}} -> tensor<1x16x4x16xf32, #wafer.dist<[*, x, *, y]>>
    // CHECK: %[[QT:.*]] = wafer.transpose {{.*}} -> tensor<1x4x16x16xf32, #wafer.dist<[*, *, x, y]>>
    // CHECK-NEXT: %[[QR:.*]] = wafer.relayout %[[QT]] {{.*}} : tensor<1x4x16x16xf32, #wafer.dist<[*, *, x, y]>> -> tensor<1x4x16x16xf32, #wafer.dist<[*, *, *, y]>>
    // CHECK-NEXT: %[[S1:.*]] = wafer.matmul %[[QT]], %[[QR]]
    // CHECK-NEXT: %[[S2:.*]] = wafer.matmul %[[S1]], %[[QR]] {{.*}} -> tensor<1x4x16x16xf32, #wafer.dist<[*, *, x, y]>>
    // CHECK-NOT: wafer.relayout
    // CHECK: wafer.softmax %[[S2]] {{.*}} : tensor<1x4x16x16xf32, #wafer.dist<[*, *, x, y]>>
    // CHECK: wafer.reduce <sum> {{.*}} -> tensor<1x4x16xf32, #wafer.dist<[*, x, y]>>
    // CHECK: return %[[Y]], %[[S]] : tensor<1x16x128xf32, #wafer.dist<[*, x, y]>>, tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>
    %q = wafer.reshape %z {placement = #mesh} : (tensor<1x16x64xf32>) -> tensor<1x16x4x16xf32>
    %qt = wafer.transpose %q, [0, 2, 1, 3] {placement = #mesh} : (tensor<1x16x4x16xf32>) -> tensor<1x4x16x16xf32>
    %s1 = wafer.matmul %qt, %qt {placement = #mesh} : (tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
    %s2 = wafer.matmul %s1, %qt {placement = #mesh} : (tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
    %sm = wafer.softmax %s2 {axis = -1 : i64, placement = #mesh} : tensor<1x4x16x16xf32>
    %r = wafer.reduce <sum> %sm {axes = array<i64: 3>, keepdims = false, placement = #mesh} : (tensor<1x4x16x16xf32>) -> tensor<1x4x16xf32>
    return %y, %s : tensor<1x16x128xf32>, tensor<1x16x64xf32>
  }
}

// -----

// Pipelined rectangles: a relayout runs on its consumer's rectangle but sits
// right after its producer. Norm scales align against the input: a [1, 64]
// scale over the last two dimensions of [1, 16, 64] needs [*, y]. Rank 0 is
// [].
#a = #mesh.rect<x = 0, y = 0, width = 4, height = 8>
#b = #mesh.rect<x = 4, y = 0, width = 4, height = 8>
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "pipelined"} {
  // CHECK-LABEL: func.func @pipelined(
  // CHECK-SAME: %[[X:.*]]: tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>, %[[SC:.*]]: tensor<1x64xf32, #wafer.dist<[*, y]>>)
  func.func @pipelined(%x: tensor<1x16x64xf32>, %sc: tensor<1x64xf32>) -> tensor<1x16x64xf32> {
    // CHECK: %[[N:.*]] = wafer.layer_norm %[[X]], %[[SC]]
    // CHECK: %[[T:.*]] = wafer.transpose %[[N]]
    // CHECK-SAME: placement = #mesh.rect<x = 0, y = 0, width = 4, height = 8>
    // CHECK-NEXT: %[[TR:.*]] = wafer.relayout %[[T]] {placement = #mesh.rect<x = 4, y = 0, width = 4, height = 8>} : tensor<1x64x16xf32, #wafer.dist<[*, y, x]>> -> tensor<1x64x16xf32, #wafer.dist<[*, y, *]>>
    // CHECK: %[[C:.*]] = wafer.constant {{.*}} -> tensor<f32, #wafer.dist<[]>>
    // CHECK: wafer.elementwise ins(%[[N]], %[[C]] : tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>, tensor<f32, #wafer.dist<[]>>)
    // CHECK: wafer.matmul %{{.*}}, %[[TR]] {placement = #mesh.rect<x = 4, y = 0, width = 4, height = 8>}
    %n = wafer.layer_norm %x, %sc {axis = 1 : i64, epsilon = 1.0e-5 : f32, placement = #a} : (tensor<1x16x64xf32>, tensor<1x64xf32>) -> tensor<1x16x64xf32>
    %t = wafer.transpose %n, [0, 2, 1] {placement = #a} : (tensor<1x16x64xf32>) -> tensor<1x64x16xf32>
    %c = wafer.constant dense<2.0> : tensor<f32> {placement = #a} -> tensor<f32>
    %h = wafer.elementwise ins(%n, %c : tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32> attributes {placement = #a} {
    ^bb0(%v: f32, %k: f32):
      %0 = arith.mulf %v, %k : f32
      wafer.yield %0 : f32
    }
    %p = wafer.matmul %h, %t {placement = #b} : (tensor<1x16x64xf32>, tensor<1x64x16xf32>) -> tensor<1x16x16xf32>
    %o = wafer.matmul %p, %h {placement = #b} : (tensor<1x16x16xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
    return %o : tensor<1x16x64xf32>
  }
}

// -----

// Resident weights (pipelined mode: the stream has `resident`) are spread
// over the whole rectangle in 2D weight-stationary blocks, one copy per
// rectangle: a linear's W[K, N] is [y, x] (K over rows, N over columns), a
// transposed W[N, K] is [x, y], an embedding table [V, D] is [x, y]. Streamed
// weights (the first function of this file) keep [y, *], [*, y] and [*, y].
// On the 8x8 mesh W[64, 128] holds 8 x 16 floats per PE instead of 8 x 128.
#mesh = #mesh.rect<x = 0, y = 0, width = 8, height = 8>
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "pipelined"} {
  wafer.parameter @w : tensor<64x128xf32> file "m.onnx" offset 0 length 32768
  wafer.parameter @wt : tensor<64x128xf32> file "m.onnx" offset 32768 length 32768
  wafer.parameter @tab : tensor<100x64xf32> file "m.onnx" offset 65536 length 25600

  // CHECK-LABEL: func.func @resident(
  func.func @resident(%ids: tensor<1x16xi64>) -> tensor<1x16x64xf32> {
    // CHECK: %[[TAB:.*]] = wafer.stream @tab {region = {{.*}}, resident} : tensor<100x64xf32, #wafer.dist<[x, y]>>
    // CHECK: %[[E:.*]] = wafer.embedding %[[TAB]], {{.*}} -> tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>
    // CHECK: %[[W:.*]] = wafer.stream @w {region = {{.*}}, resident} : tensor<64x128xf32, #wafer.dist<[y, x]>>
    // CHECK: %[[Y:.*]] = wafer.linear %[[E]], %[[W]] {{.*}} : (tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>, tensor<64x128xf32, #wafer.dist<[y, x]>>) -> tensor<1x16x128xf32, #wafer.dist<[*, x, y]>>
    // CHECK: %[[WT:.*]] = wafer.stream @wt {region = {{.*}}, resident} : tensor<64x128xf32, #wafer.dist<[x, y]>>
    // CHECK: wafer.linear %[[Y]], %[[WT]] {{.*}}transpose_weight{{.*}} : (tensor<1x16x128xf32, #wafer.dist<[*, x, y]>>, tensor<64x128xf32, #wafer.dist<[x, y]>>) -> tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>
    // CHECK-NOT: wafer.relayout
    %t = wafer.stream @tab {region = #mesh, resident} : tensor<100x64xf32>
    %e = wafer.embedding %t, %ids {placement = #mesh} : (tensor<100x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    %w = wafer.stream @w {region = #mesh, resident} : tensor<64x128xf32>
    %y = wafer.linear %e, %w {placement = #mesh} : (tensor<1x16x64xf32>, tensor<64x128xf32>) -> tensor<1x16x128xf32>
    %wt = wafer.stream @wt {region = #mesh, resident} : tensor<64x128xf32>
    %z = wafer.linear %y, %wt {placement = #mesh, transpose_weight} : (tensor<1x16x128xf32>, tensor<64x128xf32>) -> tensor<1x16x64xf32>
    return %z : tensor<1x16x64xf32>
  }
}

// -----

// An input needed in two distributions: it arrives as its first consumer
// needs it ([x, y] for the elementwise) and is relaid out for the second (a
// matmul's right operand, [*, y]) just before that consumer.
#m = #mesh.rect<x = 0, y = 0, width = 8, height = 8>
module attributes {mesh.target = #mesh.target<"8x8">} {
  // CHECK-LABEL: func.func @two_needs(
  // CHECK-SAME: %[[A:.*]]: tensor<16x16xf32, #wafer.dist<[x, y]>>, %[[V:.*]]: tensor<16x16xf32, #wafer.dist<[x, y]>>)
  func.func @two_needs(%a: tensor<16x16xf32>, %v: tensor<16x16xf32>) -> tensor<16x16xf32> {
    // CHECK: %[[E:.*]] = wafer.elementwise ins(%[[V]] : tensor<16x16xf32, #wafer.dist<[x, y]>>)
    // CHECK: %[[VR:.*]] = wafer.relayout %[[V]] {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : tensor<16x16xf32, #wafer.dist<[x, y]>> -> tensor<16x16xf32, #wafer.dist<[*, y]>>
    // CHECK-NEXT: wafer.matmul %[[E]], %[[VR]]
    %e = wafer.elementwise ins(%v : tensor<16x16xf32>) -> tensor<16x16xf32> attributes {placement = #m} {
    ^bb0(%x: f32):
      wafer.yield %x : f32
    }
    %p = wafer.matmul %e, %v {placement = #m} : (tensor<16x16xf32>, tensor<16x16xf32>) -> tensor<16x16xf32>
    return %p : tensor<16x16xf32>
  }
}

// -----

// Data movement keeps tokens over columns: a fused QKV split after a head
// split keeps its operand's [*, x, *, y] (canonical would put heads on x),
// a slice and a concat too, and a transpose permutes it.
#s = #mesh.rect<x = 0, y = 0, width = 8, height = 8>
module attributes {mesh.target = #mesh.target<"8x8">} {
  // CHECK-LABEL: func.func @moves_keep_tokens(
  func.func @moves_keep_tokens(%x: tensor<1x16x192xf32>) -> tensor<1x4x16x16xf32> {
    // CHECK: wafer.reshape {{.*}} -> tensor<1x16x4x48xf32, #wafer.dist<[*, x, *, y]>>
    // CHECK: wafer.split {{.*}} -> (tensor<1x16x4x16xf32, #wafer.dist<[*, x, *, y]>>, tensor<1x16x4x32xf32, #wafer.dist<[*, x, *, y]>>)
    // CHECK: wafer.slice {{.*}} -> tensor<1x16x4x8xf32, #wafer.dist<[*, x, *, y]>>
    // CHECK: wafer.concat {{.*}} -> tensor<1x16x4x16xf32, #wafer.dist<[*, x, *, y]>>
    // CHECK: wafer.transpose {{.*}} -> tensor<1x4x16x16xf32, #wafer.dist<[*, *, x, y]>>
    %h = wafer.reshape %x {placement = #s} : (tensor<1x16x192xf32>) -> tensor<1x16x4x48xf32>
    %q, %kv = wafer.split %h {axis = 3 : i64, placement = #s} : (tensor<1x16x4x48xf32>) -> (tensor<1x16x4x16xf32>, tensor<1x16x4x32xf32>)
    %a = wafer.slice %kv {offsets = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1, 1, 1>, placement = #s} : (tensor<1x16x4x32xf32>) -> tensor<1x16x4x8xf32>
    %c = wafer.concat %a, %a {axis = 3 : i64, placement = #s} : (tensor<1x16x4x8xf32>, tensor<1x16x4x8xf32>) -> tensor<1x16x4x16xf32>
    %t = wafer.transpose %c, [0, 2, 1, 3] {placement = #s} : (tensor<1x16x4x16xf32>) -> tensor<1x4x16x16xf32>
    return %t : tensor<1x4x16x16xf32>
  }
}

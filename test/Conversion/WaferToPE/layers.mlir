// Every other layer kind on a 4x4 mesh: layer/RMS norm, softmax and log
// softmax, reductions, matmul with broadcast batch, embedding from a streamed
// table, and data movement (reshape, transpose, slice, split, concat,
// broadcast, relayout, gather with constant indices) between distributions;
// compiled, run on the emulator and checked against wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.random.default_rng(2).standard_normal(8 * 6).astype('f4').tofile('%t/table.bin')"
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t --weights %t | FileCheck %s --check-prefix=RUNOUT

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
#d3 = #wafer.dist<[*, x, y]>
#d4 = #wafer.dist<[*, *, x, y]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  wafer.parameter @table : tensor<8x6xf32> file "table.bin" offset 0 length 192
  func.func @main(%x: tensor<1x6x8xf32, #d3> {onnx.name = "x"},
                  %ids: tensor<1x6xi64, #wafer.dist<[*, x]>> {onnx.name = "ids"})
      -> (tensor<1x6x8xf32, #d3>, tensor<1x6x8xf32, #d3>, tensor<2x6x6xf32, #d3>,
          tensor<2x6x6xf32, #d3>, tensor<1x6xf32, #wafer.dist<[*, x]>>,
          tensor<1x8xf32, #wafer.dist<[*, y]>>, tensor<1x6x6xf32, #d3>,
          tensor<2x6x4xf32, #d3>, tensor<1x3x8xf32, #d3>, tensor<1x6x8xf32, #wafer.dist<[*, y, x]>>, tensor<2x6x6xf32, #d3>) {
    %g = wafer.constant dense<[1.0, 2.0, 0.5, 1.5, 1.0, 0.25, 1.0, 3.0]> : tensor<8xf32> {placement = #r} -> tensor<8xf32, #wafer.dist<[y]>>
    %beta = wafer.constant dense<0.5> : tensor<8xf32> {placement = #r} -> tensor<8xf32, #wafer.dist<[y]>>
    %ln = wafer.layer_norm %x, %g, %beta {axis = -1 : i64, epsilon = 1.0e-5 : f32, placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<8xf32, #wafer.dist<[y]>>, tensor<8xf32, #wafer.dist<[y]>>) -> tensor<1x6x8xf32, #d3>
    %rms = wafer.rms_norm %x, %g {axis = -1 : i64, epsilon = 1.0e-6 : f32, placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<8xf32, #wafer.dist<[y]>>) -> tensor<1x6x8xf32, #d3>
    // Two heads of width 4: split the features, stack the heads, scores.
    %h = wafer.reshape %ln {placement = #r} : (tensor<1x6x8xf32, #d3>) -> tensor<1x6x2x4xf32, #d4>
    %q = wafer.transpose %h, [0, 2, 1, 3] {placement = #r} : (tensor<1x6x2x4xf32, #d4>) -> tensor<1x2x6x4xf32, #d4>
    %q3 = wafer.reshape %q {placement = #r} : (tensor<1x2x6x4xf32, #d4>) -> tensor<2x6x4xf32, #d3>
    %kt = wafer.transpose %q3, [0, 2, 1] {placement = #r} : (tensor<2x6x4xf32, #d3>) -> tensor<2x4x6xf32, #d3>
    %ktr = wafer.relayout %kt {placement = #r} : tensor<2x4x6xf32, #d3> -> tensor<2x4x6xf32, #wafer.dist<[*, y, *]>>
    %s = wafer.matmul %q3, %ktr {placement = #r} : (tensor<2x6x4xf32, #d3>, tensor<2x4x6xf32, #wafer.dist<[*, y, *]>>) -> tensor<2x6x6xf32, #d3>
    %p = wafer.softmax %s {axis = -1 : i64, placement = #r} : tensor<2x6x6xf32, #d3>
    %lp = wafer.softmax %s {axis = -1 : i64, log, placement = #r} : tensor<2x6x6xf32, #d3>
    %sum = wafer.reduce <sum> %ln {axes = array<i64: 2>, keepdims = false, placement = #r} : (tensor<1x6x8xf32, #d3>) -> tensor<1x6xf32, #wafer.dist<[*, x]>>
    %mx = wafer.reduce <max> %rms {axes = array<i64: 1>, keepdims = false, placement = #r} : (tensor<1x6x8xf32, #d3>) -> tensor<1x8xf32, #wafer.dist<[*, y]>>
    // Matmul with a broadcast batch: [1,6,4] x [2,4,6] -> [2,6,6] sliced.
    %a0 = wafer.slice %q3 {offsets = array<i64: 1, 0, 0>, strides = array<i64: 1, 1, 1>, placement = #r} : (tensor<2x6x4xf32, #d3>) -> tensor<1x6x4xf32, #d3>
    %pb = wafer.matmul %a0, %ktr {placement = #r} : (tensor<1x6x4xf32, #d3>, tensor<2x4x6xf32, #wafer.dist<[*, y, *]>>) -> tensor<2x6x6xf32, #d3>
    %pbs = wafer.slice %pb {offsets = array<i64: 1, 0, 0>, strides = array<i64: 1, 1, 1>, placement = #r} : (tensor<2x6x6xf32, #d3>) -> tensor<1x6x6xf32, #d3>
    // Split, concat in the other order, broadcast.
    %l, %rr = wafer.split %q3 {axis = 2 : i64, placement = #r} : (tensor<2x6x4xf32, #d3>) -> (tensor<2x6x1xf32, #d3>, tensor<2x6x3xf32, #d3>)
    %c = wafer.concat %rr, %l {axis = 2 : i64, placement = #r} : (tensor<2x6x3xf32, #d3>, tensor<2x6x1xf32, #d3>) -> tensor<2x6x4xf32, #d3>
    // Gather rows 5, 0, 5 of x (constant indices), stepped slice + relayout.
    %idx = wafer.constant dense<[5, 0, 5]> : tensor<3xi64> {placement = #r} -> tensor<3xi64, #wafer.dist<[*]>>
    %gat = wafer.gather %x, %idx {axis = 1 : i64, placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<3xi64, #wafer.dist<[*]>>) -> tensor<1x3x8xf32, #d3>
    // Embedding of a streamed table, relaid out to features on columns.
    %t = wafer.stream @table {region = #r} : tensor<8x6xf32, #wafer.dist<[*, y]>>
    %e = wafer.embedding %t, %ids {placement = #r} : (tensor<8x6xf32, #wafer.dist<[*, y]>>, tensor<1x6xi64, #wafer.dist<[*, x]>>) -> tensor<1x6x6xf32, #d3>
    %eb = wafer.broadcast %e {placement = #r} : (tensor<1x6x6xf32, #d3>) -> tensor<2x6x6xf32, #d3>
    %ln2 = wafer.relayout %ln {placement = #r} : tensor<1x6x8xf32, #d3> -> tensor<1x6x8xf32, #wafer.dist<[*, y, x]>>
    return %ln, %rms, %p, %lp, %sum, %mx, %pbs, %c, %gat, %ln2, %eb : tensor<1x6x8xf32, #d3>, tensor<1x6x8xf32, #d3>, tensor<2x6x6xf32, #d3>, tensor<2x6x6xf32, #d3>, tensor<1x6xf32, #wafer.dist<[*, x]>>, tensor<1x8xf32, #wafer.dist<[*, y]>>, tensor<1x6x6xf32, #d3>, tensor<2x6x4xf32, #d3>, tensor<1x3x8xf32, #d3>, tensor<1x6x8xf32, #wafer.dist<[*, y, x]>>, tensor<2x6x6xf32, #d3>
  }
}

// CHECK: pe.kernel @model
// CHECK: pe.rsum
// CHECK: pe.sqrt
// CHECK: pe.recip
// CHECK: pe.rmax
// CHECK: pe.exp
// CHECK: pe.log
// CHECK: pe.ifill
// CHECK: pe.stream_in @table

// RUNOUT: max |diff| {{.*}} over 11 outputs: ok

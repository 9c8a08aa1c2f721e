// Linear layers reading their weights on arrival by stream bands from the
// edge ports (weight[k, n], and transposed weight[n, k], with bias), on
// ragged blocks, in streaming mode on the whole 4x4 mesh; checked against
// wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.random.default_rng(1).standard_normal(2 * 12 * 10).astype('f4').tofile('%t/w.bin')"
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t --weights %t | FileCheck %s --check-prefix=RUNOUT

#xy = #wafer.dist<[x, y]>
#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  wafer.parameter @w : tensor<12x10xf32> file "w.bin" offset 0 length 480
  wafer.parameter @wt : tensor<10x12xf32> file "w.bin" offset 480 length 480
  func.func @main(%x: tensor<1x6x12xf32, #wafer.dist<[*, x, y]>> {onnx.name = "x"}, %bias: tensor<10xf32, #wafer.dist<[y]>> {onnx.name = "bias"}) -> (tensor<1x6x10xf32, #wafer.dist<[*, x, y]>> {onnx.name = "a"}, tensor<1x6x10xf32, #wafer.dist<[*, x, y]>> {onnx.name = "b"}) {
    %w = wafer.stream @w {region = #r} : tensor<12x10xf32, #wafer.dist<[y, *]>>
    %a = wafer.linear %x, %w, %bias {placement = #r} : (tensor<1x6x12xf32, #wafer.dist<[*, x, y]>>, tensor<12x10xf32, #wafer.dist<[y, *]>>, tensor<10xf32, #wafer.dist<[y]>>) -> tensor<1x6x10xf32, #wafer.dist<[*, x, y]>>
    %wt = wafer.stream @wt {region = #r} : tensor<10x12xf32, #wafer.dist<[*, y]>>
    %b = wafer.linear %x, %wt {placement = #r, transpose_weight} : (tensor<1x6x12xf32, #wafer.dist<[*, x, y]>>, tensor<10x12xf32, #wafer.dist<[*, y]>>) -> tensor<1x6x10xf32, #wafer.dist<[*, x, y]>>
    return %a, %b : tensor<1x6x10xf32, #wafer.dist<[*, x, y]>>, tensor<1x6x10xf32, #wafer.dist<[*, x, y]>>
  }
}

// Weights are parameters streamed in the order the code reads them.
// CHECK-DAG: pe.param @w : tensor<12x10xf32> file "w.bin" offset 0
// CHECK-DAG: pe.param @wt : tensor<10x12xf32> file "w.bin" offset 480
// The input arrives whole on every PE, so no gather precedes the layers.
// CHECK-NOT: pe.call @allreduce
// The 4x4 machine has a port on each side of every row: four stream bands
// of one row, each fed by its west port (columns 0-1) and its east port
// (columns 2-3) on one channel. The PE's band starts at column @[[BASE]] of
// the weight and holds @[[LEN]] of its columns.
// CHECK: pe.channel @inbound_bands
// CHECK: pe.const @[[BASE:c[_0-9]*]] = min(max(ge(
// CHECK-NEXT: pe.const @[[LEN:c[_0-9]*]] = min(max(select({{.*}} - @[[BASE]]
// First linear: per arriving row of its band's columns, drain the columns
// before the block, keep the block's, drain the rest, multiply-accumulate.
// CHECK: pe.mark 0
// CHECK: pe.copy #pe.mem<@sink, 0, @{{.*}}, 0>, #pe.in<@inbound_bands, @{{.*}}>
// CHECK-NEXT: pe.copy #pe.mem<@wrow, 0, @[[EN:.*]], 1>, #pe.in<@inbound_bands, @[[EN]]>
// CHECK-NEXT: pe.copy #pe.mem<@sink
// CHECK: pe.fmac #pe.mem<@blk
// Transposed weight: its rows are output columns, and the PE's band's rows
// arrive (@[[LEN]] of them, the first being row @[[BASE]]): a dot product
// per row of the block (the PEs whose columns the row does not meet drain
// it), then the bias.
// CHECK: pe.mark 1
// CHECK: pe.loop #pe.reg<[[N:[0-9]+]]> to @[[LEN]] {
// CHECK-NEXT: pe.if #pe.reg<[[N]]> in [@[[N0:.*]], @{{.*}}) {
// CHECK-NEXT: pe.copy #pe.mem<@wrow{{.*}}, 0, 12, 1>, #pe.in<@inbound_bands, 12>
// CHECK: pe.isub #pe.reg<{{[0-9]+}}>, #pe.reg<[[N]]>, @[[N0]]
// CHECK: pe.mul #pe.mem<@prod
// CHECK-NEXT: pe.rsum
// CHECK: } else {
// CHECK-NEXT: pe.copy #pe.mem<@sink, 0, 12, 0>, #pe.in<@inbound_bands, 12>
// The results are gathered over the mesh for the port, by a subroutine
// after the code.
// CHECK: pe.call @allreduce(#pe.addr<@full>, 60)
// CHECK: pe.ret
// CHECK-NEXT: pe.subroutine @allreduce(#pe.reg<{{[0-9]+}}>, #pe.reg<{{[0-9]+}}>) {
// CHECK: pe.flow @inbound_bands multicast <x = 0, y = 0, width = 2, height = 1> port W0
// CHECK-NEXT: pe.flow @inbound_bands multicast <x = 2, y = 0, width = 2, height = 1> port E0
// CHECK: pe.flow @inbound_bands multicast <x = 2, y = 3, width = 2, height = 1> port E3
// CHECK: pe.stream_in @x port W0 color @inbound
// CHECK-NEXT: pe.stream_in @bias
// Each band's ports stream the band's columns of every row of @w (10
// columns in blocks of 3: the last band holds one), all eight at once.
// CHECK-NEXT: pe.stream_in @w port W0 color @inbound_bands offset 0 shape [12, 3] strides [10, 1]
// CHECK-NEXT: pe.stream_in @w port E0 color @inbound_bands offset 0 shape [12, 3] strides [10, 1]
// CHECK-NEXT: pe.stream_in @w port W1 color @inbound_bands offset 3 shape [12, 3] strides [10, 1]
// CHECK-NEXT: pe.stream_in @w port E1 color @inbound_bands offset 3 shape [12, 3] strides [10, 1]
// CHECK-NEXT: pe.stream_in @w port W2 color @inbound_bands offset 6 shape [12, 3] strides [10, 1]
// CHECK-NEXT: pe.stream_in @w port E2 color @inbound_bands offset 6 shape [12, 3] strides [10, 1]
// CHECK-NEXT: pe.stream_in @w port W3 color @inbound_bands offset 9 shape [12, 1] strides [10, 1]
// CHECK-NEXT: pe.stream_in @w port E3 color @inbound_bands offset 9 shape [12, 1] strides [10, 1]
// The transposed weight: each band's rows (whole rows of 12).
// CHECK-NEXT: pe.stream_in @wt port W0 color @inbound_bands offset 0 shape [3, 12] strides [12, 1]
// CHECK-NEXT: pe.stream_in @wt port E0 color @inbound_bands offset 0 shape [3, 12] strides [12, 1]
// CHECK-NEXT: pe.stream_in @wt port W1 color @inbound_bands offset 36 shape [3, 12] strides [12, 1]
// CHECK-COUNT-4: pe.stream_in @wt port
// CHECK-NEXT: pe.stream_in @wt port E3 color @inbound_bands offset 108 shape [1, 12] strides [12, 1]

// RUNOUT: max |diff| {{.*}} over 2 outputs: ok

// Stream bands (docs/pe/lowering.md "Stream bands") on a kernel rectangle
// that neither starts on the top row nor reaches the east edge: rows 1-3 and
// columns 0-1 of the 4x4 machine (a port on both sides of every row). The
// rows 1, 2 and 3 are three bands, each fed by its west port only, over the
// whole width. A linear's weight and an embedding's table arrive as each
// band's columns (7 columns in blocks of 3: 3, 3 and 1); the emulator's
// results are checked against wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.random.default_rng(5).standard_normal(5 * 7 + 6 * 7).astype('f4').tofile('%t/w.bin')"
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t --weights %t --int-range 0 6 | FileCheck %s --check-prefix=RUNOUT
// The same module on a 4x1 strip of the machine's rows 0-3 at the west edge
// has bands too; on one row (one port row) there are none.
// RUN: sed -e 's/width = 2, height = 3/width = 1, height = 1/' -e 's/y = 1,/y = 0,/' %s > %t/one-row.mlir
// RUN: wse-opt %t/one-row.mlir --convert-wafer-to-pe | FileCheck %s --check-prefix=ONEROW

#r = #mesh.rect<x = 0, y = 1, width = 2, height = 3>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  wafer.parameter @w : tensor<5x7xf32> file "w.bin" offset 0 length 140
  wafer.parameter @t : tensor<6x7xf32> file "w.bin" offset 140 length 168
  func.func @main(%x: tensor<4x5xf32, #wafer.dist<[x, y]>> {onnx.name = "x"}, %ids: tensor<1x4xi64, #wafer.dist<[*, x]>> {onnx.name = "ids"}) -> (tensor<4x7xf32, #wafer.dist<[x, y]>> {onnx.name = "a"}, tensor<1x4x7xf32, #wafer.dist<[*, x, y]>> {onnx.name = "e"}) {
    %w = wafer.stream @w {region = #r} : tensor<5x7xf32, #wafer.dist<[y, *]>>
    %a = wafer.linear %x, %w {placement = #r} : (tensor<4x5xf32, #wafer.dist<[x, y]>>, tensor<5x7xf32, #wafer.dist<[y, *]>>) -> tensor<4x7xf32, #wafer.dist<[x, y]>>
    %t = wafer.stream @t {region = #r} : tensor<6x7xf32, #wafer.dist<[*, y]>>
    %e = wafer.embedding %t, %ids {placement = #r} : (tensor<6x7xf32, #wafer.dist<[*, y]>>, tensor<1x4xi64, #wafer.dist<[*, x]>>) -> tensor<1x4x7xf32, #wafer.dist<[*, x, y]>>
    return %a, %e : tensor<4x7xf32, #wafer.dist<[x, y]>>, tensor<1x4x7xf32, #wafer.dist<[*, x, y]>>
  }
}

// CHECK: pe.channel @inbound_bands
// The band of relative row ry: index min(max(ry - 1 + 1, 0), 2); its first
// column and width.
// CHECK: pe.const @[[BASE:c[_0-9]*]] = min(max(ge(min(max(ry - 1 + 1, 0), 2), 1)
// CHECK-NEXT: pe.const @[[LEN:c[_0-9]*]] = {{.*}} - @[[BASE]]
// CHECK: pe.copy #pe.mem<@wrow, 0, @{{.*}}, 1>, #pe.in<@inbound_bands,
// CHECK: pe.copy #pe.mem<@wrow{{[_0-9]*}}, 0, @{{.*}}, 1>, #pe.in<@inbound_bands,
// CHECK: pe.flow @inbound_bands multicast <x = 0, y = 1, width = 2, height = 1> port W1
// CHECK-NEXT: pe.flow @inbound_bands multicast <x = 0, y = 2, width = 2, height = 1> port W2
// CHECK-NEXT: pe.flow @inbound_bands multicast <x = 0, y = 3, width = 2, height = 1> port W3
// CHECK: pe.stream_in @w port W1 color @inbound_bands offset 0 shape [5, 3] strides [7, 1]
// CHECK-NEXT: pe.stream_in @w port W2 color @inbound_bands offset 3 shape [5, 3] strides [7, 1]
// CHECK-NEXT: pe.stream_in @w port W3 color @inbound_bands offset 6 shape [5, 1] strides [7, 1]
// CHECK-NEXT: pe.stream_in @t port W1 color @inbound_bands offset 0 shape [6, 3] strides [7, 1]
// CHECK-NEXT: pe.stream_in @t port W2 color @inbound_bands offset 3 shape [6, 3] strides [7, 1]
// CHECK-NEXT: pe.stream_in @t port W3 color @inbound_bands offset 6 shape [6, 1] strides [7, 1]

// RUNOUT: max |diff| {{.*}} over 2 outputs: ok

// ONEROW-NOT: inbound_bands
// ONEROW: pe.stream_in @w port W0 color @inbound{{$}}
// ONEROW-NEXT: pe.stream_in @t port W0 color @inbound{{$}}

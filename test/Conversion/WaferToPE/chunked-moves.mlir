// Splits and slices along the dimension a tensor has on y, whose column slab
// is larger than an eighth of SRAM (here 2 tokens x 1024 = 2048 words, over
// 12288 / 8): the slab is gathered in chunks (colchunk, 1536 words at most)
// and each PE copies from every chunk the part of its block it holds, never
// the whole slab (colfull) - the 20B graph's QKV split reads 64 heads x 288
// words per token this way. A strided slice (step 2) still reads the slab
// whole. Compiled, run on the emulator and checked against wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t | FileCheck %s --check-prefix=RUNOUT

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
#d3 = #wafer.dist<[*, x, y]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  func.func @main(%x0: tensor<1x8x1024xf32, #d3> {onnx.name = "x"})
      -> (tensor<1x8x384xf32, #d3>, tensor<1x8x640xf32, #d3>,
          tensor<1x8x300xf32, #d3>, tensor<1x8x100xf32, #d3>) {
    %x = wafer.elementwise ins(%x0 : tensor<1x8x1024xf32, #d3>) -> tensor<1x8x1024xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32):
      %s = arith.addf %a, %a : f32
      wafer.yield %s : f32
    }
    %s:2 = wafer.split %x {axis = 2 : i64, placement = #r} : (tensor<1x8x1024xf32, #d3>) -> (tensor<1x8x384xf32, #d3>, tensor<1x8x640xf32, #d3>)
    %sl = wafer.slice %x {offsets = array<i64: 0, 0, 500>, strides = array<i64: 1, 1, 1>, placement = #r} : (tensor<1x8x1024xf32, #d3>) -> tensor<1x8x300xf32, #d3>
    %st = wafer.slice %x {offsets = array<i64: 0, 0, 7>, strides = array<i64: 1, 1, 2>, placement = #r} : (tensor<1x8x1024xf32, #d3>) -> tensor<1x8x100xf32, #d3>
    return %s#0, %s#1, %sl, %st : tensor<1x8x384xf32, #d3>, tensor<1x8x640xf32, #d3>, tensor<1x8x300xf32, #d3>, tensor<1x8x100xf32, #d3>
  }
}

// The split's two results and the slice: chunks of 1536 / 2 = 768 indices
// of the last dimension, each gathered down the columns.
// CHECK-COUNT-3: pe.buffer @colchunk{{(_[0-9]+)?}}[{{[0-9]+}}]
// The strided slice: the whole 2048-word slab.
// CHECK: pe.buffer @colfull{{(_[0-9]+)?}}[2048]
// CHECK-NOT: pe.buffer @colfull
// RUNOUT: max |diff| {{.*}} over 4 outputs: ok

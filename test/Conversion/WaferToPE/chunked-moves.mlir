// Splits, slices and a reshape into heads along the dimension a tensor has
// on y, whose column slab would take over half of SRAM (here 2 tokens x
// 4096 = 8192 words, over 12288 / 2): the slab is gathered in chunks
// (colchunk, at most 12288 / 8 = 1536 words; the reshape's are whole heads)
// and each PE copies from every chunk the part of its block it holds; no PE
// gathers the whole slab (colfull). The 20B graph's QKV projection (64 heads
// x 288 words per token) is read this way. Compiled, run on the emulator
// and checked against wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t | FileCheck %s --check-prefix=RUNOUT

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
#d3 = #wafer.dist<[*, x, y]>
#d4 = #wafer.dist<[*, x, *, y]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  func.func @main(%x0: tensor<1x8x4096xf32, #d3> {onnx.name = "x"})
      -> (tensor<1x8x1536xf32, #d3>, tensor<1x8x2560xf32, #d3>,
          tensor<1x8x1200xf32, #d3>, tensor<1x8x2x256xf32, #d4>) {
    %x = wafer.elementwise ins(%x0 : tensor<1x8x4096xf32, #d3>) -> tensor<1x8x4096xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32):
      %s = arith.addf %a, %a : f32
      wafer.yield %s : f32
    }
    %s:2 = wafer.split %x {axis = 2 : i64, placement = #r} : (tensor<1x8x4096xf32, #d3>) -> (tensor<1x8x1536xf32, #d3>, tensor<1x8x2560xf32, #d3>)
    %sl = wafer.slice %x {offsets = array<i64: 0, 0, 500>, strides = array<i64: 1, 1, 1>, placement = #r} : (tensor<1x8x4096xf32, #d3>) -> tensor<1x8x1200xf32, #d3>
    %h = wafer.reshape %x {placement = #r} : (tensor<1x8x4096xf32, #d3>) -> tensor<1x8x16x256xf32, #d4>
    // Two heads leave (the whole result would be gathered for the host).
    %h2 = wafer.slice %h {offsets = array<i64: 0, 0, 5, 0>, strides = array<i64: 1, 1, 1, 1>, placement = #r} : (tensor<1x8x16x256xf32, #d4>) -> tensor<1x8x2x256xf32, #d4>
    return %s#0, %s#1, %sl, %h2 : tensor<1x8x1536xf32, #d3>, tensor<1x8x2560xf32, #d3>, tensor<1x8x1200xf32, #d3>, tensor<1x8x2x256xf32, #d4>
  }
}

// Chunks of 768 indices of the last dimension: 2 for the first result of
// the split, 4 for the second (the last of 256), 2 for the slice (768 and
// 432); then 6 of 3 heads (the last of one) for the reshape.
// CHECK-COUNT-2: pe.buffer @colchunk{{(_[0-9]+)?}}[1536]
// CHECK-COUNT-3: pe.buffer @colchunk{{(_[0-9]+)?}}[1536]
// CHECK: pe.buffer @colchunk{{(_[0-9]+)?}}[512]
// CHECK: pe.buffer @colchunk{{(_[0-9]+)?}}[1536]
// CHECK: pe.buffer @colchunk{{(_[0-9]+)?}}[864]
// CHECK-COUNT-5: pe.buffer @colchunk{{(_[0-9]+)?}}[1536]
// CHECK: pe.buffer @colchunk{{(_[0-9]+)?}}[512]
// CHECK-NOT: pe.buffer @colfull
// RUNOUT: max |diff| {{.*}} over 4 outputs: ok

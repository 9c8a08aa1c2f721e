// A reshape whose input is distributed transposed ([*, *, y, x]) and whose
// result is canonical ([*, *, *, x, y]), the gradient of LLaMA's grouped
// key/value heads in backward: the dimensions line up with the result's
// blocks, so the input is relaid out (a transposed gather, no PE holding the
// whole tensor) and the reshape shares the relaid blocks. Over a slab's
// budget only (here 4096 words over 12288 / 8): a smaller tensor is gathered
// whole, which takes less code. Merged undistributed dimensions share blocks
// too ([1, 4, x, y] is [1, 2, 2, x, y]). Compiled, run on the emulator and
// checked against wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t | FileCheck %s --check-prefix=RUNOUT

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  func.func @main(%x0: tensor<1x4x32x32xf32, #wafer.dist<[*, *, y, x]>> {onnx.name = "x"},
                  %s0: tensor<1x4x8x8xf32, #wafer.dist<[*, *, y, x]>> {onnx.name = "s"})
      -> (tensor<1x2x2x32x32xf32, #wafer.dist<[*, *, *, x, y]>>, tensor<1x2x2x8x8xf32, #wafer.dist<[*, *, *, x, y]>>,
          tensor<1x2x2x32x32xf32, #wafer.dist<[*, *, *, x, y]>>) {
    %x = wafer.elementwise ins(%x0 : tensor<1x4x32x32xf32, #wafer.dist<[*, *, y, x]>>) -> tensor<1x4x32x32xf32, #wafer.dist<[*, *, y, x]>> attributes {placement = #r} {
    ^bb0(%a: f32):
      %t = arith.addf %a, %a : f32
      wafer.yield %t : f32
    }
    %s = wafer.elementwise ins(%s0 : tensor<1x4x8x8xf32, #wafer.dist<[*, *, y, x]>>) -> tensor<1x4x8x8xf32, #wafer.dist<[*, *, y, x]>> attributes {placement = #r} {
    ^bb0(%a: f32):
      %t = arith.addf %a, %a : f32
      wafer.yield %t : f32
    }
    %y = wafer.reshape %x {placement = #r} : (tensor<1x4x32x32xf32, #wafer.dist<[*, *, y, x]>>) -> tensor<1x2x2x32x32xf32, #wafer.dist<[*, *, *, x, y]>>
    %small = wafer.reshape %s {placement = #r} : (tensor<1x4x8x8xf32, #wafer.dist<[*, *, y, x]>>) -> tensor<1x2x2x8x8xf32, #wafer.dist<[*, *, *, x, y]>>
    // Already in the result's blocks: shared, no code.
    %c = wafer.relayout %x {placement = #r} : tensor<1x4x32x32xf32, #wafer.dist<[*, *, y, x]>> -> tensor<1x4x32x32xf32, #wafer.dist<[*, *, x, y]>>
    %z = wafer.reshape %c {placement = #r} : (tensor<1x4x32x32xf32, #wafer.dist<[*, *, x, y]>>) -> tensor<1x2x2x32x32xf32, #wafer.dist<[*, *, *, x, y]>>
    return %y, %small, %z : tensor<1x2x2x32x32xf32, #wafer.dist<[*, *, *, x, y]>>, tensor<1x2x2x8x8xf32, #wafer.dist<[*, *, *, x, y]>>, tensor<1x2x2x32x32xf32, #wafer.dist<[*, *, *, x, y]>>
  }
}

// The large reshape: a column gather and a row cut of 1024 words each, no
// copy of the whole input.
// CHECK: pe.mark 2
// CHECK-NOT: @full
// CHECK: pe.call @allreduce_columns(#pe.addr<@colfull>, 1024)
// CHECK-NOT: @full
// CHECK: pe.call @allreduce_rows(#pe.addr<@rowcut>, 1024)
// CHECK-NOT: @full
// The small one is gathered whole (256 words).
// CHECK: pe.mark 3
// CHECK: pe.call @allreduce(#pe.addr<@full>, 256)
// The relaid input's reshape shares its blocks: no code of its own (the
// outputs' gathers follow its mark).
// CHECK: pe.mark 4
// CHECK: pe.mark 5
// CHECK-NEXT: pe.fill #pe.mem<@full_1, 0, 4096, 1>
// RUNOUT: max |diff| 0 over 3 outputs: ok

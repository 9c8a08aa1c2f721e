// Attention whose heads do not fit a PE whole (the 20B graph's shape: many
// heads, head_dim on y). Every gathered column slab here would take half of
// SRAM or more (48 heads x 2 tokens x 64 = 6,144 of 12,288 words), so each
// op reads it in equal chunks of whole heads, in one loop at run time
// (Lowering::forEachChunk) whose code does not grow with the chunks:
//  - the rotary halves (slices of head_dim, each gathering only its range,
//    and their concat);
//  - Q K^T (output-stationary): Q's and K^T's chunks gathered per chunk,
//    K^T's relayout never made whole;
//  - P V (partial sums): V's relayout read chunk by chunk, partial rows per
//    chunk;
//  - the head merge (transpose + reshape to [1, T, 3072]): whole-head chunks.
// No PE gathers a whole slab (colfull) or holds a relayout's 6,144-word
// block. Compiled, run on the emulator and checked against wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t | FileCheck %s --check-prefix=RUNOUT

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
#d3 = #wafer.dist<[*, x, y]>
#dh = #wafer.dist<[*, *, x, y]>
#dt = #wafer.dist<[*, *, y, x]>
#dk = #wafer.dist<[*, *, *, y]>
#dv = #wafer.dist<[*, *, y, *]>
#dm = #wafer.dist<[*, x, *, y]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  func.func @main(%q0: tensor<1x48x8x64xf32, #dh> {onnx.name = "q"},
                  %k0: tensor<1x48x8x64xf32, #dh> {onnx.name = "k"},
                  %v0: tensor<1x48x8x64xf32, #dh> {onnx.name = "v"})
      -> tensor<1x8x3072xf32, #d3> {
    %q = wafer.elementwise ins(%q0 : tensor<1x48x8x64xf32, #dh>) -> tensor<1x48x8x64xf32, #dh> attributes {placement = #r} {
    ^bb0(%a: f32):
      %s = arith.addf %a, %a : f32
      wafer.yield %s : f32
    }
    %k = wafer.elementwise ins(%k0 : tensor<1x48x8x64xf32, #dh>) -> tensor<1x48x8x64xf32, #dh> attributes {placement = #r} {
    ^bb0(%a: f32):
      %s = arith.negf %a : f32
      wafer.yield %s : f32
    }
    %v = wafer.elementwise ins(%v0 : tensor<1x48x8x64xf32, #dh>) -> tensor<1x48x8x64xf32, #dh> attributes {placement = #r} {
    ^bb0(%a: f32):
      %s = arith.mulf %a, %a : f32
      wafer.yield %s : f32
    }
    // Rotate head_dim by 16 (rotary's halves).
    %lo = wafer.slice %q {offsets = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1, 1, 1>, placement = #r} : (tensor<1x48x8x64xf32, #dh>) -> tensor<1x48x8x16xf32, #dh>
    %hi = wafer.slice %q {offsets = array<i64: 0, 0, 0, 16>, strides = array<i64: 1, 1, 1, 1>, placement = #r} : (tensor<1x48x8x64xf32, #dh>) -> tensor<1x48x8x48xf32, #dh>
    %rot = wafer.concat %hi, %lo {axis = -1 : i64, placement = #r} : (tensor<1x48x8x48xf32, #dh>, tensor<1x48x8x16xf32, #dh>) -> tensor<1x48x8x64xf32, #dh>
    %kt = wafer.transpose %k, [0, 1, 3, 2] {placement = #r} : (tensor<1x48x8x64xf32, #dh>) -> tensor<1x48x64x8xf32, #dt>
    %ktr = wafer.relayout %kt {placement = #r} : tensor<1x48x64x8xf32, #dt> -> tensor<1x48x64x8xf32, #dk>
    %s = wafer.matmul %rot, %ktr {placement = #r} : (tensor<1x48x8x64xf32, #dh>, tensor<1x48x64x8xf32, #dk>) -> tensor<1x48x8x8xf32, #dh>
    %p = wafer.softmax %s {axis = -1 : i64, placement = #r} : tensor<1x48x8x8xf32, #dh>
    %vr = wafer.relayout %v {placement = #r} : tensor<1x48x8x64xf32, #dh> -> tensor<1x48x8x64xf32, #dv>
    %o = wafer.matmul %p, %vr {placement = #r} : (tensor<1x48x8x8xf32, #dh>, tensor<1x48x8x64xf32, #dv>) -> tensor<1x48x8x64xf32, #dh>
    %ot = wafer.transpose %o, [0, 2, 1, 3] {placement = #r} : (tensor<1x48x8x64xf32, #dh>) -> tensor<1x8x48x64xf32, #dm>
    %m = wafer.reshape %ot {placement = #r} : (tensor<1x8x48x64xf32, #dm>) -> tensor<1x8x3072xf32, #d3>
    return %m : tensor<1x8x3072xf32, #d3>
  }
}

// The slices read only their range of head_dim: the 16 of 64 in one
// 1,536-word chunk (no loop), the 48 of 64 in 3 chunks of 16 heads; the
// concat in 2 chunks of 24 heads; Q K^T and P V in 6 chunks of 8 heads; one
// counter for every chunk loop. The head merge's 4 chunks of 12 heads are
// unrolled (each covers other PEs' rows of the result).
// CHECK-LABEL: pe.kernel
// CHECK-NOT: pe.buffer @colfull
// CHECK-NOT: pe.buffer @{{[a-z_0-9]+}}[6144]
// CHECK: pe.loop #pe.reg<[[C:[0-9]+]]> to 3 {
// CHECK: pe.loop #pe.reg<[[C]]> to 2 {
// CHECK: pe.loop #pe.reg<[[C]]> to 6 {
// CHECK: pe.call @allreduce_rows
// CHECK: pe.loop #pe.reg<[[C]]> to 6 {
// CHECK: pe.call @allreduce_columns(#pe.addr<@partial>, 1024)
// RUNOUT: max |diff| {{.*}} over 1 outputs: ok

// Registers are virtual until the program is emitted, which gives the 16
// physical ones by liveness. Four broadcast operands that each walk other
// dimensions (so no two share a pointer register) make a three-deep nest
// with 14 registers live at its core (more than the 12 a fixed split used to
// leave loop nests, which refused this op), and 15 inside a loop over layers
// (its counter and mark register included; the layer's input and result
// share one pointer). Both compile and match wse-ref evaluating the wafer
// module.
// RUN: rm -rf %t && split-file %s %t
// RUN: wse-opt %t/m0.mlir --convert-wafer-to-pe --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify -o %t/p0.mlir
// RUN: FileCheck %s --check-prefix=NEST < %t/p0.mlir
// RUN: wse-translate --emit-program-text %t/p0.mlir -o %t/p0.wse
// RUN: FileCheck %s --check-prefix=REGS14 < %t/p0.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %t/m0.mlir %t/p0.wse %t/run0 | FileCheck %s --check-prefix=RUNOUT
// RUN: wse-opt %t/m1.mlir --wafer-find-layer-loops --convert-wafer-to-pe --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify -o %t/p1.mlir
// RUN: FileCheck %s --check-prefix=LAYERS < %t/p1.mlir
// RUN: wse-translate --emit-program-text %t/p1.mlir -o %t/p1.wse
// RUN: FileCheck %s --check-prefix=REGS15 < %t/p1.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %t/m1.mlir %t/p1.wse %t/run1 | FileCheck %s --check-prefix=RUNOUT

// NEST: pe.loop #pe.reg<[[I:[0-9]+]]> to 2 iter({{[^,]*}}, {{[^,]*}}, {{[^,]*}}) {
// NEST-NEXT: pe.loop #pe.reg<{{[0-9]+}}> to 3 iter({{[^,]*}}, {{[^,]*}}, {{[^,]*}}, {{[^,]*}}) {
// NEST-NEXT: pe.loop #pe.reg<{{[0-9]+}}> to 2 iter({{[^,]*}}, {{[^,]*}}, {{[^,]*}}, {{[^,]*}}) {
// The emitted code names r13 but no higher register.
// REGS14: r13
// REGS14-NOT: r14
// REGS14-NOT: r15
// LAYERS: pe.loop #pe.reg<{{[0-9]+}}> to 2 layers {
// The carried input and the result have one shape: one register walks both.
// LAYERS: pe.add #pe.mem<@tmp, 0, 3, 1>, #pe.mem<@carry, #pe.reg<[[P:[0-9]+]]>, 3, 1>
// LAYERS: pe.add #pe.mem<@blk, #pe.reg<[[P]]>, 3, 1>
// REGS15: r14
// REGS15-NOT: r15
// RUNOUT: max |diff|
// RUNOUT-SAME: ok

//--- m0.mlir
#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  func.func @main(%a: tensor<2x1x2x3xf32>, %b: tensor<2x3x1x3xf32>, %c: tensor<1x3x2x3xf32>, %d: tensor<2x3x2x1xf32>) -> tensor<2x3x2x3xf32> {
    %r = wafer.elementwise ins(%a, %b, %c, %d : tensor<2x1x2x3xf32>, tensor<2x3x1x3xf32>, tensor<1x3x2x3xf32>, tensor<2x3x2x1xf32>) -> tensor<2x3x2x3xf32> attributes {placement = #r} {
    ^bb0(%x: f32, %y: f32, %z: f32, %w: f32):
      %s = arith.addf %x, %y : f32
      %t = arith.addf %s, %z : f32
      %u = arith.addf %t, %w : f32
      wafer.yield %u : f32
    }
    return %r : tensor<2x3x2x3xf32>
  }
}

//--- m1.mlir
#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  func.func @main(%a: tensor<2x3x2x3xf32>, %b: tensor<2x3x1x3xf32>, %c: tensor<1x3x2x3xf32>, %d: tensor<2x3x2x1xf32>) -> tensor<2x3x2x3xf32> {
    %r0 = wafer.elementwise ins(%a, %b, %c, %d : tensor<2x3x2x3xf32>, tensor<2x3x1x3xf32>, tensor<1x3x2x3xf32>, tensor<2x3x2x1xf32>) -> tensor<2x3x2x3xf32> attributes {placement = #r} {
    ^bb0(%x: f32, %y: f32, %z: f32, %w: f32):
      %s = arith.addf %x, %y : f32
      %t = arith.addf %s, %z : f32
      %u = arith.addf %t, %w : f32
      wafer.yield %u : f32
    }
    %r1 = wafer.elementwise ins(%r0, %b, %c, %d : tensor<2x3x2x3xf32>, tensor<2x3x1x3xf32>, tensor<1x3x2x3xf32>, tensor<2x3x2x1xf32>) -> tensor<2x3x2x3xf32> attributes {placement = #r} {
    ^bb0(%x: f32, %y: f32, %z: f32, %w: f32):
      %s = arith.addf %x, %y : f32
      %t = arith.addf %s, %z : f32
      %u = arith.addf %t, %w : f32
      wafer.yield %u : f32
    }
    return %r1 : tensor<2x3x2x3xf32>
  }
}

// The value that enters the layer loop is also an output: the loop runs on
// a copy of it (its carry buffer), so it is still intact after the loop.
// Run on the emulator and checked against wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-opt %s --wafer-find-layer-loops -o %t/marked.mlir
// RUN: FileCheck %s --check-prefix=MARKED < %t/marked.mlir
// RUN: wse-opt %t/marked.mlir --convert-wafer-to-pe --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: FileCheck %s < %t/pe.mlir
// RUN: wse-translate --emit-program %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %t/marked.mlir %t/p.wse %t | FileCheck %s --check-prefix=RUNOUT

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
#d = #wafer.dist<[x, y]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  func.func @main(%x: tensor<6x5xf32, #d> {onnx.name = "x"}) -> (tensor<6x5xf32, #d> {onnx.name = "first"}, tensor<6x5xf32, #d> {onnx.name = "last"}) {
    %y0 = wafer.elementwise ins(%x : tensor<6x5xf32, #d>) -> tensor<6x5xf32, #d> attributes {placement = #r} {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    %y1 = wafer.elementwise ins(%y0 : tensor<6x5xf32, #d>) -> tensor<6x5xf32, #d> attributes {placement = #r} {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    %y2 = wafer.elementwise ins(%y1 : tensor<6x5xf32, #d>) -> tensor<6x5xf32, #d> attributes {placement = #r} {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    %y3 = wafer.elementwise ins(%y2 : tensor<6x5xf32, #d>) -> tensor<6x5xf32, #d> attributes {placement = #r} {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    return %y0, %y3 : tensor<6x5xf32, #d>, tensor<6x5xf32, #d>
  }
}

// MARKED: math.tanh
// MARKED-NOT: wafer.layer =
// MARKED: wafer.layer = 0
// MARKED: wafer.layer = 1
// MARKED: wafer.layer = 2
// MARKED-NOT: wafer.layer =

// The entry op once before the loop, the layer's once inside it.
// CHECK: pe.tanh
// CHECK: pe.loop #pe.reg<{{[0-9]+}}> to 3 layers {
// CHECK: pe.tanh
// CHECK-NOT: pe.tanh

// RUNOUT: over 2 outputs: ok

// Pipelined placement: each op on its own rectangle, so every value moves
// between rectangles (gathered over the kernel rectangle, the bounding box
// of all placements); PEs outside an op's rectangle skip its code.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.random.default_rng(3).standard_normal(8 * 5).astype('f4').tofile('%t/w.bin')"
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t --weights %t | FileCheck %s --check-prefix=RUNOUT

#d = #wafer.dist<[x, y]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "pipelined"} {
  wafer.parameter @w : tensor<8x5xf32> file "w.bin" offset 0 length 160
  func.func @main(%x: tensor<6x8xf32, #d> {onnx.name = "x"}) -> (tensor<6x5xf32, #d> {onnx.name = "y"}) {
    %g = wafer.constant dense<1.5> : tensor<5xf32> {placement = #mesh.rect<x = 0, y = 2, width = 2, height = 2>} -> tensor<5xf32, #wafer.dist<[y]>>
    %a = wafer.elementwise ins(%x : tensor<6x8xf32, #d>) -> tensor<6x8xf32, #d> attributes {placement = #mesh.rect<x = 0, y = 0, width = 2, height = 2>} {
    ^bb0(%v: f32):
      %e = math.exp %v : f32
      wafer.yield %e : f32
    }
    %w = wafer.stream @w {region = #mesh.rect<x = 2, y = 0, width = 2, height = 4>, resident} : tensor<8x5xf32, #wafer.dist<[y, x]>>
    %l = wafer.linear %a, %w {placement = #mesh.rect<x = 2, y = 0, width = 2, height = 4>} : (tensor<6x8xf32, #d>, tensor<8x5xf32, #wafer.dist<[y, x]>>) -> tensor<6x5xf32, #d>
    %n = wafer.rms_norm %l, %g {axis = -1 : i64, epsilon = 1.0e-6 : f32, placement = #mesh.rect<x = 0, y = 2, width = 2, height = 2>} : (tensor<6x5xf32, #d>, tensor<5xf32, #wafer.dist<[y]>>) -> tensor<6x5xf32, #d>
    return %n : tensor<6x5xf32, #d>
  }
}

// The kernel covers the bounding box; each op's code is guarded by a
// per-PE test of its rectangle.
// CHECK: pe.const @{{.*}} = {{.*}}lt(rx, 2){{.*}}lt(ry, 2)
// CHECK: pe.place @model <x = 0, y = 0, width = 4, height = 4>

// RUNOUT: max |diff| {{.*}} over 1 outputs: ok

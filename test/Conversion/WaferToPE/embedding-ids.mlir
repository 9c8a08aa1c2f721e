// Token ids of an embedding: negative ids count from the end of the table
// (ONNX Gather), and the program declares the range [-rows, rows) on the
// input, so the emulator refuses an id outside it with its position.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.random.default_rng(5).standard_normal(8 * 6).astype('f4').tofile('%t/table.bin'); np.save('%t/high.npy', np.array([[0, 1, 2, 8, 0, 0]], dtype=np.int64))"
// RUN: wse-opt %s --convert-wafer-to-pe --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: FileCheck %s < %t/pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t --weights %t --int-range -8 8 --seed 1 | FileCheck %s --check-prefix=RUNOUT
// RUN: not wse-emu %t/p.wse --weights %t --input ids=%t/high.npy --output out=%t/o.npy 2>&1 | FileCheck %s --check-prefix=HIGH

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  wafer.parameter @table : tensor<8x6xf32> file "table.bin" offset 0 length 192
  func.func @main(%ids: tensor<1x6xi64, #wafer.dist<[*, x]>> {onnx.name = "ids"}) -> (tensor<1x6x6xf32, #wafer.dist<[*, x, y]>> {onnx.name = "out"}) {
    %t = wafer.stream @table {region = #r} : tensor<8x6xf32, #wafer.dist<[*, y]>>
    %e = wafer.embedding %t, %ids {placement = #r} : (tensor<8x6xf32, #wafer.dist<[*, y]>>, tensor<1x6xi64, #wafer.dist<[*, x]>>) -> tensor<1x6x6xf32, #wafer.dist<[*, x, y]>>
    return %e : tensor<1x6x6xf32, #wafer.dist<[*, x, y]>>
  }
}

// CHECK: pe.input @ids : tensor<1x6xi64> range [-8, 8]
// Negative ids move up by the table's 8 rows before the one-hot rows.
// CHECK: pe.neg
// CHECK-NEXT: pe.max
// CHECK-NEXT: pe.min
// CHECK-NEXT: pe.fma

// RUNOUT: max |diff| 0 over 1 outputs: ok
// HIGH: error: input 'ids' at [0, 3] is 8, outside the range [-8, 8) the program declares for it

// Integer comparisons in elementwise bodies (a causal mask built from
// Range/Less, as GPT-NeoX exports do): exact f32 arithmetic on integer
// values, min(1, max(0, b - a)) for a < b; compiled, run on the emulator and
// checked against wse-ref on integers in [-8, 8). Integer add, sub and mul
// the same way (exact below 2^24).
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t --int-range -8 8 | FileCheck %s --check-prefix=RUNOUT

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
#xy = #wafer.dist<[x, y]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  func.func @main(%a: tensor<6x10xi64, #xy> {onnx.name = "a"},
                  %b: tensor<6x10xi64, #xy> {onnx.name = "b"})
      -> (tensor<6x10xf32, #xy>, tensor<6x10xf32, #xy>, tensor<6x10xf32, #xy>, tensor<6x10xi64, #xy>) {
    // Every predicate, summed with distinct weights so one output shows
    // each: slt + 2 sle + 4 sgt + 8 sge + 16 eq + 32 ne.
    %m = wafer.elementwise ins(%a, %b : tensor<6x10xi64, #xy>, tensor<6x10xi64, #xy>) -> tensor<6x10xf32, #xy> attributes {placement = #r} {
    ^bb0(%x: i64, %y: i64):
      %lt = arith.cmpi slt, %x, %y : i64
      %le = arith.cmpi sle, %x, %y : i64
      %gt = arith.cmpi sgt, %x, %y : i64
      %ge = arith.cmpi sge, %x, %y : i64
      %eq = arith.cmpi eq, %x, %y : i64
      %ne = arith.cmpi ne, %x, %y : i64
      %f0 = arith.uitofp %lt : i1 to f32
      %f1 = arith.uitofp %le : i1 to f32
      %f2 = arith.uitofp %gt : i1 to f32
      %f3 = arith.uitofp %ge : i1 to f32
      %f4 = arith.uitofp %eq : i1 to f32
      %f5 = arith.uitofp %ne : i1 to f32
      %c2 = arith.constant 2.0 : f32
      %c4 = arith.constant 4.0 : f32
      %c8 = arith.constant 8.0 : f32
      %c16 = arith.constant 16.0 : f32
      %c32 = arith.constant 32.0 : f32
      %s1 = arith.mulf %f1, %c2 : f32
      %s2 = arith.mulf %f2, %c4 : f32
      %s3 = arith.mulf %f3, %c8 : f32
      %s4 = arith.mulf %f4, %c16 : f32
      %s5 = arith.mulf %f5, %c32 : f32
      %t0 = arith.addf %f0, %s1 : f32
      %t1 = arith.addf %t0, %s2 : f32
      %t2 = arith.addf %t1, %s3 : f32
      %t3 = arith.addf %t2, %s4 : f32
      %t4 = arith.addf %t3, %s5 : f32
      wafer.yield %t4 : f32
    }
    // A mask selecting between floats: where(a < b, a, -b).
    %w = wafer.elementwise ins(%a, %b : tensor<6x10xi64, #xy>, tensor<6x10xi64, #xy>) -> tensor<6x10xf32, #xy> attributes {placement = #r} {
    ^bb0(%x: i64, %y: i64):
      %lt = arith.cmpi slt, %x, %y : i64
      %fx = arith.sitofp %x : i64 to f32
      %fy = arith.sitofp %y : i64 to f32
      %ny = arith.negf %fy : f32
      %s = arith.select %lt, %fx, %ny : f32
      wafer.yield %s : f32
    }
    // Against a constant: a >= 0.
    %z = wafer.elementwise ins(%a : tensor<6x10xi64, #xy>) -> tensor<6x10xf32, #xy> attributes {placement = #r} {
    ^bb0(%x: i64):
      %zero = arith.constant 0 : i64
      %ge = arith.cmpi sge, %x, %zero : i64
      %f = arith.uitofp %ge : i1 to f32
      wafer.yield %f : f32
    }
    // Integer arithmetic (a training step's Gather gradient moves negative
    // ids up by the table's rows): (a < 0 ? a + 64 : a) * 3 - b, an integer
    // result, exact as f32.
    %i = wafer.elementwise ins(%a, %b : tensor<6x10xi64, #xy>, tensor<6x10xi64, #xy>) -> tensor<6x10xi64, #xy> attributes {placement = #r} {
    ^bb0(%x: i64, %y: i64):
      %zero = arith.constant 0 : i64
      %rows = arith.constant 64 : i64
      %three = arith.constant 3 : i64
      %up = arith.addi %x, %rows : i64
      %neg = arith.cmpi slt, %x, %zero : i64
      %id = arith.select %neg, %up, %x : i64
      %t = arith.muli %id, %three : i64
      %d = arith.subi %t, %y : i64
      wafer.yield %d : i64
    }
    return %m, %w, %z, %i : tensor<6x10xf32, #xy>, tensor<6x10xf32, #xy>, tensor<6x10xf32, #xy>, tensor<6x10xi64, #xy>
  }
}

// CHECK: pe.sub
// CHECK: pe.max
// CHECK: pe.min
// CHECK: pe.abs

// CHECK: pe.add
// CHECK: pe.select
// CHECK: pe.mul
// CHECK: pe.sub

// RUNOUT: max |diff| 0 over 4 outputs: ok

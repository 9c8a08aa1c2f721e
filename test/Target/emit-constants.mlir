// Params with a value are written one after another into <output>.consts.bin:
// float types as f32, i32 and i64 as such, booleans one byte each.
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-translate --emit-program-text %s -o %t/c.wse
// RUN: FileCheck %s < %t/c.wse
// RUN: %python -c "import numpy as np; d = open('%t/c.wse.consts.bin', 'rb').read(); \
// RUN:   print(np.frombuffer(d[0:8], '<f4'), np.frombuffer(d[8:16], '<i4'), \
// RUN:         np.frombuffer(d[16:19], 'u1'), np.frombuffer(d[19:35], '<i8'), len(d))" \
// RUN:   | FileCheck %s --check-prefix=BYTES

// CHECK: machine "8x8"
// CHECK-NEXT: param h : f32[2] file "c.wse.consts.bin" offset 0
// CHECK-NEXT: param i : i32[2] file "c.wse.consts.bin" offset 8
// CHECK-NEXT: param b : bool[3] file "c.wse.consts.bin" offset 16
// CHECK-NEXT: param l : i64[2] file "c.wse.consts.bin" offset 19
// CHECK-NEXT: param w : f32[2] file "weights.bin" offset 64

// BYTES: [ 1.5 -2. ] [ 7 -1] [1 0 1] [5000000000 -3] 35

module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.param @h : tensor<2xf16> = dense<[1.5, -2.0]> : tensor<2xf16>
  pe.param @i : tensor<2xi32> = dense<[7, -1]> : tensor<2xi32>
  pe.param @b : tensor<3xi1> = dense<[true, false, true]> : tensor<3xi1>
  pe.param @l : tensor<2xi64> = dense<[5000000000, -3]> : tensor<2xi64>
  pe.param @w : tensor<2xf32> file "weights.bin" offset 64
}

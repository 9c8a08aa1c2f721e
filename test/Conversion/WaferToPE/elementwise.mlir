// Elementwise bodies on ragged blocks (6 rows over 4 columns, 10 features
// over 4 rows of PEs) with a broadcast operand, lowered to pe, emitted and
// run on the emulator; wse-ref on the wafer module is the reference.
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t | FileCheck %s --check-prefix=RUNOUT

#xy = #wafer.dist<[x, y]>
#y = #wafer.dist<[y]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  func.func @main(%x: tensor<6x10xf32, #xy> {onnx.name = "x"}, %b: tensor<10xf32, #y> {onnx.name = "b"}) -> (tensor<6x10xf32, #xy> {onnx.name = "y"}) {
    %r = wafer.elementwise ins(%x, %b : tensor<6x10xf32, #xy>, tensor<10xf32, #y>) -> tensor<6x10xf32, #xy> attributes {placement = #mesh.rect<x = 0, y = 0, width = 4, height = 4>} {
    ^bb0(%a: f32, %c: f32):
      %two = arith.constant 2.0 : f32
      %m = arith.mulf %a, %two : f32
      %t = math.tanh %m : f32
      %s = arith.addf %t, %c : f32
      %lo = arith.constant -0.5 : f32
      %r = arith.maximumf %s, %lo : f32
      wafer.yield %r : f32
    }
    return %r : tensor<6x10xf32, #xy>
  }
}

// One SPMD kernel on the whole mesh; inputs arrive on the multicast channel.
// CHECK-DAG: pe.input @x : tensor<6x10xf32>
// CHECK-DAG: pe.input @b : tensor<10xf32>
// CHECK-DAG: pe.output @y : tensor<6x10xf32>
// CHECK: pe.kernel @model {
// CHECK-DAG: pe.buffer @k[1] init 2.000000e+00
// CHECK-DAG: pe.buffer @k_1[1] init -5.000000e-01
// CHECK: pe.task @run entry {
// CHECK: pe.mark 0
// The body: one instruction per scalar op, the last into the result block.
// CHECK: pe.mul #pe.mem<@tmp
// CHECK-NEXT: pe.tanh
// CHECK-NEXT: pe.add
// CHECK-NEXT: pe.max #pe.mem<@blk
// The result leaves through the port from the PE next to it.
// CHECK: pe.copy #pe.out<@outbound, 60>
// CHECK: pe.place @model <x = 0, y = 0, width = 4, height = 4>
// CHECK: pe.flow @inbound multicast <x = 0, y = 0, width = 4, height = 4> port W0
// CHECK: pe.flow @col_even chain <x = 0, y = 0, width = 4, height = 4> dir S phase 0
// CHECK: pe.stream_in @x port W0 color @inbound
// CHECK: pe.stream_in @b port W0 color @inbound
// CHECK: pe.stream_out @y port W0 color @outbound

// RUNOUT: max |diff| {{.*}} over 1 outputs: ok

// Three identical layers (weights streamed per layer, a bias constant per
// layer, a norm scale every layer shares, the residual carried from layer to
// layer) become one loop of code; the program is run on the emulator and
// checked against wse-ref evaluating the same wafer module, and against the
// same module compiled unrolled.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.random.default_rng(3).standard_normal(3 * 8 * 8).astype('f4').tofile('%t/w.bin')"
// RUN: wse-opt %s --wafer-find-layer-loops -o %t/marked.mlir
// RUN: FileCheck %s --check-prefix=MARKED < %t/marked.mlir
// RUN: wse-opt %t/marked.mlir --wafer-cost-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=COST
// RUN: wse-opt %t/marked.mlir --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// Without profiling marks the loop has no mark register and no mark.
// RUN: wse-opt %t/marked.mlir --convert-wafer-to-pe=marks=false | FileCheck %s --check-prefix=NOMARKS
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %t/marked.mlir %t/p.wse %t --weights %t | FileCheck %s --check-prefix=RUNOUT
// The loop changes the code's size, not its results: without the marks the
// layers are emitted one after another.
// RUN: wse-opt %s --convert-wafer-to-pe --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/unrolled.mlir
// RUN: %python -c "import sys; n = lambda f: sum(1 for l in open(f) if l.lstrip().startswith('pe.fmac')); print('fmac unrolled/loop', n(sys.argv[2]) / n(sys.argv[1]))" %t/pe.mlir %t/unrolled.mlir | FileCheck %s --check-prefix=SIZE

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
#d3 = #wafer.dist<[*, x, y]>
#dv = #wafer.dist<[y]>
#dw = #wafer.dist<[y, *]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  wafer.parameter @w0 : tensor<8x8xf32> file "w.bin" offset 0 length 256
  wafer.parameter @w1 : tensor<8x8xf32> file "w.bin" offset 256 length 256
  wafer.parameter @w2 : tensor<8x8xf32> file "w.bin" offset 512 length 256
  func.func @main(%x: tensor<1x6x8xf32, #d3> {onnx.name = "x"}) -> (tensor<1x6x8xf32, #d3> {onnx.name = "y"}) {
    %g = wafer.constant dense<[1.0, 2.0, 0.5, 1.5, 1.0, 0.25, 1.0, 3.0]> : tensor<8xf32> {placement = #r} -> tensor<8xf32, #dv>
    %b0 = wafer.constant dense<[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]> : tensor<8xf32> {placement = #r} -> tensor<8xf32, #dv>
    %b1 = wafer.constant dense<[-0.1, 0.0, 0.1, 0.0, -0.1, 0.0, 0.1, 0.0]> : tensor<8xf32> {placement = #r} -> tensor<8xf32, #dv>
    %b2 = wafer.constant dense<0.25> : tensor<8xf32> {placement = #r} -> tensor<8xf32, #dv>
    %x0 = wafer.elementwise ins(%x : tensor<1x6x8xf32, #d3>) -> tensor<1x6x8xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32):
      %two = arith.constant 2.0 : f32
      %m = arith.mulf %a, %two : f32
      wafer.yield %m : f32
    }
    // Layer 0.
    %n0 = wafer.rms_norm %x0, %g {axis = -1 : i64, epsilon = 1.0e-6 : f32, placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<8xf32, #dv>) -> tensor<1x6x8xf32, #d3>
    %w0 = wafer.stream @w0 {region = #r} : tensor<8x8xf32, #dw>
    %l0 = wafer.linear %n0, %w0, %b0 {placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<8x8xf32, #dw>, tensor<8xf32, #dv>) -> tensor<1x6x8xf32, #d3>
    %y0 = wafer.elementwise ins(%x0, %l0 : tensor<1x6x8xf32, #d3>, tensor<1x6x8xf32, #d3>) -> tensor<1x6x8xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32, %b: f32):
      %t = math.tanh %b : f32
      %s = arith.addf %a, %t : f32
      wafer.yield %s : f32
    }
    // Layer 1.
    %n1 = wafer.rms_norm %y0, %g {axis = -1 : i64, epsilon = 1.0e-6 : f32, placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<8xf32, #dv>) -> tensor<1x6x8xf32, #d3>
    %w1 = wafer.stream @w1 {region = #r} : tensor<8x8xf32, #dw>
    %l1 = wafer.linear %n1, %w1, %b1 {placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<8x8xf32, #dw>, tensor<8xf32, #dv>) -> tensor<1x6x8xf32, #d3>
    %y1 = wafer.elementwise ins(%y0, %l1 : tensor<1x6x8xf32, #d3>, tensor<1x6x8xf32, #d3>) -> tensor<1x6x8xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32, %b: f32):
      %t = math.tanh %b : f32
      %s = arith.addf %a, %t : f32
      wafer.yield %s : f32
    }
    // Layer 2.
    %n2 = wafer.rms_norm %y1, %g {axis = -1 : i64, epsilon = 1.0e-6 : f32, placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<8xf32, #dv>) -> tensor<1x6x8xf32, #d3>
    %w2 = wafer.stream @w2 {region = #r} : tensor<8x8xf32, #dw>
    %l2 = wafer.linear %n2, %w2, %b2 {placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<8x8xf32, #dw>, tensor<8xf32, #dv>) -> tensor<1x6x8xf32, #d3>
    %y2 = wafer.elementwise ins(%y1, %l2 : tensor<1x6x8xf32, #d3>, tensor<1x6x8xf32, #d3>) -> tensor<1x6x8xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32, %b: f32):
      %t = math.tanh %b : f32
      %s = arith.addf %a, %t : f32
      wafer.yield %s : f32
    }
    %out = wafer.layer_norm %y2, %g, %g {axis = -1 : i64, epsilon = 1.0e-5 : f32, placement = #r} : (tensor<1x6x8xf32, #d3>, tensor<8xf32, #dv>, tensor<8xf32, #dv>) -> tensor<1x6x8xf32, #d3>
    return %out : tensor<1x6x8xf32, #d3>
  }
}

// MARKED-NOT: wafer.layer =
// MARKED: wafer.rms_norm {{.*}}wafer.layer = 0
// MARKED: wafer.stream @w0 {{.*}}wafer.layer = 0
// MARKED: wafer.linear {{.*}}wafer.layer = 0
// MARKED: wafer.elementwise {{.*}}wafer.layer = 0
// MARKED: wafer.rms_norm {{.*}}wafer.layer = 1
// MARKED: wafer.elementwise {{.*}}wafer.layer = 2
// MARKED-NOT: wafer.layer =
// MARKED: return

// COST: layer loop: 3 layers of 3 rows from row 1 run as one loop

// One param per layer for the bias, the splat one included.
// CHECK-DAG: pe.param @[[B0:const[0-9_]*]] : tensor<8xf32> = dense<[1.000000e-01
// CHECK-DAG: pe.param @[[B1:const[0-9_]*]] : tensor<8xf32> = dense<[-1.000000e-01
// CHECK-DAG: pe.param @[[B2:const[0-9_]*]] : tensor<8xf32> = dense<2.500000e-01>
// The residual enters the loop through its carry buffer; marks count in a
// register.
// CHECK: pe.copy #pe.mem<@[[CARRY:carry[0-9_]*]],
// CHECK: pe.mov #pe.reg<[[M:[0-9]+]]>, 1
// CHECK-NEXT: pe.loop #pe.reg<{{[0-9]+}}> to 3 layers {
// CHECK-NEXT: pe.mark #pe.reg<[[M]]>
// CHECK-NEXT: pe.iadd #pe.reg<[[M]]>, #pe.reg<[[M]]>, 1
// CHECK: pe.fmac
// The layer's result becomes the next layer's input.
// CHECK: pe.copy #pe.mem<@[[CARRY]],
// CHECK: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: pe.mark 10
// After the loop, marks go on from 1 + 3 layers x 3 ops.
// The ports stream each layer's weight and bias in the order the loop
// reads them; the shared scale arrives once, before the loop. Each weight
// comes by the 4 stream bands (2 ports each) of the 4x4 machine.
// CHECK: pe.stream_in @x
// CHECK-NEXT: pe.stream_in @{{const[0-9_]*}}
// CHECK-NEXT: pe.stream_in @[[B0]]
// CHECK-NEXT: pe.stream_in @w0 port W0 color @inbound_bands offset 0 shape [8, 2]
// CHECK-COUNT-6: pe.stream_in @w0 port
// CHECK-NEXT: pe.stream_in @w0 port E3 color @inbound_bands offset 6 shape [8, 2]
// CHECK-NEXT: pe.stream_in @[[B1]]
// CHECK-NEXT: pe.stream_in @w1 port W0
// CHECK-COUNT-6: pe.stream_in @w1 port
// CHECK-NEXT: pe.stream_in @w1 port E3
// CHECK-NEXT: pe.stream_in @[[B2]]
// CHECK-NEXT: pe.stream_in @w2 port W0
// CHECK-COUNT-6: pe.stream_in @w2 port
// CHECK-NEXT: pe.stream_in @w2 port E3

// NOMARKS-NOT: pe.mark
// NOMARKS: pe.loop #pe.reg<{{[0-9]+}}> to 3 layers {
// NOMARKS-NOT: pe.mark
// NOMARKS: pe.stream_in @x

// RUNOUT: max |diff|
// RUNOUT-SAME: ok

// SIZE: fmac unrolled/loop 3.0

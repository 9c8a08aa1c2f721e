// The named pipeline runs every stage in order (shown by
// --mlir-print-ir-after-all) and ends in placed, laid-out, scheduled, verified
// wafer IR; bad options are reported by the stage that reads them.
// RUN: wse-opt %s --wse-pipeline='target=8x8 mode=stream' | FileCheck %s
// RUN: wse-opt %s --wse-pipeline='target=8x8 mode=pipelined' | FileCheck %s --check-prefix=PIPE
// RUN: wse-opt %s --wse-pipeline='target=8x8' --mlir-print-ir-after-all -o /dev/null 2>&1 | FileCheck %s --check-prefix=STAGES
// RUN: wse-opt %s --wse-pipeline='target=8x8 mode=stream lower=true' --mlir-print-ir-after-all -o %t.pe.mlir 2>&1 | FileCheck %s --check-prefix=LOWER
// RUN: FileCheck %s --check-prefix=PE < %t.pe.mlir
// RUN: not wse-opt %s --wse-pipeline='target=nowhere' 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not wse-opt %s --wse-pipeline='target=8x8 mode=sideways' 2>&1 | FileCheck %s --check-prefix=MODE

// A two-layer MLP block: LayerNorm, linear + GELU, linear, residual add.
module {
  onnx.parameter @fc1 : tensor<64x256xf32> file "model.onnx" offset 0 length 65536
  onnx.parameter @fc2 : tensor<256x64xf32> file "model.onnx" offset 65536 length 65536
  func.func @main(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
    %g = onnx.Constant dense<1.0> : tensor<64xf32>
    %b = onnx.Constant dense<0.0> : tensor<64xf32>
    %w1 = onnx.param_ref @fc1 : tensor<64x256xf32>
    %w2 = onnx.param_ref @fc2 : tensor<256x64xf32>
    %n = onnx.LayerNormalization %x, %g, %b {epsilon = 1.0e-5 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
    %h = onnx.MatMul %n, %w1 : (tensor<1x16x64xf32>, tensor<64x256xf32>) -> tensor<1x16x256xf32>
    %a = onnx.Gelu %h : (tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
    %o = onnx.MatMul %a, %w2 : (tensor<1x16x256xf32>, tensor<256x64xf32>) -> tensor<1x16x64xf32>
    %r = onnx.Add %x, %o : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
    return %r : tensor<1x16x64xf32>
  }
}

// CHECK: module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"}
// CHECK: wafer.parameter @fc1 : tensor<64x256xf32> file "model.onnx" offset 0 length 65536
// CHECK: func.func @main(%{{.*}}: tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>) -> tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>
// CHECK: wafer.layer_norm {{.*}}placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>
// CHECK: wafer.stream @fc1 {{{.*}}depth = 2 : i64{{.*}}order = 0 : i64{{.*}}start_cycle = {{.*}}} : tensor<64x256xf32, #wafer.dist<[y, *]>>
// CHECK: wafer.linear
// CHECK: wafer.elementwise
// CHECK: math.erf
// CHECK: wafer.stream @fc2 {{{.*}}order = 1 : i64{{.*}}} : tensor<256x64xf32, #wafer.dist<[y, *]>>
// CHECK: wafer.linear
// CHECK: wafer.elementwise
// CHECK: arith.addf
// CHECK-NOT: onnx.{{[A-Z]}}

// PIPE: module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "pipelined"}
// PIPE: wafer.stream @fc1 {{{.*}}resident{{.*}}}
// PIPE: wafer.stream @fc2 {{{.*}}resident{{.*}}}

// STAGES: IR Dump After ONNXStaticize (onnx-staticize)
// STAGES: IR Dump After ConvertONNXToWafer (convert-onnx-to-wafer)
// STAGES: IR Dump After WaferFuseElementwise (wafer-fuse-elementwise)
// STAGES: IR Dump After WaferTarget (wafer-target)
// STAGES: IR Dump After WaferPlace (wafer-place)
// STAGES: IR Dump After WaferLayout (wafer-layout)
// STAGES: IR Dump After WaferScheduleStreams (wafer-schedule-streams)
// STAGES: IR Dump After WaferVerify (wafer-verify)

// TARGET: error: cannot use target 'nowhere'
// MODE: mode
// MODE-SAME: sideways

// lower=true continues to a resolved per-PE program.
// LOWER: IR Dump After WaferVerify (wafer-verify)
// LOWER: IR Dump After ConvertWaferToPE (convert-wafer-to-pe)
// LOWER: IR Dump After PERoute (pe-route)
// LOWER: IR Dump After PEAssignColors (pe-assign-colors)
// LOWER: IR Dump After PEAllocateSRAM (pe-allocate-sram)
// LOWER: IR Dump After PEVerifyRoutes (pe-verify-routes)
// LOWER: IR Dump After PEVerify (pe-verify)
// PE: pe.param @fc1 : tensor<64x256xf32> file "model.onnx" offset 0
// PE: pe.kernel @model {
// PE-NOT: pe.channel
// PE-NOT: pe.flow
// PE: pe.place @model <x = 0, y = 0, width = 8, height = 8>
// PE: pe.route

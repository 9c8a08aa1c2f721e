//===- Passes.td - Conversions between project dialects ----*- tablegen -*-===//

#ifndef WSE_CONVERSION_PASSES_TD
#define WSE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertONNXToWafer : Pass<"convert-onnx-to-wafer", "mlir::ModuleOp"> {
  let summary = "lower static onnx IR of a decoder model to wafer layers";
  let description = [{
    Every `onnx` op becomes `wafer` ops: MatMul/Gemm with a parameter
    operand become `wafer.linear` fed by a `wafer.stream`, MatMul between
    activations `wafer.matmul`, elementwise ops `wafer.elementwise` bodies of
    `arith`/`math` ops, norms, softmax and reductions their layer ops, Gather
    of a parameter table `wafer.embedding`, and shape ops data-movement ops.
    `onnx.parameter` becomes `wafer.parameter`. After the pass no `onnx` op
    remains; an op or pattern without a lowering is an error naming it.
    Input shapes must be static (run --onnx-prepare first).
  }];
  let dependentDialects = ["::wse::wafer::WaferDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::func::FuncDialect"];
}

def ConvertWaferToPE : Pass<"convert-wafer-to-pe", "mlir::ModuleOp"> {
  let summary = "lower placed, laid-out wafer IR to a per-PE program";
  let description = [{
    The model function becomes one SPMD `pe.kernel` on the bounding
    rectangle of every placement (widened to the west edge and a row with a
    port), with one entry task that runs the layers in program order. Each
    PE computes its block of every result, as the result's `#wafer.dist` on
    the op's rectangle gives it. Operands held elsewhere are all-gathered:
    owners write their blocks into a zeroed buffer and a sum all-reduce
    (relay chains down the columns and along the rows on alternating
    channels, then a broadcast back) completes it on every PE. Weights,
    constants and host inputs arrive on one multicast channel from the edge
    port in the order the code reads them; linear layers and embeddings read
    their weights on arrival. Outputs leave through the same port.

    The result has `pe.channel`s and `pe.flow`s and buffers without
    addresses: run pe-route, pe-assign-colors and pe-allocate-sram next.
    docs/pe/lowering.md describes the kernels.
  }];
  let dependentDialects = ["::wse::pe::PEDialect"];
  let options = [
    Option<"marks", "marks", "bool", /*default=*/"true",
           "begin each placed op's code with `mark N` (wse-emu's cycles per "
           "op and layer); false leaves their code words to data">,
  ];
}

#endif // WSE_CONVERSION_PASSES_TD

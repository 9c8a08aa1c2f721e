//===- Passes.td - Conversions between the project's dialects -*- tablegen -*-===//

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

#endif // WSE_CONVERSION_PASSES_TD

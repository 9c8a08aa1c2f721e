//===- Passes.td - Passes over the onnx dialect ------------*- tablegen -*-===//
#ifndef WSE_DIALECT_ONNX_PASSES_TD
#define WSE_DIALECT_ONNX_PASSES_TD

include "mlir/Pass/PassBase.td"

def ONNXStaticize : Pass<"onnx-staticize", "mlir::ModuleOp"> {
  let summary = "Fold shape computations and give every tensor a static type";
  let description = [{
    Alternates type refinement and constant evaluation of shape-computation
    subgraphs (Shape, Gather/Slice/Concat/Unsqueeze/Squeeze on shape vectors,
    Cast, Range, Equal, Where, ConstantOfShape, Expand, integer arithmetic,
    Reshape with -1/0) until nothing changes, then removes the dead shape
    ops. Parameters are never folded and results above `max-fold-elements`
    stay computed at run time. If a dynamic dimension remains, the pass fails
    naming the first op whose result it cannot make static.
  }];
  let options = [
    Option<"maxFoldElements", "max-fold-elements", "int64_t", "4096",
           "Largest tensor (in elements) the pass materializes as a constant">,
    Option<"allowDynamic", "allow-dynamic", "bool", "false",
           "Report remaining dynamic dimensions as warnings, not errors">,
  ];
}

def ONNXRecompose : Pass<"onnx-recompose", "mlir::func::FuncOp"> {
  let summary = "Recompose idioms exporters decompose";
  let description = [{
    Rewrites the opset<17 LayerNorm chain (ReduceMean, Sub, Pow, ReduceMean,
    Add, Sqrt, Div, Mul, Add) into onnx.LayerNormalization, the RMSNorm chain
    into onnx.RMSNormalization, the tanh and erf forms of GELU into onnx.Gelu,
    x * Sigmoid(x) into onnx.SiLU, and drops Identity.
  }];
  let dependentDialects = ["wse::onnxir::ONNXDialect"];
}

#endif // WSE_DIALECT_ONNX_PASSES_TD

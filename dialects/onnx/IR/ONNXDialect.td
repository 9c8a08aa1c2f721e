//===- ONNXDialect.td - The onnx dialect definition --------*- tablegen -*-===//
//
// The `onnx` dialect is the faithful import level: one canonical op per ONNX
// op, attributes normalized across opsets 7-21, weights as named parameters.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_ONNX_DIALECT_TD
#define WSE_DIALECT_ONNX_DIALECT_TD

include "mlir/IR/OpBase.td"

def ONNX_Dialect : Dialect {
  let name = "onnx";
  let cppNamespace = "::wse::onnxir";
  let summary = "ONNX operators as imported from decoder language models";
  let description = [{
    The `onnx` dialect holds a model as exported by torch.onnx or another
    ONNX producer, one op per ONNX node. Differences between opset versions
    (for example `axes` given as an input or as an attribute) are normalized
    at import so every op has a single canonical form. Large initializers are
    never embedded: they become `onnx.parameter` symbols that record where the
    bytes live, and `onnx.param_ref` ops that read them.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
}

#endif // WSE_DIALECT_ONNX_DIALECT_TD

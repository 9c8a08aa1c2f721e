//===- ONNXOps.cpp - Folders and symbol checks of the onnx dialect --------===//
#include "dialects/onnx/IR/ONNXOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace wse::onnxir;

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

LogicalResult
ParamRefOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto param = symbolTable.lookupNearestSymbolFrom<ParameterOp>(
      getOperation(), getNameAttr());
  if (!param)
    return emitOpError() << "refers to '" << getName()
                         << "', which is not an onnx.parameter";
  if (param.getType() != getType())
    return emitOpError() << "result type " << getType()
                         << " differs from the type of parameter '"
                         << getName() << "': " << param.getType();
  return success();
}

#define GET_OP_CLASSES
#include "dialects/onnx/IR/ONNXOps.cpp.inc"

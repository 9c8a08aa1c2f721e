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

/// Reshape, Expand and Cast to the operand's own static type do nothing.
static OpFoldResult foldToSameType(Value input, Type result) {
  auto type = dyn_cast<RankedTensorType>(result);
  if (type && type.hasStaticShape() && input.getType() == type)
    return input;
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  return foldToSameType(getData(), getType());
}

OpFoldResult ExpandOp::fold(FoldAdaptor) {
  return foldToSameType(getInput(), getType());
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  return foldToSameType(getInput(), getType());
}

LogicalResult ParamRefOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto param = symbolTable.lookupNearestSymbolFrom<ParameterOp>(getOperation(),
                                                                getNameAttr());
  if (!param)
    return emitOpError() << "refers to '" << getName()
                         << "', which is not an onnx.parameter";
  if (param.getType() != getType())
    return emitOpError() << "result type " << getType()
                         << " differs from the type of parameter '" << getName()
                         << "': " << param.getType();
  return success();
}

#define GET_OP_CLASSES
#include "dialects/onnx/IR/ONNXOps.cpp.inc"

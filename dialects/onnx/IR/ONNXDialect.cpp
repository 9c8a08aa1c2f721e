//===- ONNXDialect.cpp - The onnx dialect ---------------------------------===//
#include "dialects/onnx/IR/ONNXDialect.h"
#include "dialects/onnx/IR/ONNXOps.h"

using namespace mlir;
using namespace wse::onnxir;

#include "dialects/onnx/IR/ONNXDialect.cpp.inc"

void ONNXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/onnx/IR/ONNXOps.cpp.inc"
      >();
}

Operation *ONNXDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}

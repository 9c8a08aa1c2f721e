//===- Helpers.cpp - Shared helpers of the onnx to wafer lowering ---------===//

#include "Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace wse;

InFlightDiagnostic onnxtowafer::cannotLower(Operation *op) {
  InFlightDiagnostic diag = op->emitOpError();
  diag << "cannot be lowered to wafer: ";
  return diag;
}

LogicalResult onnxtowafer::cannotLower(Operation *op, const Twine &reason) {
  return cannotLower(op) << reason;
}

RankedTensorType onnxtowafer::tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

std::optional<SmallVector<int64_t>> onnxtowafer::constantInts(Value value) {
  DenseIntElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> ints;
  for (const APInt &v : attr.getValues<APInt>())
    ints.push_back(v.getSExtValue());
  return ints;
}

Value onnxtowafer::reshapeTo(OpBuilder &b, Location loc, Value value,
                             ArrayRef<int64_t> shape) {
  RankedTensorType type = tensorType(value);
  if (type.getShape() == shape)
    return value;
  return wafer::ReshapeOp::create(b, loc, type.clone(shape), value,
                                  mesh::RectAttr());
}

Value onnxtowafer::scalarFloat(OpBuilder &b, Location loc, Type type,
                               double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value onnxtowafer::buildElementwise(OpBuilder &b, Location loc,
                                    ValueRange inputs,
                                    RankedTensorType resultType,
                                    BodyBuilder body) {
  // Each input is either a splat (materialized in the body) or a slot among
  // the distinct tensor operands.
  SmallVector<Value> operands;
  SmallVector<TypedAttr> splats(inputs.size());
  SmallVector<unsigned> slots(inputs.size(), 0);
  for (auto [i, input] : llvm::enumerate(inputs)) {
    DenseElementsAttr attr;
    if (matchPattern(input, m_Constant(&attr)) && attr.isSplat()) {
      splats[i] = cast<TypedAttr>(attr.getSplatValue<Attribute>());
      continue;
    }
    auto *it = llvm::find(operands, input);
    slots[i] = it - operands.begin();
    if (it == operands.end())
      operands.push_back(input);
  }
  auto op = wafer::ElementwiseOp::create(b, loc, resultType, operands,
                                         mesh::RectAttr());
  SmallVector<Type> argTypes;
  for (Value operand : operands)
    argTypes.push_back(tensorType(operand).getElementType());
  SmallVector<Location> argLocs(operands.size(), loc);

  OpBuilder::InsertionGuard guard(b);
  Block *block = b.createBlock(&op.getBody(), {}, argTypes, argLocs);
  SmallVector<Value> scalars;
  for (auto [i, splat] : llvm::enumerate(splats))
    scalars.push_back(splat ? arith::ConstantOp::create(b, loc, splat)
                            : Value(block->getArgument(slots[i])));
  Value result = body(b, loc, scalars);
  wafer::YieldOp::create(b, loc, result);
  return op.getOutput();
}

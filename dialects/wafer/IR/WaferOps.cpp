//===- WaferOps.cpp - Verifiers and folders of the wafer ops --------------===//
//
// Shapes are compared without their #wafer.dist encodings: a distribution
// never changes what a tensor holds.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/IR/WaferOps.h"
#include "dialects/wafer/IR/OpVerifiers.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace wse::wafer;

#define GET_OP_CLASSES
#include "dialects/wafer/IR/WaferOps.cpp.inc"

RankedTensorType wse::wafer::tensorOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

/// Every tensor operand and result either has no encoding or a #wafer.dist of
/// its rank.
LogicalResult wse::wafer::verifyEncodings(Operation *op) {
  auto check = [&](Type type, StringRef what, unsigned index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.getEncoding())
      return success();
    auto dist = dyn_cast<DistAttr>(tensor.getEncoding());
    if (!dist)
      return op->emitOpError() << what << " #" << index
                               << " has an encoding that is not a #wafer.dist";
    if (dist.getAxes().size() != size_t(tensor.getRank()))
      return op->emitOpError()
             << what << " #" << index << " has a distribution of "
             << dist.getAxes().size() << " dimensions for a tensor of rank "
             << tensor.getRank();
    return success();
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}

static LogicalResult expectShape(Operation *op, Value value,
                                 ArrayRef<int64_t> expected, StringRef what) {
  auto shape = tensorOf(value).getShape();
  if (shape != expected)
    return op->emitOpError() << what << " has shape " << shapeString(shape)
                             << ", expected " << shapeString(expected);
  return success();
}

static LogicalResult sameElementType(Operation *op, ValueRange values) {
  for (Value value : values)
    if (tensorOf(value).getElementType() !=
        tensorOf(values.front()).getElementType())
      return op->emitOpError("operands and result must have one element type");
  return success();
}

/// `input` broadcasts to `shape` under numpy rules (aligned on the right).
static bool broadcastsTo(ArrayRef<int64_t> input, ArrayRef<int64_t> shape) {
  if (input.size() > shape.size())
    return false;
  size_t lead = shape.size() - input.size();
  for (size_t i = 0; i < input.size(); ++i)
    if (input[i] != 1 && input[i] != shape[lead + i])
      return false;
  return true;
}

static FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis,
                                        int64_t rank) {
  if (axis < -rank || axis >= rank) {
    op->emitOpError() << "axis " << axis << " is out of range for rank "
                      << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

LogicalResult ParameterOp::verify() {
  auto type = cast<RankedTensorType>(getType());
  if (type.getEncoding())
    return emitOpError("parameter type must not carry a distribution");
  if (getOffset() < 0)
    return emitOpError() << "offset " << getOffset() << " is negative";
  int64_t expected =
      type.getNumElements() * elementBytes(type.getElementType());
  if (getLength() != expected)
    return emitOpError() << "length " << getLength() << " does not match "
                         << type << " (" << expected << " bytes)";
  if (getFile().empty())
    return emitOpError("file name is empty");
  return success();
}

RankedTensorType wse::wafer::parameterType(Operation *op,
                                           FlatSymbolRefAttr name,
                                           SymbolTableCollection &symbols) {
  auto param = symbols.lookupNearestSymbolFrom<ParameterOp>(op, name.getAttr());
  if (!param) {
    op->emitOpError() << "'" << name.getValue()
                      << "' does not name a wafer.parameter";
    return {};
  }
  return cast<RankedTensorType>(param.getType());
}

LogicalResult StreamOp::verifySymbolUses(SymbolTableCollection &symbols) {
  RankedTensorType paramType = parameterType(*this, getNameAttr(), symbols);
  if (!paramType)
    return failure();
  auto type = tensorOf(getOutput());
  if (paramType.getShape() != type.getShape() ||
      paramType.getElementType() != type.getElementType())
    return emitOpError() << "result type " << type << " does not match "
                         << "parameter '" << getName() << "' of type "
                         << paramType;
  return success();
}

LogicalResult StreamOp::verify() {
  if (failed(verifyEncodings(*this)))
    return failure();
  if (getDepth() && *getDepth() < 1)
    return emitOpError() << "buffering depth " << *getDepth()
                         << " must be at least 1";
  if (getChunkBytes() && *getChunkBytes() < 1)
    return emitOpError() << "chunk_bytes " << *getChunkBytes()
                         << " must be positive";
  if (getOrder() && *getOrder() < 0)
    return emitOpError() << "order " << *getOrder() << " is negative";
  if (getStartCycle().has_value() != getEndCycle().has_value())
    return emitOpError("start_cycle and end_cycle come together");
  if (getStartCycle() &&
      (*getStartCycle() < 0 || *getEndCycle() < *getStartCycle()))
    return emitOpError() << "arrival window [" << *getStartCycle() << ", "
                         << *getEndCycle() << "] is not a valid interval";
  return success();
}

LogicalResult ConstantOp::verify() {
  if (failed(verifyEncodings(*this)))
    return failure();
  auto valueType = cast<ShapedType>(getValue().getType());
  auto type = tensorOf(getOutput());
  if (valueType.getShape() != type.getShape() ||
      valueType.getElementType() != type.getElementType())
    return emitOpError() << "value of type " << valueType
                         << " does not match the result type " << type;
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Compute layers
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, getOperation()->getOperands())) ||
      failed(sameElementType(*this, {getInput(), getOutput()})))
    return failure();
  auto in = tensorOf(getInput()).getShape();
  auto w = tensorOf(getWeight()).getShape();
  if (in.empty())
    return emitOpError("input must have rank at least 1");
  if (w.size() != 2)
    return emitOpError() << "weight must have rank 2, got " << w.size();
  int64_t k = getTransposeWeight() ? w[1] : w[0];
  int64_t n = getTransposeWeight() ? w[0] : w[1];
  if (in.back() != k)
    return emitOpError() << "input's last dimension " << in.back()
                         << " does not match the weight's reduction dimension "
                         << k;
  SmallVector<int64_t> expected(in.drop_back());
  expected.push_back(n);
  if (getBias() && failed(expectShape(*this, getBias(), {n}, "bias")))
    return failure();
  return expectShape(*this, getOutput(), expected, "result");
}

LogicalResult MatmulOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, {getLhs(), getRhs(), getOutput()})))
    return failure();
  auto lhs = tensorOf(getLhs()).getShape();
  auto rhs = tensorOf(getRhs()).getShape();
  if (lhs.size() < 2 || rhs.size() < 2)
    return emitOpError("operands must have rank at least 2");
  if (lhs.back() != rhs[rhs.size() - 2])
    return emitOpError() << "contraction dimensions differ: " << lhs.back()
                         << " vs " << rhs[rhs.size() - 2];
  SmallVector<int64_t> batch;
  if (!OpTrait::util::getBroadcastedShape(lhs.drop_back(2), rhs.drop_back(2),
                                          batch))
    return emitOpError("batch dimensions do not broadcast");
  batch.push_back(lhs[lhs.size() - 2]);
  batch.push_back(rhs.back());
  return expectShape(*this, getOutput(), batch, "result");
}

LogicalResult ElementwiseOp::verify() {
  if (failed(verifyEncodings(*this)))
    return failure();
  auto shape = tensorOf(getOutput()).getShape();
  for (auto [i, input] : llvm::enumerate(getInputs()))
    if (!broadcastsTo(tensorOf(input).getShape(), shape))
      return emitOpError() << "operand #" << i << " of shape "
                           << shapeString(tensorOf(input).getShape())
                           << " does not broadcast to the result shape "
                           << shapeString(shape);
  return success();
}

LogicalResult ElementwiseOp::verifyRegions() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "body has " << body.getNumArguments()
                         << " arguments for " << getInputs().size()
                         << " operands";
  for (auto [i, arg, input] : llvm::enumerate(body.getArguments(), getInputs()))
    if (arg.getType() != tensorOf(input).getElementType())
      return emitOpError() << "body argument #" << i << " has type "
                           << arg.getType() << ", expected the element type "
                           << tensorOf(input).getElementType();
  for (Operation &op : body.without_terminator()) {
    StringRef ns = op.getDialect() ? op.getDialect()->getNamespace() : "";
    if ((ns != "arith" && ns != "math") || op.getNumRegions() != 0)
      return op.emitOpError()
             << "is not allowed in a wafer.elementwise body (arith and math "
                "scalar ops only)";
    for (Type type : op.getResultTypes())
      if (!type.isIntOrIndexOrFloat())
        return op.emitOpError() << "produces " << type
                                << "; elementwise bodies compute on scalars";
  }
  auto yield = cast<YieldOp>(body.getTerminator());
  Type elementType = tensorOf(getOutput()).getElementType();
  if (yield.getValue().getType() != elementType)
    return emitOpError() << "body yields " << yield.getValue().getType()
                         << ", expected the result element type "
                         << elementType;
  return success();
}

int64_t ElementwiseOp::getOpsPerElement() {
  return std::max<int64_t>(
      1, std::distance(getBody().front().without_terminator().begin(),
                       getBody().front().without_terminator().end()));
}

/// The normalized dimensions of a norm: from `axis` to the end.
static LogicalResult verifyNorm(Operation *op, Value input, Value scale,
                                Value bias, Value output, int64_t axis) {
  if (failed(verifyEncodings(op)) ||
      failed(sameElementType(op, op->getOperands())) ||
      failed(sameElementType(op, {input, output})))
    return failure();
  auto shape = tensorOf(input).getShape();
  auto normalized = normalizeAxis(op, axis, shape.size());
  if (failed(normalized))
    return failure();
  auto tail = shape.drop_front(*normalized);
  for (Value param : {scale, bias})
    if (param && !broadcastsTo(tensorOf(param).getShape(), tail))
      return op->emitOpError() << "scale/bias of shape "
                               << shapeString(tensorOf(param).getShape())
                               << " does not broadcast to the normalized shape "
                               << shapeString(tail);
  return expectShape(op, output, shape, "result");
}

LogicalResult LayerNormOp::verify() {
  return verifyNorm(*this, getInput(), getScale(), getBias(), getOutput(),
                    getAxis());
}

LogicalResult RMSNormOp::verify() {
  return verifyNorm(*this, getInput(), getScale(), nullptr, getOutput(),
                    getAxis());
}

LogicalResult SoftmaxOp::verify() {
  if (failed(verifyEncodings(*this)))
    return failure();
  return normalizeAxis(*this, getAxis(), tensorOf(getInput()).getRank());
}

LogicalResult ReduceOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, {getInput(), getOutput()})))
    return failure();
  auto shape = tensorOf(getInput()).getShape();
  SmallVector<bool> reduced(shape.size(), false);
  for (int64_t axis : getAxes()) {
    auto normalized = normalizeAxis(*this, axis, shape.size());
    if (failed(normalized))
      return failure();
    if (reduced[*normalized])
      return emitOpError() << "axis " << axis << " is listed twice";
    reduced[*normalized] = true;
  }
  if (getAxes().empty())
    return emitOpError("needs at least one axis");
  SmallVector<int64_t> expected;
  for (auto [i, size] : llvm::enumerate(shape))
    if (!reduced[i])
      expected.push_back(size);
    else if (getKeepdims())
      expected.push_back(1);
  return expectShape(*this, getOutput(), expected, "result");
}

LogicalResult EmbeddingOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, {getTable(), getOutput()})))
    return failure();
  auto table = tensorOf(getTable()).getShape();
  if (table.size() != 2)
    return emitOpError() << "table must have rank 2, got " << table.size();
  SmallVector<int64_t> expected(tensorOf(getIndices()).getShape());
  expected.push_back(table[1]);
  return expectShape(*this, getOutput(), expected, "result");
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, {getInput(), getOutput()})))
    return failure();
  if (tensorOf(getInput()).getNumElements() !=
      tensorOf(getOutput()).getNumElements())
    return emitOpError() << "cannot reshape "
                         << shapeString(tensorOf(getInput()).getShape())
                         << " to "
                         << shapeString(tensorOf(getOutput()).getShape())
                         << ": element counts differ";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}

LogicalResult TransposeOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, {getInput(), getOutput()})))
    return failure();
  auto shape = tensorOf(getInput()).getShape();
  auto perm = getPerm();
  if (perm.size() != shape.size())
    return emitOpError() << "perm has " << perm.size() << " entries for rank "
                         << shape.size();
  SmallVector<bool> seen(shape.size(), false);
  SmallVector<int64_t> expected;
  for (int64_t p : perm) {
    if (p < 0 || p >= int64_t(shape.size()) || seen[p])
      return emitOpError("perm is not a permutation");
    seen[p] = true;
    expected.push_back(shape[p]);
  }
  return expectShape(*this, getOutput(), expected, "result");
}

LogicalResult ConcatOp::verify() {
  SmallVector<Value> all(getInputs());
  all.push_back(getOutput());
  if (failed(verifyEncodings(*this)) || failed(sameElementType(*this, all)))
    return failure();
  if (getInputs().empty())
    return emitOpError("needs at least one operand");
  auto first = tensorOf(getInputs().front()).getShape();
  auto axis = normalizeAxis(*this, getAxis(), first.size());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> expected(first);
  expected[*axis] = 0;
  for (Value input : getInputs()) {
    auto shape = tensorOf(input).getShape();
    if (shape.size() != first.size())
      return emitOpError("operands must have one rank");
    for (size_t i = 0; i < shape.size(); ++i)
      if (int64_t(i) != *axis && shape[i] != first[i])
        return emitOpError() << "operands differ in dimension " << i
                             << " outside the concatenation axis";
    expected[*axis] += shape[*axis];
  }
  return expectShape(*this, getOutput(), expected, "result");
}

LogicalResult SplitOp::verify() {
  SmallVector<Value> all(getOutputs());
  all.push_back(getInput());
  if (failed(verifyEncodings(*this)) || failed(sameElementType(*this, all)))
    return failure();
  auto shape = tensorOf(getInput()).getShape();
  auto axis = normalizeAxis(*this, getAxis(), shape.size());
  if (failed(axis))
    return failure();
  if (getOutputs().empty())
    return emitOpError("needs at least one result");
  int64_t total = 0;
  for (Value output : getOutputs()) {
    auto piece = tensorOf(output).getShape();
    if (piece.size() != shape.size())
      return emitOpError("results must have the operand's rank");
    for (size_t i = 0; i < shape.size(); ++i)
      if (int64_t(i) != *axis && piece[i] != shape[i])
        return emitOpError() << "result differs from the operand in dimension "
                             << i << " outside the split axis";
    total += piece[*axis];
  }
  if (total != shape[*axis])
    return emitOpError() << "pieces cover " << total << " of " << shape[*axis]
                         << " elements along axis " << *axis;
  return success();
}

LogicalResult SliceOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, {getInput(), getOutput()})))
    return failure();
  auto in = tensorOf(getInput()).getShape();
  auto out = tensorOf(getOutput()).getShape();
  if (out.size() != in.size() || getOffsets().size() != in.size() ||
      getStrides().size() != in.size())
    return emitOpError() << "operand, result, offsets and strides must all "
                            "have rank "
                         << in.size();
  for (size_t i = 0; i < in.size(); ++i) {
    int64_t offset = getOffsets()[i], stride = getStrides()[i];
    if (stride <= 0)
      return emitOpError() << "stride " << stride << " of dimension " << i
                           << " must be positive";
    if (offset < 0 || (out[i] > 0 && offset + (out[i] - 1) * stride >= in[i]))
      return emitOpError() << "window of dimension " << i << " (offset "
                           << offset << ", " << out[i] << " elements, stride "
                           << stride << ") leaves the operand of size "
                           << in[i];
  }
  return success();
}

LogicalResult GatherOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, {getInput(), getOutput()})))
    return failure();
  auto data = tensorOf(getInput()).getShape();
  auto axis = normalizeAxis(*this, getAxis(), data.size());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> expected(data.take_front(*axis));
  llvm::append_range(expected, tensorOf(getIndices()).getShape());
  llvm::append_range(expected, data.drop_front(*axis + 1));
  return expectShape(*this, getOutput(), expected, "result");
}

LogicalResult BroadcastOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, {getInput(), getOutput()})))
    return failure();
  if (!broadcastsTo(tensorOf(getInput()).getShape(),
                    tensorOf(getOutput()).getShape()))
    return emitOpError() << "operand of shape "
                         << shapeString(tensorOf(getInput()).getShape())
                         << " does not broadcast to "
                         << shapeString(tensorOf(getOutput()).getShape());
  return success();
}

LogicalResult RelayoutOp::verify() {
  if (failed(verifyEncodings(*this)) ||
      failed(sameElementType(*this, {getInput(), getOutput()})))
    return failure();
  return expectShape(*this, getOutput(), tensorOf(getInput()).getShape(),
                     "result");
}

//===- ONNXVerifiers.cpp - Verifiers of the onnx dialect ops --------------===//
//
// Verifiers check what is knowable from the types present: ranks, element
// types and attribute values. Dynamic dimensions are accepted everywhere
// because imported IR is verified before staticization.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/IR/ONNXOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace wse::onnxir;

namespace {

RankedTensorType ranked(Value v) {
  return dyn_cast<RankedTensorType>(v.getType());
}

/// Checks that `axis` addresses one of `rank` dimensions (negative counts
/// from the back, as in ONNX).
LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank,
                         StringRef what = "axis") {
  if (axis < -rank || axis >= rank)
    return op->emitOpError()
           << what << " " << axis << " is out of range for rank " << rank;
  return success();
}

LogicalResult verifyAxes(Operation *op, ArrayRef<int64_t> axes, int64_t rank) {
  llvm::SmallSet<int64_t, 8> seen;
  for (int64_t axis : axes) {
    if (failed(verifyAxis(op, axis, rank, "axes entry")))
      return failure();
    if (!seen.insert(axis < 0 ? axis + rank : axis).second)
      return op->emitOpError() << "axes entry " << axis << " is repeated";
  }
  return success();
}

LogicalResult verifyFlag(Operation *op, StringRef name, int64_t value) {
  if (value != 0 && value != 1)
    return op->emitOpError() << name << " must be 0 or 1, got " << value;
  return success();
}

LogicalResult verifyRank(Operation *op, Value v, int64_t rank, StringRef what) {
  auto type = ranked(v);
  if (type && type.getRank() != rank)
    return op->emitOpError()
           << what << " must have rank " << rank << ", got " << type;
  return success();
}

LogicalResult verifyResultRank(Operation *op, int64_t expected) {
  auto type = ranked(op->getResult(0));
  if (type && type.getRank() != expected)
    return op->emitOpError()
           << "result must have rank " << expected << ", got " << type;
  return success();
}

LogicalResult verifySameShape(Operation *op) {
  if (failed(verifyCompatibleShape(op->getOperand(0).getType(),
                                   op->getResult(0).getType())))
    return op->emitOpError()
           << "result shape " << op->getResult(0).getType()
           << " differs from operand shape " << op->getOperand(0).getType();
  return success();
}

/// Numpy broadcasting of the operand shapes must be possible and agree with
/// the result shape.
LogicalResult verifyBroadcast(Operation *op) {
  SmallVector<int64_t> shape;
  SmallVector<RankedTensorType> types;
  for (Value operand : op->getOperands()) {
    auto type = ranked(operand);
    if (!type)
      return success();
    types.push_back(type);
  }
  shape.assign(types.front().getShape().begin(),
               types.front().getShape().end());
  for (RankedTensorType type : llvm::drop_begin(types)) {
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(shape, type.getShape(), next))
      return op->emitOpError()
             << "operand shapes do not broadcast: " << op->getOperandTypes();
    shape = next;
  }
  auto result = ranked(op->getResult(0));
  if (result && failed(verifyCompatibleShape(shape, result.getShape())))
    return op->emitOpError() << "result type " << result
                             << " does not match the broadcast shape of "
                             << op->getOperandTypes();
  return success();
}

LogicalResult verifyReduce(Operation *op, Value data,
                           std::optional<ArrayRef<int64_t>> axes,
                           int64_t keepdims, int64_t noop) {
  if (failed(verifyFlag(op, "keepdims", keepdims)) ||
      failed(verifyFlag(op, "noop_with_empty_axes", noop)))
    return failure();
  auto type = ranked(data);
  if (!type)
    return success();
  if (axes && failed(verifyAxes(op, *axes, type.getRank())))
    return failure();
  int64_t reduced = axes && !axes->empty() ? (int64_t)axes->size()
                    : noop                 ? 0
                                           : type.getRank();
  return verifyResultRank(op,
                          keepdims ? type.getRank() : type.getRank() - reduced);
}

} // namespace

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

#define WSE_UNARY_VERIFIER(OP)                                                 \
  LogicalResult OP::verify() { return verifySameShape(*this); }
WSE_UNARY_VERIFIER(SqrtOp)
WSE_UNARY_VERIFIER(ReciprocalOp)
WSE_UNARY_VERIFIER(ExpOp)
WSE_UNARY_VERIFIER(LogOp)
WSE_UNARY_VERIFIER(ErfOp)
WSE_UNARY_VERIFIER(TanhOp)
WSE_UNARY_VERIFIER(SigmoidOp)
WSE_UNARY_VERIFIER(SinOp)
WSE_UNARY_VERIFIER(CosOp)
WSE_UNARY_VERIFIER(SiLUOp)
WSE_UNARY_VERIFIER(NegOp)
WSE_UNARY_VERIFIER(AbsOp)
WSE_UNARY_VERIFIER(ReluOp)
WSE_UNARY_VERIFIER(IdentityOp)
WSE_UNARY_VERIFIER(NotOp)
#undef WSE_UNARY_VERIFIER

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError() << "approximate must be \"none\" or \"tanh\", got \""
                         << getApproximate() << "\"";
  return verifySameShape(*this);
}

#define WSE_ARITH_VERIFIER(OP)                                                 \
  LogicalResult OP::verify() { return verifyBroadcast(*this); }
WSE_ARITH_VERIFIER(AddOp)
WSE_ARITH_VERIFIER(SubOp)
WSE_ARITH_VERIFIER(MulOp)
WSE_ARITH_VERIFIER(DivOp)
WSE_ARITH_VERIFIER(MaxOp)
WSE_ARITH_VERIFIER(MinOp)
#undef WSE_ARITH_VERIFIER

LogicalResult PowOp::verify() {
  if (getElementTypeOrSelf(getLhs()) != getElementTypeOrSelf(getType()))
    return emitOpError("result element type must equal the base's");
  return verifyBroadcast(*this);
}

static LogicalResult verifyPredicate(Operation *op, bool boolOperands) {
  if (!getElementTypeOrSelf(op->getResult(0).getType()).isInteger(1))
    return op->emitOpError("result must have element type i1");
  Type lhs = getElementTypeOrSelf(op->getOperand(0).getType());
  if (lhs != getElementTypeOrSelf(op->getOperand(1).getType()))
    return op->emitOpError("operands must have the same element type");
  if (boolOperands && !lhs.isInteger(1))
    return op->emitOpError("operands must have element type i1");
  return verifyBroadcast(op);
}

LogicalResult EqualOp::verify() { return verifyPredicate(*this, false); }
LogicalResult LessOp::verify() { return verifyPredicate(*this, false); }
LogicalResult GreaterOp::verify() { return verifyPredicate(*this, false); }
LogicalResult AndOp::verify() { return verifyPredicate(*this, true); }
LogicalResult OrOp::verify() { return verifyPredicate(*this, true); }

LogicalResult WhereOp::verify() {
  Type x = getElementTypeOrSelf(getX());
  if (x != getElementTypeOrSelf(getY()) || x != getElementTypeOrSelf(getType()))
    return emitOpError("x, y and the result must have the same element type");
  return verifyBroadcast(*this);
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::verify() {
  Type elem = getElementTypeOrSelf(getA());
  if (elem != getElementTypeOrSelf(getB()) ||
      elem != getElementTypeOrSelf(getType()))
    return emitOpError("operands and result must have the same element type");
  auto a = ranked(getA()), b = ranked(getB());
  if (!a || !b)
    return success();
  if (a.getRank() < 1 || b.getRank() < 1)
    return emitOpError("operands must have rank >= 1");
  int64_t ka = a.getShape().back();
  int64_t kb =
      b.getRank() == 1 ? b.getShape()[0] : b.getShape()[b.getRank() - 2];
  if (!ShapedType::isDynamic(ka) && !ShapedType::isDynamic(kb) && ka != kb)
    return emitOpError() << "contraction dimensions differ: " << ka << " vs "
                         << kb;
  int64_t batchA = std::max<int64_t>(a.getRank() - 2, 0);
  int64_t batchB = std::max<int64_t>(b.getRank() - 2, 0);
  SmallVector<int64_t> batch;
  if (!OpTrait::util::getBroadcastedShape(a.getShape().take_front(batchA),
                                          b.getShape().take_front(batchB),
                                          batch))
    return emitOpError("batch dimensions do not broadcast");
  int64_t rank = batch.size() + (a.getRank() > 1) + (b.getRank() > 1);
  return verifyResultRank(*this, rank);
}

LogicalResult GemmOp::verify() {
  if (failed(verifyFlag(*this, "transA", getTransA())) ||
      failed(verifyFlag(*this, "transB", getTransB())) ||
      failed(verifyRank(*this, getA(), 2, "A")) ||
      failed(verifyRank(*this, getB(), 2, "B")) ||
      failed(verifyResultRank(*this, 2)))
    return failure();
  auto a = ranked(getA()), b = ranked(getB());
  if (!a || !b)
    return success();
  int64_t ka = a.getShape()[getTransA() ? 0 : 1];
  int64_t kb = b.getShape()[getTransB() ? 1 : 0];
  if (!ShapedType::isDynamic(ka) && !ShapedType::isDynamic(kb) && ka != kb)
    return emitOpError() << "contraction dimensions differ: " << ka << " vs "
                         << kb;
  return success();
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  if (failed(verifyFlag(*this, "allowzero", getAllowzero())) ||
      failed(verifyRank(*this, getShape(), 1, "shape")))
    return failure();
  auto data = ranked(getData()), result = ranked(getOutput());
  if (data && result && data.hasStaticShape() && result.hasStaticShape() &&
      data.getNumElements() != result.getNumElements())
    return emitOpError() << "reshapes " << data.getNumElements()
                         << " elements into " << result.getNumElements();
  auto shape = ranked(getShape());
  if (shape && !shape.isDynamicDim(0))
    return verifyResultRank(*this, shape.getDimSize(0));
  return success();
}

LogicalResult TransposeOp::verify() {
  auto type = ranked(getData());
  if (!type)
    return success();
  ArrayRef<int64_t> perm = getPerm();
  if ((int64_t)perm.size() != type.getRank())
    return emitOpError() << "perm has " << perm.size()
                         << " entries for an operand of rank "
                         << type.getRank();
  SmallVector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= type.getRank() || seen[p])
      return emitOpError("perm is not a permutation");
    seen[p] = true;
  }
  auto result = ranked(getOutput());
  if (!result)
    return success();
  SmallVector<int64_t> expected;
  for (int64_t p : perm)
    expected.push_back(type.getDimSize(p));
  if (failed(verifyCompatibleShape(expected, result.getShape())))
    return emitOpError() << "result type " << result
                         << " is not the permuted operand shape";
  return success();
}

LogicalResult SqueezeOp::verify() {
  auto type = ranked(getData());
  if (!type || getAxes().empty())
    return success();
  if (failed(verifyAxes(*this, getAxes(), type.getRank())))
    return failure();
  for (int64_t axis : getAxes()) {
    int64_t dim = type.getDimSize(axis < 0 ? axis + type.getRank() : axis);
    if (!ShapedType::isDynamic(dim) && dim != 1)
      return emitOpError() << "cannot squeeze dimension " << axis << " of size "
                           << dim;
  }
  return verifyResultRank(*this, type.getRank() - getAxes().size());
}

LogicalResult UnsqueezeOp::verify() {
  auto type = ranked(getData());
  if (getAxes().empty())
    return emitOpError("axes must not be empty");
  if (!type)
    return success();
  int64_t rank = type.getRank() + getAxes().size();
  if (failed(verifyAxes(*this, getAxes(), rank)))
    return failure();
  return verifyResultRank(*this, rank);
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  Type elem = getElementTypeOrSelf(getType());
  for (Value input : getInputs())
    if (getElementTypeOrSelf(input) != elem)
      return emitOpError("inputs and result must have the same element type");
  auto first = ranked(getInputs().front());
  if (!first)
    return success();
  if (failed(verifyAxis(*this, getAxis(), first.getRank())))
    return failure();
  int64_t axis = getAxis() < 0 ? getAxis() + first.getRank() : getAxis();
  for (Value input : getInputs()) {
    auto type = ranked(input);
    if (!type)
      continue;
    if (type.getRank() != first.getRank())
      return emitOpError("inputs must have the same rank");
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (d != axis && !type.isDynamicDim(d) && !first.isDynamicDim(d) &&
          type.getDimSize(d) != first.getDimSize(d))
        return emitOpError() << "inputs differ in dimension " << d
                             << " outside the concatenation axis";
  }
  return verifyResultRank(*this, first.getRank());
}

LogicalResult SplitOp::verify() {
  if (getOutputs().empty())
    return emitOpError("needs at least one result");
  auto type = ranked(getInput());
  if (!type)
    return success();
  if (failed(verifyAxis(*this, getAxis(), type.getRank())))
    return failure();
  if (auto split = getSplit()) {
    if (split->size() != getOutputs().size())
      return emitOpError() << "split has " << split->size() << " sizes for "
                           << getOutputs().size() << " results";
    int64_t axis = getAxis() < 0 ? getAxis() + type.getRank() : getAxis();
    int64_t total = 0;
    for (int64_t s : *split) {
      if (s < 0)
        return emitOpError("split sizes must be non-negative");
      total += s;
    }
    if (!type.isDynamicDim(axis) && total != type.getDimSize(axis))
      return emitOpError() << "split sizes sum to " << total
                           << " but the dimension has size "
                           << type.getDimSize(axis);
  }
  return success();
}

LogicalResult SliceOp::verify() {
  int64_t length = ShapedType::kDynamic;
  for (Value v : {getStarts(), getEnds(), getAxes(), getSteps()}) {
    if (failed(verifyRank(*this, v, 1, "starts, ends, axes and steps")))
      return failure();
    auto type = ranked(v);
    if (!type || type.isDynamicDim(0))
      continue;
    if (!ShapedType::isDynamic(length) && length != type.getDimSize(0))
      return emitOpError("starts, ends, axes and steps differ in length");
    length = type.getDimSize(0);
  }
  auto type = ranked(getData());
  if (type)
    return verifyResultRank(*this, type.getRank());
  return success();
}

LogicalResult GatherOp::verify() {
  auto data = ranked(getData()), indices = ranked(getIndices());
  if (getElementTypeOrSelf(getData()) != getElementTypeOrSelf(getType()))
    return emitOpError("data and result must have the same element type");
  if (!data)
    return success();
  if (data.getRank() < 1)
    return emitOpError("data must have rank >= 1");
  if (failed(verifyAxis(*this, getAxis(), data.getRank())))
    return failure();
  if (indices)
    return verifyResultRank(*this, data.getRank() + indices.getRank() - 1);
  return success();
}

LogicalResult ExpandOp::verify() {
  if (getElementTypeOrSelf(getInput()) != getElementTypeOrSelf(getType()))
    return emitOpError("input and result must have the same element type");
  return verifyRank(*this, getShape(), 1, "shape");
}

LogicalResult TileOp::verify() {
  if (failed(verifyRank(*this, getRepeats(), 1, "repeats")))
    return failure();
  if (auto type = ranked(getInput()))
    return verifyResultRank(*this, type.getRank());
  return success();
}

LogicalResult CastOp::verify() { return verifySameShape(*this); }

//===----------------------------------------------------------------------===//
// Reductions and normalizations
//===----------------------------------------------------------------------===//

#define WSE_REDUCE_VERIFIER(OP)                                                \
  LogicalResult OP::verify() {                                                 \
    return verifyReduce(*this, getData(), getAxes(), getKeepdims(),            \
                        getNoopWithEmptyAxes());                               \
  }
WSE_REDUCE_VERIFIER(ReduceMeanOp)
WSE_REDUCE_VERIFIER(ReduceSumOp)
WSE_REDUCE_VERIFIER(ReduceMaxOp)
#undef WSE_REDUCE_VERIFIER

static LogicalResult verifyInputAxis(Operation *op, int64_t axis) {
  if (auto type = ranked(op->getOperand(0)))
    return verifyAxis(op, axis, type.getRank());
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifyInputAxis(*this, getAxis()); }

LogicalResult LogSoftmaxOp::verify() {
  return verifyInputAxis(*this, getAxis());
}

/// Normalizations reduce over the dimensions from `axis` on; scale and bias
/// must broadcast to exactly those dimensions.
static LogicalResult verifyNormalization(Operation *op, int64_t axis,
                                         APFloat epsilon, ValueRange params) {
  if (epsilon.isNegative())
    return op->emitOpError("epsilon must be non-negative");
  if (failed(verifySameShape(op)) || failed(verifyInputAxis(op, axis)))
    return failure();
  auto type = ranked(op->getOperand(0));
  if (!type)
    return success();
  ArrayRef<int64_t> normalized =
      type.getShape().drop_front(axis < 0 ? axis + type.getRank() : axis);
  for (Value param : params) {
    auto paramType = ranked(param);
    if (!paramType)
      continue;
    SmallVector<int64_t> shape;
    if (paramType.getRank() > (int64_t)normalized.size() ||
        !OpTrait::util::getBroadcastedShape(normalized, paramType.getShape(),
                                            shape) ||
        failed(verifyCompatibleShape(shape, normalized)))
      return op->emitOpError()
             << "scale and bias must broadcast to the normalized dimensions ["
             << normalized << "], got " << paramType;
  }
  return success();
}

LogicalResult LayerNormalizationOp::verify() {
  SmallVector<Value> params{getScale()};
  if (getBias())
    params.push_back(getBias());
  return verifyNormalization(*this, getAxis(), getEpsilon(), params);
}

LogicalResult RMSNormalizationOp::verify() {
  return verifyNormalization(*this, getAxis(), getEpsilon(), {getScale()});
}

LogicalResult TriluOp::verify() {
  if (failed(verifyFlag(*this, "upper", getUpper())))
    return failure();
  auto type = ranked(getInput());
  if (type && type.getRank() < 2)
    return emitOpError() << "input must have rank >= 2, got " << type;
  return success();
}

LogicalResult CumSumOp::verify() {
  if (failed(verifyFlag(*this, "exclusive", getExclusive())) ||
      failed(verifyFlag(*this, "reverse", getReverse())))
    return failure();
  if (auto type = ranked(getInput()))
    return verifyAxis(*this, getAxis(), type.getRank());
  return success();
}

//===----------------------------------------------------------------------===//
// Constants, shapes and parameters
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  if (getValue().getType() != getType())
    return emitOpError() << "value type " << getValue().getType()
                         << " differs from result type " << getType();
  return success();
}

LogicalResult ConstantOfShapeOp::verify() {
  if (getValue().getNumElements() != 1)
    return emitOpError("value must hold exactly one element");
  if (getValue().getElementType() != getElementTypeOrSelf(getType()))
    return emitOpError("value and result must have the same element type");
  if (failed(verifyRank(*this, getShape(), 1, "shape")))
    return failure();
  auto shape = ranked(getShape());
  if (shape && !shape.isDynamicDim(0))
    return verifyResultRank(*this, shape.getDimSize(0));
  return success();
}

LogicalResult ShapeOp::verify() {
  if (failed(verifyResultRank(*this, 1)))
    return failure();
  auto type = ranked(getData());
  auto result = ranked(getOutput());
  if (!type || !result || result.isDynamicDim(0))
    return success();
  int64_t rank = type.getRank();
  auto clamp = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  int64_t start = clamp(getStart());
  int64_t end = getEnd() ? clamp(*getEnd()) : rank;
  int64_t length = std::max<int64_t>(end - start, 0);
  if (result.getDimSize(0) != length)
    return emitOpError() << "result has " << result.getDimSize(0)
                         << " entries but the selected dimensions number "
                         << length;
  return success();
}

LogicalResult RangeOp::verify() {
  Type elem = getElementTypeOrSelf(getType());
  for (Value v : {getStart(), getLimit(), getDelta()}) {
    if (failed(verifyRank(*this, v, 0, "start, limit and delta")))
      return failure();
    if (getElementTypeOrSelf(v) != elem)
      return emitOpError(
          "start, limit, delta and the result must share an element type");
  }
  return verifyResultRank(*this, 1);
}

LogicalResult ParameterOp::verify() {
  auto type = cast<RankedTensorType>(getType());
  if (!type.hasStaticShape())
    return emitOpError() << "parameter type must be static, got " << type;
  StringRef file = getFile();
  if (file.empty())
    return emitOpError("file must not be empty");
  if (llvm::sys::path::is_absolute(file) ||
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(file),
                                          llvm::sys::path::end(file)),
                         ".."))
    return emitOpError() << "file '" << file
                         << "' must be relative to the model's folder and "
                            "stay inside it";
  if (getOffset() < 0)
    return emitOpError("offset must be non-negative");
  unsigned bits = type.getElementType().getIntOrFloatBitWidth();
  int64_t expected = type.getNumElements() * ((bits + 7) / 8);
  if (getLength() != expected)
    return emitOpError() << "length " << getLength() << " differs from the "
                         << expected << " bytes of " << type;
  return success();
}

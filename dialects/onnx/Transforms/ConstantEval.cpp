//===- ConstantEval.cpp - Compile-time evaluation of onnx ops -------------===//
//
// Decides which ops may be folded and leaves the arithmetic to the reference
// interpreter's kernels (wse/Reference), so a folded constant is exactly what
// the program computes at run time: floats in fp32 rounded to the result
// type, integers wrapped to their width, Div truncating toward zero. A kernel
// error (integer division by zero, a float out of an integer's range, an
// index out of range, a result disagreeing with the declared type) means
// "keep the op", never a diagnostic.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/Transforms/ConstantEval.h"

#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Transforms/ShapeInference.h"
#include "wse/Reference/ONNXInterpreter.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace wse::onnxir;

namespace {

/// Operands larger than this are not read element by element.
constexpr int64_t kMaxOperandElements = 1 << 22;

/// The result types of `op` if all are static and hold at most `maxElements`
/// elements each (a larger constant would bloat the IR more than the op).
std::optional<SmallVector<RankedTensorType>>
foldableResultTypes(Operation *op, int64_t maxElements) {
  SmallVector<RankedTensorType> types;
  for (Type t : op->getResultTypes()) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape() || rt.getNumElements() > maxElements)
      return std::nullopt;
    types.push_back(rt);
  }
  return types;
}

/// `values` as attributes of `types`; empty if any does not convert.
SmallVector<DenseElementsAttr> toAttrs(ArrayRef<wse::ref::Tensor> values,
                                       ArrayRef<RankedTensorType> types) {
  SmallVector<DenseElementsAttr> attrs;
  for (auto [t, type] : llvm::zip_equal(values, types)) {
    auto attr = wse::ref::tensorToAttr(t, type);
    if (!attr) {
      llvm::consumeError(attr.takeError());
      return {};
    }
    attrs.push_back(*attr);
  }
  return attrs;
}

/// Shape reads only its operand's type, so it folds even when the operand is
/// not a constant (shape inference knows its start/end rules).
SmallVector<DenseElementsAttr> foldShape(ShapeOp op, RankedTensorType type) {
  auto values = getKnownIntegers(op.getOutput());
  if (!values || llvm::any_of(*values, ShapedType::isDynamic))
    return {};
  wse::ref::Tensor t(wse::ref::DType::I64, {(int64_t)values->size()});
  t.i.assign(values->begin(), values->end());
  return toAttrs({t}, {type});
}

/// The value of each operand if all are onnx.Constant of a readable size.
std::optional<std::vector<wse::ref::Tensor>> constantOperands(Operation *op) {
  std::vector<wse::ref::Tensor> operands;
  for (Value v : op->getOperands()) {
    DenseElementsAttr attr = getConstantValue(v);
    // The reference holds f64 in fp32; folding would round the constant.
    if (!attr || attr.getNumElements() > kMaxOperandElements ||
        attr.getElementType().isF64())
      return std::nullopt;
    auto t = wse::ref::tensorFromAttr(attr);
    if (!t) {
      llvm::consumeError(t.takeError());
      return std::nullopt;
    }
    operands.push_back(std::move(*t));
  }
  return operands;
}

} // namespace

bool wse::onnxir::isEvaluable(Operation *op) {
  return isa<ShapeOp, IdentityOp, CastOp, NegOp, AbsOp, ReluOp, NotOp, SqrtOp,
             ReciprocalOp, ExpOp, LogOp, ErfOp, TanhOp, SigmoidOp, SinOp, CosOp,
             AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PowOp, EqualOp, LessOp,
             GreaterOp, AndOp, OrOp, WhereOp, GatherOp, SliceOp, ConcatOp,
             UnsqueezeOp, SqueezeOp, ReshapeOp, ExpandOp, TileOp, TransposeOp,
             RangeOp, ConstantOfShapeOp, TriluOp, CumSumOp, SplitOp>(op);
}

SmallVector<DenseElementsAttr>
wse::onnxir::evaluateConstant(Operation *op, int64_t maxElements) {
  if (!isEvaluable(op) || op->getNumResults() < 1)
    return {};
  auto types = foldableResultTypes(op, maxElements);
  if (!types)
    return {};
  if (auto shape = dyn_cast<ShapeOp>(op))
    return foldShape(shape, types->front());
  // onnx.param_ref is not a Constant, so weights never get here.
  auto operands = constantOperands(op);
  if (!operands)
    return {};
  auto results = wse::ref::evaluateOp(op, *operands);
  if (!results) {
    llvm::consumeError(results.takeError());
    return {};
  }
  return toAttrs(*results, *types);
}

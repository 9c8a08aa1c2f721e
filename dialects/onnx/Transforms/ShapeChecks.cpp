//===- ShapeChecks.cpp - Invalid shape operands found while staticizing ---===//
#include "dialects/onnx/Transforms/ShapeChecks.h"
#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Transforms/ShapeInference.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace wse::onnxir;

namespace {

using Check = std::optional<std::string>;

std::string list(ArrayRef<int64_t> values) {
  std::string s = "[";
  for (auto [i, v] : llvm::enumerate(values)) {
    if (i)
      s += ", ";
    s += ShapedType::isDynamic(v) ? "?" : std::to_string(v);
  }
  return s + "]";
}

Check checkReshape(ReshapeOp op) {
  auto shape = getKnownIntegers(op.getShape());
  if (!shape)
    return std::nullopt;
  int inferred = 0;
  for (int64_t v : *shape) {
    if (ShapedType::isDynamic(v))
      continue;
    if (v < -1)
      return "shape " + list(*shape) + " has the invalid entry " +
             std::to_string(v);
    inferred += v == -1;
  }
  if (inferred > 1)
    return "shape " + list(*shape) + " has more than one -1";
  auto input = dyn_cast<RankedTensorType>(op.getData().getType());
  if (!input || !input.hasStaticShape() ||
      llvm::any_of(*shape, ShapedType::isDynamic))
    return std::nullopt;
  int64_t known = 1;
  for (auto [i, v] : llvm::enumerate(*shape)) {
    int64_t dim = v;
    if (v == 0 && !op.getAllowzero()) {
      if ((int64_t)i >= input.getRank())
        return "shape " + list(*shape) + " copies dimension " +
               std::to_string(i) + " (0) of a rank-" +
               std::to_string(input.getRank()) + " input";
      dim = input.getDimSize(i);
    }
    if (v != -1)
      known *= dim;
  }
  int64_t count = input.getNumElements();
  bool ok = inferred ? (known != 0 && count % known == 0) : known == count;
  if (!ok)
    return llvm::formatv("shape {0} does not fit the {1} elements of {2}",
                         list(*shape), count, input)
        .str();
  return std::nullopt;
}

Check checkNonNegative(Value v, StringRef what) {
  auto values = getKnownIntegers(v);
  if (!values)
    return std::nullopt;
  for (int64_t x : *values)
    if (!ShapedType::isDynamic(x) && x < 0)
      return (what + " " + list(*values) + " has a negative entry").str();
  return std::nullopt;
}

Check checkOperands(Operation *op) {
  return llvm::TypeSwitch<Operation *, Check>(op)
      .Case([](ReshapeOp o) { return checkReshape(o); })
      .Case([](SliceOp o) -> Check {
        auto steps = getKnownIntegers(o.getSteps());
        if (steps && llvm::is_contained(*steps, 0))
          return "steps " + list(*steps) + " contain 0";
        return std::nullopt;
      })
      .Case([](RangeOp o) -> Check {
        auto delta = getConstantValue(o.getDelta());
        if (!delta || delta.getNumElements() != 1)
          return std::nullopt;
        bool zero = isa<FloatType>(delta.getElementType())
                        ? (*delta.getValues<APFloat>().begin()).isZero()
                        : (*delta.getValues<APInt>().begin()).isZero();
        if (zero)
          return std::string("delta is 0");
        return std::nullopt;
      })
      .Case([](ConstantOfShapeOp o) {
        return checkNonNegative(o.getShape(), "shape");
      })
      .Case([](ExpandOp o) { return checkNonNegative(o.getShape(), "shape"); })
      .Case(
          [](TileOp o) { return checkNonNegative(o.getRepeats(), "repeats"); })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace

std::optional<std::string> wse::onnxir::findInvalidShape(Operation *op) {
  if (Check invalid = checkOperands(op))
    return invalid;
  for (Type type : op->getResultTypes())
    if (Check tooLarge = checkElementCount(type))
      return "result " + *tooLarge;
  return std::nullopt;
}

std::optional<std::string> wse::onnxir::checkElementCount(Type type) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (!shaped)
    return std::nullopt;
  int64_t count = 1;
  for (int64_t d : shaped.getShape()) {
    if (ShapedType::isDynamic(d) || d == 0)
      continue;
    if (count > kMaxTensorElements / d)
      return llvm::formatv("type {0} has more than 2^48 elements", shaped)
          .str();
    count *= d;
  }
  return std::nullopt;
}

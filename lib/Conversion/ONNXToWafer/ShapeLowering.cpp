//===- ShapeLowering.cpp - Constants and data-movement ops ----------------===//
//
// After --onnx-prepare every shape is static, so shape operands (Reshape's
// shape, Slice's starts/ends, Expand's shape) are redundant with the result
// type or constant: the wafer ops carry only what the static types do not
// say (permutations, axes, slice offsets and strides).
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse;
using namespace wse::onnxtowafer;

static const mesh::RectAttr kNoRect;

/// ONNX Slice: per-dimension offset and stride, clamped like the spec. The
/// result type already gives each window's size; the computed one must agree.
static Lowered lowerSlice(onnxir::SliceOp op, OpBuilder &b) {
  auto starts = constantInts(op.getStarts());
  auto ends = constantInts(op.getEnds());
  auto axes = constantInts(op.getAxes());
  auto steps = constantInts(op.getSteps());
  if (!starts || !ends || !axes || !steps)
    return fail(cannotLower(op, "starts, ends, axes and steps must be "
                                "constants"));
  if (starts->size() != ends->size() || axes->size() != starts->size() ||
      steps->size() != starts->size())
    return fail(cannotLower(op, "starts, ends, axes and steps differ in "
                                "length"));
  auto shape = tensorType(op.getData()).getShape();
  auto outShape = tensorType(op.getOutput()).getShape();
  int64_t rank = shape.size();
  SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
  SmallVector<int64_t> sizes(shape);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes->size(); ++i) {
    int64_t axis = (*axes)[i], step = (*steps)[i];
    if (axis < -rank || axis >= rank)
      return fail(cannotLower(op, "axis " + Twine(axis) +
                                      " is out of range for rank " +
                                      Twine(rank)));
    axis = axis < 0 ? axis + rank : axis;
    if (seen[axis])
      return fail(cannotLower(op, "axis " + Twine(axis) + " is listed twice"));
    seen[axis] = true;
    if (step <= 0)
      return fail(cannotLower(
          op, "step " + Twine(step) + " of axis " + Twine(axis) +
                  " is not positive (wafer.slice takes positive strides)"));
    int64_t dim = shape[axis];
    auto clamp = [&](int64_t v) {
      v = v < 0 ? v + dim : v;
      return std::clamp<int64_t>(v, 0, dim);
    };
    int64_t start = clamp((*starts)[i]), end = clamp((*ends)[i]);
    offsets[axis] = start;
    strides[axis] = step;
    sizes[axis] = end > start ? (end - start + step - 1) / step : 0;
    // An empty window starts at 0 so that it stays inside the operand.
    if (sizes[axis] == 0)
      offsets[axis] = 0;
  }
  if (ArrayRef<int64_t>(sizes) != outShape)
    return fail(cannotLower(op)
                << "the slice gives shape "
                << tensorType(op.getOutput()).clone(sizes)
                << " but the result type is " << op.getOutput().getType());
  // A window covering the whole operand (ends clamped to the size, as
  // exporters write "to the end") moves nothing.
  if (ArrayRef<int64_t>(sizes) == shape &&
      llvm::all_of(strides, [](int64_t s) { return s == 1; }))
    return done(op.getData());
  return done(wafer::SliceOp::create(b, op.getLoc(), op.getOutput().getType(),
                                     op.getData(), offsets, strides, kNoRect)
                  .getOutput());
}

/// Expand: leading unit dimensions first when the ranks differ, then a
/// broadcast to the result shape.
static Value expandTo(OpBuilder &b, Location loc, Value input,
                      RankedTensorType resultType) {
  auto shape = tensorType(input).getShape();
  if (shape.size() < size_t(resultType.getRank())) {
    SmallVector<int64_t> padded(resultType.getRank() - shape.size(), 1);
    llvm::append_range(padded, shape);
    input = reshapeTo(b, loc, input, padded);
  }
  if (tensorType(input).getShape() == resultType.getShape())
    return input;
  return wafer::BroadcastOp::create(b, loc, resultType, input, kNoRect);
}

/// Tile repeats the whole tensor r_i times along dimension i: view
/// [d0, d1, ...] as [1, d0, 1, d1, ...], broadcast to [r0, d0, r1, d1, ...]
/// and merge each pair.
static Lowered lowerTile(onnxir::TileOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  auto repeats = constantInts(op.getRepeats());
  if (!repeats)
    return fail(cannotLower(op, "repeats must be a constant"));
  auto type = tensorType(op.getInput());
  auto shape = type.getShape();
  if (repeats->size() != shape.size())
    return fail(cannotLower(op, "repeats has " + Twine(repeats->size()) +
                                    " entries for rank " +
                                    Twine(shape.size())));
  SmallVector<int64_t> interleaved, broadcast, merged;
  for (auto [r, d] : llvm::zip(*repeats, shape)) {
    if (r < 0)
      return fail(cannotLower(op, "repeat count " + Twine(r) + " is negative"));
    interleaved.append({1, d});
    broadcast.append({r, d});
    merged.push_back(r * d);
  }
  if (ArrayRef<int64_t>(merged) != tensorType(op.getOutput()).getShape())
    return fail(cannotLower(op, "repeats do not give the result shape"));
  Value input = op.getInput();
  if (llvm::all_of(*repeats, [](int64_t r) { return r == 1; }))
    return done(input);
  Value view = reshapeTo(b, loc, input, interleaved);
  Value wide =
      wafer::BroadcastOp::create(b, loc, type.clone(broadcast), view, kNoRect);
  return done(reshapeTo(b, loc, wide, merged));
}

static Lowered lowerConstantOfShape(onnxir::ConstantOfShapeOp op,
                                    OpBuilder &b) {
  auto type = tensorType(op.getOutput());
  auto shape = constantInts(op.getShape());
  if (!shape)
    return fail(cannotLower(op, "the shape operand is not a constant "
                                "(run --onnx-prepare with static input "
                                "shapes)"));
  if (ArrayRef<int64_t>(*shape) != type.getShape())
    return fail(cannotLower(op, "the shape operand does not match the "
                                "result type"));
  auto value = dyn_cast<DenseElementsAttr>(op.getValue());
  if (!value || value.getNumElements() != 1 ||
      value.getElementType() != type.getElementType())
    return fail(cannotLower(op, "the fill value must be one element of the "
                                "result's element type"));
  auto splat = DenseElementsAttr::get(type, value.getSplatValue<Attribute>());
  return done(wafer::ConstantOp::create(b, op.getLoc(), type, splat, kNoRect)
                  .getOutput());
}

/// An integer Range of constant bounds is a constant table (the gradient of
/// an embedding compares ids with `range(vocab)`); other Ranges have no
/// lowering.
static Lowered lowerRange(onnxir::RangeOp op, OpBuilder &b) {
  auto type = tensorType(op.getResult());
  auto start = constantInts(op.getStart()), delta = constantInts(op.getDelta());
  if (!isa<IntegerType>(type.getElementType()) || !start || !delta ||
      start->size() != 1 || delta->size() != 1)
    return std::nullopt;
  SmallVector<APInt> values;
  unsigned width = type.getElementTypeBitWidth();
  for (int64_t i = 0; i < type.getNumElements(); ++i)
    values.push_back(APInt(width, (*start)[0] + i * (*delta)[0], true));
  auto table = DenseElementsAttr::get(type, values);
  return done(wafer::ConstantOp::create(b, op.getLoc(), type, table, kNoRect)
                  .getOutput());
}

Lowered onnxtowafer::lowerShapeOp(Operation *op, OpBuilder &b) {
  using namespace onnxir;
  Location loc = op->getLoc();
  return llvm::TypeSwitch<Operation *, Lowered>(op)
      .Case([&](ConstantOp c) {
        return done(wafer::ConstantOp::create(b, loc, c.getType(), c.getValue(),
                                              kNoRect)
                        .getOutput());
      })
      .Case([&](ConstantOfShapeOp c) { return lowerConstantOfShape(c, b); })
      // Static types say everything Reshape, Squeeze and Unsqueeze do.
      .Case<ReshapeOp, SqueezeOp, UnsqueezeOp>([&](Operation *op) {
        return done(reshapeTo(b, loc, op->getOperand(0),
                              tensorType(op->getResult(0)).getShape()));
      })
      .Case([&](TransposeOp t) {
        return done(wafer::TransposeOp::create(b, loc, t.getType(), t.getData(),
                                               t.getPermAttr(), kNoRect)
                        .getOutput());
      })
      .Case([&](ConcatOp c) {
        if (c.getInputs().size() == 1)
          return done(c.getInputs().front());
        return done(wafer::ConcatOp::create(b, loc, c.getType(), c.getInputs(),
                                            c.getAxisAttr(), kNoRect)
                        .getOutput());
      })
      .Case([&](SplitOp s) {
        auto split = wafer::SplitOp::create(
            b, loc, s.getResultTypes(), s.getInput(), s.getAxisAttr(), kNoRect);
        return done(SmallVector<Value>(split.getOutputs()));
      })
      .Case([&](SliceOp s) { return lowerSlice(s, b); })
      .Case([&](ExpandOp e) {
        return done(expandTo(b, loc, e.getInput(), tensorType(e.getOutput())));
      })
      .Case([&](TileOp t) { return lowerTile(t, b); })
      .Case([&](RangeOp r) { return lowerRange(r, b); })
      .Default([](Operation *) -> Lowered { return std::nullopt; });
}

//===- LayerLowering.cpp - Norms, softmax, reductions, gathers ------------===//
//
// Ops with a wafer layer op of their own map one to one; Gather of a streamed
// table along axis 0 is an embedding lookup, any other Gather a wafer.gather.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse;
using namespace wse::onnxtowafer;

static Lowered lowerReduce(Operation *op, OpBuilder &b, wafer::ReduceKind kind,
                           std::optional<ArrayRef<int64_t>> axes,
                           int64_t keepdims, int64_t noopWithEmptyAxes) {
  Value input = op->getOperand(0);
  int64_t rank = tensorType(input).getRank();
  SmallVector<int64_t> list;
  if (axes && !axes->empty()) {
    for (int64_t axis : *axes) {
      if (axis < -rank || axis >= rank)
        return fail(cannotLower(op, "axis " + Twine(axis) +
                                        " is out of range for rank " +
                                        Twine(rank)));
      list.push_back(axis < 0 ? axis + rank : axis);
    }
  } else if (noopWithEmptyAxes) {
    return done(input);
  } else {
    // No axes: every dimension.
    for (int64_t i = 0; i < rank; ++i)
      list.push_back(i);
  }
  if (rank == 0)
    return done(input);
  auto result = wafer::ReduceOp::create(
      b, op->getLoc(), op->getResult(0).getType(), input,
      wafer::ReduceKindAttr::get(b.getContext(), kind),
      b.getDenseI64ArrayAttr(list), b.getBoolAttr(keepdims != 0),
      mesh::RectAttr());
  return done(result.getOutput());
}

static Lowered lowerGather(onnxir::GatherOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value data = op.getData();
  Value indices = op.getIndices();
  auto dataType = tensorType(data);
  int64_t rank = dataType.getRank();
  int64_t axis = op.getAxis();
  if (axis < -rank || axis >= rank)
    return fail(cannotLower(op, "axis " + Twine(axis) +
                                    " is out of range for rank " +
                                    Twine(rank)));
  axis = axis < 0 ? axis + rank : axis;
  Type resultType = op.getOutput().getType();

  // Constant indices may be negative (counted from the end); the wafer ops
  // take them non-negative.
  if (auto values = constantInts(indices)) {
    int64_t size = dataType.getDimSize(axis);
    bool negative = false;
    for (int64_t &v : *values) {
      if (v < -size || v >= size)
        return fail(cannotLower(op, "index " + Twine(v) +
                                        " is out of range for a dimension "
                                        "of size " +
                                        Twine(size)));
      negative |= v < 0;
      v = v < 0 ? v + size : v;
    }
    if (negative) {
      auto type = tensorType(indices);
      SmallVector<APInt> bits;
      for (int64_t v : *values)
        bits.push_back(APInt(type.getElementTypeBitWidth(), v, true));
      auto attr = DenseElementsAttr::get(type, bits);
      indices = wafer::ConstantOp::create(b, loc, type, attr, mesh::RectAttr());
    }
  }

  if (axis == 0 && rank == 2 && data.getDefiningOp<wafer::StreamOp>() &&
      isa<FloatType>(dataType.getElementType()))
    return done(wafer::EmbeddingOp::create(b, loc, resultType, data, indices,
                                           mesh::RectAttr())
                    .getOutput());
  return done(wafer::GatherOp::create(b, loc, resultType, data, indices,
                                      b.getI64IntegerAttr(axis),
                                      mesh::RectAttr())
                  .getOutput());
}

Lowered onnxtowafer::lowerLayerOp(Operation *op, OpBuilder &b) {
  using namespace onnxir;
  using wafer::ReduceKind;
  Location loc = op->getLoc();
  auto noRect = mesh::RectAttr();
  return llvm::TypeSwitch<Operation *, Lowered>(op)
      .Case([&](LayerNormalizationOp ln) {
        return done(wafer::LayerNormOp::create(b, loc, ln.getType(),
                                               ln.getInput(), ln.getScale(),
                                               ln.getBias(), ln.getAxisAttr(),
                                               ln.getEpsilonAttr(), noRect)
                        .getOutput());
      })
      .Case([&](RMSNormalizationOp rms) {
        return done(wafer::RMSNormOp::create(
                        b, loc, rms.getType(), rms.getInput(), rms.getScale(),
                        rms.getAxisAttr(), rms.getEpsilonAttr(), noRect)
                        .getOutput());
      })
      .Case([&](SoftmaxOp sm) {
        return done(wafer::SoftmaxOp::create(b, loc, sm.getType(),
                                             sm.getInput(), sm.getAxisAttr(),
                                             UnitAttr(), noRect)
                        .getOutput());
      })
      .Case([&](LogSoftmaxOp sm) {
        return done(wafer::SoftmaxOp::create(b, loc, sm.getType(),
                                             sm.getInput(), sm.getAxisAttr(),
                                             b.getUnitAttr(), noRect)
                        .getOutput());
      })
      .Case([&](ReduceMeanOp r) {
        return lowerReduce(op, b, ReduceKind::Mean, r.getAxes(),
                           r.getKeepdims(), r.getNoopWithEmptyAxes());
      })
      .Case([&](ReduceSumOp r) {
        return lowerReduce(op, b, ReduceKind::Sum, r.getAxes(), r.getKeepdims(),
                           r.getNoopWithEmptyAxes());
      })
      .Case([&](ReduceMaxOp r) {
        return lowerReduce(op, b, ReduceKind::Max, r.getAxes(), r.getKeepdims(),
                           r.getNoopWithEmptyAxes());
      })
      .Case([&](GatherOp g) { return lowerGather(g, b); })
      .Default([](Operation *) -> Lowered { return std::nullopt; });
}

//===- TrainingLowering.cpp - The training step's own ops on the PEs ------===//
//
// A training step (`wafer-training-step`) is forward and backward ops the
// other lowerings know, plus three of its own: the checkpoint of a layer's
// input (the same tensor, kept), the next-token loss with the logits'
// gradient (the backward pass's seed), and the weight gradients leaving for
// the weight store. docs/pe/lowering.md "Training steps" has the picture.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <limits>

using namespace mlir;
using namespace wse;
using namespace wse::pe;
using namespace wse::pe::lowering;

LogicalResult wse::pe::lowering::lowerCheckpoint(Lowering &L,
                                                 wafer::CheckpointOp op) {
  // The input stays in SRAM until the layer's recomputation reads it: the
  // result shares its blocks (or copies them if its distribution differs).
  return lowerCopy(L, op.getOutput(), op.getInput());
}

LogicalResult wse::pe::lowering::lowerGradientOut(Lowering &L,
                                                  wafer::StreamOutOp op) {
  // The gradient leaves as soon as it is complete, declared as the
  // gradient of its parameter, so a weight store (wse-emu --store, or the
  // host) matches it to the weights it updates. A gradient is as large as a
  // weight: one over a slab's budget leaves block by block rather than
  // gathered on every PE (whose SRAM the step's code and kept checkpoints
  // share).
  return L.emitOutput(
      op.getGradient(), ("grad." + op.getName()).str(), op,
      "the gradient of @" + op.getName().str(), L.slabBudget(),
      FlatSymbolRefAttr::get(op->getAttrOfType<StringAttr>("pe.param")));
}

namespace {
/// What both ways of computing the loss share: per position (b, t), the
/// label it predicts and its weight in the mean; the one-hot rows' iota; the
/// PE's partial loss.
struct LossSetup {
  int64_t B, T, V;
  FlatSymbolRefAttr targets, rowScale, partial;
  View iota;
  /// Strides of (b, t, v) into targets and rowScale.
  SmallVector<int64_t> rowStrides;
};
} // namespace

/// Each PE holding part of a row (b, t) reads the whole row (a gather along
/// the vocabulary's mesh axis, as a softmax over an undistributed axis
/// does) and computes its segment of the gradient; the one PE owning the
/// row's first segment adds `(logsumexp - logit[label]) * scale`. Needs
/// 3 V words per PE: for logits whose rows are not split like the
/// gradient's.
static void lossByRows(Lowering &L, wafer::LossOp op, const LossSetup &S) {
  Emitter &E = L.E;
  TensorLayout lo = L.layoutOf(op.getLogitsGrad());
  int64_t V = S.V, axis = 2;
  View xv = L.readView(op.getLogits(), lo, {0, 1, -1});
  FlatSymbolRefAttr out = L.defineBlock(op.getLogitsGrad());
  // Three rows of V words: the shifted logits, their exponentials (then
  // the products of the dot below) and the one-hot row.
  FlatSymbolRefAttr shifted = E.buffer("loss_shifted", V);
  FlatSymbolRefAttr expd = E.buffer("loss_exp", V);
  FlatSymbolRefAttr onehot = E.buffer("loss_onehot", V);
  FlatSymbolRefAttr stat = E.buffer("loss_stat", 1);
  FlatSymbolRefAttr sum = E.buffer("loss_sum", 1);
  FlatSymbolRefAttr nll = E.buffer("loss_nll", 1);
  FlatSymbolRefAttr unit = E.scalarConstant(1.0f);
  Attribute N = E.imm(V), one = E.imm(1), zero = E.imm(0);
  auto word = [&](FlatSymbolRefAttr b) { return E.mem(b, 0, one); };
  auto all = [&](FlatSymbolRefAttr b) { return E.mem(b, 0, N); };
  // One word read as a vector of `len`.
  auto spread = [&](FlatSymbolRefAttr b, Attribute at, Attribute len) {
    return E.mem(b, at, len, zero);
  };

  SmallVector<int64_t> xs = xv.strides, bs = lo.blockStrides();
  SmallVector<PerPEExpr> ext = lo.extent, off = lo.offset;
  ext[axis] = 1;
  off[axis] = 0;
  PerPEExpr rowAt = dotOffsets(off, S.rowStrides);
  Attribute a0 = E.val(lo.offset[axis]), ea = E.val(lo.extent[axis]);
  // Each row's loss counts once: on the primary copy of its first segment.
  PerPEExpr owner = lo.primary && (lo.offset[axis] == 0);

  Emitter::Guard skip = L.guard(lo.holds);
  E.nest(
      ext,
      {Pointer{E.imm(0), bs}, Pointer{E.val(xv.base + dotOffsets(off, xs)), xs},
       Pointer{E.val(rowAt), S.rowStrides},
       Pointer{E.val(rowAt + 1), S.rowStrides}},
      [&](ArrayRef<Attribute> o, Attribute, ArrayRef<int64_t>) {
        Attribute row = E.mem(xv.buffer, o[1], N, E.imm(xs[axis]));
        // Softmax of the row, shifted by its maximum.
        E.emit<RMaxOp>(word(stat), row);
        E.emit<SubOp>(all(shifted), row, spread(stat, zero, N));
        E.emit<ExpOp>(all(expd), all(shifted));
        E.emit<RSumOp>(word(sum), all(expd));
        // onehot = 1 - min(1, |iota - label|).
        E.emit<SubOp>(all(onehot),
                      E.mem(S.iota.buffer, E.val(S.iota.base), N, E.imm(1)),
                      spread(S.targets, o[3], N));
        E.emit<AbsOp>(all(onehot), all(onehot));
        E.emit<MinOp>(all(onehot), all(onehot), spread(unit, zero, N));
        E.emit<SubOp>(all(onehot), spread(unit, zero, N), all(onehot));
        // The PE's segment of (softmax - onehot) * scale.
        Attribute dst = E.mem(out, o[0], ea, E.imm(bs[axis]));
        E.emit<DivOp>(dst, E.mem(expd, a0, ea, E.imm(1)),
                      spread(sum, zero, ea));
        E.emit<SubOp>(dst, dst, E.mem(onehot, a0, ea, E.imm(1)));
        E.emit<MulOp>(dst, dst, spread(S.rowScale, o[2], ea));
        // log(sum exp(shifted)) - shifted[label], scaled.
        Emitter::Guard counted = L.guard(owner);
        E.emit<MulOp>(all(expd), all(onehot), all(shifted));
        E.emit<RSumOp>(word(nll), all(expd));
        E.emit<LogOp>(word(sum), word(sum));
        E.emit<SubOp>(word(nll), word(sum), word(nll));
        E.emit<MulOp>(word(nll), word(nll), E.mem(S.rowScale, o[2], one, zero));
        E.emit<AddOp>(word(S.partial), word(S.partial), word(nll));
        E.end(counted);
      },
      /*vectorInner=*/false);
  E.end(skip);
}

/// The logits stay in their blocks: each PE reduces its segment of every
/// row it holds (maximum, then sum of exponentials), all-reduced along the
/// vocabulary's mesh axis, and computes its segment of the gradient in
/// place; its segment's share of the loss is `-logit[label] * scale` where
/// the label falls in it, plus `logsumexp * scale` on the row's first
/// segment. Two words per row and two segments per PE: a vocabulary of any
/// size. False if the logits are not in the gradient's blocks.
static bool lossInBlocks(Lowering &L, wafer::LossOp op, const LossSetup &S) {
  Emitter &E = L.E;
  Value grad = op.getLogitsGrad(), logits = op.getLogits();
  TensorLayout lo = L.layoutOf(grad);
  int64_t axis = 2;
  if (!L.hasBlockIn(logits, lo))
    return false;
  FlatSymbolRefAttr x = L.needBlock(logits, lo);
  wafer::MeshAxis along = lo.axes[axis];
  SmallVector<int64_t> bs = lo.blockStrides();
  SmallVector<int64_t> rowBlock = lo.block;
  rowBlock[axis] = 1;
  int64_t rows = product(rowBlock), seg = lo.block[axis];
  SmallVector<int64_t> statStrides = denseStrides(rowBlock);
  statStrides[axis] = 0;
  FlatSymbolRefAttr rowMax = E.buffer("loss_max", rows);
  FlatSymbolRefAttr rowSum = E.buffer("loss_sum", rows);
  FlatSymbolRefAttr onehot = E.buffer("loss_onehot", seg);
  FlatSymbolRefAttr shifted = E.buffer("loss_shifted", seg);
  FlatSymbolRefAttr nll = E.buffer("loss_nll", 1);
  FlatSymbolRefAttr unit = E.scalarConstant(1.0f);
  FlatSymbolRefAttr out = L.defineBlock(grad);
  Attribute one = E.imm(1), zero = E.imm(0);
  auto word = [&](FlatSymbolRefAttr b) { return E.mem(b, 0, one); };
  auto spread = [&](FlatSymbolRefAttr b, Attribute at, Attribute len) {
    return E.mem(b, at, len, zero);
  };
  SmallVector<PerPEExpr> ext = lo.extent, off = lo.offset;
  ext[axis] = 1;
  off[axis] = 0;
  PerPEExpr rowAt = dotOffsets(off, S.rowStrides);
  Attribute ea = E.val(lo.extent[axis]);
  SmallVector<Pointer> ptrs{Pointer{E.imm(0), bs},
                            Pointer{E.imm(0), statStrides},
                            Pointer{E.val(rowAt), S.rowStrides},
                            Pointer{E.val(rowAt + 1), S.rowStrides}};
  auto perRow = [&](function_ref<void(ArrayRef<Attribute>, Attribute)> body) {
    Emitter::Guard skip = L.guard(lo.holds);
    E.nest(
        ext, ptrs,
        [&](ArrayRef<Attribute> o, Attribute, ArrayRef<int64_t>) {
          body(o, E.mem(x, o[0], ea, E.imm(bs[axis])));
        },
        /*vectorInner=*/false);
    E.end(skip);
  };
  auto combine = [&](FlatSymbolRefAttr stat, bool max) {
    if (along != wafer::MeshAxis::None)
      L.callAllReduce(/*columns=*/along == wafer::MeshAxis::Y,
                      /*rows=*/along == wafer::MeshAxis::X, E.addr(stat),
                      E.imm(rows), max);
  };
  // Row maxima, then sums of exp(x - max), over the whole rows.
  E.emit<FillOp>(E.mem(rowMax, 0, E.imm(rows)),
                 E.f32(-std::numeric_limits<float>::max()));
  perRow([&](ArrayRef<Attribute> o, Attribute seg) {
    E.emit<RMaxOp>(E.mem(rowMax, o[1], one, one), seg);
  });
  combine(rowMax, /*max=*/true);
  E.emit<FillOp>(E.mem(rowSum, 0, E.imm(rows)), E.f32(0.0f));
  perRow([&](ArrayRef<Attribute> o, Attribute seg) {
    Attribute dst = E.mem(out, o[0], ea, E.imm(bs[axis]));
    E.emit<SubOp>(dst, seg, spread(rowMax, o[1], ea));
    E.emit<ExpOp>(dst, dst);
    E.emit<RSumOp>(E.mem(rowSum, o[1], one, one), dst);
  });
  combine(rowSum, /*max=*/false);
  // The gradient's segment and the loss's share.
  PerPEExpr first = lo.offset[axis] == 0;
  perRow([&](ArrayRef<Attribute> o, Attribute seg) {
    Attribute dst = E.mem(out, o[0], ea, E.imm(bs[axis]));
    Attribute oh = E.mem(onehot, 0, ea);
    E.emit<SubOp>(oh,
                  E.mem(S.iota.buffer, E.val(S.iota.base + lo.offset[axis]), ea,
                        E.imm(1)),
                  spread(S.targets, o[3], ea));
    E.emit<AbsOp>(oh, oh);
    E.emit<MinOp>(oh, oh, spread(unit, zero, ea));
    E.emit<SubOp>(oh, spread(unit, zero, ea), oh);
    E.emit<DivOp>(dst, dst, spread(rowSum, o[1], ea));
    E.emit<SubOp>(dst, dst, oh);
    E.emit<MulOp>(dst, dst, spread(S.rowScale, o[2], ea));
    // Replicas of a block add nothing.
    Emitter::Guard counted = L.guard(lo.primary);
    Attribute sh = E.mem(shifted, 0, ea);
    E.emit<SubOp>(sh, seg, spread(rowMax, o[1], ea));
    E.emit<MulOp>(sh, sh, oh);
    E.emit<RSumOp>(word(nll), sh);
    E.emit<NegOp>(word(nll), word(nll));
    Emitter::Guard rowStart = L.guard(first);
    E.emit<LogOp>(word(shifted), E.mem(rowSum, o[1], one, one));
    E.emit<AddOp>(word(nll), word(nll), word(shifted));
    E.end(rowStart);
    E.emit<MulOp>(word(nll), word(nll), E.mem(S.rowScale, o[2], one, zero));
    E.emit<AddOp>(word(S.partial), word(S.partial), word(nll));
    E.end(counted);
  });
  return true;
}

/// Cross-entropy of next-token prediction, per row of the logits (b, t),
/// and its gradient `(softmax - onehot) * scale`; the PEs' partial losses
/// make the loss in one rectangle-wide sum. `scale` is 1 / (B (T - 1)) for
/// t < T - 1 and 0 for the last position (nothing follows it). The one-hot
/// row is `1 - min(1, |iota - label|)`: exact for integer labels below
/// 2^24.
LogicalResult wse::pe::lowering::lowerLoss(Lowering &L, wafer::LossOp op) {
  Emitter &E = L.E;
  TensorLayout lo = L.layoutOf(op.getLogitsGrad());
  if (lo.rank() != 3)
    return L.emitError(op) << "the logits must be [batch, tokens, vocab]";
  LossSetup S;
  S.B = lo.shape[0];
  S.T = lo.shape[1];
  S.V = lo.shape[2];
  int64_t B = S.B, T = S.T, V = S.V;
  if (T < 2)
    return L.emitError(op) << "next-token loss needs at least 2 tokens";
  float scale = 1.0f / float(B * (T - 1));

  View labels = L.needFull(op.getLabels());
  // iota[v] = v, for the one-hot rows.
  SmallVector<float> iotaValues(V);
  for (int64_t v = 0; v < V; ++v)
    iotaValues[v] = float(v);
  auto iotaType = RankedTensorType::get({V}, Float32Type::get(E.getContext()));
  S.iota = L.streamConstantFull(
      "loss_iota", DenseElementsAttr::get(iotaType, ArrayRef(iotaValues)));
  // The label each position predicts (labels[b, t + 1]), one word past the
  // end so the last position reads something; its scale is 0 anyway.
  S.targets = E.buffer("loss_targets", B * T + 1);
  E.emit<FillOp>(E.mem(S.targets, B * T, E.imm(1)), E.f32(-1.0f));
  E.emit<CopyOp>(
      E.mem(S.targets, 0, E.imm(B * T)),
      E.mem(labels.buffer, E.val(labels.base), E.imm(B * T), E.imm(1)));
  S.rowScale = E.buffer("loss_scale", B * T);
  E.emit<FillOp>(E.mem(S.rowScale, 0, E.imm(B * T)), E.f32(scale));
  for (int64_t b = 0; b < B; ++b)
    E.emit<FillOp>(E.mem(S.rowScale, b * T + T - 1, E.imm(1)), E.f32(0.0f));
  S.partial = E.buffer("loss_partial", 1);
  E.emit<FillOp>(E.mem(S.partial, 0, E.imm(1)), E.f32(0.0f));
  S.rowStrides = {T, 1, 0};

  if (!lossInBlocks(L, op, S))
    lossByRows(L, op, S);
  L.callAllReduce(/*columns=*/true, /*rows=*/true, E.addr(S.partial), E.imm(1));
  FlatSymbolRefAttr loss = L.defineBlock(op.getLoss());
  E.emit<CopyOp>(E.mem(loss, 0, E.imm(1)), E.mem(S.partial, 0, E.imm(1)));
  return success();
}

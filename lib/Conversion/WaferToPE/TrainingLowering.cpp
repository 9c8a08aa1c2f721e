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
  // The gradient leaves as soon as it is complete, named as wse-ref names
  // it, so the weight store (the host) can match it to its parameter.
  return L.emitOutput(op.getGradient(), ("grad." + op.getName()).str(), op,
                      "the gradient of @" + op.getName().str());
}

/// Cross-entropy of next-token prediction, per row of the logits (b, t):
/// each PE holding part of the row reads the whole row (a gather along the
/// vocabulary's mesh axis, as a softmax over an undistributed axis does),
/// computes its segment of `(softmax - onehot) * scale` and, on the one PE
/// that owns the row's first segment, adds `(logsumexp - logit[label]) *
/// scale` to its partial loss; one rectangle-wide sum makes the loss.
/// `scale` is 1 / (B (T - 1)) for t < T - 1 and 0 for the last position
/// (nothing follows it). The one-hot row is `1 - min(1, |iota - label|)`:
/// exact for integer labels below 2^24.
LogicalResult wse::pe::lowering::lowerLoss(Lowering &L, wafer::LossOp op) {
  Emitter &E = L.E;
  Value grad = op.getLogitsGrad(), logits = op.getLogits();
  TensorLayout lo = L.layoutOf(grad);
  if (lo.rank() != 3)
    return L.emitError(op) << "the logits must be [batch, tokens, vocab]";
  int64_t B = lo.shape[0], T = lo.shape[1], V = lo.shape[2], axis = 2;
  if (T < 2)
    return L.emitError(op) << "next-token loss needs at least 2 tokens";
  MLIRContext *ctx = E.getContext();
  float scale = 1.0f / float(B * (T - 1));

  View labels = L.needFull(op.getLabels());
  // iota[v] = v, for the one-hot rows.
  SmallVector<float> iotaValues(V);
  for (int64_t v = 0; v < V; ++v)
    iotaValues[v] = float(v);
  auto iotaType = RankedTensorType::get({V}, Float32Type::get(ctx));
  View iota = L.streamConstantFull(
      "loss_iota", DenseElementsAttr::get(iotaType, ArrayRef(iotaValues)));
  View xv = L.readView(logits, lo, {0, 1, -1});
  FlatSymbolRefAttr out = L.defineBlock(grad);

  // The label each position predicts (labels[b, t + 1]), one word past the
  // end so the last position reads something; its scale is 0 anyway.
  FlatSymbolRefAttr targets = E.buffer("loss_targets", B * T + 1);
  E.emit<FillOp>(E.mem(targets, B * T, E.imm(1)), E.f32(-1.0f));
  E.emit<CopyOp>(
      E.mem(targets, 0, E.imm(B * T)),
      E.mem(labels.buffer, E.val(labels.base), E.imm(B * T), E.imm(1)));
  FlatSymbolRefAttr rowScale = E.buffer("loss_scale", B * T);
  E.emit<FillOp>(E.mem(rowScale, 0, E.imm(B * T)), E.f32(scale));
  for (int64_t b = 0; b < B; ++b)
    E.emit<FillOp>(E.mem(rowScale, b * T + T - 1, E.imm(1)), E.f32(0.0f));
  FlatSymbolRefAttr partial = E.buffer("loss_partial", 1);
  E.emit<FillOp>(E.mem(partial, 0, E.imm(1)), E.f32(0.0f));

  FlatSymbolRefAttr shifted = E.buffer("loss_shifted", V);
  FlatSymbolRefAttr expd = E.buffer("loss_exp", V);
  FlatSymbolRefAttr onehot = E.buffer("loss_onehot", V);
  FlatSymbolRefAttr tmp = E.buffer("loss_tmp", V);
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
  SmallVector<int64_t> rowStrides{T, 1, 0};
  SmallVector<PerPEExpr> ext = lo.extent, off = lo.offset;
  ext[axis] = 1;
  off[axis] = 0;
  PerPEExpr rowAt = dotOffsets(off, rowStrides);
  Attribute a0 = E.val(lo.offset[axis]), ea = E.val(lo.extent[axis]);
  // Each row's loss counts once: on the primary copy of its first segment.
  PerPEExpr owner = lo.primary && (lo.offset[axis] == 0);

  Emitter::Guard skip = L.guard(lo.holds);
  E.nest(
      ext,
      {Pointer{E.imm(0), bs}, Pointer{E.val(xv.base + dotOffsets(off, xs)), xs},
       Pointer{E.val(rowAt), rowStrides},
       Pointer{E.val(rowAt + 1), rowStrides}},
      [&](ArrayRef<Attribute> o, Attribute, ArrayRef<int64_t>) {
        Attribute row = E.mem(xv.buffer, o[1], N, E.imm(xs[axis]));
        // Softmax of the row, shifted by its maximum.
        E.emit<RMaxOp>(word(stat), row);
        E.emit<SubOp>(all(shifted), row, spread(stat, zero, N));
        E.emit<ExpOp>(all(expd), all(shifted));
        E.emit<RSumOp>(word(sum), all(expd));
        // onehot = 1 - min(1, |iota - label|).
        E.emit<SubOp>(all(onehot),
                      E.mem(iota.buffer, E.val(iota.base), N, E.imm(1)),
                      spread(targets, o[3], N));
        E.emit<NegOp>(all(tmp), all(onehot));
        E.emit<MaxOp>(all(onehot), all(onehot), all(tmp));
        E.emit<MinOp>(all(onehot), all(onehot), spread(unit, zero, N));
        E.emit<SubOp>(all(onehot), spread(unit, zero, N), all(onehot));
        // The PE's segment of (softmax - onehot) * scale.
        Attribute dst = E.mem(out, o[0], ea, E.imm(bs[axis]));
        E.emit<DivOp>(dst, E.mem(expd, a0, ea, E.imm(1)),
                      spread(sum, zero, ea));
        E.emit<SubOp>(dst, dst, E.mem(onehot, a0, ea, E.imm(1)));
        E.emit<MulOp>(dst, dst, spread(rowScale, o[2], ea));
        // log(sum exp(shifted)) - shifted[label], scaled.
        Emitter::Guard counted = L.guard(owner);
        E.emit<MulOp>(all(tmp), all(onehot), all(shifted));
        E.emit<RSumOp>(word(nll), all(tmp));
        E.emit<LogOp>(word(sum), word(sum));
        E.emit<SubOp>(word(nll), word(sum), word(nll));
        E.emit<MulOp>(word(nll), word(nll), E.mem(rowScale, o[2], one, zero));
        E.emit<AddOp>(word(partial), word(partial), word(nll));
        E.end(counted);
      },
      /*vectorInner=*/false);
  E.end(skip);
  L.callAllReduce(/*columns=*/true, /*rows=*/true, E.addr(partial), one);
  FlatSymbolRefAttr loss = L.defineBlock(op.getLoss());
  E.emit<CopyOp>(word(loss), word(partial));
  return success();
}

//===- TrainingLayers.cpp - Layers of a training step ---------------------===//
//
// The layers are the repetition wafer-find-layer-loops finds, looked for in
// the forward ops only: cloned into a scratch function (without their
// provenance tags, which differ per op), so the longer repetition of the
// backward ops cannot win. A backward op belongs to the layer of the forward
// op it differentiates (its `training.gradient_of` tag).
//
//===----------------------------------------------------------------------===//

#include "TrainingStep.h"

#include "dialects/wafer/Analysis/LayerLoop.h"
#include "wse/Support/TrainingTags.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace wse::wafer;
using namespace wse::wafer::training;

/// The forward ops (before the loss), constants included.
static SmallVector<Operation *> forwardOps(StepState &state) {
  SmallVector<Operation *> ops;
  for (Operation &op : state.func.getBody().front()) {
    if (&op == state.loss.getOperation())
      break;
    ops.push_back(&op);
  }
  return ops;
}

void training::labelLayers(StepState &state) {
  SmallVector<Operation *> forward = forwardOps(state);
  OpBuilder b(state.func);
  auto scratch = func::FuncOp::create(
      b, state.func.getLoc(), "__wafer_training_forward",
      b.getFunctionType(state.func.getArgumentTypes(), {}));
  Block *body = scratch.addEntryBlock();
  b.setInsertionPointToStart(body);
  IRMapping map;
  map.map(state.func.getArguments(), body->getArguments());
  DenseMap<Operation *, Operation *> original;
  for (Operation *op : forward) {
    Operation *copy = b.clone(*op, map);
    for (NamedAttribute attr : op->getDiscardableAttrs())
      if (wse::training::isTrainingTag(attr.getName()))
        copy->removeAttr(attr.getName());
    original[copy] = op;
  }
  func::ReturnOp::create(b, state.func.getLoc());
  std::optional<LayerLoop> loop = findLayerLoop(scratch);

  // Forward ops: the loop's iteration, or before (prologue) / after
  // (epilogue) it.
  DenseMap<int64_t, Place> ofForwardOp;
  unsigned index = 0;
  for (Operation &copy : body->without_terminator()) {
    Place p;
    if (loop && index >= loop->first && index < loop->end())
      p.layer = (index - loop->first) / loop->period;
    p.epilogue = loop && index >= loop->end();
    Operation *op = original.lookup(&copy);
    state.place[op] = p;
    if (auto k = op->getAttrOfType<IntegerAttr>(wse::training::kForwardTag))
      ofForwardOp.try_emplace(k.getInt(), p);
    ++index;
  }
  state.layers = loop ? loop->count : 0;
  scratch.erase();

  // Backward ops: the layer of the forward op they differentiate; untagged
  // ops go with the op before them.
  Place current{TrainingPhase::backward};
  current.epilogue = true;
  bool afterLoss = false;
  for (Operation &op : state.func.getBody().front().without_terminator()) {
    if (&op == state.loss.getOperation()) {
      afterLoss = true;
      state.place[&op] = Place{TrainingPhase::loss};
      continue;
    }
    if (!afterLoss)
      continue;
    // A forward op that lowered to no wafer op (a reshape to its own shape)
    // leaves its gradient with the op before it.
    auto k = op.getAttrOfType<IntegerAttr>(wse::training::kGradientOfTag);
    if (k && ofForwardOp.count(k.getInt())) {
      current = ofForwardOp.lookup(k.getInt());
      current.phase = TrainingPhase::backward;
      current.gradientOf = k.getInt();
    }
    state.place[&op] = current;
  }
  // A forward op copied in front of a backward user (a weight's transpose,
  // TrainingStep.cpp) runs with that user.
  Block &block = state.func.getBody().front();
  for (Operation &op : llvm::reverse(block.without_terminator())) {
    if (&op == state.loss.getOperation())
      break;
    if (op.hasAttr(wse::training::kForwardTag) && !op.use_empty())
      state.copyPlace(&op, *op.user_begin());
  }
}

LogicalResult training::orderBackward(StepState &state) {
  Block &block = state.func.getBody().front();
  SmallVector<Operation *> backward;
  bool afterLoss = false;
  for (Operation &op : block.without_terminator()) {
    if (afterLoss)
      backward.push_back(&op);
    afterLoss |= &op == state.loss.getOperation();
  }
  // Constants stay where they are (before every reader already).
  SmallVector<Operation *> moved;
  for (Operation *op : backward)
    if (!isa<ConstantOp>(op))
      moved.push_back(op);
  // An op runs no earlier than the latest group it reads from (a tied
  // weight's gradient adds the head's and the embedding's): in program
  // order, definitions first.
  llvm::DenseSet<Operation *> inMoved(moved.begin(), moved.end());
  for (Operation *op : moved)
    for (Value v : op->getOperands()) {
      Operation *def = v.getDefiningOp();
      if (def && inMoved.contains(def) &&
          state.backwardKey(state.place[def]) >
              state.backwardKey(state.place[op]))
        state.copyPlace(op, def);
    }
  llvm::stable_sort(moved, [&](Operation *a, Operation *b) {
    return state.backwardKey(state.place[a]) <
           state.backwardKey(state.place[b]);
  });
  DenseMap<Operation *, unsigned> position;
  for (auto [i, op] : llvm::enumerate(moved))
    position[op] = i;
  for (Operation *op : moved)
    for (Value v : op->getOperands()) {
      auto it = position.find(v.getDefiningOp());
      if (it != position.end() && it->second > position[op])
        return op->emitError("internal error: wafer-training-step cannot "
                             "order the backward pass by layer (this op "
                             "reads a value of a later layer's backward)");
    }
  Operation *end = block.getTerminator();
  for (Operation *op : moved)
    op->moveBefore(end);
  return success();
}

//===- KeptActivations.cpp - SRAM a training step holds across phases -----===//

#include "dialects/wafer/Analysis/KeptActivations.h"
#include "dialects/wafer/IR/WaferOps.h"

using namespace mlir;
using namespace wse::wafer;

static bool inPhase(Operation *op, bool forward) {
  auto step = op->getAttrOfType<StepAttr>(kStepAttrName);
  return step && (step.getPhase() == TrainingPhase::forward) == forward &&
         step.getPhase() != TrainingPhase::loss;
}

DenseMap<Operation *, int64_t>
wse::wafer::keptActivationBytesPerPE(func::FuncOp func) {
  DenseMap<Operation *, int64_t> kept;
  if (!func->hasAttr(kTrainingStepAttrName) || func.isExternal())
    return kept;
  SmallVector<Operation *> ops;
  DenseMap<Operation *, int64_t> position;
  for (Operation &op : func.getBody().front()) {
    position[&op] = ops.size();
    ops.push_back(&op);
  }
  // delta[i]: bytes that become kept after op i, or stop being kept at i.
  SmallVector<int64_t> delta(ops.size() + 1, 0);
  for (Operation *op : ops) {
    auto placed = dyn_cast<PlacedOp>(op);
    if (!placed || !placed.getPlacementRect() || !inPhase(op, true) ||
        isa<ConstantOp>(op))
      continue;
    mesh::RectAttr rect = placed.getPlacementRect();
    for (Value v : op->getResults()) {
      int64_t last = -1;
      for (Operation *user : v.getUsers())
        if (inPhase(user, false))
          last = std::max(last, position.lookup(user));
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (last < 0 || !type)
        continue;
      int64_t bytes = elementsPerPE(type, getDist(type), rect.getWidth(),
                                    rect.getHeight()) *
                      elementBytes(type.getElementType());
      delta[position[op] + 1] += bytes;
      delta[last] -= bytes;
    }
  }
  int64_t live = 0;
  for (auto [i, op] : llvm::enumerate(ops)) {
    live += delta[i];
    kept[op] = live;
  }
  return kept;
}

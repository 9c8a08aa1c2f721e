//===- FindLayerLoops.cpp - Mark the repeated layers of a model -----------===//
//
// The analysis is dialects/wafer/Analysis/LayerLoop.cpp; this pass only
// records its answer as `wafer.layer = I` on the ops of iteration I.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Analysis/LayerLoop.h"
#include "dialects/wafer/Transforms/Passes.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERFINDLAYERLOOPS
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;

/// Moves the computations every layer shares (a causal mask streamed and
/// sliced inside the first layer and read by all of them after CSE) before
/// the first op that depends on the model's inputs: they then belong to no
/// layer and are read by each alike. Such computations are the ops that do
/// not depend on the inputs and feed, directly or through each other, a
/// value read by two or more input-dependent ops. A weight read by one layer
/// stays where it is, next to its reader.
static void hoistSharedConstants(func::FuncOp func) {
  Block &body = func.getBody().front();
  llvm::DenseSet<Operation *> independent;
  Operation *firstDependent = nullptr;
  for (Operation &op : body.without_terminator()) {
    bool indep = llvm::all_of(op.getOperands(), [&](Value v) {
      Operation *def = v.getDefiningOp();
      return def && independent.contains(def);
    });
    if (indep)
      independent.insert(&op);
    else if (!firstDependent)
      firstDependent = &op;
  }
  if (!firstDependent)
    return;
  llvm::DenseSet<Operation *> shared;
  SmallVector<Operation *> work;
  for (Operation *op : independent) {
    llvm::SmallPtrSet<Operation *, 4> readers;
    for (Operation *user : op->getUsers())
      if (!independent.contains(user))
        readers.insert(user);
    if (readers.size() >= 2)
      work.push_back(op);
  }
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    if (!shared.insert(op).second)
      continue;
    for (Value v : op->getOperands())
      work.push_back(v.getDefiningOp());
  }
  for (Operation &op : llvm::make_early_inc_range(body.without_terminator()))
    if (shared.contains(&op) && firstDependent->isBeforeInBlock(&op))
      op.moveBefore(firstDependent);
}

namespace {
struct FindLayerLoopsPass
    : wse::wafer::impl::WaferFindLayerLoopsBase<FindLayerLoopsPass> {
  using WaferFindLayerLoopsBase::WaferFindLayerLoopsBase;

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      for (Operation &op : func.getBody().front())
        op.removeAttr(kLayerAttrName);
      if (!enable)
        continue;
      // The hoisting only serves the loop: without one, the ops go back to
      // where they were.
      SmallVector<Operation *> order;
      for (Operation &op : func.getBody().front().without_terminator())
        order.push_back(&op);
      hoistSharedConstants(func);
      std::optional<LayerLoop> loop = findLayerLoop(func);
      if (!loop) {
        Operation *end = func.getBody().front().getTerminator();
        for (Operation *op : order)
          op->moveBefore(end);
        continue;
      }
      Builder b(func.getContext());
      for (unsigned i = 0; i < loop->count; ++i)
        for (unsigned k = 0; k < loop->period; ++k)
          loop->at(i, k)->setAttr(kLayerAttrName, b.getI64IntegerAttr(i));
    }
  }
};
} // namespace

//===- FindLayerLoops.cpp - Mark the repeated layers of a model -----------===//
//
// The analysis is dialects/wafer/Analysis/LayerLoop.cpp; this pass only
// records its answer as `wafer.layer = I` on the ops of iteration I.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Analysis/LayerLoop.h"
#include "dialects/wafer/Transforms/Passes.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERFINDLAYERLOOPS
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;

namespace {
struct FindLayerLoopsPass
    : wse::wafer::impl::WaferFindLayerLoopsBase<FindLayerLoopsPass> {
  using WaferFindLayerLoopsBase::WaferFindLayerLoopsBase;

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      // A training step's layers are its #wafer.step annotations; its
      // backward has no loop lowering yet (issue 16).
      if (func.isExternal() || func->hasAttr(kTrainingStepAttrName))
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

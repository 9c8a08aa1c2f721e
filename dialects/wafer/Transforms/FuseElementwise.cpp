// PLACEHOLDER: being written; fails loudly until then.
#include "dialects/wafer/Transforms/Passes.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERFUSEELEMENTWISE
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

namespace {
struct Impl : wse::wafer::impl::WaferFuseElementwiseBase<Impl> {
  using WaferFuseElementwiseBase::WaferFuseElementwiseBase;
  void runOnOperation() override {
    getOperation()->emitError("FuseElementwise is not implemented yet");
    signalPassFailure();
  }
};
} // namespace

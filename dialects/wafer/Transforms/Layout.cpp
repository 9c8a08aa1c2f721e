// PLACEHOLDER: being written; fails loudly until then.
#include "dialects/wafer/Transforms/Passes.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERLAYOUT
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

namespace {
struct Impl : wse::wafer::impl::WaferLayoutBase<Impl> {
  using WaferLayoutBase::WaferLayoutBase;
  void runOnOperation() override {
    getOperation()->emitError("Layout is not implemented yet");
    signalPassFailure();
  }
};
} // namespace

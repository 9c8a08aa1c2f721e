// PLACEHOLDER: being written; fails loudly until then.
#include "dialects/wafer/Transforms/Passes.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERVERIFY
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

namespace {
struct Impl : wse::wafer::impl::WaferVerifyBase<Impl> {
  using WaferVerifyBase::WaferVerifyBase;
  void runOnOperation() override {
    getOperation()->emitError("Verify is not implemented yet");
    signalPassFailure();
  }
};
} // namespace

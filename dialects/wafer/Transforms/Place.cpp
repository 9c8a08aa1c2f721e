// PLACEHOLDER: being written; fails loudly until then.
#include "dialects/wafer/Transforms/Passes.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERPLACE
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

namespace {
struct Impl : wse::wafer::impl::WaferPlaceBase<Impl> {
  using WaferPlaceBase::WaferPlaceBase;
  void runOnOperation() override {
    getOperation()->emitError("Place is not implemented yet");
    signalPassFailure();
  }
};
} // namespace

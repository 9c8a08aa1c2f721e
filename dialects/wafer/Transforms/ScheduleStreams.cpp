// PLACEHOLDER: being written; fails loudly until then.
#include "dialects/wafer/Transforms/Passes.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERSCHEDULESTREAMS
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

namespace {
struct Impl : wse::wafer::impl::WaferScheduleStreamsBase<Impl> {
  using WaferScheduleStreamsBase::WaferScheduleStreamsBase;
  void runOnOperation() override {
    getOperation()->emitError("ScheduleStreams is not implemented yet");
    signalPassFailure();
  }
};
} // namespace

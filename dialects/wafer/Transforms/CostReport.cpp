// PLACEHOLDER: being written; fails loudly until then.
#include "dialects/wafer/Transforms/Passes.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERCOSTREPORT
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

namespace {
struct Impl : wse::wafer::impl::WaferCostReportBase<Impl> {
  using WaferCostReportBase::WaferCostReportBase;
  void runOnOperation() override {
    getOperation()->emitError("CostReport is not implemented yet");
    signalPassFailure();
  }
};
} // namespace

// PLACEHOLDER: being written; fails loudly until then.
#include "wse/Conversion/Passes.h"

namespace wse {
#define GEN_PASS_DEF_CONVERTONNXTOWAFER
#include "lib/Conversion/Passes.h.inc"
} // namespace wse

namespace {
struct Impl : wse::impl::ConvertONNXToWaferBase<Impl> {
  void runOnOperation() override {
    getOperation()->emitError("convert-onnx-to-wafer is not implemented yet");
    signalPassFailure();
  }
};
} // namespace

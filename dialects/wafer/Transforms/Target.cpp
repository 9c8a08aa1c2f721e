//===- Target.cpp - Attach the target machine to a module -----------------===//

#include "dialects/wafer/Transforms/Passes.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERTARGET
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;
using wse::mesh::getTarget;
using wse::mesh::kTargetAttrName;
using wse::mesh::TargetAttr;

namespace {
struct TargetPass : wse::wafer::impl::WaferTargetBase<TargetPass> {
  using WaferTargetBase::WaferTargetBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (target.empty()) {
      if (!getTarget(module)) {
        mlir::emitError(module.getLoc(),
                        "no target: pass target=<preset or machine JSON "
                        "file> (presets: wse2, wse3, 4x4, 8x8, 32x32, "
                        "64x64)");
        signalPassFailure();
      }
      return;
    }
    auto machine = wse::machine::resolveMachine(target);
    if (!machine) {
      mlir::emitError(module.getLoc())
          << "cannot use target '" << target
          << "': " << llvm::toString(machine.takeError());
      return signalPassFailure();
    }
    module->setAttr(kTargetAttrName,
                    TargetAttr::get(module.getContext(), *machine));
  }
};
} // namespace

//===- Verify.cpp - The emulator's verifier on the emitted program --------===//

#include "dialects/pe/Transforms/Passes.h"
#include "wse/Target/PEToProgram.h"

namespace wse::pe {
#define GEN_PASS_DEF_PEVERIFY
#include "dialects/pe/Transforms/Passes.h.inc"
} // namespace wse::pe

using namespace mlir;

namespace {
struct VerifyPass : wse::pe::impl::PEVerifyBase<VerifyPass> {
  using PEVerifyBase::PEVerifyBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string constants;
    llvm::Expected<wse::emu::Program> prog =
        wse::pe::toProgram(module, "consts.bin", constants);
    if (!prog) {
      mlir::emitError(module.getLoc())
          << "pe-verify: " << llvm::toString(prog.takeError());
      return signalPassFailure();
    }
    markAllAnalysesPreserved();
  }
};
} // namespace

//===- VerifyPass.cpp - The emulator's verifier on the emitted program ----===//

#include "wse/Target/PEToProgram.h"
#include "wse/Target/Passes.h"

namespace wse {
#define GEN_PASS_DEF_PEVERIFY
#include "wse/Target/Passes.h.inc"
} // namespace wse

using namespace mlir;

namespace {
struct VerifyPass : wse::impl::PEVerifyBase<VerifyPass> {
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

//===- Passes.td - Passes of program emission --------------*- tablegen -*-===//
//
// Passes that run the emitter without writing a program: they live with
// emission (library WSEPEToProgram) so that the pe dialect's own passes
// never reach the target.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_TARGET_PASSES_TD
#define WSE_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

def PEVerify : Pass<"pe-verify", "mlir::ModuleOp"> {
  let summary = "translate to the emulator's program and run its verifier";
  let description = [{
    Runs the emission (toProgram, include/wse/Target/PEToProgram.h) without
    writing anything, including the emulator's program verifier, and
    reports its error at the module. A module that passes is fully resolved
    and emits a program the emulator accepts (machine-independent checks;
    pe-verify-routes does the machine-dependent ones).
  }];
}

#endif // WSE_TARGET_PASSES_TD

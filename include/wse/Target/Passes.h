//===- Passes.h - Passes of program emission --------------------*- C++ -*-===//
//
// pe-verify (library WSEPEToProgram), declared in Passes.td next to this
// header.
//
//===----------------------------------------------------------------------===//
#ifndef WSE_TARGET_PASSES_H
#define WSE_TARGET_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace wse {
#define GEN_PASS_DECL
#include "wse/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "wse/Target/Passes.h.inc"
} // namespace wse

#endif

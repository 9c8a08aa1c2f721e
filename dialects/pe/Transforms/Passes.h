//===- Passes.h - pe dialect passes -----------------------------*- C++ -*-===//
#ifndef WSE_DIALECT_PE_TRANSFORMS_PASSES_H
#define WSE_DIALECT_PE_TRANSFORMS_PASSES_H

#include "dialects/pe/IR/PEOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace wse::pe {
#define GEN_PASS_DECL
#include "dialects/pe/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/pe/Transforms/Passes.h.inc"

} // namespace wse::pe

#endif

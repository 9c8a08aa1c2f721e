//===- Passes.h - wafer dialect passes --------------------------*- C++ -*-===//
#ifndef WSE_DIALECT_WAFER_TRANSFORMS_PASSES_H
#define WSE_DIALECT_WAFER_TRANSFORMS_PASSES_H

#include "dialects/wafer/IR/WaferOps.h"
#include "wse/Support/EnumPassOption.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

// mode=stream|pipelined: a typo is refused with the valid values.
WSE_ENUM_PASS_OPTION(wse::wafer::PlacementMode)

namespace wse::wafer {
#define GEN_PASS_DECL
#include "dialects/wafer/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/wafer/Transforms/Passes.h.inc"

} // namespace wse::wafer

#endif

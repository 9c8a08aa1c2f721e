//===- Passes.h - wafer dialect passes --------------------------*- C++ -*-===//
#ifndef WSE_DIALECT_WAFER_TRANSFORMS_PASSES_H
#define WSE_DIALECT_WAFER_TRANSFORMS_PASSES_H

#include "dialects/wafer/IR/WaferOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace wse::wafer {
#define GEN_PASS_DECL
#include "dialects/wafer/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/wafer/Transforms/Passes.h.inc"

} // namespace wse::wafer

#endif

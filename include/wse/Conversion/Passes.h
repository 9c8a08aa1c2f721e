//===- Passes.h - Conversions between the project's dialects ----*- C++ -*-===//
//
// convert-onnx-to-wafer (library WSEONNXToWafer) and convert-wafer-to-pe
// (WSEWaferToPE), declared in Passes.td next to this header.
//
//===----------------------------------------------------------------------===//
#ifndef WSE_CONVERSION_PASSES_H
#define WSE_CONVERSION_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace wse {
#define GEN_PASS_DECL
#include "wse/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "wse/Conversion/Passes.h.inc"

/// What convert-wafer-to-pe does to `module` (`marks`: its option).
mlir::LogicalResult lowerWaferToPE(mlir::ModuleOp module, bool marks);

/// Registers, on the wafer dialect, the SRAM planner that lowers a copy of
/// the module (dialects/wafer/Analysis/SRAMPlan.h).
void registerSRAMPlanner(mlir::DialectRegistry &registry);
} // namespace wse

#endif

//===- KeptActivations.h - SRAM a training step holds across phases -*- C++
//-*-===//
//
// In a training step (wafer-training-step) the forward values the backward
// reads stay on the wafer in between: the checkpoints at layer inputs with
// recomputation, every such activation without. Each one occupies its
// per-PE block from its definition to its last backward read, on top of
// what the running op needs; wafer-verify checks the sum and
// wafer-cost-report prints the peak.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_ANALYSIS_KEPTACTIVATIONS_H
#define WSE_DIALECT_WAFER_ANALYSIS_KEPTACTIVATIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

namespace wse::wafer {

/// Per op of a `wafer.training_step` function: the per-PE bytes of kept
/// forward values live while it runs, not counting its own operands and
/// results. Empty for other functions or without placements.
llvm::DenseMap<mlir::Operation *, int64_t>
keptActivationBytesPerPE(mlir::func::FuncOp func);

} // namespace wse::wafer

#endif

//===- TrainingCost.h - The cost report's training-step figures -*- C++ -*-===//
//
// wafer-cost-report adds these for a function marked `wafer.training_step`
// (wafer-training-step): the cost model's figures summed per phase, the
// gradient egress the stream schedule planned, checkpoint SRAM and the
// tokens the step needs for compute to keep pace with the streams.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_TRANSFORMS_TRAININGCOST_H
#define WSE_DIALECT_WAFER_TRANSFORMS_TRAININGCOST_H

#include "dialects/wafer/IR/WaferOps.h"
#include "wse/Machine/MachineDescription.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace wse::wafer {

struct PhaseCost {
  int64_t ops = 0;
  double flops = 0, computeCycles = 0, streamCycles = 0, estimatedCycles = 0;
  int64_t streamedBytes = 0;
};

struct TrainingCost {
  /// forward, loss, recompute, backward (TrainingPhase order).
  PhaseCost phase[4];
  /// Tokens of the step (batch x sequence of the loss's labels).
  int64_t tokens = 0;
  int64_t gradientStreams = 0, egressBytes = 0;
  /// Cycles the egress links are busy, and when the last gradient has left
  /// (from wafer-schedule-streams; 0 if unscheduled).
  double egressCycles = 0;
  int64_t lastEgressCycle = 0;
  /// Checkpoint ops, and the peak per-PE bytes of forward values kept for
  /// backward (KeptActivations.h).
  int64_t checkpoints = 0, keptBytesPerPE = 0;
  /// The step: every op's estimate in program order, or the last gradient
  /// leaving if that is later.
  double stepCycles = 0;
  std::string optimizer;
  /// Bytes of the parameters the store updates.
  int64_t trainedBytes = 0;
  /// Optimizer state the weight store keeps (momentum; AdamW's moments).
  int64_t optimizerStateBytes = 0;

  /// Tokens at which the phases' compute takes as long as their weight
  /// streams: tokens x stream cycles / compute cycles (forward; recompute
  /// and backward together).
  double forwardTokensToKeepPace() const;
  double backwardTokensToKeepPace() const;
};

/// The figures of the module's training step, if it has one.
std::optional<TrainingCost>
measureTrainingStep(mlir::ModuleOp module,
                    const machine::MachineDescription &machine);

void printTrainingCost(llvm::raw_ostream &os, const TrainingCost &cost,
                       const machine::MachineDescription &machine);

llvm::json::Value toJSON(const TrainingCost &cost,
                         const machine::MachineDescription &machine);

} // namespace wse::wafer

#endif

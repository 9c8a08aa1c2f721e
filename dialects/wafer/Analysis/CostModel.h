//===- CostModel.h - Analytical cost of wafer ops ---------------*- C++ -*-===//
//
// The numbers wafer-place, wafer-schedule-streams, wafer-verify and
// wafer-cost-report share. The assumptions behind every formula are listed
// in docs/wafer/cost-model.md; later work validates them on the emulator.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_ANALYSIS_COSTMODEL_H
#define WSE_DIALECT_WAFER_ANALYSIS_COSTMODEL_H

#include "dialects/wafer/IR/WaferOps.h"
#include "wse/Machine/MachineDescription.h"

namespace wse::wafer {

/// Placement-independent work of one op.
struct OpWork {
  double flops = 0;            ///< arithmetic operations; an FMA counts 2
  int64_t weightBytes = 0;     ///< bytes of operands defined by wafer.stream
  int64_t activationBytes = 0; ///< bytes of the other operands and results
  int64_t movedBytes = 0; ///< bytes a data-movement op sends over the fabric
  /// Tokens (rows of the activation) one pass of a streamed weight serves:
  /// the product of a linear's input dimensions except the last.
  int64_t tokens = 0;
};

/// FLOPs and bytes of `op`. Ops without work (constants, streams, parameters)
/// return zeros.
OpWork estimateWork(mlir::Operation *op);

/// The op's cost on its rectangle of `machine`.
struct OpTiming {
  int64_t numPEs = 0;
  double computeCycles = 0; ///< flops / (2 * simd lanes * PEs)
  double streamCycles = 0;  ///< weight bytes / edge-port bytes per cycle
  double fabricCycles = 0;  ///< multicast, reductions and data movement
  /// max(compute, stream): the roofline bound.
  double rooflineCycles = 0;
  /// The model's estimate (roofline plus fabric latency and overheads).
  double estimatedCycles = 0;
  /// Bytes a PE needs while the op runs: its blocks of operands and
  /// results plus weight buffers (resident weights in pipelined mode).
  int64_t sramBytesPerPE = 0;
  /// Tokens needed for compute to take as long as streaming the weights
  /// (0 for ops without streamed weights).
  double tokensToKeepPace = 0;

  // Parts of the figures above, for reports and diagnostics.
  int64_t streamedBytes = 0;        ///< weight bytes streamed (not resident)
  int64_t activationBytesPerPE = 0; ///< non-weight operands and results
  int64_t weightBytesPerPE = 0;     ///< stream buffers or resident shares
  double overheadCycles = 0;        ///< fixed per-op cost (task switch, setup)
};

/// Edge-port bytes per cycle available to a rectangle (ports on the west and
/// east edges whose rows fall inside the rectangle's rows).
double streamBytesPerCycle(const machine::MachineDescription &machine,
                           mesh::RectAttr rect);

/// Timing of `op` on `rect` (its placement when null). Uses the operand and
/// result distributions when present, else assumes the op's work is spread
/// evenly over the rectangle.
OpTiming estimateTiming(mlir::Operation *op,
                        const machine::MachineDescription &machine,
                        mesh::RectAttr rect = {});

/// Pipelined-mode SRAM of the ops sharing one rectangle: every op keeps its
/// resident weights there for the whole program, and one op runs at a time,
/// so a PE needs the sum of the resident shares plus the largest op's
/// activations (code reserve not included). What wafer-verify checks and
/// wafer-place sizes for.
struct RectSRAM {
  mesh::RectAttr rect;
  int64_t resident = 0;             ///< sum of weightBytesPerPE
  int64_t ops = 0;                  ///< ops counted
  mlir::Operation *worst = nullptr; ///< the op with the largest activations
  int64_t worstActivations = -1;    ///< its activationBytesPerPE
  int64_t bytesPerPE() const {
    return resident + std::max<int64_t>(worstActivations, 0);
  }
};

/// `ops` grouped by their placement, in order of first appearance.
/// Constants (replicated where used) and unplaced ops are skipped.
llvm::SmallVector<RectSRAM>
pipelinedSRAMByRect(llvm::ArrayRef<mlir::Operation *> ops,
                    const machine::MachineDescription &machine);

/// The same figures for all of `ops` as if they ran on `rect` (their
/// distributions as they are): a lower bound for any smaller rectangle,
/// since a block never grows when an extent does.
RectSRAM pipelinedSRAMOn(llvm::ArrayRef<mlir::Operation *> ops,
                         const machine::MachineDescription &machine,
                         mesh::RectAttr rect);

/// Bytes one PE of `rect` holds of `weight` under its distribution (the
/// share a resident weight occupies, the cap of a stream's chunk).
int64_t weightShareBytes(mlir::RankedTensorType weight, mesh::RectAttr rect);

/// The smallest useful chunk of `weight` per PE: one element for every
/// index of its undistributed dimensions, i.e. one row block (a column of
/// a [K/height, N] block is elementBytes * ceil(K / height)).
int64_t minimalChunkBytes(mlir::RankedTensorType weight, mesh::RectAttr rect);

/// SRAM bytes every PE keeps for code and the runtime (subtracted from the
/// machine's SRAM before anything is placed).
int64_t codeReserveBytes(const machine::MachineDescription &machine);

} // namespace wse::wafer

#endif

//===- LayerLoop.h - Repeated layers of a model function --------*- C++ -*-===//
//
// A decoder is a prologue, the same transformer block N times and an
// epilogue. Weight streaming runs a model of any depth on a fixed wafer by
// running the block as a loop whose iterations differ only in the weights
// that stream in; this analysis finds that repetition in the op list of a
// wafer function and checks that the ops of every iteration are the ops of
// the first one, with each value read from the same place:
//
//  * a value of the same iteration (the same op of the body),
//  * the previous iteration's result of one body op (*carried*): the first
//    iteration reads an entry value defined before the loop in its place,
//  * a value defined before the loop and read by every iteration alike
//    (*invariant*, e.g. the causal mask or the rotary tables), or
//  * a `wafer.constant` defined before the loop and read only by that
//    iteration (*per-iteration constant*: a bias or a norm's scale, which
//    the lowering streams in with the iteration's weights).
//
// Streams of different parameters of the same type count as the same op.
// Only the last iteration's values (and the entry values) may be read after
// the loop.
//
// wafer-find-layer-loops records the loop as `wafer.layer = I` on every op
// of iteration I; convert-wafer-to-pe reads the annotation back with
// `getLayerLoop` and checks it again.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_ANALYSIS_LAYERLOOP_H
#define WSE_DIALECT_WAFER_ANALYSIS_LAYERLOOP_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace wse::wafer {

/// The discardable attribute naming an op's iteration of the layer loop.
constexpr llvm::StringLiteral kLayerAttrName = "wafer.layer";

struct LayerLoop {
  /// The function body's ops, terminator excluded, in program order.
  llvm::SmallVector<mlir::Operation *> ops;
  /// ops[first + i * period + k] is op k of iteration i < count.
  unsigned first = 0, period = 0, count = 0;

  /// The value iteration i > 0 reads where the first reads `entry`: result
  /// `result` of body op `op` of iteration i - 1.
  struct Carried {
    mlir::Value entry;
    unsigned op, result;
  };
  llvm::SmallVector<Carried> carried;

  /// Operand `operand` of body op `op` is a constant of each iteration.
  struct IterationConstant {
    unsigned op, operand;
  };
  llvm::SmallVector<IterationConstant> constants;

  /// Operand `operand` of body op `op` is, in iteration i, result
  /// `sourceResult` of body op `sourceOp` of iteration `count - 1 - i` of an
  /// earlier loop of as many iterations (a training step's backward layers
  /// read the checkpoints their forward layers kept, in reverse order).
  struct Kept {
    unsigned op, operand;
    unsigned sourceOp, sourceResult;
  };
  llvm::SmallVector<Kept> kept;

  mlir::Operation *at(unsigned iteration, unsigned op) const {
    return ops[first + iteration * period + op];
  }
  unsigned end() const { return first + count * period; }
};

/// Moves the computations every layer shares (a causal mask streamed and
/// sliced inside the first layer and read by all of them after CSE) before
/// the first op that depends on the function's arguments: they then belong
/// to no layer and are read by each alike. Such computations are the ops
/// that do not depend on the arguments and feed, directly or through each
/// other, a value read by two or more argument-dependent ops. A weight read
/// by one layer stays where it is, next to its reader.
/// With `keepWeights`, what is computed from a weight stream stays too (a
/// training step streams each layer's own rotary table: computed where
/// it is read, every layer reads its own alike).
/// The loops of a training step (`wafer.step` annotations): its forward
/// layers in order, then its backward layers (each layer's recompute and
/// gradient ops) in reverse, reading the forward layers' checkpoints as kept
/// values. None when the step has fewer than two layers; failure, with the
/// reason in `why`, when the annotations do not describe such loops or the
/// layers' ops differ.
mlir::FailureOr<std::vector<LayerLoop>>
getTrainingLoops(mlir::func::FuncOp func, std::string &why);

/// Moves each relayout that only ops of one later layer of a training step
/// read (wafer-layout places a relayout right after the op it follows, so a
/// layer's input in a second layout is made at the end of the layer before,
/// or in the epilogue for the first backward layer) to the start of that
/// layer, annotated as its op: every layer then begins with it.
void gatherLayerInputRelayouts(mlir::func::FuncOp func);

void hoistSharedConstants(mlir::func::FuncOp func, bool keepWeights = false);

/// The loop that saves the most ops (ties: fewer carried values, then the
/// earliest start), if some op sequence repeats at least twice.
std::optional<LayerLoop> findLayerLoop(mlir::func::FuncOp func);

/// Checks that `count` iterations of `period` ops from `first` form a layer
/// loop and fills in `loop` (carried values, per-iteration constants). On
/// failure, `why` names the first mismatch.
/// With `source` (an earlier loop's geometry), operands may also be kept
/// values of its iterations in reverse (LayerLoop::Kept); `keptResults` are
/// the (op, result) pairs of this loop a later loop reads that way, which
/// every iteration may leave for after the loop.
bool checkLayerLoop(
    mlir::func::FuncOp func, unsigned first, unsigned period, unsigned count,
    LayerLoop &loop, std::string &why, const LayerLoop *source = nullptr,
    llvm::ArrayRef<std::pair<unsigned, unsigned>> keptResults = {});

/// The loop recorded by `wafer.layer` attributes: none if no op carries
/// one, an error (emitted on the function) if they do not describe
/// consecutive iterations of identical ops.
mlir::FailureOr<std::optional<LayerLoop>> getLayerLoop(mlir::func::FuncOp func);

} // namespace wse::wafer

#endif

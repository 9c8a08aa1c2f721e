//===- TrainingStep.h - The parts of wafer-training-step --------*- C++ -*-===//
//
// wafer-training-step works on one function in stages: classify the lowered
// @train_step's ops (TrainingStep.cpp), find the layers and order the
// backward pass (TrainingLayers.cpp), then stream weights, recompute and
// stream gradients out (TrainingStep.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_TRANSFORMS_TRAININGSTEP_H
#define WSE_DIALECT_WAFER_TRANSFORMS_TRAININGSTEP_H

#include "dialects/wafer/IR/WaferOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

namespace wse::wafer::training {

/// Where an op of the step belongs: its phase, and its layer if it is in the
/// repeated block. `epilogue` tells the forward ops after the layers (and
/// their gradients) from those before them.
struct Place {
  TrainingPhase phase = TrainingPhase::forward;
  std::optional<int64_t> layer;
  bool epilogue = false;
  /// Backward: the forward op (the onnx op's index) it differentiates.
  int64_t gradientOf = -1;
};

struct StepState {
  mlir::func::FuncOp func;
  llvm::DenseMap<mlir::Operation *, Place> place;
  LossOp loss;
  /// The number of repeated layers (0: none found).
  int64_t layers = 0;

  /// Gives `to` the place of `from`. (`place[to] = place[from]` passed
  /// operator= a reference into the map that inserting `to` could free:
  /// a heap use-after-free under ASan.)
  void copyPlace(mlir::Operation *to, mlir::Operation *from) {
    Place p = place[from];
    place[to] = p;
  }

  /// Order key of a backward place: epilogue, layers L-1..0, prologue.
  int64_t backwardKey(const Place &p) const {
    if (p.layer)
      return 1 + (layers - 1 - *p.layer);
    return p.epilogue ? 0 : 1 + layers;
  }
};

/// Finds the repeated layers among the forward ops (the ops before the
/// loss) and labels every forward and backward op with its layer.
void labelLayers(StepState &state);

/// Moves the backward ops into the order epilogue, layers L-1..0,
/// prologue. Fails (with an error) if a value would be read before it is
/// computed.
mlir::LogicalResult orderBackward(StepState &state);

} // namespace wse::wafer::training

#endif

//===- TrainingOps.cpp - Verifiers of the training step -------------------===//
//
// The ops a training step adds (checkpoint, loss, stream_out,
// store_optimizer) and the function-level rules of `wafer.training_step`:
// phases in order (forward, loss, backward), forward layers ascending and
// backward layers descending, a recomputed layer's activations never read in
// backward, backward weights streamed in again, and each gradient streamed
// out once to a parameter the store's optimizer updates.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/IR/OpVerifiers.h"
#include "dialects/wafer/IR/WaferOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace wse::wafer;

static bool sameShapeAndElement(RankedTensorType a, RankedTensorType b) {
  return a.getShape() == b.getShape() &&
         a.getElementType() == b.getElementType();
}

LogicalResult CheckpointOp::verify() {
  if (failed(verifyEncodings(*this)))
    return failure();
  if (getLayer() < 0)
    return emitOpError() << "layer " << getLayer() << " is negative";
  if (!sameShapeAndElement(tensorOf(getInput()), tensorOf(getOutput())))
    return emitOpError("result must hold the input's shape and element type");
  return success();
}

LogicalResult LossOp::verify() {
  if (failed(verifyEncodings(*this)))
    return failure();
  RankedTensorType logits = tensorOf(getLogits()),
                   labels = tensorOf(getLabels());
  if (logits.getRank() != 3)
    return emitOpError() << "logits must be [batch, sequence, vocab], not "
                         << logits;
  if (labels.getShape() != logits.getShape().take_front(2))
    return emitOpError() << "labels " << labels
                         << " must have the logits' batch and sequence";
  if (logits.getDimSize(1) < 2)
    return emitOpError("next-token loss needs a sequence of at least 2");
  RankedTensorType loss = tensorOf(getLoss());
  if (loss.getRank() != 0 || loss.getElementType() != logits.getElementType())
    return emitOpError() << "loss must be a 0-d tensor of "
                         << logits.getElementType() << ", not " << loss;
  if (!sameShapeAndElement(tensorOf(getLogitsGrad()), logits))
    return emitOpError("logits_grad must have the logits' shape and type");
  return success();
}

/// Start and end of an estimated window come together and are ordered.
static LogicalResult verifyWindow(Operation *op, std::optional<int64_t> order,
                                  std::optional<int64_t> chunk,
                                  std::optional<int64_t> start,
                                  std::optional<int64_t> end) {
  if (order && *order < 0)
    return op->emitOpError() << "order " << *order << " is negative";
  if (chunk && *chunk < 1)
    return op->emitOpError() << "chunk_bytes " << *chunk << " must be positive";
  if (start.has_value() != end.has_value())
    return op->emitOpError("start_cycle and end_cycle come together");
  if (start && (*start < 0 || *end < *start))
    return op->emitOpError() << "window [" << *start << ", " << *end
                             << "] is not a valid interval";
  return success();
}

LogicalResult StreamOutOp::verify() {
  if (failed(verifyEncodings(*this)))
    return failure();
  return verifyWindow(*this, getOrder(), getChunkBytes(), getStartCycle(),
                      getEndCycle());
}

LogicalResult StreamOutOp::verifySymbolUses(SymbolTableCollection &symbols) {
  RankedTensorType paramType = parameterType(*this, getNameAttr(), symbols);
  if (!paramType)
    return failure();
  if (!sameShapeAndElement(paramType, tensorOf(getGradient())))
    return emitOpError() << "gradient " << tensorOf(getGradient())
                         << " does not match parameter '" << getName()
                         << "' of type " << paramType;
  return success();
}

LogicalResult StoreOptimizerOp::verify() {
  double lr = getLr().convertToDouble();
  if (!(lr > 0) || !std::isfinite(lr))
    return emitOpError() << "lr " << lr << " must be positive";
  if (getParams().empty())
    return emitOpError("updates no parameter");
  auto nonNegative = [&](std::optional<APFloat> v,
                         StringRef name) -> LogicalResult {
    if (v && !(v->convertToDouble() >= 0))
      return emitOpError() << name << " must not be negative";
    return success();
  };
  if (failed(nonNegative(getWeightDecay(), "weight_decay")))
    return failure();
  if (getKind() == OptimizerKind::sgd) {
    if (getBeta1() || getBeta2() || getEps())
      return emitOpError("beta1, beta2 and eps belong to adamw, not sgd");
    if (failed(nonNegative(getMomentum(), "momentum")) ||
        failed(nonNegative(getDampening(), "dampening")))
      return failure();
    double momentum = getMomentum() ? getMomentum()->convertToDouble() : 0;
    double dampening = getDampening() ? getDampening()->convertToDouble() : 0;
    if (getNesterov() && (momentum <= 0 || dampening != 0))
      return emitOpError("nesterov needs a momentum and zero dampening "
                         "(as torch.optim.SGD)");
    return success();
  }
  if (getMomentum() || getDampening() || getNesterov())
    return emitOpError("momentum, dampening and nesterov belong to sgd, not "
                       "adamw");
  if (!getBeta1() || !getBeta2() || !getEps())
    return emitOpError("adamw needs beta1, beta2 and eps");
  for (auto [v, name] : {std::pair{getBeta1(), "beta1"}, {getBeta2(), "beta2"}})
    if (!(v->convertToDouble() >= 0 && v->convertToDouble() < 1))
      return emitOpError() << name << " must lie in [0, 1)";
  if (!(getEps()->convertToDouble() > 0))
    return emitOpError("eps must be positive");
  return success();
}

LogicalResult
StoreOptimizerOp::verifySymbolUses(SymbolTableCollection &symbols) {
  llvm::StringSet<> seen;
  for (auto ref : getParams().getAsRange<FlatSymbolRefAttr>()) {
    if (!symbols.lookupNearestSymbolFrom<ParameterOp>(*this, ref.getAttr()))
      return emitOpError() << "'" << ref.getValue()
                           << "' does not name a wafer.parameter";
    if (!seen.insert(ref.getValue()).second)
      return emitOpError() << "'" << ref.getValue() << "' is listed twice";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// The function-level rules
//===----------------------------------------------------------------------===//

static StepAttr stepOf(Operation *op) {
  return op ? op->getAttrOfType<StepAttr>(kStepAttrName) : StepAttr();
}

/// Layers of one section run in one direction; ops outside the layers
/// (prologue, epilogue) come only before or after them.
struct LayerOrder {
  bool ascending;
  enum { Before, Inside, After } state = Before;
  int64_t last = 0;

  LogicalResult next(Operation *op, std::optional<int64_t> layer,
                     StringRef section) {
    if (!layer) {
      if (state == Inside)
        state = After;
      return success();
    }
    if (state == After)
      return op->emitOpError() << "belongs to layer " << *layer << " but the "
                               << section << " layers have ended";
    if (state == Inside && (ascending ? *layer < last : *layer > last))
      return op->emitOpError()
             << section << " layers must run in "
             << (ascending ? "ascending" : "descending") << " order: layer "
             << *layer << " after layer " << last;
    state = Inside;
    last = *layer;
    return success();
  }
};

/// `v` (a forward value of layer `layer`) is also read outside its layer
/// (directly or through relayouts): the layer's output, the next layer's
/// input, which stays on the wafer.
static bool isLayerOutput(Value v, int64_t layer) {
  return llvm::any_of(v.getUsers(), [&](Operation *user) {
    StepAttr s = stepOf(user);
    if (isa<RelayoutOp>(user) && isLayerOutput(user->getResult(0), layer))
      return true;
    return s && s.getPhase() == TrainingPhase::forward &&
           s.getLayer() != std::optional<int64_t>(layer);
  });
}

/// The value `v` moves, seen through the relayouts of its own phase.
static Value throughRelayouts(Value v) {
  while (auto r = v.getDefiningOp<RelayoutOp>()) {
    StepAttr s = stepOf(r);
    if (!s || s.getPhase() != TrainingPhase::forward)
      break;
    v = r.getInput();
  }
  return v;
}

/// Each parameter the store updates gets its gradient exactly once.
static LogicalResult verifyEgress(Operation *func,
                                  ArrayRef<StreamOutOp> egress) {
  auto module = func->getParentOfType<ModuleOp>();
  SmallVector<StoreOptimizerOp> optimizers;
  if (module)
    llvm::append_range(optimizers, module.getOps<StoreOptimizerOp>());
  if (optimizers.size() != 1)
    return func->emitOpError() << "is a training step: its module needs one "
                                  "wafer.store_optimizer (found "
                               << optimizers.size() << ")";
  llvm::StringMap<unsigned> count;
  for (StreamOutOp out : egress)
    ++count[out.getName()];
  llvm::StringSet<> updated;
  for (auto ref : optimizers[0].getParams().getAsRange<FlatSymbolRefAttr>()) {
    updated.insert(ref.getValue());
    unsigned n = count.lookup(ref.getValue());
    if (n != 1)
      return func->emitOpError()
             << "streams the gradient of '" << ref.getValue() << "' out " << n
             << " times; the weight store updates it from exactly one";
  }
  for (StreamOutOp out : egress)
    if (!updated.contains(out.getName()))
      return out.emitOpError()
             << "streams out the gradient of '" << out.getName()
             << "', which the store's optimizer does not update";
  return success();
}

LogicalResult wse::wafer::verifyTrainingStep(Operation *func) {
  if (func->getNumRegions() != 1 || func->getRegion(0).empty())
    return func->emitOpError("'")
           << kTrainingStepAttrName << "' needs a function with a body";
  Block &body = func->getRegion(0).front();
  int section = 0;
  const char *sectionNames[] = {"forward", "loss", "backward"};
  LayerOrder forward{true}, backward{false};
  unsigned losses = 0;
  llvm::DenseSet<int64_t> recomputed;
  SmallVector<StreamOutOp> egress;
  for (Operation &op : body.without_terminator()) {
    if (isa<ConstantOp>(op))
      continue; // Data, replicated where read: no phase of its own.
    StepAttr step = stepOf(&op);
    if (!step)
      return op.emitOpError("has no '")
             << kStepAttrName << "': every op of a training step needs "
             << "its phase (run wafer-training-step)";
    TrainingPhase phase = step.getPhase();
    int sec = phase == TrainingPhase::forward ? 0
              : phase == TrainingPhase::loss  ? 1
                                              : 2;
    if (sec < section)
      return op.emitOpError()
             << "is a " << stringifyTrainingPhase(phase) << " op after the "
             << sectionNames[section] << " section began";
    section = sec;
    if (isa<LossOp>(op) != (phase == TrainingPhase::loss))
      return op.emitOpError("the loss phase holds the wafer.loss op only");
    losses += isa<LossOp>(op);
    if (auto out = dyn_cast<StreamOutOp>(op)) {
      if (phase != TrainingPhase::backward)
        return op.emitOpError("gradients stream out in the backward phase");
      egress.push_back(out);
    }
    if (auto cp = dyn_cast<CheckpointOp>(op))
      if (phase != TrainingPhase::forward ||
          step.getLayer() != std::optional<int64_t>(cp.getLayer()))
        return op.emitOpError("a checkpoint is a forward op of its layer");
    if (phase == TrainingPhase::recompute) {
      if (!step.getLayer())
        return op.emitOpError("recomputes no layer");
      recomputed.insert(*step.getLayer());
    }
    if (sec == 0 && failed(forward.next(&op, step.getLayer(), "forward")))
      return failure();
    if (sec == 2 && failed(backward.next(&op, step.getLayer(), "backward")))
      return failure();
  }
  if (losses != 1)
    return func->emitOpError() << "is a training step with " << losses
                               << " wafer.loss ops; it needs exactly one";

  // What backward may read of the forward pass.
  for (Operation &op : body.without_terminator()) {
    StepAttr step = stepOf(&op);
    if (!step || (step.getPhase() != TrainingPhase::backward &&
                  step.getPhase() != TrainingPhase::recompute))
      continue;
    for (Value operand : op.getOperands()) {
      Value v = throughRelayouts(operand);
      Operation *def = v.getDefiningOp();
      StepAttr defStep = stepOf(def);
      if (!defStep || defStep.getPhase() != TrainingPhase::forward)
        continue;
      if (isa<StreamOp>(def))
        return op.emitOpError("reads a weight streamed in for the forward "
                              "pass: backward streams its weights in again");
      std::optional<int64_t> layer = defStep.getLayer();
      if (layer && recomputed.contains(*layer) && !isa<CheckpointOp>(def) &&
          !isLayerOutput(v, *layer))
        return op.emitOpError()
               << "reads an activation of layer " << *layer
               << " that is not kept: the layer is recomputed from its "
                  "checkpoints";
    }
  }
  return verifyEgress(func, egress);
}

LogicalResult WaferDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  if (attr.getName() == kStepAttrName) {
    auto step = dyn_cast<StepAttr>(attr.getValue());
    if (!step)
      return op->emitOpError("'") << kStepAttrName << "' must be a #wafer.step";
    if (step.getLayer() && *step.getLayer() < 0)
      return op->emitOpError("'") << kStepAttrName << "' has a negative layer";
    if (step.getLayer() && step.getPhase() == TrainingPhase::loss)
      return op->emitOpError("the loss belongs to no layer");
    return success();
  }
  if (attr.getName() == kTrainingStepAttrName) {
    if (!isa<UnitAttr>(attr.getValue()))
      return op->emitOpError("'")
             << kTrainingStepAttrName << "' is a unit attribute";
    return verifyTrainingStep(op);
  }
  return success();
}

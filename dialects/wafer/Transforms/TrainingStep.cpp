//===- TrainingStep.cpp - The wafer-training-step pass --------------------===//
//
// Turns the lowered @train_step of --onnx-training-step (forward clone, loss
// ops, gradient ops; the trainable weights as arguments, the gradients as
// results) into the step a weight-streaming wafer runs: weights stream in
// for forward and again per backward layer, the loss is one op, backward
// runs in reverse layer order (recomputing each layer from checkpoints of
// its inputs), and the gradients stream out to the weight store, whose
// optimizer is a module-level op. docs/training.md shows the result.
//
//===----------------------------------------------------------------------===//

#include "TrainingStep.h"

#include "dialects/wafer/Analysis/LayerLoop.h"
#include "dialects/wafer/Transforms/Passes.h"
#include "wse/Support/TrainingTags.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"

#include <functional>

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERTRAININGSTEP
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;
using namespace wse::wafer::training;

namespace tags = wse::training;

static bool hasTag(Operation *op, StringRef tag) { return op->hasAttr(tag); }

/// Checks the function is a lowered @train_step and names its parameters.
static FailureOr<SmallVector<ParameterOp>> checkStep(ModuleOp module,
                                                     func::FuncOp step) {
  if (step->hasAttr(kTrainingStepAttrName))
    return step.emitError("@train_step is already a wafer training step");
  bool lowered = true;
  step.walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "onnx") {
      op->emitError("wafer-training-step needs wafer ops: run "
                    "convert-onnx-to-wafer first");
      lowered = false;
    }
  });
  if (!lowered)
    return failure();
  FunctionType type = step.getFunctionType();
  if (type.getNumInputs() < 3 ||
      type.getNumResults() != type.getNumInputs() - 1)
    return step.emitError("@train_step must be (input_ids, labels, P1..Pn) "
                          "-> (loss, dP1..dPn), as --onnx-training-step "
                          "makes it");
  SmallVector<ParameterOp> params;
  for (unsigned i = 2; i < type.getNumInputs(); ++i) {
    auto name = step.getArgAttrOfType<StringAttr>(i, "onnx.name");
    auto param = name ? module.lookupSymbol<ParameterOp>(name) : ParameterOp();
    if (!param || param.getType() != type.getInput(i) ||
        type.getResult(i - 1) != type.getInput(i))
      return step.emitError("argument ")
             << i << " of @train_step must name (onnx.name) a wafer.parameter "
             << "of its type, and result " << i - 1 << " be its gradient";
    params.push_back(param);
  }
  bool tagged = false;
  step.walk([&](Operation *op) { tagged |= hasTag(op, tags::kLossTag); });
  if (!tagged)
    return step.emitError("@train_step has no ops tagged '")
           << tags::kLossTag << "': make it with --onnx-training-step";
  return params;
}

/// Replaces the loss ops (tagged) by one wafer.loss.
static FailureOr<LossOp> fuseLoss(func::FuncOp step) {
  Block &block = step.getBody().front();
  SmallVector<Operation *> lossOps;
  for (Operation &op : block)
    if (hasTag(&op, tags::kLossTag))
      lossOps.push_back(&op);
  llvm::DenseSet<Operation *> inLoss(lossOps.begin(), lossOps.end());
  Value logits, loss, grad;
  for (Operation *op : lossOps) {
    for (Value v : op->getOperands()) {
      Operation *def = v.getDefiningOp();
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (def && !inLoss.contains(def) && !isa<ConstantOp>(def) && type &&
          type.getRank() == 3)
        logits = v;
    }
    for (Value r : op->getResults())
      if (llvm::any_of(r.getUsers(),
                       [&](Operation *u) { return !inLoss.contains(u); }))
        (cast<RankedTensorType>(r.getType()).getRank() == 0 ? loss : grad) = r;
  }
  if (!logits || !loss || !grad || grad.getType() != logits.getType())
    return step.emitError("internal error: the loss ops do not read the "
                          "logits and make the loss and the logits' gradient");
  OpBuilder b(lossOps.front());
  auto op = LossOp::create(b, lossOps.front()->getLoc(), loss.getType(),
                           grad.getType(), logits, step.getArgument(1),
                           wse::mesh::RectAttr());
  loss.replaceAllUsesWith(op.getLoss());
  grad.replaceAllUsesWith(op.getLogitsGrad());
  for (Operation *dead : llvm::reverse(lossOps)) {
    dead->dropAllUses();
    dead->erase();
  }
  return op;
}

static StreamOp streamOf(OpBuilder &b, Location loc, ParameterOp param) {
  return StreamOp::create(
      b, loc, param.getType(), FlatSymbolRefAttr::get(param.getSymNameAttr()),
      wse::mesh::RectAttr(), UnitAttr(), IntegerAttr(), IntegerAttr(),
      IntegerAttr(), IntegerAttr(), IntegerAttr());
}

/// A weight's transpose (a tied LM head's) is made again right before each
/// use, so that every use, forward or backward, streams the weight itself
/// and can consume it on arrival.
static void transposePerUse(StepState &state, unsigned numParams) {
  for (unsigned i = 0; i < numParams; ++i)
    for (Operation *user :
         llvm::make_early_inc_range(state.func.getArgument(2 + i).getUsers())) {
      auto t = dyn_cast<TransposeOp>(user);
      if (!t)
        continue;
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : t->getUses())
        uses.push_back(&use);
      for (OpOperand *use : uses) {
        OpBuilder b(use->getOwner());
        use->set(b.clone(*t)->getResult(0));
      }
      t.erase();
    }
}

/// Each forward use of a weight argument gets its own stream, as in
/// inference (convert-onnx-to-wafer's rule: consumed on arrival).
static void streamForwardUses(StepState &state, ArrayRef<ParameterOp> params) {
  for (auto [i, param] : llvm::enumerate(params))
    for (OpOperand &use :
         llvm::make_early_inc_range(state.func.getArgument(2 + i).getUses())) {
      Operation *user = use.getOwner();
      if (!state.loss->isBeforeInBlock(user) && user != state.loss) {
        OpBuilder b(user);
        use.set(streamOf(b, user->getLoc(), param));
      }
    }
}

namespace {
struct TrainingStepPass
    : wse::wafer::impl::WaferTrainingStepBase<TrainingStepPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto step = module.lookupSymbol<func::FuncOp>("train_step");
    if (!step || step.isExternal()) {
      module.emitError("wafer-training-step needs the @train_step function "
                       "of --onnx-training-step, lowered by "
                       "convert-onnx-to-wafer");
      return signalPassFailure();
    }
    auto params = checkStep(module, step);
    if (failed(params))
      return signalPassFailure();
    StepState state;
    state.func = step;
    auto loss = fuseLoss(step);
    if (failed(loss))
      return signalPassFailure();
    state.loss = *loss;
    transposePerUse(state, params->size());
    streamForwardUses(state, *params);
    useWeightsOnArrival(state);
    findLayers(state);
    if (failed(orderBackward(state)))
      return signalPassFailure();
    streamBackwardUses(state, *params);
    useWeightsOnArrival(state);
    if (recompute) {
      for (int64_t layer : recomputeOnly)
        if (layer < 0 || layer >= state.layers) {
          step.emitError()
              << "wafer-training-step: recompute-layers names layer " << layer
              << "; the step has " << state.layers << " layers (0 to "
              << state.layers - 1 << ")";
          return signalPassFailure();
        }
      recomputeLayers(state);
    } else if (!recomputeOnly.empty()) {
      step.emitError() << "wafer-training-step: recompute-layers needs "
                          "recompute=true";
      return signalPassFailure();
    }
    eraseDeadOps(state);
    streamGradientsOut(state, *params);
    finish(state, *params);
    if (failed(addOptimizer(module, *params)))
      return signalPassFailure();
    for (auto other : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
      if (other != step)
        other.erase();
  }

  /// Labels the layers, with what the layers share hoisted before them as
  /// for inference; if that shows no repetition (each layer derives its
  /// rotary table from a weight of its own), with weights' derivations left
  /// in their layer.
  void findLayers(StepState &state) {
    Block &block = state.func.getBody().front();
    SmallVector<Operation *> order;
    for (Operation &op : block.without_terminator())
      order.push_back(&op);
    for (bool keepWeights : {false, true}) {
      hoistSharedConstants(state.func, keepWeights);
      labelLayers(state);
      if (state.layers > 0)
        return;
      for (Operation *op : order)
        op->moveBefore(block.getTerminator());
    }
  }

  /// The first op of a backward layer (`key`: StepState::backwardKey).
  Operation *segmentStart(StepState &state, int64_t key) {
    for (Operation *op = state.loss->getNextNode(); op; op = op->getNextNode())
      if (!isa<ConstantOp>(op) && !op->hasTrait<OpTrait::IsTerminator>() &&
          state.backwardKey(state.place[op]) == key)
        return op;
    return nullptr;
  }

  /// Each backward use of a weight gets its own stream, like the forward's
  /// (consumed on arrival): the weights stream in again for backward.
  void streamBackwardUses(StepState &state, ArrayRef<ParameterOp> params) {
    for (auto [i, param] : llvm::enumerate(params))
      for (OpOperand &use : llvm::make_early_inc_range(
               state.func.getArgument(2 + i).getUses())) {
        Operation *user = use.getOwner();
        if (isa<func::ReturnOp>(user))
          continue;
        OpBuilder b(user);
        StreamOp s = streamOf(b, user->getLoc(), param);
        Place p = state.place[user];
        p.gradientOf = -1;
        state.place[s] = p;
        use.set(s.getOutput());
      }
  }

  /// The gradient rules multiply by a weight (or its transpose) with a
  /// matmul; with the weight now streamed, that is a linear consuming it on
  /// arrival, the transpose a choice of order (no physical transpose).
  void useWeightsOnArrival(StepState &state) {
    SmallVector<StreamOp> streams;
    state.func.walk([&](StreamOp s) { streams.push_back(s); });
    for (StreamOp s : streams) {
      auto is2d = [](Value v) {
        return cast<RankedTensorType>(v.getType()).getRank() == 2;
      };
      if (!is2d(s.getOutput()))
        continue;
      // Products with the weight through any chain of 2-D transposes.
      SmallVector<std::pair<MatmulOp, bool>> products;
      std::function<void(Value, bool)> visit = [&](Value v, bool transposed) {
        for (Operation *user : v.getUsers()) {
          if (auto mm = dyn_cast<MatmulOp>(user);
              mm && mm.getRhs() == v && mm.getLhs() != v)
            products.push_back({mm, transposed});
          if (auto t = dyn_cast<TransposeOp>(user);
              t && t.getPerm() == ArrayRef<int64_t>{1, 0})
            visit(t.getOutput(), !transposed);
        }
      };
      visit(s.getOutput(), false);
      // Rows of a streamed table selected by the ids: an embedding, as in
      // inference.
      SmallVector<GatherOp> lookups;
      for (Operation *user : s->getUsers())
        if (auto g = dyn_cast<GatherOp>(user);
            g && g.getInput() == s && g.getAxis() == 0)
          lookups.push_back(g);
      for (GatherOp g : lookups) {
        OpBuilder b(g);
        auto e = EmbeddingOp::create(b, g.getLoc(), g.getType(), s.getOutput(),
                                     g.getIndices(), wse::mesh::RectAttr());
        e->setDiscardableAttrs(g->getDiscardableAttrDictionary());
        state.copyPlace(e, g);
        g.replaceAllUsesWith(e.getOutput());
        g.erase();
      }
      for (auto [mm, transposed] : products) {
        if (cast<RankedTensorType>(mm.getLhs().getType()).getRank() < 2)
          continue;
        OpBuilder b(mm);
        auto linear = LinearOp::create(
            b, mm.getLoc(), mm.getType(), mm.getLhs(), s.getOutput(), Value(),
            transposed ? b.getUnitAttr() : UnitAttr(), wse::mesh::RectAttr());
        linear->setDiscardableAttrs(mm->getDiscardableAttrDictionary());
        state.copyPlace(linear, mm);
        mm.replaceAllUsesWith(linear.getOutput());
        mm.erase();
      }
    }
  }

  /// Layer I's forward ops run again at the start of its backward, from
  /// checkpoints of the layer's inputs; its backward ops then read the
  /// recomputed values, and the forward ones die.
  void recomputeLayers(StepState &state) {
    Block &block = state.func.getBody().front();
    findInputDependence(state);
    for (int64_t layer = 0; layer < state.layers; ++layer) {
      // Layers not listed keep their forward activations for backward.
      if (!recomputeOnly.empty() && !llvm::is_contained(recomputeOnly, layer))
        continue;
      Place bwd{TrainingPhase::backward, layer};
      int64_t key = state.backwardKey(bwd);
      Operation *start = segmentStart(state, key);
      if (!start)
        continue;
      SmallVector<Operation *> ops;
      for (Operation &op : block)
        if (state.place.lookup(&op).phase == TrainingPhase::forward &&
            state.place.lookup(&op).layer == layer && !isa<ConstantOp>(op) &&
            !isa<CheckpointOp>(op))
          ops.push_back(&op);
      if (ops.empty())
        continue;
      llvm::DenseSet<Operation *> inLayer(ops.begin(), ops.end());
      IRMapping map;
      OpBuilder b(ops.front());
      Place fwd{TrainingPhase::forward, layer};
      for (Operation *op : ops)
        for (Value v : op->getOperands()) {
          Operation *def = v.getDefiningOp();
          if (!def || inLayer.contains(def) || isa<ConstantOp>(def) ||
              map.contains(v) || !fromInputs.contains(def))
            continue;
          auto cp = CheckpointOp::create(b, def->getLoc(), v.getType(), v,
                                         b.getI64IntegerAttr(layer),
                                         wse::mesh::RectAttr());
          state.place[cp] = fwd;
          map.map(v, cp.getOutput());
        }
      b.setInsertionPoint(start);
      Place again{TrainingPhase::recompute, layer};
      // Weights stream in again for the recomputation (one stream per use).
      for (Operation *op : ops) {
        Operation *copy = b.clone(*op, map);
        state.place[copy] = again;
      }
      // The layer's backward reads the recomputed values.
      for (Operation &op : block)
        if (state.place.lookup(&op).phase == TrainingPhase::backward &&
            state.place.lookup(&op).layer == layer)
          for (OpOperand &operand : op.getOpOperands())
            if (Value v = map.lookupOrNull(operand.get()))
              operand.set(v);
    }
  }

  /// The ops that compute from the step's inputs (ids): masks and tables
  /// that do not are recomputed, not checkpointed.
  llvm::DenseSet<Operation *> fromInputs;
  void findInputDependence(StepState &state) {
    for (Operation &op : state.func.getBody().front())
      if (llvm::any_of(op.getOperands(), [&](Value v) {
            Operation *def = v.getDefiningOp();
            return !def || fromInputs.contains(def);
          }))
        fromInputs.insert(&op);
  }

  /// Forward activations nothing reads any more (recomputed in backward)
  /// and the streams that fed them.
  void eraseDeadOps(StepState &state) {
    SmallVector<Operation *> ops;
    for (Operation &op : state.func.getBody().front().without_terminator())
      ops.push_back(&op);
    for (Operation *op : llvm::reverse(ops))
      if (op->getNumResults() > 0 && op->use_empty() &&
          (isa<StreamOp>(op) || isMemoryEffectFree(op)))
        op->erase();
  }

  /// Each gradient leaves right after it is computed.
  void streamGradientsOut(StepState &state, ArrayRef<ParameterOp> params) {
    Operation *ret = state.func.getBody().front().getTerminator();
    for (auto [i, constParam] : llvm::enumerate(params)) {
      ParameterOp param = constParam;
      Value g = ret->getOperand(1 + i);
      Operation *def = g.getDefiningOp();
      bool inBackward =
          def && !isa<ConstantOp>(def) && state.loss->isBeforeInBlock(def);
      OpBuilder b(ret);
      if (inBackward)
        b.setInsertionPointAfter(def);
      auto out = StreamOutOp::create(
          b, param.getLoc(), g, FlatSymbolRefAttr::get(param.getSymNameAttr()),
          wse::mesh::RectAttr(), IntegerAttr(), IntegerAttr(), IntegerAttr(),
          IntegerAttr());
      Place p{TrainingPhase::backward};
      if (inBackward)
        p = state.place[def];
      p.gradientOf = -1;
      state.place[out] = p;
    }
  }

  /// The signature becomes (input_ids, labels) -> loss; every op gets its
  /// #wafer.step and loses its provenance tags.
  void finish(StepState &state, ArrayRef<ParameterOp> params) {
    Block &block = state.func.getBody().front();
    Operation *ret = block.getTerminator();
    ret->setOperands(ret->getOperand(0));
    MLIRContext *ctx = state.func.getContext();
    for (Operation &op : block.without_terminator()) {
      for (NamedAttribute attr : op.getDiscardableAttrs())
        if (wse::training::isTrainingTag(attr.getName()))
          op.removeAttr(attr.getName());
      if (isa<ConstantOp>(op))
        continue;
      Place p = state.place.lookup(&op);
      op.setAttr(kStepAttrName, StepAttr::get(ctx, p.phase, p.layer));
    }
    unsigned n = params.size();
    llvm::BitVector args(2 + n), results(1 + n);
    args.set(2, 2 + n);
    results.set(1, 1 + n);
    (void)state.func.eraseArguments(args);
    (void)state.func.eraseResults(results);
    state.func->setAttr(kTrainingStepAttrName, UnitAttr::get(ctx));
  }

  LogicalResult addOptimizer(ModuleOp module, ArrayRef<ParameterOp> params) {
    OpBuilder b(module.getContext());
    b.setInsertionPointAfter(params.back());
    for (auto p : module.getOps<ParameterOp>())
      b.setInsertionPointAfter(p);
    SmallVector<Attribute> refs;
    for (ParameterOp p : params)
      refs.push_back(FlatSymbolRefAttr::get(p.getSymNameAttr()));
    auto f64 = [&](double v) { return b.getF64FloatAttr(v); };
    bool sgd = optimizer == OptimizerKind::sgd;
    double decay = weightDecay >= 0 ? weightDecay : sgd ? 0.0 : 0.01;
    SmallVector<double> b12(betas.begin(), betas.end());
    if (b12.empty())
      b12 = {0.9, 0.999};
    if (!sgd && b12.size() != 2)
      return module.emitError("wafer-training-step: betas takes two values "
                              "(beta1,beta2)");
    auto op = StoreOptimizerOp::create(
        b, module.getLoc(),
        OptimizerKindAttr::get(module.getContext(), optimizer), f64(lr),
        b.getArrayAttr(refs), sgd ? f64(momentum) : FloatAttr(),
        sgd ? f64(dampening) : FloatAttr(),
        sgd && nesterov ? b.getUnitAttr() : UnitAttr(),
        sgd ? FloatAttr() : f64(b12[0]), sgd ? FloatAttr() : f64(b12[1]),
        sgd ? FloatAttr() : f64(eps), f64(decay));
    return verify(op);
  }
};
} // namespace

//===- Layout.cpp - Give every tensor a distribution ----------------------===//
//
// Results take the distribution their op produces (LayoutRules.cpp), streams
// and constants the one their consumer needs (a constant is cloned per
// distinct need), and a wafer.relayout bridges every other mismatch, one per
// (value, distribution). Rules and examples: docs/wafer/layout.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Transforms/LayoutRules.h"
#include "dialects/wafer/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERLAYOUT
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;
using layout::canonicalDist;
using layout::requiredOperandDist;
using wse::mesh::getTarget;
using wse::mesh::RectAttr;
using wse::mesh::TargetAttr;

static bool isTensor(Type type) { return isa<RankedTensorType>(type); }

static void setDist(Value value, DistAttr dist) {
  value.setType(withDist(value.getType(), dist));
}

/// The rectangle an op runs on: its placement, or a stream's region.
static RectAttr rectOf(Operation *op) {
  if (!op)
    return {};
  if (auto placed = dyn_cast<PlacedOp>(op))
    return placed.getPlacementRect();
  if (auto stream = dyn_cast<StreamOp>(op))
    return stream.getRegionAttr();
  return {};
}

namespace {
/// Lays out one function.
class FunctionLayout {
public:
  explicit FunctionLayout(func::FuncOp func) : func(func) {}
  void run();

private:
  /// Program-order uses of `value`.
  SmallVector<OpOperand *> sortedUses(Value value);
  /// What a use needs: its consumer's rule, canonical when it accepts any.
  DistAttr usesDist(OpOperand &use);
  /// What the earliest consumer of `value` that needs a distribution needs.
  DistAttr firstConsumerDist(Value value);
  void layoutStream(StreamOp stream);
  void layoutConstant(ConstantOp constant);
  void insertRelayout(OpOperand &use, DistAttr dist);

  func::FuncOp func;
  DenseMap<Operation *, int64_t> position;
  /// Relayouts already made, per (value, distribution).
  DenseMap<std::pair<Value, Attribute>, Value> relayouts;
  /// The last op inserted after each producer, to keep insertions in order.
  DenseMap<Value, Operation *> lastInserted;
};
} // namespace

SmallVector<OpOperand *> FunctionLayout::sortedUses(Value value) {
  SmallVector<OpOperand *> uses;
  for (OpOperand &use : value.getUses())
    uses.push_back(&use);
  llvm::sort(uses, [&](OpOperand *a, OpOperand *b) {
    int64_t pa = position.lookup(a->getOwner()),
            pb = position.lookup(b->getOwner());
    return pa != pb ? pa < pb : a->getOperandNumber() < b->getOperandNumber();
  });
  return uses;
}

DistAttr FunctionLayout::usesDist(OpOperand &use) {
  if (DistAttr dist =
          requiredOperandDist(use.getOwner(), use.getOperandNumber()))
    return dist;
  auto type = cast<RankedTensorType>(use.get().getType());
  return canonicalDist(func.getContext(), type.getRank());
}

void FunctionLayout::layoutStream(StreamOp stream) {
  // One consumer by construction; with several, the first decides and the
  // others get relayouts like any other value.
  SmallVector<OpOperand *> uses = sortedUses(stream.getOutput());
  DistAttr dist = uses.empty()
                      ? canonicalDist(func.getContext(),
                                      stream.getOutput().getType().getRank())
                      : usesDist(*uses.front());
  setDist(stream.getOutput(), dist);
}

void FunctionLayout::layoutConstant(ConstantOp constant) {
  SmallVector<OpOperand *> uses = sortedUses(constant.getOutput());
  if (uses.empty()) {
    setDist(constant.getOutput(),
            canonicalDist(func.getContext(),
                          constant.getOutput().getType().getRank()));
    return;
  }
  // Constants are replicated where they are used anyway: a copy per
  // distribution costs nothing at run time, a relayout would.
  DenseMap<Attribute, Value> copies;
  Operation *insertAfter = constant;
  for (OpOperand *use : uses) {
    DistAttr dist = usesDist(*use);
    Value &copy = copies[dist];
    if (!copy) {
      if (copies.size() == 1) {
        copy = constant.getOutput();
      } else {
        OpBuilder builder(insertAfter->getContext());
        builder.setInsertionPointAfter(insertAfter);
        Operation *clone = builder.clone(*constant);
        insertAfter = clone;
        if (RectAttr rect = rectOf(use->getOwner()))
          cast<PlacedOp>(clone).setPlacementRect(rect);
        copy = clone->getResult(0);
      }
      setDist(copy, dist);
    }
    use->set(copy);
  }
}

void FunctionLayout::insertRelayout(OpOperand &use, DistAttr dist) {
  Value value = use.get();
  Value &relaid = relayouts[{value, dist}];
  if (!relaid) {
    OpBuilder builder(func.getContext());
    Operation *producer = value.getDefiningOp();
    if (Operation *last = lastInserted.lookup(value))
      builder.setInsertionPointAfter(last);
    else if (producer)
      builder.setInsertionPointAfter(producer);
    else // a block argument: just before its first consumer needing `dist`
      builder.setInsertionPoint(use.getOwner());
    auto relayout = RelayoutOp::create(builder, value.getLoc(),
                                       withDist(value.getType(), dist), value);
    RectAttr rect = rectOf(use.getOwner());
    if (!rect)
      rect = rectOf(producer);
    if (!rect)
      if (TargetAttr target = getTarget(func))
        rect = target.getWholeMesh();
    if (rect)
      relayout.setPlacementAttr(rect);
    // In a training step the move runs in the phase of the op it follows
    // (after the loss: in backward, with its consumer).
    Operation *before = relayout->getPrevNode();
    auto step =
        before ? before->getAttrOfType<StepAttr>(kStepAttrName) : StepAttr();
    if (!step || step.getPhase() == TrainingPhase::loss)
      step = use.getOwner()->getAttrOfType<StepAttr>(kStepAttrName);
    if (step)
      relayout->setAttr(kStepAttrName, step);
    if (producer)
      lastInserted[value] = relayout;
    relaid = relayout.getOutput();
  }
  use.set(relaid);
}

DistAttr FunctionLayout::firstConsumerDist(Value value) {
  DistAttr first;
  int64_t firstPosition = INT64_MAX;
  for (OpOperand &use : value.getUses()) {
    auto it = position.find(use.getOwner());
    if (it == position.end() || it->second >= firstPosition)
      continue;
    if (DistAttr need =
            requiredOperandDist(use.getOwner(), use.getOperandNumber())) {
      first = need;
      firstPosition = it->second;
    }
  }
  return first;
}

void FunctionLayout::run() {
  MLIRContext *ctx = func.getContext();
  SmallVector<Operation *> ops;
  for (Block &block : func.getBody())
    for (Operation &op : block) {
      position[&op] = ops.size();
      ops.push_back(&op);
    }

  // 1. Arguments and results of everything but streams and constants. The
  // function's inputs come from the host, which can write them in any
  // distribution: they take what their first consumer needs (token ids go
  // straight to the embedding's layout instead of being moved on the wafer).
  for (Block &block : func.getBody())
    for (BlockArgument arg : block.getArguments())
      if (auto type = dyn_cast<RankedTensorType>(arg.getType())) {
        DistAttr dist = block.isEntryBlock() ? firstConsumerDist(arg) : nullptr;
        setDist(arg, dist ? dist : canonicalDist(ctx, type.getRank()));
      }
  for (Operation *op : ops) {
    if (isa<StreamOp, ConstantOp>(op))
      continue;
    for (OpResult result : op->getResults())
      if (isTensor(result.getType()))
        setDist(result, layout::resultDist(op, result.getResultNumber()));
  }

  // 2. Streams and constants take what their consumers need.
  for (Operation *op : ops) {
    if (auto stream = dyn_cast<StreamOp>(op))
      layoutStream(stream);
    else if (auto constant = dyn_cast<ConstantOp>(op))
      layoutConstant(constant);
  }

  // 3. Relayouts wherever a consumer needs something else.
  for (Operation *op : ops)
    for (OpOperand &use : op->getOpOperands()) {
      DistAttr need = requiredOperandDist(op, use.getOperandNumber());
      if (need && getDist(use.get().getType()) != need)
        insertRelayout(use, need);
    }

  // 4. The signature follows the arguments and the (canonical) results.
  SmallVector<Type> results;
  for (Type type : func.getResultTypes())
    results.push_back(
        isTensor(type)
            ? withDist(type, canonicalDist(
                                 ctx, cast<RankedTensorType>(type).getRank()))
            : type);
  func.setType(FunctionType::get(ctx, func.getBody().front().getArgumentTypes(),
                                 results));
}

void layout::layoutFunction(func::FuncOp func) { FunctionLayout(func).run(); }

namespace {
struct LayoutPass : wse::wafer::impl::WaferLayoutBase<LayoutPass> {
  using WaferLayoutBase::WaferLayoutBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Check everything before changing anything.
    bool ok = true;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      for (Block &block : func.getBody())
        for (Operation &op : block) {
          if (auto placed = dyn_cast<PlacedOp>(&op)) {
            if (!placed.getPlacementRect()) {
              op.emitOpError("has no placement; run wafer-place before "
                             "wafer-layout");
              ok = false;
            }
            continue;
          }
          bool foreign = !isa_and_nonnull<WaferDialect>(op.getDialect());
          if (foreign && llvm::any_of(op.getResultTypes(), isTensor)) {
            op.emitOpError("produces a tensor but is not a wafer op; "
                           "wafer-layout can only distribute wafer ops' "
                           "tensors");
            ok = false;
          }
        }
    }
    if (!ok)
      return signalPassFailure();
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        layout::layoutFunction(func);
  }
};
} // namespace

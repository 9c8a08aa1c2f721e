//===- FuseElementwise.cpp - Merge chains of elementwise bodies -----------===//
//
// A producer wafer.elementwise whose only use is an operand of another
// wafer.elementwise of the same shape is inlined: its body replaces the
// consumer's block argument and its operands become the consumer's. Equal
// operands are read once. The shape condition keeps the work per element
// unchanged: a producer the consumer broadcasts would be recomputed for every
// copy, so it stays a separate op.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseSet.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERFUSEELEMENTWISE
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;
using wse::mesh::RectAttr;

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// Inlines `producer`, operand #`index` of `consumer`, into a new consumer.
static void fuse(ElementwiseOp consumer, ElementwiseOp producer,
                 unsigned index) {
  // The new operands: the consumer's, with the producer's in place of
  // operand #index, each distinct value once.
  SmallVector<Value> inputs;
  auto slotOf = [&](Value value) -> unsigned {
    auto *it = llvm::find(inputs, value);
    if (it == inputs.end()) {
      inputs.push_back(value);
      return inputs.size() - 1;
    }
    return it - inputs.begin();
  };
  SmallVector<unsigned> consumerSlots(consumer.getInputs().size(), 0);
  SmallVector<unsigned> producerSlots;
  for (auto [i, input] : llvm::enumerate(consumer.getInputs())) {
    if (i != index) {
      consumerSlots[i] = slotOf(input);
      continue;
    }
    for (Value producerInput : producer.getInputs())
      producerSlots.push_back(slotOf(producerInput));
  }

  OpBuilder b(consumer);
  auto fused = ElementwiseOp::create(b, consumer.getLoc(), consumer.getType(),
                                     inputs, RectAttr());
  fused->setAttrs(consumer->getAttrDictionary());
  SmallVector<Type> argTypes;
  for (Value input : inputs)
    argTypes.push_back(
        cast<RankedTensorType>(input.getType()).getElementType());
  Block &consumerBody = consumer.getBody().front();
  Block &producerBody = producer.getBody().front();
  SmallVector<Location> argLocs(inputs.size(), consumer.getLoc());
  Block *block = b.createBlock(&fused.getBody(), {}, argTypes, argLocs);

  IRMapping map;
  for (auto [arg, slot] : llvm::zip(producerBody.getArguments(), producerSlots))
    map.map(arg, block->getArgument(slot));
  for (Operation &op : producerBody.without_terminator())
    b.clone(op, map);
  Value produced = map.lookupOrDefault(
      cast<YieldOp>(producerBody.getTerminator()).getValue());
  for (auto [i, arg] : llvm::enumerate(consumerBody.getArguments()))
    map.map(arg, i == index ? produced : block->getArgument(consumerSlots[i]));
  for (Operation &op : consumerBody)
    b.clone(op, map);

  consumer.replaceAllUsesWith(fused.getOutput());
  consumer.erase();
  producer.erase();
}

/// The operand of `consumer` that can be fused, if any.
static std::optional<std::pair<ElementwiseOp, unsigned>>
fusibleProducer(ElementwiseOp consumer) {
  for (auto [i, input] : llvm::enumerate(consumer.getInputs())) {
    auto producer = input.getDefiningOp<ElementwiseOp>();
    // Ops of different phases of a training step stay apart (a phase's
    // work is counted where it runs).
    if (producer && producer->hasOneUse() &&
        shapeOf(producer.getOutput()) == shapeOf(consumer.getOutput()) &&
        producer->getAttr(kStepAttrName) == consumer->getAttr(kStepAttrName))
      return std::make_pair(producer, unsigned(i));
  }
  return std::nullopt;
}

namespace {
struct FuseElementwise
    : wse::wafer::impl::WaferFuseElementwiseBase<FuseElementwise> {
  using WaferFuseElementwiseBase::WaferFuseElementwiseBase;

  void runOnOperation() override {
    // Each sweep fuses what it can; a fused op is new and is looked at again
    // in the next sweep, until nothing changes.
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<ElementwiseOp> ops;
      getOperation()->walk([&](ElementwiseOp op) { ops.push_back(op); });
      llvm::DenseSet<Operation *> erased;
      for (ElementwiseOp consumer : ops) {
        if (erased.contains(consumer))
          continue;
        auto producer = fusibleProducer(consumer);
        if (!producer)
          continue;
        erased.insert(consumer);
        erased.insert(producer->first);
        fuse(consumer, producer->first, producer->second);
        changed = true;
      }
    }
  }
};
} // namespace

//===- CostModel.cpp - Work (FLOPs and bytes) of each wafer op ------------===//

#include "dialects/wafer/Analysis/CostModel.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse::wafer;

static RankedTensorType tensorOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

static int64_t bytesOf(Value value) {
  auto type = tensorOf(value);
  return type.getNumElements() * elementBytes(type.getElementType());
}

static bool isStreamed(Value value) {
  return value.getDefiningOp<StreamOp>() != nullptr;
}

/// A reshape that only adds or drops unit dimensions left whole on every PE,
/// keeping the other dimensions on the same mesh axes, leaves every element
/// on its PE: a view, no fabric traffic.
static bool isLocalView(RankedTensorType in, RankedTensorType out) {
  DistAttr inDist = getDist(in), outDist = getDist(out);
  if (!inDist || !outDist)
    return false;
  using Key = SmallVector<std::pair<int64_t, MeshAxis>>;
  auto key = [](RankedTensorType type, DistAttr dist, Key &k) {
    for (auto [size, axis] : llvm::zip(type.getShape(), dist.getAxes())) {
      if (size == 1 && axis != MeshAxis::None)
        return false;
      if (size != 1)
        k.push_back({size, axis});
    }
    return true;
  };
  Key a, b;
  return key(in, inDist, a) && key(out, outDist, b) && a == b;
}

OpWork wse::wafer::estimateWork(Operation *op) {
  OpWork work;
  if (isa<StreamOp, ConstantOp, ParameterOp>(op) || op->getNumResults() == 0)
    return work;
  for (Value operand : op->getOperands()) {
    if (!isa<RankedTensorType>(operand.getType()))
      continue;
    if (isStreamed(operand))
      work.weightBytes += bytesOf(operand);
    else
      work.activationBytes += bytesOf(operand);
  }
  for (Value result : op->getResults())
    work.activationBytes += bytesOf(result);

  int64_t outElements = tensorOf(op->getResult(0)).getNumElements();
  TypeSwitch<Operation *>(op)
      .Case([&](LinearOp linear) {
        auto in = tensorOf(linear.getInput()).getShape();
        int64_t k = in.back();
        work.tokens = tensorOf(linear.getInput()).getNumElements() / k;
        work.flops = 2.0 * double(outElements) * double(k);
        if (linear.getBias())
          work.flops += double(outElements);
      })
      .Case([&](MatmulOp matmul) {
        int64_t k = tensorOf(matmul.getLhs()).getShape().back();
        work.flops = 2.0 * double(outElements) * double(k);
      })
      .Case([&](ElementwiseOp ew) {
        work.flops = double(outElements) * double(ew.getOpsPerElement());
      })
      // mean, variance, normalize, scale, shift: about 8 operations per
      // element for LayerNorm, 5 for RMSNorm, 5 for softmax (max, sub,
      // exp, sum, scale).
      .Case([&](LayerNormOp) { work.flops = 8.0 * double(outElements); })
      .Case([&](RMSNormOp) { work.flops = 5.0 * double(outElements); })
      .Case([&](SoftmaxOp) { work.flops = 5.0 * double(outElements); })
      // Log-softmax of the logits, then their gradient: about 7 per logit.
      .Case([&](LossOp loss) {
        work.flops = 7.0 * double(tensorOf(loss.getLogits()).getNumElements());
      })
      .Case([&](ReduceOp reduce) {
        work.flops = double(tensorOf(reduce.getInput()).getNumElements());
      })
      .Case([&](EmbeddingOp embedding) {
        work.movedBytes = bytesOf(embedding.getOutput());
        work.tokens = tensorOf(embedding.getIndices()).getNumElements();
      })
      .Case([&](ReshapeOp reshape) {
        if (!isLocalView(tensorOf(reshape.getInput()),
                         tensorOf(reshape.getOutput())))
          work.movedBytes = bytesOf(reshape.getOutput());
      })
      .Case<TransposeOp, ConcatOp, SplitOp, SliceOp, GatherOp, BroadcastOp,
            RelayoutOp>([&](Operation *movement) {
        for (Value result : movement->getResults())
          work.movedBytes += bytesOf(result);
      })
      .Default([](Operation *) {});
  return work;
}

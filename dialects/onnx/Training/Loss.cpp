//===- Loss.cpp - The next-token cross-entropy loss -----------------------===//
#include "dialects/onnx/Training/Loss.h"

using namespace mlir;

namespace wse::onnxir {

LossWithGradient buildNextTokenLoss(Value logits, Value labels,
                                    GradientBuilder &gb) {
  RankedTensorType type = GradientBuilder::typeOf(logits);
  int64_t batch = type.getDimSize(0), seq = type.getDimSize(1);
  int64_t vocab = type.getDimSize(2);
  Value predicting = gb.sliceAxis(logits, 1, 0, seq - 1);
  Value logProbs = gb.logSoftmax(predicting, 2);
  Value targets =
      gb.sliceAxis(gb.cast(labels, gb.builder().getI64Type()), 1, 1, seq);
  Value onehot = gb.cast(gb.equal(gb.unsqueeze(targets, {2}), gb.range(vocab)),
                         type.getElementType());
  Value nll = gb.neg(gb.reduceSum(gb.mul(logProbs, onehot), {2}, false));
  Value loss = gb.reduceMean(nll, {0, 1}, false);

  Value count = gb.scalarLike(logits, (double)(batch * (seq - 1)));
  Value grad = gb.div(gb.sub(gb.exp(logProbs), onehot), count);
  SmallVector<int64_t> lastShape{batch, 1, vocab};
  Value last = gb.zerosLike(type.clone(lastShape));
  return {loss, gb.concat({grad, last}, 1)};
}

} // namespace wse::onnxir

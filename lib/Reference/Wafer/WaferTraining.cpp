//===- WaferTraining.cpp - Kernels of the training-step ops ---------------===//

#include "WaferTraining.h"

#include "wse/Reference/Kernels.h"

#include <cmath>

using namespace wse::ref;

llvm::Expected<std::vector<Tensor>>
wse::ref::nextTokenLoss(const Tensor &logits, const Tensor &labels) {
  if (logits.rank() != 3 || !logits.isFloat() || labels.rank() != 2 ||
      labels.shape[0] != logits.shape[0] || labels.shape[1] != logits.shape[1])
    return makeError("loss needs float logits [B, T, V] and labels [B, T]");
  int64_t batch = logits.shape[0], seq = logits.shape[1],
          vocab = logits.shape[2];
  if (seq < 2)
    return makeError("next-token loss needs a sequence of at least 2");
  auto logProbs = softmax(logits, 2, /*log=*/true);
  if (!logProbs)
    return logProbs.takeError();
  float count = float(batch * (seq - 1));
  Tensor loss(DType::F32, {}), grad(DType::F32, logits.shape);
  double sum = 0;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t t = 0; t + 1 < seq; ++t) {
      int64_t label = labels.getInt(b * seq + t + 1);
      if (label < 0 || label >= vocab)
        return makeError("label " + llvm::Twine(label) + " at [" +
                         llvm::Twine(b) + ", " + llvm::Twine(t + 1) +
                         "] is outside [0, " + llvm::Twine(vocab) + ")");
      int64_t row = (b * seq + t) * vocab;
      sum += -double(logProbs->f[row + label]);
      for (int64_t v = 0; v < vocab; ++v)
        grad.f[row + v] =
            (std::exp(logProbs->f[row + v]) - (v == label ? 1.0f : 0.0f)) /
            count;
    }
  loss.f[0] = float(sum / double(count));
  return std::vector<Tensor>{std::move(loss), std::move(grad)};
}

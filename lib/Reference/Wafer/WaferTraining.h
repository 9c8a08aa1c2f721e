//===- WaferTraining.h - Kernels of the training-step ops -------*- C++ -*-===//
#ifndef WSE_LIB_REFERENCE_WAFERTRAINING_H
#define WSE_LIB_REFERENCE_WAFERTRAINING_H

#include "wse/Reference/Tensor.h"

#include "llvm/Support/Error.h"

namespace wse::ref {

/// wafer.loss: the next-token cross-entropy of `logits` [B, T, V] against
/// `labels` [B, T] (mean over b and t < T-1) and its gradient with respect
/// to the logits, computed with the fp32 operations of --onnx-training-step's
/// composition (log-softmax kernel, exp, subtract, divide).
llvm::Expected<std::vector<Tensor>> nextTokenLoss(const Tensor &logits,
                                                  const Tensor &labels);

} // namespace wse::ref

#endif

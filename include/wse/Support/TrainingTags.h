//===- TrainingTags.h - Provenance of a training step's ops -----*- C++ -*-===//
//
// --onnx-training-step tags the ops of @train_step with where they come
// from; convert-onnx-to-wafer copies the tags onto the wafer ops it makes;
// wafer-training-step reads them to tell the forward, the loss and each
// forward op's backward apart, then removes them. Attributes rather than
// locations, so the IR can be printed and parsed between the passes.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_SUPPORT_TRAININGTAGS_H
#define WSE_SUPPORT_TRAININGTAGS_H

#include "llvm/ADT/StringRef.h"

namespace wse::training {

/// Forward op k of the step (i64): a clone of the forward function's op.
constexpr llvm::StringLiteral kForwardTag = "training.forward";
/// An op of the next-token loss (unit).
constexpr llvm::StringLiteral kLossTag = "training.loss";
/// An op of the gradient of forward op k (i64).
constexpr llvm::StringLiteral kGradientOfTag = "training.gradient_of";

/// Whether `name` is one of the tags above.
inline bool isTrainingTag(llvm::StringRef name) {
  return name.starts_with("training.");
}

} // namespace wse::training

#endif

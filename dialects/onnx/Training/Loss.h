//===- Loss.h - The next-token cross-entropy loss ---------------*- C++ -*-===//
#ifndef WSE_DIALECT_ONNX_TRAINING_LOSS_H
#define WSE_DIALECT_ONNX_TRAINING_LOSS_H

#include "dialects/onnx/Training/GradientBuilder.h"

namespace wse::onnxir {

struct LossWithGradient {
  mlir::Value loss;       // tensor<f32>, rank 0
  mlir::Value logitsGrad; // d loss / d logits, the logits' type
};

/// Builds the mean next-token cross-entropy of LOGITS [B, T, V] against
/// LABELS [B, T] (position t predicts labels[:, t + 1]; the last position
/// predicts nothing), and its gradient with respect to the logits in closed
/// form: (softmax - onehot) / (B (T - 1)), zero at the last position.
LossWithGradient buildNextTokenLoss(mlir::Value logits, mlir::Value labels,
                                    GradientBuilder &gb);

} // namespace wse::onnxir

#endif

//===- GradientRules.h - Reverse-mode rules of onnx ops ---------*- C++ -*-===//
//
// A gradient rule receives an op of the forward function, the gradients of
// its results (null where none flows: the rule treats them as zero) and
// which operands need a gradient, and builds the gradients of those
// operands with GradientBuilder. It returns failure, after an error naming
// the op, for a form it does not cover.
//
//===----------------------------------------------------------------------===//
#ifndef WSE_DIALECT_ONNX_TRAINING_GRADIENTRULES_H
#define WSE_DIALECT_ONNX_TRAINING_GRADIENTRULES_H

#include "dialects/onnx/Training/GradientBuilder.h"

#include "llvm/ADT/StringMap.h"

namespace wse::onnxir {

struct GradientRequest {
  mlir::Operation *op;
  llvm::ArrayRef<mlir::Value> resultGrads;
  llvm::ArrayRef<bool> needed; // per operand
};

using GradientRule = mlir::LogicalResult (*)(
    const GradientRequest &request,
    llvm::SmallVectorImpl<mlir::Value> &operandGrads, GradientBuilder &gb);

using GradientRuleTable = llvm::StringMap<GradientRule>;

/// The rules of every differentiable op, keyed by op name ("onnx.MatMul").
const GradientRuleTable &gradientRules();

void addElementwiseRules(GradientRuleTable &table);
void addLinearAlgebraRules(GradientRuleTable &table);
void addShapeRules(GradientRuleTable &table);
void addNormalizationRules(GradientRuleTable &table);

/// Gradient of result I of REQUEST's op, materializing zeros when none flows.
mlir::Value resultGradOrZeros(const GradientRequest &request, unsigned i,
                              GradientBuilder &gb);

} // namespace wse::onnxir

#endif

//===- RecomposePatterns.h - Recomposing exporter idioms --------*- C++ -*-===//
#ifndef WSE_DIALECT_ONNX_TRANSFORMS_RECOMPOSEPATTERNS_H
#define WSE_DIALECT_ONNX_TRANSFORMS_RECOMPOSEPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace wse::onnxir {

/// Identity, and Cast/Reshape/Expand to the same type: the operand replaces
/// the result. Reshape of a single-use Reshape becomes one Reshape.
void populateONNXCleanupPatterns(mlir::RewritePatternSet &patterns);

/// LayerNorm (opset<17 chain), RMSNorm, GELU (erf and tanh forms), SiLU.
void populateONNXRecomposePatterns(mlir::RewritePatternSet &patterns);

} // namespace wse::onnxir

#endif // WSE_DIALECT_ONNX_TRANSFORMS_RECOMPOSEPATTERNS_H

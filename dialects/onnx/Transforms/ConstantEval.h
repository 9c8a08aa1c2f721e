//===- ConstantEval.h - Compile-time evaluation of onnx ops -----*- C++ -*-===//
//
// Evaluates an onnx op whose result is fully determined at compile time:
// Shape of a tensor with a static type (its data is never read), and ops
// whose operands are all onnx.Constant. Values produced by onnx.param_ref
// are never constants, so weights are never folded. The values come from the
// reference interpreter (wse::ref::evaluateOp), so they are what the program
// computes at run time.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_ONNX_TRANSFORMS_CONSTANTEVAL_H
#define WSE_DIALECT_ONNX_TRANSFORMS_CONSTANTEVAL_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

namespace wse::onnxir {

/// The value of each result of `op` as a dense attribute, or an empty vector
/// if `op` cannot be evaluated: an operand is not a constant, a result type
/// is not static, a result holds more than `maxElements` elements, the op is
/// not supported, an operand is f64 (the reference computes it in fp32), or
/// evaluation would be undefined (integer division by zero, a float out of
/// an integer's range, an index out of range).
llvm::SmallVector<mlir::DenseElementsAttr>
evaluateConstant(mlir::Operation *op, int64_t maxElements);

/// Whether evaluateConstant knows the op at all (used to decide which ops
/// to try).
bool isEvaluable(mlir::Operation *op);

} // namespace wse::onnxir

#endif // WSE_DIALECT_ONNX_TRANSFORMS_CONSTANTEVAL_H

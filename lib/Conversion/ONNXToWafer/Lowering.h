//===- Lowering.h - Shared pieces of the onnx to wafer lowering -*- C++ -*-===//
//
// Private to lib/Conversion/ONNXToWafer. The pass driver visits onnx ops in
// program order, so every operand of the op being lowered is already a wafer
// value (or a function argument): lowerings read constants from wafer.constant
// and recognize weights by their wafer.stream.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_LIB_CONVERSION_ONNXTOWAFER_LOWERING_H
#define WSE_LIB_CONVERSION_ONNXTOWAFER_LOWERING_H

#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/wafer/IR/WaferOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace wse::onnxtowafer {

using mlir::FailureOr;
using mlir::LogicalResult;
using mlir::OpBuilder;
using mlir::Operation;
using mlir::RankedTensorType;
using mlir::Value;

/// Emits `'onnx.X' op cannot be lowered to wafer: <reason>` and fails.
LogicalResult cannotLower(Operation *op, const llvm::Twine &reason);
/// The same error, its reason streamed into the returned diagnostic (for
/// reasons that print types or attributes).
mlir::InFlightDiagnostic cannotLower(Operation *op);

/// The ranked tensor type of a value (the driver checked that every onnx
/// operand and result is one, with a static shape).
RankedTensorType tensorType(Value value);

/// The integer values of a constant tensor (a folded wafer.constant or
/// onnx.Constant), or nothing when `value` is not a constant.
std::optional<llvm::SmallVector<int64_t>> constantInts(Value value);

/// `value` reshaped to `shape` (no op when the shape is already right).
Value reshapeTo(OpBuilder &b, mlir::Location loc, Value value,
                llvm::ArrayRef<int64_t> shape);

/// Builds the scalar body of an elementwise op: receives one scalar per
/// operand (in operand order) and returns the result element.
using BodyBuilder =
    llvm::function_ref<Value(OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// A wafer.elementwise of `inputs` with result type `resultType`. Splat
/// constant operands become arith.constant in the body and repeated operands
/// are read once, so `x * 0.5` reads one tensor.
Value buildElementwise(OpBuilder &b, mlir::Location loc,
                       mlir::ValueRange inputs, RankedTensorType resultType,
                       BodyBuilder body);

/// A scalar float constant of type `type`.
Value scalarFloat(OpBuilder &b, mlir::Location loc, mlir::Type type,
                  double value);

/// Lowerings, one per op group. Each returns the values replacing the op's
/// results, or fails after emitting an error naming the op; `std::nullopt`
/// means the op is not in the group.
using Lowered = std::optional<FailureOr<llvm::SmallVector<Value>>>;

/// The op lowers to `values`.
inline Lowered done(llvm::ArrayRef<Value> values) {
  return FailureOr<llvm::SmallVector<Value>>(
      llvm::SmallVector<Value>(values.begin(), values.end()));
}
/// The op is in the group but cannot be lowered (the error is emitted).
inline Lowered fail(LogicalResult) {
  return FailureOr<llvm::SmallVector<Value>>(mlir::failure());
}

Lowered lowerElementwiseOp(Operation *op, OpBuilder &b);
Lowered lowerLinearOp(Operation *op, OpBuilder &b);
Lowered lowerLayerOp(Operation *op, OpBuilder &b);
Lowered lowerShapeOp(Operation *op, OpBuilder &b);

} // namespace wse::onnxtowafer

#endif

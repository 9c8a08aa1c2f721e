//===- GradientBuilder.h - Building the ops of gradients --------*- C++ -*-===//
//
// Gradient rules build many small onnx ops whose result types follow from
// their operands (broadcasting, matmul, transposes). GradientBuilder computes
// those types so that each rule reads like the formula it implements.
//
//===----------------------------------------------------------------------===//
#ifndef WSE_DIALECT_ONNX_TRAINING_GRADIENTBUILDER_H
#define WSE_DIALECT_ONNX_TRAINING_GRADIENTBUILDER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace wse::onnxir {

class GradientBuilder {
public:
  GradientBuilder(mlir::OpBuilder &builder, mlir::Location loc)
      : b(builder), loc(loc) {}

  mlir::OpBuilder &builder() { return b; }
  mlir::Location location() const { return loc; }
  void setLocation(mlir::Location l) { loc = l; }

  static mlir::RankedTensorType typeOf(mlir::Value v) {
    return mlir::cast<mlir::RankedTensorType>(v.getType());
  }

  // Constants.
  /// A rank-0 constant of V's element type (broadcasts against anything).
  mlir::Value scalarLike(mlir::Value v, double value);
  mlir::Value zerosLike(mlir::RankedTensorType type);
  mlir::Value i64Vector(llvm::ArrayRef<int64_t> values);
  mlir::Value i64Scalar(int64_t value);

  // Elementwise (numpy broadcasting).
  mlir::Value add(mlir::Value a, mlir::Value b);
  mlir::Value sub(mlir::Value a, mlir::Value b);
  mlir::Value mul(mlir::Value a, mlir::Value b);
  mlir::Value div(mlir::Value a, mlir::Value b);
  mlir::Value neg(mlir::Value a);
  mlir::Value exp(mlir::Value a);
  mlir::Value log(mlir::Value a);
  mlir::Value tanh(mlir::Value a);
  mlir::Value erf(mlir::Value a);
  mlir::Value sqrt(mlir::Value a);
  mlir::Value reciprocal(mlir::Value a);
  mlir::Value sigmoid(mlir::Value a);
  mlir::Value where(mlir::Value cond, mlir::Value x, mlir::Value y);
  mlir::Value equal(mlir::Value a, mlir::Value b);
  mlir::Value less(mlir::Value a, mlir::Value b);
  mlir::Value cast(mlir::Value a, mlir::Type elementType);

  // Reductions over AXES (non-negative), keeping the reduced dims as 1.
  mlir::Value reduceSum(mlir::Value a, llvm::ArrayRef<int64_t> axes,
                        bool keepdims = true);
  mlir::Value reduceMean(mlir::Value a, llvm::ArrayRef<int64_t> axes,
                         bool keepdims = true);

  // Shapes.
  mlir::Value reshape(mlir::Value a, llvm::ArrayRef<int64_t> shape);
  mlir::Value reshapeLike(mlir::Value a, mlir::Value like) {
    return reshape(a, typeOf(like).getShape());
  }
  mlir::Value transpose(mlir::Value a, llvm::ArrayRef<int64_t> perm);
  /// Swaps the last two dimensions.
  mlir::Value transposeLast2(mlir::Value a);
  mlir::Value unsqueeze(mlir::Value a, llvm::ArrayRef<int64_t> axes);
  mlir::Value concat(llvm::ArrayRef<mlir::Value> parts, int64_t axis);
  /// a[..., begin:end, ...] along AXIS (step 1).
  mlir::Value sliceAxis(mlir::Value a, int64_t axis, int64_t begin,
                        int64_t end);
  mlir::Value matmul(mlir::Value a, mlir::Value b);
  mlir::Value softmax(mlir::Value a, int64_t axis);
  mlir::Value logSoftmax(mlir::Value a, int64_t axis);
  mlir::Value range(int64_t n);

  /// Sums GRAD, the gradient of a broadcast result, down to TARGET's shape:
  /// the reverse of numpy broadcasting.
  mlir::Value reduceToShape(mlir::Value grad, mlir::RankedTensorType target);

  /// Broadcast shape of A and B (they must be compatible).
  static llvm::SmallVector<int64_t> broadcastShape(llvm::ArrayRef<int64_t> a,
                                                   llvm::ArrayRef<int64_t> b);

private:
  template <typename OpTy> mlir::Value binary(mlir::Value a, mlir::Value b);
  template <typename OpTy> mlir::Value unary(mlir::Value a);

  mlir::OpBuilder &b;
  mlir::Location loc;
};

} // namespace wse::onnxir

#endif

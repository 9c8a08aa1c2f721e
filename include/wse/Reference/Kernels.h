//===- Kernels.h - Op kernels of the reference interpreter ------*- C++ -*-===//
//
// One function per ONNX op family, on host tensors and plain attribute values
// (no MLIR types), so each kernel states its ONNX semantics in one place. A
// kernel returns an error for an input ONNX rejects (bad axis, shape clash,
// out-of-range index); the driver adds the op name and location.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_REFERENCE_KERNELS_H
#define WSE_REFERENCE_KERNELS_H

#include "wse/Reference/Tensor.h"

#include <optional>

namespace wse::ref {

//===----------------------------------------------------------------------===//
// Broadcasting helpers (Elementwise.cpp)
//===----------------------------------------------------------------------===//

/// Numpy multidirectional broadcast of two shapes.
llvm::Expected<std::vector<int64_t>> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                                     llvm::ArrayRef<int64_t> b);
/// For every element of `out` (row-major), the linear index into a tensor of
/// shape `in` broadcast to `out` (in's rank <= out's rank, dims 1 or equal).
std::vector<int64_t> broadcastIndices(llvm::ArrayRef<int64_t> in,
                                      llvm::ArrayRef<int64_t> out);
/// The most elements a result the interpreter computes may have: 2^28, 1 GiB
/// of fp32 (integers are held as int64: 2 GiB). Shapes that come from values
/// (Range, ConstantOfShape, Expand, Tile) or grow from the operands' shapes
/// (broadcasting, MatMul, Gemm, Gather, Concat) are checked against it before
/// anything is allocated (docs/limits.md).
constexpr int64_t kMaxComputedElements = int64_t(1) << 28;
/// Refuses a result shape that has a negative dimension or more than
/// kMaxComputedElements elements (counted without overflow), instead of
/// allocating it.
llvm::Error checkAllocatable(llvm::ArrayRef<int64_t> shape);
/// Normalizes a possibly negative axis against `rank`; error if out of range.
llvm::Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                      llvm::StringRef what = "axis");

//===----------------------------------------------------------------------===//
// Elementwise (Elementwise.cpp)
//===----------------------------------------------------------------------===//

enum class UnaryKind {
  Sqrt,
  Reciprocal,
  Exp,
  Log,
  Erf,
  Tanh,
  Sigmoid,
  Sin,
  Cos,
  SiLU,
  GeluNone,
  GeluTanh,
  Neg,
  Abs,
  Relu,
  Identity,
  Not,
};
enum class BinaryKind {
  Add,
  Sub,
  Mul,
  Div,
  Max,
  Min,
  Pow,
  Equal,
  Less,
  Greater,
  And,
  Or,
};

llvm::Expected<Tensor> unary(UnaryKind kind, const Tensor &x);
llvm::Expected<Tensor> binary(BinaryKind kind, const Tensor &a,
                              const Tensor &b);
llvm::Expected<Tensor> where(const Tensor &cond, const Tensor &x,
                             const Tensor &y);
/// Converts to `to`: float→int truncates toward zero (out of range or NaN is
/// an error), anything→bool is `!= 0`, int→int wraps, float→f16 rounds.
llvm::Expected<Tensor> cast(const Tensor &x, DType to);

//===----------------------------------------------------------------------===//
// Linear algebra (LinearAlgebra.cpp)
//===----------------------------------------------------------------------===//

llvm::Expected<Tensor> matmul(const Tensor &a, const Tensor &b);
llvm::Expected<Tensor> gemm(const Tensor &a, const Tensor &b, const Tensor *c,
                            float alpha, float beta, bool transA, bool transB);

//===----------------------------------------------------------------------===//
// Shape and data movement (ShapeOps.cpp)
//===----------------------------------------------------------------------===//

llvm::Expected<Tensor> reshape(const Tensor &x, const Tensor &shape,
                               bool allowZero);
llvm::Expected<Tensor> transpose(const Tensor &x, llvm::ArrayRef<int64_t> perm);
llvm::Expected<Tensor> squeeze(const Tensor &x, llvm::ArrayRef<int64_t> axes);
llvm::Expected<Tensor> unsqueeze(const Tensor &x, llvm::ArrayRef<int64_t> axes);
llvm::Expected<Tensor> concat(llvm::ArrayRef<const Tensor *> xs, int64_t axis);
/// `numOutputs` pieces; `sizes` empty means equal pieces (the last one
/// smaller when the dimension does not divide, as in opset 18).
llvm::Expected<std::vector<Tensor>> split(const Tensor &x, int64_t axis,
                                          llvm::ArrayRef<int64_t> sizes,
                                          size_t numOutputs);
llvm::Expected<Tensor> slice(const Tensor &x, const Tensor &starts,
                             const Tensor &ends, const Tensor &axes,
                             const Tensor &steps);
llvm::Expected<Tensor> gather(const Tensor &x, const Tensor &indices,
                              int64_t axis);
llvm::Expected<Tensor> expand(const Tensor &x, const Tensor &shape);
llvm::Expected<Tensor> tile(const Tensor &x, const Tensor &repeats);
llvm::Expected<Tensor> shapeOf(const Tensor &x, int64_t start,
                               std::optional<int64_t> end);
llvm::Expected<Tensor> range(const Tensor &start, const Tensor &limit,
                             const Tensor &delta);
/// `value` is the one-element fill value (its dtype is the result's).
llvm::Expected<Tensor> constantOfShape(const Tensor &shape,
                                       const Tensor &value);
llvm::Expected<Tensor> trilu(const Tensor &x, int64_t k, bool upper);

//===----------------------------------------------------------------------===//
// Reductions and scans (Reductions.cpp)
//===----------------------------------------------------------------------===//

enum class ReduceKind { Mean, Sum, Max };
llvm::Expected<Tensor> reduce(ReduceKind kind, const Tensor &x,
                              std::optional<llvm::ArrayRef<int64_t>> axes,
                              bool keepDims, bool noopWithEmptyAxes);
llvm::Expected<Tensor> cumsum(const Tensor &x, int64_t axis, bool exclusive,
                              bool reverse);

//===----------------------------------------------------------------------===//
// Normalizations (Normalizations.cpp)
//===----------------------------------------------------------------------===//

llvm::Expected<Tensor> softmax(const Tensor &x, int64_t axis, bool log);
llvm::Expected<Tensor> layerNorm(const Tensor &x, const Tensor &scale,
                                 const Tensor *bias, int64_t axis,
                                 float epsilon);
llvm::Expected<Tensor> rmsNorm(const Tensor &x, const Tensor &scale,
                               int64_t axis, float epsilon);

} // namespace wse::ref

#endif // WSE_REFERENCE_KERNELS_H

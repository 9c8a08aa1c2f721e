//===- ShapeInference.h - Result shapes of onnx ops -------------*- C++ -*-===//
//
// Shape inference for the onnx dialect: each op family computes its result
// shapes from its operand types, its attributes and the values of constant
// (or partially known) integer operands. Results refine, never replace, the
// types the importer gave: a static dimension is kept as it is, a dynamic one
// takes the inferred size.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_ONNX_TRANSFORMS_SHAPEINFERENCE_H
#define WSE_DIALECT_ONNX_TRANSFORMS_SHAPEINFERENCE_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace wse::onnxir {

/// A shape that may be unknown (nullopt: unknown rank) and whose dimensions
/// may be mlir::ShapedType::kDynamic.
using MaybeShape = std::optional<llvm::SmallVector<int64_t>>;

/// The value of `v` if an onnx.Constant with a dense attribute defines it.
mlir::DenseElementsAttr getConstantValue(mlir::Value v);

/// The entries of a 0-D or 1-D integer tensor as far as they are known at
/// compile time: constants, Shape of a (partially) static tensor, and
/// Concat/Unsqueeze/Squeeze/Reshape/Cast/Gather/Slice of such vectors.
/// Unknown entries are ShapedType::kDynamic. nullopt when even the length is
/// unknown.
std::optional<llvm::SmallVector<int64_t>> getKnownIntegers(mlir::Value v);

/// The shape of a value's type (nullopt if unranked or not a tensor).
MaybeShape getShape(mlir::Value v);

/// Infers the shape of each result of `op`; `shapes` gets one entry per
/// result (nullopt where nothing is known). Returns false for ops it does not
/// know.
bool inferResultShapes(mlir::Operation *op,
                       llvm::SmallVectorImpl<MaybeShape> &shapes);

/// `current` refined by `inferred`: dynamic dimensions (or an unknown rank)
/// of `current` take the inferred sizes. Static dimensions are never changed;
/// a rank conflict leaves `current` as it is.
mlir::Type refineType(mlir::Type current, const MaybeShape &inferred);

/// Why the result of `op` (which shape inference could not make static)
/// stays dynamic, phrased to follow "cannot make the result of onnx.X
/// static: ".
std::string explainDynamicResult(mlir::Operation *op);

/// Normalizes a possibly negative axis; nullopt if out of [-rank, rank).
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// The [start, start+step*len) selection that ONNX Slice makes of a
/// dimension of size `dim` (static), with ONNX's clamping rules.
struct SliceRange {
  int64_t start, step, length;
};
SliceRange computeSliceRange(int64_t dim, int64_t start, int64_t end,
                             int64_t step);

/// Number of elements of an ONNX Range.
std::optional<int64_t> rangeLength(double start, double limit, double delta);
std::optional<int64_t> rangeLength(int64_t start, int64_t limit, int64_t delta);

} // namespace wse::onnxir

#endif // WSE_DIALECT_ONNX_TRANSFORMS_SHAPEINFERENCE_H

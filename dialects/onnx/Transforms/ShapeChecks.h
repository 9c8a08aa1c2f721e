//===- ShapeChecks.h - Invalid shape operands found while staticizing -----===//
//
// Verifiers see only types. Once staticization knows the values of shape
// operands it can tell a Reshape to 3x7 of 16 elements, a Slice with step 0
// or a Range with delta 0; these are errors in the model, reported as such
// rather than as "cannot make static".
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_ONNX_TRANSFORMS_SHAPECHECKS_H
#define WSE_DIALECT_ONNX_TRANSFORMS_SHAPECHECKS_H

#include "mlir/IR/Operation.h"

#include <optional>
#include <string>

namespace wse::onnxir {

/// Largest element count a tensor type may have: far from int64 overflow in
/// byte sizes and products of dimensions.
constexpr int64_t kMaxTensorElements = int64_t(1) << 48;

/// Why `type` is too large (its known dimensions multiply to more than
/// kMaxTensorElements), or nullopt.
std::optional<std::string> checkElementCount(mlir::Type type);

/// Why `op`'s known shape operands (or inferred result types) are invalid,
/// or nullopt when nothing is wrong as far as is known.
std::optional<std::string> findInvalidShape(mlir::Operation *op);

} // namespace wse::onnxir

#endif

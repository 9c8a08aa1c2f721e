//===- WaferAttrs.h - Tensor distributions ----------------------*- C++ -*-===//
#ifndef WSE_DIALECT_WAFER_IR_WAFERATTRS_H
#define WSE_DIALECT_WAFER_IR_WAFERATTRS_H

#include "dialects/mesh/IR/MeshAttrs.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"

namespace wse::wafer {
/// What a tensor dimension is blocked over: mesh columns (x), mesh rows (y)
/// or nothing (the whole dimension on every PE).
enum class MeshAxis : int8_t { None = -1, X = 0, Y = 1 };
} // namespace wse::wafer

#include "dialects/wafer/IR/WaferEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/wafer/IR/WaferAttrs.h.inc"

namespace wse::wafer {
/// Name of the module attribute recording the placement mode.
constexpr llvm::StringLiteral kModeAttrName = "wafer.mode";
/// A training step's ops carry their phase and layer (#wafer.step) here.
constexpr llvm::StringLiteral kStepAttrName = "wafer.step";
/// The unit attribute marking a function as a training step.
constexpr llvm::StringLiteral kTrainingStepAttrName = "wafer.training_step";

/// The distribution encoding of a ranked tensor type, or null.
DistAttr getDist(mlir::Type type);
/// `type` with its encoding replaced by `dist` (null removes it).
mlir::RankedTensorType withDist(mlir::Type type, DistAttr dist);
/// Elements a PE of a `width` x `height` rectangle holds of `type` under
/// `dist` (the largest block); without a distribution the whole tensor.
int64_t elementsPerPE(mlir::RankedTensorType type, DistAttr dist, int64_t width,
                      int64_t height);
/// Bytes of one element (i1 counts as 1).
int64_t elementBytes(mlir::Type elementType);
} // namespace wse::wafer

#endif

//===- WaferAttrs.h - Target, placement, distribution -----------*- C++ -*-===//
#ifndef WSE_DIALECT_WAFER_IR_WAFERATTRS_H
#define WSE_DIALECT_WAFER_IR_WAFERATTRS_H

#include "wse/Machine/MachineDescription.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"

namespace wse::machine {
// Attribute storage compares and hashes descriptions by their JSON form, so
// a field added to MachineDescription is covered without touching this.
bool operator==(const MachineDescription &a, const MachineDescription &b);
llvm::hash_code hash_value(const MachineDescription &m);
} // namespace wse::machine

namespace wse::wafer {
/// What a tensor dimension is blocked over: mesh columns (x), mesh rows (y)
/// or nothing (the whole dimension on every PE).
enum class MeshAxis : int8_t { None = -1, X = 0, Y = 1 };
} // namespace wse::wafer

#include "dialects/wafer/IR/WaferEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/wafer/IR/WaferAttrs.h.inc"

namespace wse::wafer {
/// Name of the module attribute holding the target.
constexpr llvm::StringLiteral kTargetAttrName = "wafer.target";
/// Name of the module attribute recording the placement mode.
constexpr llvm::StringLiteral kModeAttrName = "wafer.mode";

/// The module's target, or null.
TargetAttr getTarget(mlir::Operation *moduleOrNested);
/// The module's target; without one, an error at the module's location
/// saying `passName` needs wafer-target first, and null.
TargetAttr requireTarget(mlir::Operation *module, llvm::StringRef passName);
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

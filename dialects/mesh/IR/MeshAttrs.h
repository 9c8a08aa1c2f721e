//===- MeshAttrs.h - Target and rectangle attributes ------------*- C++ -*-===//
#ifndef WSE_DIALECT_MESH_IR_MESHATTRS_H
#define WSE_DIALECT_MESH_IR_MESHATTRS_H

#include "wse/Machine/MachineDescription.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

namespace wse::machine {
// Attribute storage compares and hashes descriptions by their JSON form, so
// a field added to MachineDescription is covered without touching this.
bool operator==(const MachineDescription &a, const MachineDescription &b);
llvm::hash_code hash_value(const MachineDescription &m);
} // namespace wse::machine

#define GET_ATTRDEF_CLASSES
#include "dialects/mesh/IR/MeshAttrs.h.inc"

namespace wse::mesh {
/// Name of the module attribute holding the target.
constexpr llvm::StringLiteral kTargetAttrName = "mesh.target";

/// The target of the module holding `moduleOrNested`, or null.
TargetAttr getTarget(mlir::Operation *moduleOrNested);
/// The module's target; without one, an error at the module's location
/// saying `passName` needs wafer-target first, and null.
TargetAttr requireTarget(mlir::Operation *module, llvm::StringRef passName);
/// The smallest rectangle holding every non-null rectangle of `rects`; null
/// when there is none.
RectAttr boundingBox(llvm::ArrayRef<RectAttr> rects);
} // namespace wse::mesh

#endif

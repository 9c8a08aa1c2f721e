//===- MeshDialect.cpp - Target machine and mesh geometry -----------------===//

#include "dialects/mesh/IR/MeshDialect.h"
#include "dialects/mesh/IR/MeshAttrs.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace wse::mesh;

#include "dialects/mesh/IR/MeshDialect.cpp.inc"

void MeshDialect::initialize() { registerAttributes(); }

LogicalResult MeshDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  if (attr.getName() != kTargetAttrName)
    return op->emitError() << "unknown attribute '" << attr.getName().getValue()
                           << "' of the mesh dialect (it has only '"
                           << kTargetAttrName << "')";
  if (!isa<ModuleOp>(op))
    return op->emitError() << "'" << kTargetAttrName
                           << "' belongs on a builtin.module";
  if (!isa<TargetAttr>(attr.getValue()))
    return op->emitError() << "'" << kTargetAttrName
                           << "' must be a #mesh.target, got "
                           << attr.getValue();
  return success();
}

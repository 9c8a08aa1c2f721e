//===- MeshDialect.td - Target machine and mesh geometry ---*- tablegen -*-===//
//
// The small dialect both `wafer` and `pe` build on: which machine a module
// is compiled for and rectangles of PEs on its mesh. Neither level links the
// other to read them.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_MESH_DIALECT_TD
#define WSE_DIALECT_MESH_DIALECT_TD

include "mlir/IR/OpBase.td"

def Mesh_Dialect : Dialect {
  let name = "mesh";
  let cppNamespace = "::wse::mesh";
  let summary = "the target machine and the geometry of its PE mesh";
  let description = [{
    Attributes shared by every level below `onnx`: `#mesh.target` holds the
    machine description a module is compiled for (module attribute
    `mesh.target`), `#mesh.rect` a rectangle of PEs. The `wafer` dialect
    places layers on rectangles, the `pe` dialect launches kernels and
    routes on them; both read the target from here. The dialect has no ops.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

#endif // WSE_DIALECT_MESH_DIALECT_TD

//===- WaferDialect.td - The wafer dialect -----------------*- tablegen -*-===//
//
// Layers placed on the core mesh, tensor distributions and weight streams.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_DIALECT_TD
#define WSE_DIALECT_WAFER_DIALECT_TD

include "mlir/IR/OpBase.td"

def Wafer_Dialect : Dialect {
  let name = "wafer";
  let cppNamespace = "::wse::wafer";
  let summary = "layers on the mesh of a wafer-scale engine";
  let description = [{
    The `wafer` dialect is where a model meets the machine. A module carries
    the target machine (`mesh.target`), every layer is one op with the
    rectangle of PEs it runs on (`placement`), every activation's type says
    how its dimensions are spread over mesh columns and rows (a
    `#wafer.dist` tensor encoding), and every weight enters through a
    `wafer.stream` that names its parameter and, once scheduled, its order,
    buffering depth and estimated arrival window in cycles.

    Weights are `wafer.parameter` symbols: their bytes stay in files and are
    never read by the compiler.
  }];
  let dependentDialects = ["::wse::mesh::MeshDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

#endif // WSE_DIALECT_WAFER_DIALECT_TD

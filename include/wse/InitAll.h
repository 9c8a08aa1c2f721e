//===- InitAll.h - Every dialect and pass of the project --------*- C++ -*-===//
//
// The one place that lists what the tools register: wse-opt registers the
// dialects and every pass and pipeline, wse-translate and wse-ref the
// dialects. A new dialect or pass is added here and nowhere else.
//
// The functions are inline so that a tool links only the libraries of what
// it calls.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_INITALL_H
#define WSE_INITALL_H

#include "dialects/mesh/IR/MeshDialect.h"
#include "dialects/onnx/IR/ONNXDialect.h"
#include "dialects/onnx/Training/Passes.h"
#include "dialects/onnx/Transforms/Passes.h"
#include "dialects/pe/IR/PEDialect.h"
#include "dialects/pe/Transforms/Passes.h"
#include "dialects/wafer/IR/WaferDialect.h"
#include "dialects/wafer/Transforms/Passes.h"
#include "wse/Conversion/Passes.h"
#include "wse/Pipelines/Pipelines.h"
#include "wse/Target/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace wse {

/// The project's dialects and the upstream ones their IR holds (func for the
/// model function, arith and math inside wafer.elementwise bodies).
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<onnxir::ONNXDialect, mesh::MeshDialect, wafer::WaferDialect,
                  pe::PEDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::math::MathDialect>();
}

/// Interfaces the dialects' users implement: the SRAM plan wafer-verify and
/// wafer-cost-report ask the wafer -> pe lowering for.
inline void registerAllExtensions(mlir::DialectRegistry &registry) {
  registerSRAMPlanner(registry);
}

/// Every pass of the project, the named pipelines, and the upstream passes
/// the pipelines use (so each step can be run alone).
inline void registerAllPasses() {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  mlir::registerInlinerPass();
  onnxir::registerONNXPassesAndPipelines();
  onnxir::registerONNXTrainingPasses();
  wafer::registerWaferPasses();
  pe::registerPEPasses();
  registerConversionPasses();
  registerTargetPasses();
  registerPipelines();
}

} // namespace wse

#endif // WSE_INITALL_H

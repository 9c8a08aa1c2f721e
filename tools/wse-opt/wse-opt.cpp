//===- wse-opt.cpp - The project's mlir-opt
//--------------------------------===//
//
// Runs passes and pipelines over the project's dialects and the upstream
// dialects the pipeline uses.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/IR/ONNXDialect.h"
#include "dialects/pe/IR/PEDialect.h"
#include "dialects/wafer/IR/WaferDialect.h"
#include "wse/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<wse::onnxir::ONNXDialect, wse::wafer::WaferDialect, wse::pe::PEDialect,
                  mlir::func::FuncDialect, mlir::arith::ArithDialect,
                  mlir::math::MathDialect>();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  mlir::registerInlinerPass();
  wse::registerAllPassesAndPipelines();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "wse-opt: the wafer-scale engine compiler's optimizer\n",
      registry));
}

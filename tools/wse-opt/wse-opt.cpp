//===- wse-opt.cpp - The project's mlir-opt -------------------------------===//
//
// Runs passes and pipelines over the project's dialects and the upstream
// dialects the pipeline uses (all listed in wse/InitAll.h).
//
//===----------------------------------------------------------------------===//

#include "wse/InitAll.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  wse::registerAllDialects(registry);
  wse::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "wse-opt: the wafer-scale engine compiler's optimizer\n",
      registry));
}

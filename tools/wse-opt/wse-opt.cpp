//===- wse-opt.cpp - The project's mlir-opt -------------------------------===//
//
// Runs passes and pipelines over the project's dialects and the upstream
// dialects the pipeline uses (all listed in wse/InitAll.h). Differences from
// mlir-opt: --help lists MLIR's options and the passes but not the LLVM
// libraries' own options (--help-hidden does), and diagnostics do not print
// the op they are attached to (a function would be printed whole;
// --mlir-print-op-on-diagnostic brings it back).
//
//===----------------------------------------------------------------------===//

#include "wse/InitAll.h"
#include "wse/Support/InputFile.h"
#include "wse/Support/ToolOptions.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  wse::OptionSet llvmOptions = wse::registeredOptions();
  mlir::DialectRegistry registry;
  wse::registerAllDialects(registry);
  wse::registerAllExtensions(registry);
  wse::registerAllPasses();
  std::string helpHeader = mlir::registerCLIOptions(
      "wse-opt: the wafer-scale engine compiler's optimizer\n", registry);
  wse::hideOptions(llvmOptions);
  wse::setBoolDefault("mlir-print-op-on-diagnostic", false);
  auto [inputFile, outputFile] = mlir::parseCLIOptions(argc, argv, helpHeader);
  // MLIR's driver reads any file to its end (/dev/zero: until memory runs
  // out) and its parser recurses per bracket: the input must be a regular
  // file of bounded size and nesting.
  if (llvm::Error err = wse::checkCommandLineFiles(argc, argv,
                                                   /*mlirText=*/true)) {
    llvm::errs() << "wse-opt: error: " << llvm::toString(std::move(err))
                 << "\n";
    return 1;
  }
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, inputFile, outputFile, registry));
}

//===- wse-translate.cpp - Translations into and out of the compiler ------===//
//
//   --import-onnx FILE   ONNX model (.onnx or .onnxtext) -> onnx dialect
//
//===----------------------------------------------------------------------===//

#include "wse/Import/ONNXImporter.h"

#include "dialects/onnx/IR/ONNXDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static llvm::cl::list<std::string> inputShapes(
    "input-shape",
    llvm::cl::desc("Pin a graph input's dimensions: NAME=DIMS, e.g. "
                   "input_ids=1x128 (repeatable)"),
    llvm::cl::value_desc("NAME=DIMS"));

static llvm::cl::opt<int64_t> inlineThreshold(
    "param-threshold",
    llvm::cl::desc("Largest initializer (in elements) kept inline as a "
                   "constant; larger ones become onnx.parameter symbols"),
    llvm::cl::init(1024));

static OwningOpRef<Operation *> importONNX(llvm::SourceMgr &sourceMgr,
                                           MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  wse::import::ImportOptions options;
  options.inlineThreshold = inlineThreshold;
  for (const std::string &spec : inputShapes)
    if (llvm::Error err = wse::import::parseInputShape(spec, options)) {
      emitError(UnknownLoc::get(context)) << llvm::toString(std::move(err));
      return nullptr;
    }
  if (inlineThreshold < 0) {
    emitError(UnknownLoc::get(context))
        << "--param-threshold must be non-negative";
    return nullptr;
  }
  auto module = wse::import::importONNXModel(
      buffer->getBufferIdentifier(), buffer->getBuffer(), context, options);
  if (!module)
    return nullptr;
  return OwningOpRef<Operation *>(module.release());
}

int main(int argc, char **argv) {
  TranslateToMLIRRegistration importRegistration(
      "import-onnx", "Import an ONNX model into the onnx dialect", importONNX,
      [](DialectRegistry &registry) {
        registry.insert<wse::onnxir::ONNXDialect, func::FuncDialect>();
      });
  return failed(mlirTranslateMain(argc, argv, "wse-translate"));
}

//===- wse-translate.cpp - Translations into and out of the compiler ------===//
//
//   --import-onnx FILE        ONNX model (.onnx or .onnxtext) -> onnx dialect
//   --emit-program -o FILE    pe dialect -> binary emulator program
//   --emit-program-text       pe dialect -> text emulator program
//
// Program emission writes the data of params with a `value` to
// `<output>.consts.bin` next to the program (named by its basename, which the
// emulator resolves relative to the program's directory).
//
//===----------------------------------------------------------------------===//

#include "wse/Import/ONNXImporter.h"

#include "wse/Emu/BinaryFormat.h"
#include "wse/Emu/TextFormat.h"
#include "wse/Target/PEToProgram.h"

#include "wse/InitAll.h"
#include "wse/Support/InputFile.h"
#include "wse/Support/ToolOptions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

/// The options --help lists besides MLIR's (wse-opt.cpp hides LLVM's).
static llvm::cl::OptionCategory toolCategory("wse-translate options");

static llvm::cl::list<std::string> inputShapes(
    "input-shape",
    llvm::cl::desc("Pin a graph input's dimensions: NAME=DIMS, e.g. "
                   "input_ids=1x128 (repeatable)"),
    llvm::cl::value_desc("NAME=DIMS"), llvm::cl::cat(toolCategory));

static llvm::cl::opt<int64_t> inlineThreshold(
    "param-threshold",
    llvm::cl::desc("Largest initializer (in elements) kept inline as a "
                   "constant; larger ones become onnx.parameter symbols"),
    llvm::cl::init(1024), llvm::cl::cat(toolCategory));

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

static llvm::cl::opt<std::string> weightsDir(
    "weights-dir",
    llvm::cl::desc("With --emit-program: the directory the model's weight "
                   "files are relative to (the ONNX model's directory); the "
                   "program then names them by absolute path, so wse-emu "
                   "finds them without --weights"),
    llvm::cl::value_desc("DIR"), llvm::cl::init(""),
    llvm::cl::cat(toolCategory));

/// The `-o` option of mlirTranslateMain (registered by it before parsing).
static std::string outputFilename() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find("o");
  if (it == options.end())
    return "-";
  return static_cast<llvm::cl::opt<std::string> *>(it->second)->getValue();
}

static LogicalResult emitProgram(ModuleOp module, raw_ostream &os,
                                 bool binary) {
  std::string output = outputFilename();
  if (binary && output == "-")
    return emitError(module.getLoc())
           << "--emit-program writes a binary file: pass -o FILE";
  std::string constantsName =
      output == "-" ? std::string("consts.bin")
                    : (llvm::sys::path::filename(output) + ".consts.bin").str();
  std::string constants;
  llvm::Expected<wse::emu::Program> prog =
      wse::pe::toProgram(module, constantsName, constants);
  if (!prog)
    return emitError(module.getLoc()) << llvm::toString(prog.takeError());
  if (!weightsDir.empty()) {
    llvm::SmallString<256> dir(weightsDir);
    if (std::error_code ec = llvm::sys::fs::make_absolute(dir))
      return emitError(module.getLoc())
             << "--weights-dir '" << weightsDir << "': " << ec.message();
    for (wse::emu::TensorDecl &param : prog->params) {
      if (param.file == constantsName ||
          llvm::sys::path::is_absolute(param.file))
        continue;
      llvm::SmallString<256> path(dir);
      llvm::sys::path::append(path, param.file);
      param.file = std::string(path);
    }
  }
  if (!constants.empty()) {
    if (output == "-")
      return emitError(module.getLoc())
             << "the module has params with values, which are written to "
                "<output>.consts.bin: pass -o FILE";
    std::string path = output + ".consts.bin";
    std::error_code ec;
    llvm::raw_fd_ostream cs(path, ec, llvm::sys::fs::OF_None);
    if (ec)
      return emitError(module.getLoc())
             << "cannot write '" << path << "': " << ec.message();
    cs << constants;
  }
  if (binary)
    os << wse::emu::writeProgramBinary(*prog);
  else
    wse::emu::printProgramText(*prog, os);
  return success();
}

int main(int argc, char **argv) {
  // MLIR's driver reads any file to its end (/dev/zero: until memory runs
  // out); inputs must be regular files of bounded size, and MLIR inputs
  // (program emission) of bounded nesting: MLIR's parser recurses per level.
  bool mlirInput = llvm::any_of(llvm::ArrayRef(argv, argc), [](char *arg) {
    return llvm::StringRef(arg).contains("emit-program");
  });
  if (llvm::Error err = wse::checkCommandLineFiles(argc, argv, mlirInput)) {
    llvm::errs() << "wse-translate: error: " << llvm::toString(std::move(err))
                 << "\n";
    return 1;
  }
  // LLVM's static options are registered by now; MLIR's and the
  // translation list are registered by mlirTranslateMain.
  wse::hideOptions(wse::registeredOptions(), {&toolCategory});
  mlir::registerMLIRContextCLOptions();
  wse::setBoolDefault("mlir-print-op-on-diagnostic", false);
  TranslateFromMLIRRegistration emitBinary(
      "emit-program",
      "Emit a pe module as a binary emulator program (needs -o FILE)",
      [](ModuleOp module, raw_ostream &os) {
        return emitProgram(module, os, /*binary=*/true);
      },
      wse::registerAllDialects);
  TranslateFromMLIRRegistration emitText(
      "emit-program-text", "Emit a pe module as a text emulator program",
      [](ModuleOp module, raw_ostream &os) {
        return emitProgram(module, os, /*binary=*/false);
      },
      wse::registerAllDialects);
  TranslateToMLIRRegistration importRegistration(
      "import-onnx", "Import an ONNX model into the onnx dialect", importONNX,
      wse::registerAllDialects);
  return failed(mlirTranslateMain(argc, argv, "wse-translate"));
}

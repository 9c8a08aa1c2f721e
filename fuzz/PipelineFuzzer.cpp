//===- PipelineFuzzer.cpp - The compile pipeline on small IR --------------===//
//
// Input: MLIR text, normally a small onnx-dialect module. When it parses and
// verifies, it runs through --wse-pipeline='target=8x8 lower=true' and
// program emission; each step must succeed or report an error, and an
// emitted program must pass the emulator's verifier (the emitter promises
// it). The search starts from the project's lit inputs (seed corpus).
//
//===----------------------------------------------------------------------===//

#include "wse/Emu/Verify.h"
#include "wse/InitAll.h"
#include "wse/Pipelines/Pipelines.h"
#include "wse/Support/InputFile.h"
#include "wse/Target/PEToProgram.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::DialectRegistry *registry = [] {
    auto *r = new mlir::DialectRegistry();
    wse::registerAllDialects(*r);
    wse::registerAllExtensions(*r);
    return r;
  }();
  mlir::MLIRContext context(*registry, mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  // The tools refuse deeper nesting before MLIR's recursive parser sees it.
  if (llvm::Error err = wse::checkMLIRNesting(text, "fuzz")) {
    llvm::consumeError(std::move(err));
    return 0;
  }
  // MLIR's lexer finds the end of its buffer by the zero byte after it (as
  // a MemoryBuffer read from a file has); parseSourceString on libFuzzer's
  // unterminated bytes read past them (fuzz/regressions/pipeline). Parse a
  // terminated copy, as the tools parse what they read.
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz"), llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 0;
  mlir::PassManager pm(&context);
  wse::WSEPipelineOptions options;
  options.target = "8x8";
  options.lower = true;
  wse::buildWSEPipeline(pm, options);
  if (mlir::failed(pm.run(*module)))
    return 0;
  std::string constants;
  llvm::Expected<wse::emu::Program> program =
      wse::pe::toProgram(*module, "consts.bin", constants);
  if (!program) {
    llvm::consumeError(program.takeError());
    return 0;
  }
  if (llvm::Error err = wse::emu::verifyProgram(*program)) {
    llvm::errs() << "fuzz finding: an emitted program fails verification: "
                 << llvm::toString(std::move(err)) << "\n";
    std::abort();
  }
  return 0;
}

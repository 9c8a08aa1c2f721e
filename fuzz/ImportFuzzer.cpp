//===- ImportFuzzer.cpp - ONNX models through the importer ----------------===//
//
// Input: a binary ModelProto (or ONNX text, when it starts with '<'). The
// importer must give a verified module or an error, never a sanitizer
// report. The custom mutator (ModelMutator.h) edits the model's structure:
// rewired inputs, dropped or copied nodes, other operators, attribute
// values, dimensions and element types at the edges of their ranges.
//
//===----------------------------------------------------------------------===//

#include "ModelMutator.h"

#include "wse/Import/ONNXImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

// Every input forks a child for libonnx's shape inference
// (IsolatedShapeInference.cpp), and a fork copies the page tables of all
// the memory the process has touched: with ASan's default 256 MB
// quarantine of freed memory, that copy took half the run time. With 16 MB
// the harness runs about twice as fast (docs/hardening.md: 100 -> 200
// executions/s at load 7, peak RSS 514 -> 157 MB), and the quarantine still
// holds many inputs' worth of frees for use-after-free reports. ASAN_OPTIONS
// given at run time still win.
extern "C" const char *__asan_default_options() {
  return "quarantine_size_mb=16";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  // Refusals are expected; printing each one would only slow the search.
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  wse::import::ImportOptions options;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  (void)wse::import::importONNXModel("fuzz.onnx", bytes, &context, options);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  return wse::fuzz::mutateModel(data, size, maxSize, seed);
}

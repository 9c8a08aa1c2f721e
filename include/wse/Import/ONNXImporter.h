//===- ONNXImporter.h - ONNX model to onnx dialect --------------*- C++ -*-===//
//
// The protobuf-free interface of the importer. The implementation is compiled
// with exceptions (libonnx needs them) and catches everything at this
// boundary: callers see diagnostics and a null module, never an exception.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_IMPORT_ONNXIMPORTER_H
#define WSE_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace wse::import {

struct ImportOptions {
  /// Dimensions pinned per graph input name (from --input-shape).
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// Initializers and constants with more elements than this become
  /// onnx.parameter symbols; smaller ones stay inline.
  int64_t inlineThreshold = 1024;
};

/// Parses "NAME=DIMS" (DIMS like 1x128) and records it in `options`.
llvm::Error parseInputShape(llvm::StringRef spec, ImportOptions &options);

/// Imports the model in `bytes`, read from `path` (binary .onnx, or ONNX text
/// syntax when the path ends in .onnxtext or the bytes start with '<').
/// Errors are emitted as diagnostics on `context`; returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp> importONNXModel(llvm::StringRef path,
                                                  llvm::StringRef bytes,
                                                  mlir::MLIRContext *context,
                                                  const ImportOptions &options);

} // namespace wse::import

#endif

//===- Passes.h - Passes over the onnx dialect ------------------*- C++ -*-===//
#ifndef WSE_DIALECT_ONNX_TRANSFORMS_PASSES_H
#define WSE_DIALECT_ONNX_TRANSFORMS_PASSES_H

#include "dialects/onnx/IR/ONNXDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace wse::onnxir {

#define GEN_PASS_DECL
#include "dialects/onnx/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/onnx/Transforms/Passes.h.inc"

/// Registers the passes and the `onnx-prepare` pipeline (staticize,
/// recompose, canonicalize, CSE) with the global registry.
void registerONNXPassesAndPipelines();

/// Adds the `onnx-prepare` passes to `pm`.
void buildONNXPreparePipeline(mlir::OpPassManager &pm);

} // namespace wse::onnxir

#endif

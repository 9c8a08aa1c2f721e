//===- Passes.h - Training passes over the onnx dialect ---------*- C++ -*-===//
#ifndef WSE_DIALECT_ONNX_TRAINING_PASSES_H
#define WSE_DIALECT_ONNX_TRAINING_PASSES_H

#include "dialects/onnx/IR/ONNXDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace wse::onnxir {

#define GEN_PASS_DECL
#include "dialects/onnx/Training/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/onnx/Training/Passes.h.inc"

} // namespace wse::onnxir

#endif

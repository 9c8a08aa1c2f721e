//===- ONNXDialect.h - The onnx dialect -------------------------*- C++ -*-===//
#ifndef WSE_DIALECT_ONNX_IR_ONNXDIALECT_H
#define WSE_DIALECT_ONNX_IR_ONNXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/onnx/IR/ONNXDialect.h.inc"

#endif

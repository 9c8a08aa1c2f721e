//===- ONNXOps.h - The onnx dialect operations ------------------*- C++ -*-===//
#ifndef WSE_DIALECT_ONNX_IR_ONNXOPS_H
#define WSE_DIALECT_ONNX_IR_ONNXOPS_H

#include "dialects/onnx/IR/ONNXDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/onnx/IR/ONNXOps.h.inc"

#endif

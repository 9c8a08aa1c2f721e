//===- WaferOps.h - The wafer dialect operations ----------------*- C++ -*-===//
#ifndef WSE_DIALECT_WAFER_IR_WAFEROPS_H
#define WSE_DIALECT_WAFER_IR_WAFEROPS_H

#include "dialects/wafer/IR/WaferAttrs.h"
#include "dialects/wafer/IR/WaferDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/wafer/IR/WaferInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/wafer/IR/WaferOps.h.inc"

#endif

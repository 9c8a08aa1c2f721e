//===- PEOps.h - The pe dialect operations ----------------------*- C++ -*-===//
#ifndef WSE_DIALECT_PE_PEOPS_H
#define WSE_DIALECT_PE_PEOPS_H

#include "dialects/pe/IR/PEAttrs.h"
#include "dialects/pe/IR/PEDialect.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/pe/IR/PEOps.h.inc"

#endif

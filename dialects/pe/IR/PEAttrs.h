//===- PEAttrs.h - Operands of per-PE instructions --------------*- C++ -*-===//
#ifndef WSE_DIALECT_PE_PEATTRS_H
#define WSE_DIALECT_PE_PEATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "dialects/pe/IR/PEEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/pe/IR/PEAttrs.h.inc"

#endif

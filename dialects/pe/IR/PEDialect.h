//===- PEDialect.h - The per-PE program dialect -----------------*- C++ -*-===//
#ifndef WSE_DIALECT_PE_PEDIALECT_H
#define WSE_DIALECT_PE_PEDIALECT_H

#include "dialects/mesh/IR/MeshDialect.h"

#include "mlir/IR/Dialect.h"

#include "dialects/pe/IR/PEDialect.h.inc"

#endif

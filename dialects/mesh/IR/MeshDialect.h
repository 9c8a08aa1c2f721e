//===- MeshDialect.h - Target machine and mesh geometry ---------*- C++ -*-===//
#ifndef WSE_DIALECT_MESH_IR_MESHDIALECT_H
#define WSE_DIALECT_MESH_IR_MESHDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/mesh/IR/MeshDialect.h.inc"

#endif

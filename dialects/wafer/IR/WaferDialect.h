//===- WaferDialect.h - The wafer dialect -----------------------*- C++ -*-===//
#ifndef WSE_DIALECT_WAFER_IR_WAFERDIALECT_H
#define WSE_DIALECT_WAFER_IR_WAFERDIALECT_H

#include "dialects/mesh/IR/MeshDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Dialect.h"

#include "dialects/wafer/IR/WaferDialect.h.inc"

#endif

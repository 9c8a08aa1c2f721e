//===- Passes.h - Conversions between the project's dialects ----*- C++ -*-===//
#ifndef WSE_CONVERSION_PASSES_H
#define WSE_CONVERSION_PASSES_H

#include "dialects/pe/IR/PEDialect.h"
#include "dialects/wafer/IR/WaferDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace wse {
#define GEN_PASS_DECL
#include "lib/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Conversion/Passes.h.inc"
} // namespace wse

#endif

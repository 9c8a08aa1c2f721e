//===- PEAttrs.h - Operands of per-PE instructions --------------*- C++ -*-===//
#ifndef WSE_DIALECT_PE_PEATTRS_H
#define WSE_DIALECT_PE_PEATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "wse/Emu/Program.h"

#include "dialects/pe/IR/PEEnums.h.inc"

namespace wse::pe {
/// A value inside a descriptor: a bare integer parses as an i64 immediate
/// (an optional `: i64` is accepted), anything else as an attribute.
mlir::FailureOr<mlir::Attribute> parseValueAttr(mlir::AsmParser &parser);
/// Prints i64 immediates as bare integers, anything else as an attribute.
void printValueAttr(mlir::AsmPrinter &printer, mlir::Attribute value);
} // namespace wse::pe

#define GET_ATTRDEF_CLASSES
#include "dialects/pe/IR/PEAttrs.h.inc"

namespace wse::pe {
/// A value: i64 immediate, #pe.reg, @symbol or #pe.addr.
bool isValueAttr(mlir::Attribute a);
} // namespace wse::pe

#endif

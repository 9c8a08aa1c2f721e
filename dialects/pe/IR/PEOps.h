//===- PEOps.h - The pe dialect operations ----------------------*- C++ -*-===//
#ifndef WSE_DIALECT_PE_PEOPS_H
#define WSE_DIALECT_PE_PEOPS_H

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/pe/IR/PEAttrs.h"
#include "dialects/pe/IR/PEDialect.h"
#include "wse/Emu/Program.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <optional>

#include "dialects/pe/IR/PEInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/pe/IR/PEOps.h.inc"

namespace wse::pe {
/// The emulator opcode of an instruction op (found by its name), or nullopt
/// for every other op.
std::optional<emu::Opcode> getOpcode(mlir::Operation *op);
/// The value of an i64 IntegerAttr, or nullopt.
std::optional<int64_t> getImmediate(mlir::Attribute attr);
/// The port named "W0", "E2", ...; null for anything else.
PortAttr getPortByName(mlir::MLIRContext *ctx, llvm::StringRef name);
/// Every value attribute (immediate, register, symbol, address) inside an
/// instruction operand, with `isColor` set for the color of #pe.in/#pe.out.
void forEachValue(mlir::Attribute operand,
                  llvm::function_ref<void(mlir::Attribute, bool isColor)> fn);
/// The buffer named by a #pe.mem or #pe.addr operand or value, or null.
mlir::FlatSymbolRefAttr getBufferRef(mlir::Attribute operandOrValue);
/// Succeeds for ops that may appear in code (instructions, pe.loop, pe.if,
/// pe.call); emits an error on `op` otherwise.
mlir::LogicalResult verifyCodeOp(mlir::Operation *op);
/// Checks that the buffers, constants and channels a value or operand names
/// exist (`index` numbers the operand in errors).
mlir::LogicalResult verifyValueSymbols(mlir::Operation *op,
                                       mlir::Attribute operand, unsigned index,
                                       mlir::SymbolTableCollection &tables);
/// Checks the references of the kernel's constant expressions (earlier
/// constants, existing tables, sizes) and, with `out`, writes its tables
/// and constants in the emulator's form. Errors are on the pe.const.
mlir::LogicalResult buildKernelConstants(KernelOp kernel, emu::Kernel *out);
} // namespace wse::pe

#endif

//===- PEToProgram.h - pe dialect -> emulator program -----------*- C++ -*-===//
//
// The pe dialect mirrors the emulator's program (include/wse/Emu/Program.h),
// so emission is a translation: symbols become indices, labels pcs,
// #pe.addr<@b> the buffer's word address, constant expressions are parsed by
// the emulator's assembler, and params with a `value` are written to a
// constants file. The module must be fully resolved: no pe.flow (run
// pe-route), no pe.channel (pe-assign-colors), every buffer with an address
// (pe-allocate-sram). The result has passed the emulator's program verifier.
//
// Library: WSEPEToProgram.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_TARGET_PETOPROGRAM_H
#define WSE_TARGET_PETOPROGRAM_H

#include "wse/Emu/Program.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>

namespace wse::pe {

/// Translates `module`. Params with a `value` are declared with file
/// `constantsFile` (the name as given) and their byte offsets, and their data
/// (little-endian, f32 for float types, i32/i64 as such, bool one byte) are
/// appended to `constants` in declaration order. Nothing is written to disk.
llvm::Expected<emu::Program> toProgram(mlir::ModuleOp module,
                                       llvm::StringRef constantsFile,
                                       std::string &constants);

/// As above, and writes the constants to the file `constantsFile` (path as
/// given, relative to the current directory) when there are any.
llvm::Expected<emu::Program> toProgram(mlir::ModuleOp module,
                                       llvm::StringRef constantsFile);

} // namespace wse::pe

#endif // WSE_TARGET_PETOPROGRAM_H

//===- Verify.h - Machine-independent program checks ------------*- C++ -*-===//

#ifndef WSE_EMU_VERIFY_H
#define WSE_EMU_VERIFY_H

#include "wse/Emu/Program.h"

#include "llvm/Support/Error.h"

namespace wse::emu {

/// Checks everything that does not depend on the machine: indices, operand
/// kinds against opcode signatures, names, tensor/slice bounds, expression
/// stack discipline. Both the assembler and the binary reader run it, so the
/// emulator never sees an ill-formed program.
llvm::Error verifyProgram(const Program &p);

} // namespace wse::emu

#endif

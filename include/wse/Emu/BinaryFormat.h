//===- BinaryFormat.h - Binary program files --------------------*- C++ -*-===//
//
// Layout (little-endian, documented in docs/emulator/program-format.md):
//   "WSEPROG\0"  u32 version  then the Program fields in declaration order.
// Readers check every count against the bytes that remain, so a hostile size
// fails cleanly instead of allocating or reading out of bounds.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_BINARYFORMAT_H
#define WSE_EMU_BINARYFORMAT_H

#include "wse/Emu/Program.h"

#include "llvm/Support/Error.h"

namespace wse::emu {

constexpr char kBinaryMagic[8] = {'W', 'S', 'E', 'P', 'R', 'O', 'G', '\0'};

bool hasBinaryMagic(llvm::StringRef bytes);

std::string writeProgramBinary(const Program &p);

/// Decodes and verifies. `name` prefixes error messages.
llvm::Expected<Program> readProgramBinary(llvm::StringRef bytes,
                                          llvm::StringRef name);

/// Reads a program file in either form, detected by the binary magic.
llvm::Expected<Program> loadProgramFile(llvm::StringRef path);

} // namespace wse::emu

#endif

//===- TextFormat.h - Assembler and disassembler ----------------*- C++ -*-===//
//
// The text form is documented in docs/emulator/program-format.md. Printing
// is canonical: parse(print(p)) == p for every verified program, and
// print(parse(t)) == t for text that is already canonical.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_TEXTFORMAT_H
#define WSE_EMU_TEXTFORMAT_H

#include "wse/Emu/Program.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace wse::emu {

/// Parses and verifies a text program. Errors read "NAME:LINE:COL: message".
llvm::Expected<Program> parseProgramText(llvm::StringRef text,
                                         llvm::StringRef bufferName);

void printProgramText(const Program &p, llvm::raw_ostream &os);
std::string printProgramText(const Program &p);

/// Text of one float as the disassembler writes it (round-trips exactly).
std::string formatFloat(float f);

} // namespace wse::emu

#endif

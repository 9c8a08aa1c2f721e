//===- FuzzProgram.h - Shared steps of the program harnesses ----*- C++ -*-===//
//
// What the emulator does with a program that loaded: print it, read back
// both forms (the documented round trip must hold for every verified
// program), and run it briefly on a small machine with zero inputs.
//
//===----------------------------------------------------------------------===//
#ifndef WSE_FUZZ_FUZZPROGRAM_H
#define WSE_FUZZ_FUZZPROGRAM_H

#include "wse/Emu/Program.h"

namespace wse::fuzz {

/// Aborts (a finding) when a verified program does not survive printing and
/// reading back; otherwise runs it for a bounded number of cycles.
void exerciseProgram(const emu::Program &program);

} // namespace wse::fuzz

#endif

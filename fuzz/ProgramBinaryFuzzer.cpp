//===- ProgramBinaryFuzzer.cpp - Binary emulator programs -----------------===//
//
// Input: the bytes of a binary program file (docs/emulator/program-format.md).
// Reading must fail with an error or give a verified program, which must
// print, read back and run without a sanitizer report.
//
//===----------------------------------------------------------------------===//

#include "FuzzProgram.h"

#include "wse/Emu/BinaryFormat.h"

#include "llvm/ADT/StringRef.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<wse::emu::Program> program =
      wse::emu::readProgramBinary(bytes, "fuzz");
  if (!program) {
    llvm::consumeError(program.takeError());
    return 0;
  }
  wse::fuzz::exerciseProgram(*program);
  return 0;
}

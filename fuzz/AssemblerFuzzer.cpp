//===- AssemblerFuzzer.cpp - Text emulator programs -----------------------===//
//
// Input: a text program (the assembler's syntax). Parsing must fail with an
// error or give a verified program, which must print, read back and run
// without a sanitizer report.
//
//===----------------------------------------------------------------------===//

#include "FuzzProgram.h"

#include "wse/Emu/TextFormat.h"

#include "llvm/ADT/StringRef.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<wse::emu::Program> program =
      wse::emu::parseProgramText(text, "fuzz");
  if (!program) {
    llvm::consumeError(program.takeError());
    return 0;
  }
  wse::fuzz::exerciseProgram(*program);
  return 0;
}

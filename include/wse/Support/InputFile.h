//===- InputFile.h - Bounded reads of the files the tools are given -*- C++
//-*-===//
//
// LLVM's MemoryBuffer reads a file that is not regular (/dev/zero, a pipe)
// until it ends, so a hostile path could take all memory. Every file the
// tools read goes through readInputFile with a bound (docs/limits.md).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_SUPPORT_INPUTFILE_H
#define WSE_SUPPORT_INPUTFILE_H

#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>

namespace wse {

/// The largest model, IR, program or .npy file a tool reads (protobuf's own
/// limit for a model with embedded weights).
constexpr uint64_t kMaxInputFileBytes = uint64_t(2) << 30;

/// Reads `path` ("-": standard input) if it is a regular file of at most
/// `maxBytes` bytes (standard input: if it ends within that many). `what`
/// names the file in errors ("program", "machine file").
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef path, uint64_t maxBytes, llvm::StringRef what);

/// The deepest nesting of arrays and objects in JSON `text`, outside
/// strings. llvm::json's parser recurses once per level: callers check this
/// before parsing text they did not write.
size_t jsonNestingDepth(llvm::StringRef text);

/// The deepest nesting of brackets ((, [, {, <) in MLIR text, outside
/// strings and comments. MLIR's parser recurses once per level: 30,000
/// nested array attributes overflowed its stack.
size_t mlirNestingDepth(llvm::StringRef text);
constexpr size_t kMaxMLIRNesting = 512;

/// For tools whose input is read by MLIR's drivers (wse-opt, wse-translate):
/// every operand of the command line that names an existing file, other than
/// `-o`'s, must be a regular file of at most kMaxInputFileBytes; with
/// `mlirText`, one nested at most kMaxMLIRNesting levels.
llvm::Error checkCommandLineFiles(int argc, char **argv, bool mlirText);

/// The nesting check alone, for text already read; `name` names it.
llvm::Error checkMLIRNesting(llvm::StringRef text, llvm::StringRef name);

} // namespace wse

#endif

//===- InputFile.cpp - Bounded reads of the files the tools are given -----===//

#include "wse/Support/InputFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace llvm;

namespace wse {

static Error tooBig(StringRef what, StringRef path, uint64_t size,
                    uint64_t maxBytes) {
  return createStringError(
      inconvertibleErrorCode(),
      formatv("{0} '{1}' is {2} bytes, more than the {3} allowed", what, path,
              size, maxBytes));
}

/// Standard input in chunks, stopping one byte past the bound.
static Expected<std::unique_ptr<MemoryBuffer>> readStdin(uint64_t maxBytes,
                                                         StringRef what) {
  std::string data;
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(0, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return createStringError(std::error_code(errno, std::generic_category()),
                               "cannot read " + what + " from standard input");
    if (n == 0)
      break;
    data.append(chunk, size_t(n));
    if (data.size() > maxBytes)
      return createStringError(
          inconvertibleErrorCode(),
          formatv("{0} on standard input is more than the {1} bytes allowed",
                  what, maxBytes));
  }
  return MemoryBuffer::getMemBufferCopy(data, "<stdin>");
}

Expected<std::unique_ptr<MemoryBuffer>>
readInputFile(StringRef path, uint64_t maxBytes, StringRef what) {
  if (path == "-")
    return readStdin(maxBytes, what);
  sys::fs::file_status status;
  if (std::error_code ec = sys::fs::status(path, status))
    return createStringError(ec, "cannot read " + what + " '" + path +
                                     "': " + ec.message());
  if (status.type() != sys::fs::file_type::regular_file)
    return createStringError(inconvertibleErrorCode(),
                             what + " '" + path + "' is not a regular file");
  if (status.getSize() > maxBytes)
    return tooBig(what, path, status.getSize(), maxBytes);
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
      MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buf)
    return createStringError(buf.getError(),
                             "cannot read " + what + " '" + path +
                                 "': " + buf.getError().message());
  return std::move(*buf);
}

size_t jsonNestingDepth(StringRef text) {
  size_t depth = 0, deepest = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

size_t mlirNestingDepth(StringRef text) {
  size_t depth = 0, deepest = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = std::min(text.find('\n', i), text.size());
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ')' || c == ']' || c == '}' ||
                (c == '>' && (i == 0 || text[i - 1] != '-'))) &&
               depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Error checkMLIRNesting(StringRef text, StringRef name) {
  size_t depth = mlirNestingDepth(text);
  if (depth <= kMaxMLIRNesting)
    return Error::success();
  return createStringError(
      inconvertibleErrorCode(),
      formatv("input '{0}' nests {1} levels of brackets, more than the {2} "
              "allowed",
              name, depth, kMaxMLIRNesting));
}

/// Reads standard input within the bounds of a named input and puts the
/// checked bytes back as standard input (an unlinked temporary file), where
/// MLIR's driver reads them.
static Error boundStandardInput(bool mlirText) {
  Expected<std::unique_ptr<MemoryBuffer>> buf =
      readStdin(kMaxInputFileBytes, "input");
  if (!buf)
    return buf.takeError();
  StringRef text = (*buf)->getBuffer();
  if (mlirText)
    if (Error err = checkMLIRNesting(text, "<stdin>"))
      return err;
  std::FILE *copy = std::tmpfile();
  if (!copy || std::fwrite(text.data(), 1, text.size(), copy) != text.size() ||
      std::fflush(copy) != 0 || ::dup2(fileno(copy), 0) < 0 ||
      ::lseek(0, 0, SEEK_SET) != 0) {
    std::error_code ec(errno, std::generic_category());
    if (copy)
      std::fclose(copy);
    return createStringError(ec, "cannot keep standard input: " + ec.message());
  }
  std::fclose(copy); // standard input holds the file open
  return Error::success();
}

Error checkCommandLineFiles(int argc, char **argv, bool mlirText) {
  // MLIR's drivers read standard input when no operand names an input, or
  // one is "-"; it is then read here, within the same bounds. A terminal is
  // left alone: the user types it (and --help does not wait for it).
  bool stdinInput = !::isatty(0), namedFile = false, dash = false;
  for (int i = 1; i < argc; ++i) {
    StringRef arg = argv[i];
    if (arg == "-o") {
      ++i; // the output may be /dev/null or a pipe
      continue;
    }
    if (arg == "-") {
      dash = true;
      continue;
    }
    if (arg.starts_with("-")) {
      // Options that print something and exit, without reading an input.
      if (arg.contains("help") || arg.ends_with("-version") ||
          arg.ends_with("-show-dialects") || arg.ends_with("-list-passes"))
        stdinInput = false;
      continue;
    }
    sys::fs::file_status status;
    if (sys::fs::status(arg, status)) {
      namedFile = true; // an error MLIR reports (or a separate option value)
      continue;
    }
    if (status.type() == sys::fs::file_type::directory_file)
      continue; // an option's value
    namedFile = true;
    if (status.type() != sys::fs::file_type::regular_file)
      return createStringError(inconvertibleErrorCode(),
                               "input '" + arg + "' is not a regular file");
    if (status.getSize() > kMaxInputFileBytes)
      return tooBig("input", arg, status.getSize(), kMaxInputFileBytes);
    if (!mlirText)
      continue;
    Expected<std::unique_ptr<MemoryBuffer>> buf =
        readInputFile(arg, kMaxInputFileBytes, "input");
    if (!buf)
      return buf.takeError();
    if (Error err = checkMLIRNesting((*buf)->getBuffer(), arg))
      return err;
  }
  if (stdinInput && (dash || !namedFile))
    return boundStandardInput(mlirText);
  return Error::success();
}

} // namespace wse

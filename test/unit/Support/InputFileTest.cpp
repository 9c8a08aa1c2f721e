//===- InputFileTest.cpp - Standard input within the bounds of a file -----===//
//
// Standard input is read with the bounds of a named input (docs/limits.md):
// at most a given number of bytes, and for MLIR's drivers (wse-opt,
// wse-translate) at most kMaxMLIRNesting levels of brackets, after which the
// checked bytes are standard input again. The 2 GiB bound itself is too
// large for a test; the reader is tested with small ones.
//
//===----------------------------------------------------------------------===//

#include "wse/Support/InputFile.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <string>
#include <unistd.h>

namespace {

/// Makes `text` this process's standard input for the test's lifetime.
class StdinFrom {
public:
  explicit StdinFrom(const std::string &text) : saved(::dup(0)) {
    std::FILE *f = std::tmpfile();
    std::fwrite(text.data(), 1, text.size(), f);
    std::fflush(f);
    ::dup2(fileno(f), 0);
    ::lseek(0, 0, SEEK_SET);
    std::fclose(f);
  }
  ~StdinFrom() {
    ::dup2(saved, 0);
    ::close(saved);
  }

private:
  int saved;
};

std::string readAllStdin() {
  std::string data;
  char chunk[4096];
  ssize_t n;
  while ((n = ::read(0, chunk, sizeof(chunk))) > 0)
    data.append(chunk, size_t(n));
  return data;
}

TEST(InputFile, StdinWithinBound) {
  StdinFrom in("0123456789abcdef");
  auto buf = wse::readInputFile("-", 16, "program");
  ASSERT_TRUE(bool(buf));
  EXPECT_EQ((*buf)->getBuffer(), "0123456789abcdef");
  EXPECT_EQ((*buf)->getBufferIdentifier(), "<stdin>");
}

TEST(InputFile, StdinPastBound) {
  StdinFrom in("0123456789abcdefX");
  auto buf = wse::readInputFile("-", 16, "program");
  ASSERT_FALSE(bool(buf));
  EXPECT_EQ(llvm::toString(buf.takeError()),
            "program on standard input is more than the 16 bytes allowed");
}

char tool[] = "wse-opt", dash[] = "-", helpFlag[] = "--help";

TEST(InputFile, DeepStdinRefused) {
  StdinFrom in("module attributes {a = " + std::string(600, '[') +
               std::string(600, ']') + "} {}");
  char *argv[] = {tool};
  llvm::Error err = wse::checkCommandLineFiles(1, argv, /*mlirText=*/true);
  ASSERT_TRUE(bool(err));
  EXPECT_EQ(llvm::toString(std::move(err)),
            "input '<stdin>' nests 601 levels of brackets, more than the 512 "
            "allowed");
}

TEST(InputFile, CheckedStdinIsStdinAgain) {
  std::string text = "module attributes {a = [[1]]} {}";
  StdinFrom in(text);
  char *argv[] = {tool, dash};
  ASSERT_FALSE(bool(wse::checkCommandLineFiles(2, argv, /*mlirText=*/true)));
  EXPECT_EQ(readAllStdin(), text);
}

TEST(InputFile, HelpLeavesStdinAlone) {
  std::string text = std::string(600, '[');
  StdinFrom in(text);
  char *argv[] = {tool, helpFlag};
  ASSERT_FALSE(bool(wse::checkCommandLineFiles(2, argv, /*mlirText=*/true)));
  EXPECT_EQ(readAllStdin(), text);
}

} // namespace

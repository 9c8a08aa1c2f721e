//===- FormatTest.cpp - Assembler, disassembler, binary reader ------------===//

#include "wse/Emu/BinaryFormat.h"
#include "wse/Emu/Expr.h"
#include "wse/Emu/TextFormat.h"
#include "wse/Support/Npy.h"

#include "gtest/gtest.h"

using namespace wse;
using namespace wse::emu;

static const char *kProgram = R"(version 2
machine "4x4"
param w : f32[2, 8] file "w.bin" offset 16
param mask : bool[8] file "m.bin" offset 3
input x : f32[8] range(-8, 8)
input c : bool[2, 4]
output y : f32[8]

kernel k {
  table t = [3, -1]
  const a = t[rx % 2] * (x + 1) - -2
  const b = select(a > 0, a, -a)
  buffer v[8] at 0
  buffer s[1] at 8 init 0.5
  task main entry {
    mov r0, 0
  top:
    fmac mem(v, 8), in(1, 8), mem(s, 8, 0)
    iadd r0, r0, 1
    blt r0, b, top
    rsum out(2, 1), mem(v + r0, 4, 2)
    select mem(v, 8), in(1, 8), mem(v, 8), mem(s, 8, 0)
    log out(2, 4), mem(v + 4, 4)
    activate later
  }
  task later {
    fill mem(v, 8), -1.5e-05
  }
}

place k rect(0, 0, 2, 1)

route rect(0, 0, 1, 1) color 1 : W -> E, R

stream in w offset 8 shape [8] strides [1] to W0 color 1
stream out y from E0 color 2
)";

static Program parse(llvm::StringRef text) {
  llvm::Expected<Program> p = parseProgramText(text, "t");
  if (!p) {
    ADD_FAILURE() << llvm::toString(p.takeError());
    return Program();
  }
  return std::move(*p);
}

static std::string parseError(llvm::StringRef text) {
  llvm::Expected<Program> p = parseProgramText(text, "t");
  if (p)
    return "";
  return llvm::toString(p.takeError());
}

TEST(TextFormat, CanonicalTextRoundTrips) {
  Program p = parse(kProgram);
  EXPECT_EQ(printProgramText(p), kProgram);
}

TEST(BinaryFormat, RoundTripIsExact) {
  Program p = parse(kProgram);
  std::string bin = writeProgramBinary(p);
  ASSERT_TRUE(hasBinaryMagic(bin));
  llvm::Expected<Program> back = readProgramBinary(bin, "b");
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(writeProgramBinary(*back), bin);
  EXPECT_EQ(printProgramText(*back), kProgram);
}

// Version 1 (before input ranges) still reads, and writes back as itself.
TEST(BinaryFormat, Version1StillReads) {
  Program p = parse("version 1\ninput x : f32[4]\noutput y : f32[4]\n");
  std::string bin = writeProgramBinary(p);
  llvm::Expected<Program> back = readProgramBinary(bin, "b");
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->version, 1u);
  EXPECT_EQ(writeProgramBinary(*back), bin);
  EXPECT_EQ(parseError("version 1\ninput x : i64[4] range(0, 4)\n"),
            "t:2:18: an input range needs 'version 2'");
  EXPECT_NE(parseError("version 2\ninput x : i64[4] range(4, 4)\n")
                .find("input 'x' has the empty range [4, 4)"),
            std::string::npos);
}

TEST(BinaryFormat, EveryTruncationIsRejected) {
  std::string bin = writeProgramBinary(parse(kProgram));
  for (size_t n = 0; n < bin.size(); ++n) {
    llvm::Expected<Program> p = readProgramBinary(bin.substr(0, n), "b");
    EXPECT_FALSE(bool(p)) << "accepted a file cut at " << n;
    if (!p)
      llvm::consumeError(p.takeError());
  }
}

TEST(BinaryFormat, CorruptedBytesNeverCrash) {
  std::string bin = writeProgramBinary(parse(kProgram));
  // Flip every byte to several values: the reader must either reject the
  // file or produce a program that verifies.
  for (size_t i = 8; i < bin.size(); ++i)
    for (unsigned char v : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
      std::string bad = bin;
      bad[i] = char(v);
      llvm::Expected<Program> p = readProgramBinary(bad, "b");
      if (!p)
        llvm::consumeError(p.takeError());
      else
        EXPECT_FALSE(printProgramText(*p).empty());
    }
}

// Opcodes and dtypes added later are appended: existing binaries keep their
// numbering, and numbers past the last one are rejected.
TEST(BinaryFormat, AppendedOpcodesAndDTypes) {
  EXPECT_EQ(unsigned(Opcode::Ret), 32u);
  EXPECT_EQ(unsigned(Opcode::Select), 33u);
  EXPECT_EQ(unsigned(Opcode::Log), 34u);
  EXPECT_EQ(unsigned(Opcode::Mark), 35u);
  EXPECT_EQ(kNumOpcodes, 36u);
  EXPECT_EQ(unsigned(DType::I64), 4u);
  EXPECT_EQ(unsigned(DType::Bool), 5u);

  // Two programs that differ in one byte: the opcode (log vs neg, both DS)
  // or the dtype (bool vs f32).
  auto program = [](const char *op, const char *dtype) {
    return writeProgramBinary(
        parse(std::string("version 1\nparam p : ") + dtype +
              "[4] file \"p.bin\" offset 0\nkernel k {\n  buffer b[4] at 0\n"
              "  task t entry {\n    " +
              op + " mem(b, 4), mem(b, 4)\n  }\n}\n"));
  };
  auto differingByte = [](const std::string &a, const std::string &b) {
    EXPECT_EQ(a.size(), b.size());
    size_t at = std::string::npos, n = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i)
      if (a[i] != b[i]) {
        at = i;
        ++n;
      }
    EXPECT_EQ(n, 1u);
    return at;
  };
  auto readError = [](std::string bin, size_t at, unsigned v) {
    bin[at] = char(v);
    llvm::Expected<Program> p = readProgramBinary(bin, "b");
    if (p)
      return std::string();
    return llvm::toString(p.takeError());
  };

  std::string logBin = program("log", "bool");
  size_t opAt = differingByte(logBin, program("neg", "bool"));
  ASSERT_NE(opAt, std::string::npos);
  EXPECT_EQ(uint8_t(logBin[opAt]), 34);
  // 33 decodes as select, which the verifier then refuses for its arity.
  EXPECT_NE(readError(logBin, opAt, 33).find("'select' takes 4 operands"),
            std::string::npos);
  // 35 decodes as mark (one value operand), which the verifier refuses for
  // its arity; 36 is past the last opcode.
  EXPECT_NE(readError(logBin, opAt, 35).find("'mark' takes 1 operands"),
            std::string::npos);
  EXPECT_NE(readError(logBin, opAt, 36).find("invalid opcode 36"),
            std::string::npos);
  EXPECT_NE(readError(logBin, opAt, 255).find("invalid opcode 255"),
            std::string::npos);

  size_t dtAt = differingByte(logBin, program("log", "f32"));
  ASSERT_NE(dtAt, std::string::npos);
  EXPECT_EQ(uint8_t(logBin[dtAt]), 5);
  EXPECT_EQ(readError(logBin, dtAt, 4), "");
  EXPECT_NE(readError(logBin, dtAt, 6).find("invalid dtype 6"),
            std::string::npos);
}

TEST(TextFormat, ErrorsHaveLocations) {
  EXPECT_EQ(parseError("version 1\nkernel k {\n  buffer b[4] at 0\n  task t "
                       "entry {\n    add mem(b, 4), mem(b, 4)\n  }\n}\n"),
            "t:6:3: expected ',', found '}'");
  EXPECT_EQ(parseError("version 1\nfoo\n"),
            "t:2:1: unknown statement 'foo' (expected version, machine, param, "
            "input, output, kernel, place, route or stream)");
  EXPECT_EQ(parseError("kernel k {}"), "t:1:1: a program must start with "
                                       "'version 3'");
  EXPECT_EQ(parseError("version 1\nkernel k {\n  const a = zz + 1\n}\n"),
            "t:3:13: unknown name 'zz' in expression (variables: x y rx ry pw "
            "ph mw mh, earlier constants, tables)");
  // Buffers may share words (SRAM reuse by the compiler).
  EXPECT_EQ(parseError("version 1\nkernel k {\n  buffer a[4] at 0\n  buffer "
                       "b[4] at 2\n}\n"),
            "");
  EXPECT_NE(parseError("version 1\ninput x : f32[4]\nstream in x offset 2 "
                       "shape [3] strides [1] to W0 color 1\n")
                .find("slice reaches element 4 of 'x'"),
            std::string::npos);
  EXPECT_NE(parseError("version 1\nstream in nothing to W0 color 1\n")
                .find("'nothing' is not a declared param or input"),
            std::string::npos);
  EXPECT_NE(parseError("version 1\n\"open").find("unterminated string"),
            std::string::npos);
}

TEST(Expr, EvaluatesAndPrintsMinimally) {
  Program p = parse("version 1\nkernel k {\n  table t = [5, 6, 7]\n"
                    "  const a = (x - (y - 1)) * -(2) + t[1]\n"
                    "  const b = a / 0\n}\n");
  const Kernel &k = p.kernels[0];
  EXPECT_EQ(printExpr(k.consts[0].expr, k), "(x - (y - 1)) * -(2) + t[1]");
  ExprEnv env;
  env.vars[unsigned(ExprVar::X)] = 10;
  env.vars[unsigned(ExprVar::Y)] = 4;
  env.tables = &k.tables;
  int64_t consts[2] = {0, 0};
  env.consts = consts;
  llvm::Expected<int64_t> a = evalExpr(k.consts[0].expr, env);
  ASSERT_TRUE(bool(a));
  EXPECT_EQ(*a, (10 - (4 - 1)) * -2 + 6);
  consts[0] = *a;
  llvm::Expected<int64_t> b = evalExpr(k.consts[1].expr, env);
  ASSERT_FALSE(bool(b));
  EXPECT_EQ(llvm::toString(b.takeError()), "division by zero");
}

TEST(Npy, ParsesAndRejects) {
  std::string header =
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }";
  std::string file = std::string("\x93NUMPY\x01\x00", 8);
  file += char(header.size());
  file += char(0);
  file += header;
  int32_t vals[4] = {1, -2, 3, 16777216};
  file.append(reinterpret_cast<const char *>(vals), sizeof(vals));
  llvm::Expected<HostTensor> t = parseNpy(file, "a.npy");
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->shape, (std::vector<uint64_t>{2, 2}));
  EXPECT_EQ(t->data[1], -2.0f);
  EXPECT_EQ(t->data[3], 16777216.0f);
  llvm::Expected<HostTensor> cut =
      parseNpy(file.substr(0, file.size() - 1), "a.npy");
  ASSERT_FALSE(bool(cut));
  EXPECT_NE(llvm::toString(cut.takeError()).find("data is truncated"),
            std::string::npos);
  llvm::Expected<HostTensor> bad = parseNpy("hello", "b.npy");
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("magic"), std::string::npos);
}

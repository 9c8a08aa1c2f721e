//===- SimulatorTest.cpp - Loader validation and execution ----------------===//

#include "wse/Emu/Simulator.h"
#include "wse/Emu/TextFormat.h"

#include "gtest/gtest.h"

using namespace wse;
using namespace wse::emu;

namespace {
struct RunResult {
  Program prog;
  std::string error;
  std::optional<SimResult> result;
};
} // namespace

static RunResult run(llvm::StringRef text, const char *machine = "4x4",
                     bool checkUninit = false) {
  RunResult r;
  llvm::Expected<Program> p = parseProgramText(text, "t");
  if (!p) {
    r.error = llvm::toString(p.takeError());
    return r;
  }
  r.prog = std::move(*p);
  SimOptions opts;
  opts.checkUninitialized = checkUninit;
  llvm::Expected<std::unique_ptr<Simulator>> sim =
      Simulator::create(r.prog, *machine::lookupPreset(machine), opts);
  if (!sim) {
    r.error = llvm::toString(sim.takeError());
    return r;
  }
  llvm::Expected<SimResult> res = (*sim)->run();
  if (!res) {
    r.error = llvm::toString(res.takeError());
    return r;
  }
  r.result = std::move(*res);
  return r;
}

static std::string
kernelWith(llvm::StringRef body,
           llvm::StringRef buffers = "  buffer a[16] at 0 init 1.0\n") {
  return ("version 1\nkernel k {\n" + buffers + "  task main entry {\n" + body +
          "\n  }\n}\nplace k rect(0, 0, 1, 1)\n")
      .str();
}

TEST(Simulator, MemoryOnlyTiming) {
  // Task switch 2, then one vector op of 16 elements on 2 lanes: 1 + 8.
  RunResult r = run(kernelWith("    add mem(a, 16), mem(a, 16), mem(a, 16)"));
  ASSERT_TRUE(r.result) << r.error;
  EXPECT_EQ(r.result->stats.cycles, 2u + 1 + 8);
  EXPECT_EQ(r.result->stats.totalFlops(), 16u);
  EXPECT_EQ(r.result->stats.pes[0].busy, 11u);
}

TEST(Simulator, ScalarLoopTiming) {
  // mov, then 5 x (iadd + blt): 1 + 10 instructions after the switch.
  RunResult r = run(
      kernelWith("    mov r0, 0\n  l:\n    iadd r0, r0, 1\n    blt r0, 5, l"));
  ASSERT_TRUE(r.result) << r.error;
  EXPECT_EQ(r.result->stats.cycles, 2u + 11);
}

TEST(Simulator, DescriptorBounds) {
  RunResult r = run(kernelWith("    copy mem(a + 10, 8), mem(a, 8)"));
  EXPECT_NE(r.error.find("outside buffer 'a' [0, 16)"), std::string::npos)
      << r.error;
  r = run(kernelWith("    copy mem(-1, 2), mem(a, 2)"));
  EXPECT_NE(r.error.find("outside the SRAM of 12288 words"), std::string::npos)
      << r.error;
  r = run(kernelWith("    copy mem(a, 4, -1), mem(a, 4)"));
  EXPECT_NE(r.error.find("covers words [-3, 0]"), std::string::npos) << r.error;
  r = run(kernelWith("    copy mem(a, 4, 4), mem(a, 4)"));
  EXPECT_TRUE(r.result) << r.error;
  r = run(kernelWith("    copy mem(a, 5, 4), mem(a, 5)"));
  EXPECT_NE(r.error.find("outside buffer"), std::string::npos) << r.error;
  r = run(kernelWith("    mov r1, 100000\n    fill mem(a, r1), 0.0"));
  EXPECT_NE(r.error.find("covers words [0, 99999], outside the SRAM"),
            std::string::npos)
      << r.error;
}

TEST(Simulator, UninitializedReads) {
  std::string prog =
      kernelWith("    copy mem(b, 4), mem(b + 4, 4)", "  buffer b[8] at 0\n");
  RunResult r = run(prog, "4x4", /*checkUninit=*/true);
  EXPECT_NE(r.error.find("reads word 4 (buffer 'b' element 4) before anything "
                         "wrote it"),
            std::string::npos)
      << r.error;
  EXPECT_TRUE(run(prog).result);
}

TEST(Simulator, FabricErrors) {
  RunResult r = run(kernelWith("    copy mem(a, 4), in(3, 4)"));
  EXPECT_NE(r.error.find("reads color 3, but no route delivers color 3"),
            std::string::npos)
      << r.error;
  r = run(kernelWith("    copy out(30, 4), mem(a, 4)"));
  EXPECT_NE(r.error.find("uses color 30"), std::string::npos) << r.error;
}

TEST(Simulator, PlacementAndSram) {
  RunResult r = run(kernelWith("    ret", "  buffer a[16] at 0\n") +
                    "place k rect(3, 3, 2, 1)\n");
  EXPECT_NE(r.error.find("leaves the 4x4 mesh"), std::string::npos) << r.error;
  r = run(kernelWith("    ret", "  buffer a[12287] at 0\n"));
  EXPECT_NE(r.error.find("buffer 'a' occupies words [0, 12287)"),
            std::string::npos)
      << r.error;
}

TEST(Simulator, InfiniteLoopHitsCycleLimit) {
  RunResult r;
  llvm::Expected<Program> p =
      parseProgramText(kernelWith("  l:\n    br l"), "t");
  ASSERT_TRUE(bool(p));
  SimOptions opts;
  opts.maxCycles = 100000;
  auto sim = Simulator::create(*p, *machine::lookupPreset("4x4"), opts);
  ASSERT_TRUE(bool(sim));
  llvm::Expected<SimResult> res = (*sim)->run();
  ASSERT_FALSE(bool(res));
  EXPECT_NE(llvm::toString(res.takeError()).find("cycle limit of 100000"),
            std::string::npos);
}

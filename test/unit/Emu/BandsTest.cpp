//===- BandsTest.cpp - Cutting the mesh into bands of rows ----------------===//

#include "wse/Emu/Bands.h"
#include "ColumnProgram.h"
#include "wse/Emu/Simulator.h"
#include "wse/Emu/TextFormat.h"

#include "gtest/gtest.h"

using namespace wse;
using namespace wse::emu;

TEST(Bands, OneBandIsTheMesh) {
  EXPECT_EQ(partitionRows({3, 1, 4}, 1), (std::vector<uint32_t>{0, 3}));
}

TEST(Bands, EvenRowsSplitEvenly) {
  std::vector<uint64_t> rows(32, 64);
  EXPECT_EQ(partitionRows(rows, 2), (std::vector<uint32_t>{0, 16, 32}));
  EXPECT_EQ(partitionRows(rows, 4), (std::vector<uint32_t>{0, 8, 16, 24, 32}));
  // 32 rows in 3: cuts nearest 32/3 and 64/3.
  EXPECT_EQ(partitionRows(rows, 3), (std::vector<uint32_t>{0, 11, 21, 32}));
}

TEST(Bands, CutsFollowTheWeight) {
  // The busy rows are 0-3: the first band is short.
  std::vector<uint64_t> rows = {10, 10, 10, 10, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(partitionRows(rows, 2), (std::vector<uint32_t>{0, 2, 12}));
}

TEST(Bands, EveryBandHasARow) {
  // All the weight in the last row: the other bands still get a row each.
  std::vector<uint64_t> rows = {0, 0, 0, 0, 100};
  EXPECT_EQ(partitionRows(rows, 3), (std::vector<uint32_t>{0, 1, 2, 5}));
  // As many bands as rows.
  EXPECT_EQ(partitionRows(rows, 5), (std::vector<uint32_t>{0, 1, 2, 3, 4, 5}));
  // All the weight in the first row.
  EXPECT_EQ(partitionRows({100, 0, 0, 0}, 2), (std::vector<uint32_t>{0, 1, 4}));
}

TEST(Bands, EmptyMeshSplitsByRows) {
  std::vector<uint64_t> rows(6, 0);
  EXPECT_EQ(partitionRows(rows, 3), (std::vector<uint32_t>{0, 2, 4, 6}));
}

TEST(Bands, BandsAreContiguousAndCover) {
  for (unsigned rows = 1; rows <= 20; ++rows)
    for (unsigned bands = 1; bands <= rows; ++bands) {
      std::vector<uint64_t> w(rows);
      for (unsigned r = 0; r < rows; ++r)
        w[r] = (r * 7919) % 13;
      std::vector<uint32_t> s = partitionRows(w, bands);
      ASSERT_EQ(s.size(), bands + 1u);
      EXPECT_EQ(s.front(), 0u);
      EXPECT_EQ(s.back(), rows);
      for (unsigned b = 0; b < bands; ++b)
        EXPECT_LT(s[b], s[b + 1]) << rows << " rows, " << bands << " bands";
    }
}

static llvm::Expected<SimResult> runColumn(unsigned threads) {
  llvm::Expected<Program> p = parseProgramText(kColumn, "column");
  if (!p)
    return p.takeError();
  SimOptions opts;
  opts.threads = threads;
  auto sim = Simulator::create(*p, *machine::lookupPreset("4x4"), opts);
  if (!sim)
    return sim.takeError();
  return (*sim)->run();
}

TEST(Bands, SameRunForEveryThreadCount) {
  llvm::Expected<SimResult> one = runColumn(1);
  ASSERT_TRUE(bool(one)) << llvm::toString(one.takeError());
  EXPECT_GT(one->stats.routerBlockedEvents, 0u);
  for (unsigned threads = 2; threads <= 4; ++threads) {
    llvm::Expected<SimResult> r = runColumn(threads);
    ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
    const RunStats &a = one->stats, &b = r->stats;
    EXPECT_EQ(a.cycles, b.cycles) << threads;
    EXPECT_EQ(a.routerBlockedEvents, b.routerBlockedEvents) << threads;
    ASSERT_EQ(a.pes.size(), b.pes.size());
    for (size_t i = 0; i < a.pes.size(); ++i) {
      EXPECT_EQ(a.pes[i].busy, b.pes[i].busy) << threads;
      EXPECT_EQ(a.pes[i].stalled, b.pes[i].stalled) << threads;
    }
    ASSERT_EQ(a.links.size(), b.links.size());
    for (size_t i = 0; i < a.links.size(); ++i)
      EXPECT_EQ(a.links[i].wavelets, b.links[i].wavelets) << threads;
  }
}

TEST(Bands, ThreadCountOutsideTheRows) {
  for (unsigned threads : {0u, 5u}) {
    llvm::Expected<SimResult> r = runColumn(threads);
    ASSERT_FALSE(bool(r));
    EXPECT_NE(llvm::toString(r.takeError())
                  .find("expected 1 to 4, the rows of the 4x4 mesh"),
              std::string::npos);
  }
}

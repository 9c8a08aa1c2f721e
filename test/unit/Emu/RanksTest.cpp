//===- RanksTest.cpp - Ranks in one process, over threads -----------------===//
//
// The distributed run (Distributed.cpp) talks to other ranks only through
// wse::emu::Ranks, so these tests run N ranks as N threads with mailboxes:
// they check the rank logic in every build, with or without MPI.
//
//===----------------------------------------------------------------------===//

#include "wse/Emu/Ranks.h"
#include "ColumnProgram.h"
#include "wse/Emu/Simulator.h"
#include "wse/Emu/TextFormat.h"

#include "gtest/gtest.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

using namespace wse;
using namespace wse::emu;

namespace {
/// FIFO mailboxes between every pair of ranks. Every rank makes the same
/// calls in the same order, so a pair's messages match in order.
class Mailboxes {
public:
  explicit Mailboxes(unsigned n) : n(n), boxes(n * n) {}
  void send(unsigned from, unsigned to, Bytes b) {
    std::lock_guard<std::mutex> lock(mutex);
    boxes[from * n + to].push_back(std::move(b));
    cv.notify_all();
  }
  Bytes recv(unsigned from, unsigned to) {
    std::unique_lock<std::mutex> lock(mutex);
    std::deque<Bytes> &box = boxes[from * n + to];
    cv.wait(lock, [&] { return !box.empty(); });
    Bytes b = std::move(box.front());
    box.pop_front();
    return b;
  }
  const unsigned n;

private:
  std::vector<std::deque<Bytes>> boxes;
  std::mutex mutex;
  std::condition_variable cv;
};

class ThreadRanks final : public Ranks {
public:
  ThreadRanks(Mailboxes &m, unsigned me) : m(m), me(me) {}
  unsigned rank() const override { return me; }
  unsigned size() const override { return m.n; }
  void exchange(llvm::ArrayRef<unsigned> peers, llvm::ArrayRef<Bytes> out,
                llvm::MutableArrayRef<Bytes> in,
                llvm::MutableArrayRef<uint64_t> min) override {
    for (size_t i = 0; i < peers.size(); ++i)
      m.send(me, peers[i], out[i]);
    for (size_t i = 0; i < peers.size(); ++i) {
      Bytes b = m.recv(peers[i], me);
      // The caller sizes in[i] to the longest message the peer may send.
      EXPECT_LE(b.size(), in[i].size());
      in[i] = std::move(b);
    }
    if (!min.empty())
      minAll(min);
  }
  void minAll(llvm::MutableArrayRef<uint64_t> v) override {
    Bytes mine(reinterpret_cast<char *>(v.data()),
               reinterpret_cast<char *>(v.data() + v.size()));
    if (me != 0) {
      m.send(me, 0, mine);
      Bytes all = m.recv(0, me);
      std::memcpy(v.data(), all.data(), all.size());
      return;
    }
    for (unsigned r = 1; r < m.n; ++r) {
      Bytes b = m.recv(r, 0);
      const uint64_t *o = reinterpret_cast<const uint64_t *>(b.data());
      for (size_t i = 0; i < v.size(); ++i)
        v[i] = std::min(v[i], o[i]);
    }
    Bytes all(reinterpret_cast<char *>(v.data()),
              reinterpret_cast<char *>(v.data() + v.size()));
    for (unsigned r = 1; r < m.n; ++r)
      m.send(0, r, all);
  }
  void broadcast(Bytes &bytes, unsigned root) override {
    if (me != root) {
      bytes = m.recv(root, me);
      return;
    }
    for (unsigned r = 0; r < m.n; ++r)
      if (r != root)
        m.send(root, r, bytes);
  }
  void gather(const Bytes &mine, std::vector<Bytes> &all) override {
    if (me != 0) {
      m.send(me, 0, mine);
      return;
    }
    all.assign(m.n, Bytes());
    all[0] = mine;
    for (unsigned r = 1; r < m.n; ++r)
      all[r] = m.recv(r, 0);
  }

private:
  Mailboxes &m;
  unsigned me;
};

// Wavelets cross every rank edge both ways: the column multicast of the
// band tests (south, with back-pressure), and each receiver's sum sent back
// north along column 1 and out of port E0.
std::string rankProgram() {
  std::string s = kColumn;
  auto insertAfter = [&](const char *at, const char *text) {
    size_t i = s.find(at);
    EXPECT_NE(i, std::string::npos) << at;
    s.insert(i + strlen(at), text);
  };
  insertAfter("version 1\n", "output total : f32[3]\n");
  insertAfter("copy mem(a, 64), in(1, 64)\n",
              "    rsum out(2, 1), mem(a, 64)\n");
  s += R"(route rect(0, 1, 1, 3) color 2 : R -> E
route rect(1, 1, 1, 3) color 2 : W -> N
route rect(1, 1, 1, 2) color 2 : S -> N
route rect(1, 0, 1, 1) color 2 : S -> E
route rect(2, 0, 2, 1) color 2 : W -> E
stream out total from E0 color 2
)";
  return s;
}

llvm::Expected<SimResult> runOnce(const Program &p, Ranks *ranks) {
  SimOptions opts;
  opts.trace = true;
  opts.ranks = ranks;
  auto sim = Simulator::create(p, *machine::lookupPreset("4x4"), opts);
  if (!sim)
    return sim.takeError();
  return (*sim)->run();
}

/// Rank 0's result of a run on `n` ranks, or the error every rank got.
llvm::Expected<SimResult> runOnRanks(const Program &p, unsigned n) {
  Mailboxes boxes(n);
  std::vector<std::string> errors(n);
  std::optional<SimResult> first;
  std::vector<std::thread> threads;
  for (unsigned r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      ThreadRanks ranks(boxes, r);
      llvm::Expected<SimResult> res = runOnce(p, &ranks);
      if (!res)
        errors[r] = llvm::toString(res.takeError());
      else if (r == 0)
        first = std::move(*res);
    });
  for (std::thread &t : threads)
    t.join();
  for (unsigned r = 1; r < n; ++r)
    EXPECT_EQ(errors[r], errors[0]) << "rank " << r;
  if (!errors[0].empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), errors[0]);
  return std::move(*first);
}
} // namespace

TEST(Ranks, SameRunForEveryRankCount) {
  llvm::Expected<Program> p = parseProgramText(rankProgram(), "ranks");
  ASSERT_TRUE(bool(p)) << llvm::toString(p.takeError());
  llvm::Expected<SimResult> one = runOnce(*p, nullptr);
  ASSERT_TRUE(bool(one)) << llvm::toString(one.takeError());
  EXPECT_GT(one->stats.routerBlockedEvents, 0u);
  EXPECT_EQ(one->outputs["total"].data, (std::vector<float>{32, 32, 32}));
  for (unsigned n = 2; n <= 4; ++n) {
    llvm::Expected<SimResult> r = runOnRanks(*p, n);
    ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
    const RunStats &a = one->stats, &b = r->stats;
    EXPECT_EQ(a.cycles, b.cycles) << n;
    EXPECT_EQ(a.routerBlockedEvents, b.routerBlockedEvents) << n;
    EXPECT_EQ(a.totalFlops(), b.totalFlops()) << n;
    ASSERT_EQ(a.pes.size(), b.pes.size());
    for (size_t i = 0; i < a.pes.size(); ++i) {
      EXPECT_EQ(a.pes[i].busy, b.pes[i].busy) << n;
      EXPECT_EQ(a.pes[i].stalled, b.pes[i].stalled) << n;
      EXPECT_EQ(a.pes[i].tasks, b.pes[i].tasks) << n;
    }
    ASSERT_EQ(a.links.size(), b.links.size());
    for (size_t i = 0; i < a.links.size(); ++i)
      EXPECT_EQ(a.links[i].wavelets, b.links[i].wavelets) << n;
    ASSERT_EQ(a.ports.size(), b.ports.size());
    for (size_t i = 0; i < a.ports.size(); ++i)
      EXPECT_EQ(a.ports[i].outWavelets, b.ports[i].outWavelets) << n;
    EXPECT_EQ(one->outputs["total"].data, r->outputs["total"].data) << n;
    EXPECT_EQ(one->trace.events.size(), r->trace.events.size()) << n;
  }
}

TEST(Ranks, ErrorsAreTheSameOnEveryRank) {
  // Every PE fails in the same cycle: the message names the first placed,
  // in whichever rank's band it is.
  llvm::Expected<Program> p = parseProgramText(R"(version 1
kernel k {
  buffer a[16] at 0 init 1.0
  task main entry {
    copy mem(a + 12280, 16), mem(a, 16)
  }
}
place k rect(0, 2, 4, 2)
place k rect(0, 0, 4, 2)
)",
                                               "fail");
  ASSERT_TRUE(bool(p)) << llvm::toString(p.takeError());
  llvm::Expected<SimResult> one = runOnce(*p, nullptr);
  ASSERT_FALSE(bool(one));
  std::string want = llvm::toString(one.takeError());
  EXPECT_NE(want.find("PE (0,2)"), std::string::npos) << want;
  for (unsigned n = 2; n <= 4; ++n) {
    llvm::Expected<SimResult> r = runOnRanks(*p, n);
    ASSERT_FALSE(bool(r));
    EXPECT_EQ(llvm::toString(r.takeError()), want) << n;
  }
}

//===- Bands.cpp - Bands of rows stepped in parallel, cycle by cycle ------===//
//
// Exactness: every band steps the same global cycle; between cycles, at a
// barrier, one thread delivers the wavelets sent across band edges, tells
// senders how full those queues now are, and decides the next cycle from
// all bands (the same idle-skipping rule as one band). A band never needs
// its neighbours' state of the current cycle: a wavelet pushed in cycle t
// is visible at t + hop_latency >= t + 1, and a slot freed in cycle t is
// usable from t + 1 (docs/emulator/fidelity.md). So the outcome is that of
// one thread. The lookahead is one cycle: credits return in one cycle
// whatever the link latency, so bands meet every simulated cycle.
//
//===----------------------------------------------------------------------===//

#include "wse/Emu/Bands.h"
#include "Band.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace llvm;

namespace wse::emu {

std::vector<uint32_t> partitionRows(ArrayRef<uint64_t> rowWeights,
                                    unsigned bands) {
  uint32_t rows = rowWeights.size();
  std::vector<uint64_t> above(rows + 1, 0);
  for (uint32_t r = 0; r < rows; ++r)
    above[r + 1] = above[r] + rowWeights[r];
  if (above[rows] == 0)
    for (uint32_t r = 0; r <= rows; ++r)
      above[r] = r;
  uint64_t total = above[rows];
  std::vector<uint32_t> starts = {0};
  for (unsigned b = 1; b < bands; ++b) {
    // Each band keeps at least one row, and leaves one to each band after.
    uint32_t lo = starts.back() + 1, hi = rows - (bands - b);
    uint64_t target = total * b;
    auto miss = [&](uint32_t r) {
      uint64_t got = above[r] * bands;
      return got > target ? got - target : target - got;
    };
    uint32_t best = lo;
    for (uint32_t r = lo + 1; r <= hi; ++r)
      if (miss(r) < miss(best))
        best = r;
    starts.push_back(best);
  }
  starts.push_back(rows);
  return starts;
}

uint32_t SimulatorImpl::bandOfRow(uint32_t y) const {
  return std::upper_bound(bandRows.begin(), bandRows.end(), y) -
         bandRows.begin() - 1;
}

Error SimulatorImpl::makeBands() {
  if (opts.threads < 1 || opts.threads > mach.height)
    return createStringError(
        inconvertibleErrorCode(),
        formatv("--threads {0}: expected 1 to {1}, the rows of the {2}x{1} "
                "mesh (a thread simulates a band of whole rows)",
                opts.threads, mach.height, mach.width));
  unsigned count = opts.threads;
  if (opts.ranks) {
    count = opts.ranks->size();
    if (opts.threads != 1)
      return createStringError(inconvertibleErrorCode(),
                               "--threads with MPI ranks: each rank simulates "
                               "one band in one thread (pass --threads 1)");
    if (count > mach.height)
      return createStringError(
          inconvertibleErrorCode(),
          formatv("{0} MPI ranks: expected 1 to {1}, the rows of the {2}x{1} "
                  "mesh (a rank simulates a band of whole rows)",
                  count, mach.height, mach.width));
  }
  // A row costs about what its routers and cores cost.
  std::vector<uint64_t> weight(mach.height, 0);
  for (const PEInfo &pe : pes)
    weight[pe.y] += 1 + (pe.core >= 0);
  bandRows = partitionRows(weight, count);
  for (uint32_t q = 0; q < queues.size(); ++q) {
    Queue &Q = queues[q];
    if (Q.owner != Queue::RouterIn || (Q.dir != North && Q.dir != South))
      continue;
    uint32_t y = pes[Q.ownerIndex].y;
    if ((Q.dir == North && y == 0) || (Q.dir == South && y + 1 >= mach.height))
      continue;
    uint32_t from = Q.dir == North ? y - 1 : y + 1;
    if (bandOfRow(from) == bandOfRow(y))
      continue;
    Q.remote = true;
    Q.remoteIndex = links.size();
    links.push_back({q, bandOfRow(y), bandOfRow(from)});
  }
  remoteCount.assign(links.size(), 0);
  for (size_t b = 0; b + 1 < bandRows.size(); ++b)
    bands.push_back(
        std::make_unique<Band>(*this, bandRows[b], bandRows[b + 1]));
  return Error::success();
}

void SimulatorImpl::exchange() {
  for (std::unique_ptr<Band> &b : bands) {
    for (const RemotePush &p : b->outbox)
      bands[links[queues[p.queue].remoteIndex].owner]->receive(p, now);
    b->outbox.clear();
  }
  for (size_t i = 0; i < links.size(); ++i)
    remoteCount[i] = queues[links[i].queue].count;
}

SimulatorImpl::Vote SimulatorImpl::localVote() const {
  // With ranks, the other ranks' bands are idle here: their votes are theirs.
  Vote v{1, UINT64_MAX, UINT64_MAX};
  for (const std::unique_ptr<Band> &b : bands) {
    v.errorRank = std::min(v.errorRank, b->errorRank);
    if (b->busy())
      v.idle = 0;
    v.due = std::min(v.due, b->nextDue());
  }
  return v;
}

bool SimulatorImpl::advance(Vote v) {
  if (v.errorRank != UINT64_MAX) {
    runError = errorOfRank(v.errorRank);
    return false;
  }
  if (!v.idle) {
    ++now;
  } else {
    if (v.due == UINT64_MAX)
      return false;
    now = std::max(v.due, now + 1);
  }
  if (now > opts.maxCycles) {
    runError = formatv("exceeded the cycle limit of {0} (raise --max-cycles "
                       "if the program is just long)",
                       opts.maxCycles);
    return false;
  }
  for (std::unique_ptr<Band> &b : bands)
    b->now = now;
  if (opts.progress && (++iterations & 0xffff) == 0) {
    Clock::time_point t = Clock::now();
    if (t - lastReport > std::chrono::milliseconds(500)) {
      lastReport = t;
      double secs = std::chrono::duration<double>(t - wallStart).count();
      errs() << formatv("\rwse-emu: cycle {0} ({1:F1} Mcycles/s)   ", now,
                        now / secs / 1e6);
      printedProgress = true;
    }
  }
  return true;
}

namespace {
/// All bands meet here after every cycle; the last to arrive runs the
/// exchange and the decision alone. Waiters spin a little, then yield, then
/// sleep: bands usually arrive microseconds apart, but on a loaded machine a
/// thread can lose its core for a whole time slice, and spinning through
/// that would keep the core from the thread everyone waits for (measured on
/// 2 cores at load 5: pure spinning doubled the time per cycle, yielding
/// after 64 pauses was the best of the variants tried).
class CycleBarrier {
public:
  explicit CycleBarrier(unsigned n) : n(n) {}

  template <typename F> void wait(F &&last) {
    uint64_t gen = generation.load(std::memory_order_acquire);
    if (arrived.fetch_add(1, std::memory_order_acq_rel) + 1 == n) {
      last();
      arrived.store(0, std::memory_order_relaxed);
      bool wake;
      {
        std::lock_guard<std::mutex> lock(mutex);
        generation.store(gen + 1, std::memory_order_release);
        wake = sleepers != 0;
      }
      if (wake)
        cv.notify_all();
      return;
    }
    for (unsigned i = 0; i < kSpins + kYields; ++i) {
      if (generation.load(std::memory_order_acquire) != gen)
        return;
      if (i >= kSpins)
        std::this_thread::yield();
#if defined(__x86_64__) || defined(__i386__)
      else
        __builtin_ia32_pause();
#endif
    }
    std::unique_lock<std::mutex> lock(mutex);
    ++sleepers;
    cv.wait(lock,
            [&] { return generation.load(std::memory_order_acquire) != gen; });
    --sleepers;
  }

private:
  static constexpr unsigned kSpins = 64, kYields = 1000;
  const unsigned n;
  std::atomic<unsigned> arrived{0};
  std::atomic<uint64_t> generation{0};
  std::mutex mutex;
  std::condition_variable cv;
  unsigned sleepers = 0;
};
} // namespace

Error SimulatorImpl::simulate() {
  now = 0;
  if (opts.ranks) {
    Band &b = *bands[opts.ranks->rank()];
    b.start();
    do
      b.stepCycle();
    while (advance(exchangeRanks()));
  } else if (bands.size() == 1) {
    bands[0]->start();
    Band &b = *bands[0];
    do
      b.stepCycle();
    while (advance(localVote()));
  } else {
    for (std::unique_ptr<Band> &b : bands)
      b->start();
    CycleBarrier barrier(bands.size());
    bool more = true;
    auto loop = [&](Band &b) {
      do {
        b.stepCycle();
        barrier.wait([&] {
          exchange();
          more = advance(localVote());
        });
      } while (more);
    };
    std::vector<std::thread> threads;
    for (size_t i = 1; i < bands.size(); ++i)
      threads.emplace_back(loop, std::ref(*bands[i]));
    loop(*bands[0]);
    for (std::thread &t : threads)
      t.join();
  }
  if (printedProgress)
    errs() << "\r" << std::string(60, ' ') << "\r";
  if (!runError.empty())
    return createStringError(inconvertibleErrorCode(), runError);
  return Error::success();
}

} // namespace wse::emu

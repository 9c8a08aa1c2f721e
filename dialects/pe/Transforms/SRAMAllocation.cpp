//===- SRAMAllocation.cpp - Word addresses for a kernel's buffers ---------===//

#include "dialects/pe/Transforms/SRAMAllocation.h"
#include "dialects/pe/IR/CodeLayout.h"
#include <random>

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace wse::pe;

namespace {

struct Buf {
  BufferOp op;
  uint64_t size = 0;
  /// Live range in kernel-wide positions (tasks laid out one after another),
  /// inclusive; `whole` = the whole program.
  int64_t first = INT64_MAX, last = INT64_MIN;
  bool whole = false;
  int task = -1; ///< the only task referencing it, or -2 for several
  bool placed = false;
  uint64_t address = 0;
};

/// The most words live at once and the first position where they are:
/// a lower bound on any placement's high-water mark.
std::pair<uint64_t, int64_t> busiestPoint(ArrayRef<Buf> bufs) {
  uint64_t peak = 0;
  int64_t peakAt = 0;
  for (const Buf &p : bufs) {
    if (p.whole || p.first > p.last)
      continue;
    uint64_t live = 0;
    for (const Buf &b : bufs)
      if (b.whole || (b.first <= p.first && p.first <= b.last))
        live += b.size;
    if (live > peak) {
      peak = live;
      peakAt = p.first;
    }
  }
  return {peak, peakAt};
}

} // namespace

SRAMAllocation wse::pe::allocateSRAM(KernelOp kernel,
                                     const wse::machine::MachineDescription &m,
                                     bool reuse, bool assign) {
  SRAMAllocation result;
  Block &body = kernel.getBody().front();
  SmallVector<Buf> bufs;
  llvm::StringMap<unsigned> byName;
  for (BufferOp b : body.getOps<BufferOp>()) {
    byName[b.getSymName()] = bufs.size();
    Buf buf;
    buf.op = b;
    buf.size = b.getSize();
    buf.whole = !reuse || b.getInit().has_value();
    if (b.getAddress()) {
      buf.placed = true;
      buf.address = *b.getAddress();
    }
    bufs.push_back(buf);
  }

  // The code as the emulator will hold it: its size takes SRAM, and its
  // back edges are the loops buffers live through.
  SmallVector<TaskOp> tasks(body.getOps<TaskOp>());
  std::vector<FlatTask> flats;
  // Tasks that `activate` may run again (their entry runs are not the
  // only ones).
  llvm::DenseSet<StringRef> activated;
  uint64_t numInstr = 0;
  for (TaskOp t : tasks) {
    flats.push_back(layOutTask(t));
    numInstr += flats.back().code.size();
    t.walk([&](ActivateOp a) { activated.insert(a.getTask()); });
  }

  // Live ranges, over kernel-wide positions; `origins` maps them back to
  // the ops the instructions come from.
  std::vector<Operation *> origins;
  int64_t base = 0;
  int taskNo = 0;
  for (auto [t, flat] : llvm::zip(tasks, flats)) {
    bool entryOnce = t.getTrigger() == TaskTrigger::entry &&
                     !activated.count(t.getSymName());
    llvm::StringMap<int64_t> labelPos;
    for (const FlatLabel &l : flat.labels)
      labelPos[l.name] = base + l.pc;
    // A back edge of a loop over layers repeats code whose buffers are
    // written before they are read in every iteration: only buffers also
    // used outside it live across its iterations. A subroutine's return
    // (a branch back to its call site) is not a loop.
    SmallVector<std::pair<int64_t, int64_t>> loops, layerLoops;
    for (auto [pc, in] : llvm::enumerate(flat.code)) {
      int64_t pos = base + int64_t(pc);
      origins.resize(pos + 1, nullptr);
      origins[pos] = in.origin;
      if (in.role == FlatInstr::Role::LoopBack ||
          in.role == FlatInstr::Role::LayerLoopBack)
        for (Attribute a : in.operands)
          if (auto sym = dyn_cast<FlatSymbolRefAttr>(a)) {
            auto it = labelPos.find(sym.getValue());
            if (it != labelPos.end() && it->second <= pos)
              (in.role == FlatInstr::Role::LayerLoopBack ? layerLoops : loops)
                  .push_back({it->second, pos});
          }
      for (Attribute a : in.operands) {
        auto touch = [&](FlatSymbolRefAttr sym) {
          auto it = byName.find(sym.getValue());
          if (it == byName.end())
            return;
          Buf &b = bufs[it->second];
          b.first = std::min(b.first, pos);
          b.last = std::max(b.last, pos);
          b.task = (b.task == -1 || b.task == taskNo) ? taskNo : -2;
          b.whole |= !entryOnce || b.task == -2;
        };
        if (auto mem = dyn_cast<MemAttr>(a))
          touch(mem.getBuffer());
        forEachValue(a, [&](Attribute v, bool) {
          if (auto addr = dyn_cast<AddrAttr>(v))
            touch(addr.getBuffer());
        });
      }
    }
    // Extend ranges over every loop they touch, to a fixpoint.
    for (Buf &b : bufs) {
      if (b.whole || b.task != taskNo)
        continue;
      bool changed = true;
      while (changed) {
        changed = false;
        auto widen = [&](int64_t l, int64_t e) {
          b.first = std::min(b.first, l);
          b.last = std::max(b.last, e);
          changed = true;
        };
        for (auto [l, e] : loops)
          if (l <= b.last && b.first <= e && (l < b.first || e > b.last))
            widen(l, e);
        for (auto [l, e] : layerLoops)
          if (l <= b.last && b.first <= e && (b.first < l || b.last > e) &&
              (l < b.first || e > b.last))
            widen(l, e);
      }
    }
    base += int64_t(flat.code.size()) + 1;
    ++taskNo;
  }
  for (Buf &b : bufs)
    if (b.first > b.last) // never referenced: keep it apart
      b.whole = true;

  auto conflict = [&](const Buf &a, const Buf &b) {
    if (a.whole || b.whole)
      return true;
    return a.first <= b.last && b.first <= a.last;
  };

  uint64_t codeWords = (numInstr * m.codeBytesPerInstr + 3) / 4;
  uint64_t freeWords =
      codeWords >= m.sramWords() ? 0 : m.sramWords() - codeWords;
  result.instructions = numInstr;
  result.codeWords = codeWords;
  result.freeWords = freeWords;
  result.buffers = bufs.size();
  for (const Buf &b : bufs)
    result.bufferWords += b.size;
  auto [peak, peakAt] = busiestPoint(bufs);
  result.peakLive = peak;
  result.peakAt = peakAt;
  if (peakAt >= 0 && size_t(peakAt) < origins.size())
    result.peakOrigin = origins[peakAt];
  for (const Buf &b : bufs)
    if (b.whole || (b.first <= peakAt && peakAt <= b.last))
      result.peakBuffers.push_back(b.op);
  llvm::stable_sort(result.peakBuffers, [](BufferOp a, BufferOp b) {
    return a.getSize() > b.getSize();
  });
  for (Buf &b : bufs)
    if (b.placed && b.address + b.size > freeWords) {
      result.failed = b.op;
      result.failedFixed = true;
      return result;
    }

  // First fit in one of several orders; the first order that fits wins.
  // Longest-lived first puts buffers that live through most of the program
  // at low addresses once, and short-lived ones pack above them; in order
  // of first use is the classic interval heuristic; by size, large
  // buffers first. None is best on every program (fragmentation), so all
  // are tried.
  SmallVector<unsigned> pending;
  for (unsigned i = 0; i < bufs.size(); ++i)
    if (!bufs[i].placed)
      pending.push_back(i);
  auto lifetime = [&](const Buf &b) {
    return b.whole ? INT64_MAX : b.last - b.first;
  };
  auto start = [&](const Buf &b) { return b.whole ? INT64_MIN : b.first; };
  using Less = std::function<bool(unsigned, unsigned)>;
  SmallVector<Less> orders = {
      [&](unsigned a, unsigned b) {
        if (lifetime(bufs[a]) != lifetime(bufs[b]))
          return lifetime(bufs[a]) > lifetime(bufs[b]);
        return bufs[a].size > bufs[b].size;
      },
      [&](unsigned a, unsigned b) {
        if (start(bufs[a]) != start(bufs[b]))
          return start(bufs[a]) < start(bufs[b]);
        return bufs[a].size > bufs[b].size;
      },
      [&](unsigned a, unsigned b) { return bufs[a].size > bufs[b].size; }};
  // Last resort: long-lived buffers from the top of the free area down,
  // the rest in order of first use from the bottom, so the two kinds do
  // not fragment each other.
  int64_t span = 1;
  for (const Buf &b : bufs)
    if (!b.whole && b.first <= b.last)
      span = std::max(span, b.last);
  auto longLived = [&](const Buf &b) { return lifetime(b) > span / 4; };
  orders.push_back([&](unsigned a, unsigned b) {
    bool la = longLived(bufs[a]), lb = longLived(bufs[b]);
    if (la != lb)
      return la;
    if (la)
      return lifetime(bufs[a]) > lifetime(bufs[b]);
    return start(bufs[a]) < start(bufs[b]);
  });
  // Then 256 orders perturbed from the first one (a fixed seed, so the result
  // is deterministic): swapping neighbours of similar lifetime often
  // closes the gaps a greedy order leaves.
  SmallVector<std::vector<unsigned>> shuffled;
  {
    std::vector<unsigned> base(pending.begin(), pending.end());
    llvm::stable_sort(base, orders.front());
    std::mt19937 rng(12345);
    for (int round = 0; round < 256; ++round) {
      std::vector<unsigned> o = base;
      for (size_t i = 0; i + 1 < o.size(); ++i)
        if (rng() % 3 == 0)
          std::swap(o[i],
                    o[i + 1 + rng() % std::min<size_t>(4, o.size() - i - 1)]);
      shuffled.push_back(std::move(o));
    }
  }
  size_t twoSided = orders.size() - 1;
  SmallVector<DenseMap<unsigned, unsigned>> ranks(shuffled.size());
  for (auto [o, rank] : llvm::zip(shuffled, ranks)) {
    for (auto [i, b] : llvm::enumerate(o))
      rank[b] = i;
    orders.push_back([&rank = rank](unsigned a, unsigned b) {
      return rank.lookup(a) < rank.lookup(b);
    });
  }
  SmallVector<Buf> initial = bufs;
  unsigned worst = 0;
  uint64_t worstLive = 0;
  for (const Less &less : orders) {
    bufs = initial;
    SmallVector<unsigned> order = pending;
    llvm::stable_sort(order, less);
    bool fits = true;
    for (unsigned i : order) {
      Buf &b = bufs[i];
      SmallVector<std::pair<uint64_t, uint64_t>> busy;
      uint64_t liveWords = 0;
      for (const Buf &o : bufs)
        if (o.placed && conflict(b, o)) {
          busy.push_back({o.address, o.address + o.size});
          liveWords += o.size;
        }
      llvm::sort(busy);
      uint64_t addr = 0;
      bool fromTop = &less == &orders[twoSided] && longLived(b);
      if (fromTop) {
        // Highest gap below freeWords that holds b.
        uint64_t top = freeWords;
        addr = UINT64_MAX;
        for (auto it = busy.rbegin(); it != busy.rend(); ++it) {
          if (it->second <= top && top - it->second >= b.size) {
            addr = top - b.size;
            break;
          }
          top = std::min(top, it->first);
        }
        if (addr == UINT64_MAX)
          addr = top >= b.size ? top - b.size : freeWords;
      } else {
        for (auto [s, e] : busy) {
          if (addr + b.size <= s)
            break;
          addr = std::max(addr, e);
        }
      }
      if (addr + b.size > freeWords) {
        if (&less == &orders.front()) {
          worst = i;
          worstLive = liveWords;
        }
        fits = false;
        break;
      }
      b.placed = true;
      b.address = addr;
    }
    if (!fits)
      continue;
    result.fits = true;
    result.order = unsigned(&less - orders.begin()) + 1;
    result.orders = orders.size();
    for (const Buf &b : bufs)
      result.highWater =
          std::max<uint64_t>(result.highWater, b.address + b.size);
    if (assign) {
      Builder builder(kernel.getContext());
      for (unsigned i : pending)
        bufs[i].op.setAddressAttr(
            builder.getI64IntegerAttr(int64_t(bufs[i].address)));
    }
    return result;
  }
  result.failed = bufs[worst].op;
  result.failedLive = worstLive;
  return result;
}

//===- Fabric.cpp - Queues, routers and off-wafer ports -------------------===//

#include "Band.h"

#include <cmath>

namespace wse::emu {

/// The first set bit of `words` at or after `from`, or `end` if none below
/// `end`.
static size_t nextSetBit(llvm::ArrayRef<uint64_t> words, size_t from,
                         size_t end) {
  while (from < end) {
    uint64_t w = words[from / 64] >> (from % 64);
    if (w)
      return std::min(end, from + size_t(__builtin_ctzll(w)));
    from = (from / 64 + 1) * 64;
  }
  return end;
}

void Band::stepRouter(uint32_t slot) {
  RouterState &r = pes[slot].router;
  r.lastStep = now;
  size_t n = r.entries.size();
  uint8_t used = 0;
  // Entries in round-robin order from rr, visiting only non-empty queues
  // (an empty one has nothing to move, so skipping it changes nothing).
  // Forced inline: GCC stopped inlining it when the bands' remote queues
  // made it larger, and the call per entry cost GPT-2 5%.
  auto visit = [&](size_t idx) __attribute__((always_inline)) {
    const RouteEntry &e = r.entries[idx];
    const Queue &Q = queues[e.queue];
    uint64_t ready = qslots[Q.base + Q.head].ready;
    if (ready > now) {
      nextEvent = std::min(nextEvent, ready);
      return;
    }
    // One wavelet per output link per cycle; a multicast moves only when
    // every output is free and every destination has room.
    bool ok = !(e.outMask & used);
    for (unsigned d = 0; ok && d < kNumDirs; ++d)
      if ((e.outMask & (1u << d)) && !canPush(e.dest[d]))
        ok = false;
    if (!ok) {
      ++routerBlocked;
      return;
    }
    float v = pop(e.queue);
    for (unsigned d = 0; d < kNumDirs; ++d)
      if (e.outMask & (1u << d)) {
        push(e.dest[d], v,
             now + (d == Ramp ? mach.rampLatency : mach.hopLatency));
        ++r.sent[d];
      }
    used |= e.outMask;
    progress = true;
  };
  for (size_t i = nextSetBit(r.nonEmpty, r.rr, n); i < n;
       i = nextSetBit(r.nonEmpty, i + 1, n))
    visit(i);
  for (size_t i = nextSetBit(r.nonEmpty, 0, r.rr); i < r.rr;
       i = nextSetBit(r.nonEmpty, i + 1, r.rr))
    visit(i);
  if (n && ++r.rr >= n)
    r.rr = 0;
}

/// Flat element index of position `k` of a slice.
static uint64_t sliceIndex(const Slice &s, uint64_t k) {
  uint64_t idx = s.offset;
  for (size_t d = s.shape.size(); d-- > 0;) {
    uint64_t i = k % s.shape[d];
    k /= s.shape[d];
    idx += i * s.strides[d];
  }
  return idx;
}

static std::string streamName(const Program &p, const StreamOp &s) {
  return (s.inbound ? "in " : "out ") + p.tensors(s.kind)[s.tensor].name;
}

void Band::stepPort(PortState &p) {
  const double rate = mach.streamBytesPerCycle;
  // Token bucket of one wavelet: bandwidth below 4 B/cycle spaces wavelets
  // out, above it the link's one wavelet per cycle is the limit.
  auto accrue = [&](StreamCursor &cur) {
    if (now > cur.lastCycle)
      cur.credit =
          std::min(4.0, cur.credit + rate * double(now - cur.lastCycle));
    cur.lastCycle = now;
  };
  auto waitCredit = [&](StreamCursor &cur) {
    nextEvent =
        std::min(nextEvent,
                 now + std::max<uint64_t>(
                           1, uint64_t(std::ceil((4.0 - cur.credit) / rate))));
  };
  auto finishOp = [&](StreamCursor &cur, uint32_t opIndex) {
    sim.streamSpans[opIndex] = {cur.opStart, now + 1};
    if (opts.trace)
      addTrace({streamName(prog, prog.streams[opIndex]), kStreamPid,
                uint32_t(&p - ports.data()), cur.opStart,
                now + 1 - cur.opStart});
    ++cur.pos;
    cur.elem = 0;
    cur.opStart = UINT64_MAX;
  };

  if (p.in.pos < p.inOps.size()) {
    uint32_t opIndex = p.inOps[p.in.pos];
    const StreamOp &s = prog.streams[opIndex];
    if (p.in.opStart == UINT64_MAX)
      p.in.opStart = now;
    accrue(p.in);
    uint32_t q = findRouterIn(pes[p.peSlot], s.color, p.edgeDir);
    if (p.in.credit < 4.0) {
      waitCredit(p.in);
    } else if (canPush(q)) {
      uint64_t idx = sliceIndex(s.slice, p.in.elem);
      float v = s.kind == TensorKind::Param
                    ? weights.get(p.weights, s.tensor, idx)
                    : sim.inputs[s.tensor].data[idx];
      push(q, v, now + mach.hopLatency);
      p.in.credit -= 4.0;
      ++p.inWavelets;
      progress = true;
      if (++p.in.elem == s.slice.count())
        finishOp(p.in, opIndex);
    }
  }

  if (p.out.pos < p.outOps.size()) {
    uint32_t opIndex = p.outOps[p.out.pos];
    const StreamOp &s = prog.streams[opIndex];
    accrue(p.out);
    uint32_t q = kNone;
    for (const auto &[c, pq] : p.rx)
      if (c == s.color)
        q = pq;
    if (q != kNone && queues[q].count) {
      if (p.out.opStart == UINT64_MAX)
        p.out.opStart = now;
      if (!headReady(q)) {
        nextEvent = std::min(nextEvent, headReadyCycle(q));
      } else if (p.out.credit < 4.0) {
        waitCredit(p.out);
      } else {
        uint64_t idx = sliceIndex(s.slice, p.out.elem);
        sim.outputs[s.tensor].data[idx] = pop(q);
        sim.outputWritten[s.tensor][idx] = 1;
        p.out.credit -= 4.0;
        ++p.outWavelets;
        progress = true;
        if (++p.out.elem == s.slice.count())
          finishOp(p.out, opIndex);
      }
    }
  }
}

} // namespace wse::emu

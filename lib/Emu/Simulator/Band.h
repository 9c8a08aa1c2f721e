//===- Band.h - One band of rows and the state of stepping it -------------===//
//
// A band steps the routers, ports and cores of its rows (Fabric.cpp,
// Core.cpp) one global cycle at a time. Everything it writes during a cycle
// belongs to its rows, except wavelets for queues of a neighbouring band,
// which go to its outbox and are delivered between cycles (Bands.cpp), so
// bands step the same cycle in parallel. With one band this is the whole
// emulator.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_LIB_BAND_H
#define WSE_EMU_LIB_BAND_H

#include "SimImpl.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Compiler.h"

#include <queue>

namespace wse::emu {

class Band {
public:
  Band(SimulatorImpl &sim, uint32_t rowBegin, uint32_t rowEnd);

  SimulatorImpl &sim;
  const Program &prog;
  const machine::MachineDescription &mach;
  const SimOptions &opts;
  // The shared layout, by the names the stepping code has always used.
  llvm::MutableArrayRef<PEInfo> pes;
  llvm::MutableArrayRef<CoreState> cores;
  llvm::MutableArrayRef<Queue> queues;
  llvm::MutableArrayRef<QSlot> qslots;
  llvm::MutableArrayRef<PortState> ports;
  const WeightStore &weights;
  const uint32_t *remoteCount;
  const uint32_t rowBegin, rowEnd;

  // Dynamic state.
  uint64_t now = 0;
  bool progress = false;
  uint64_t nextEvent = UINT64_MAX;
  uint64_t queuedTotal = 0;
  uint64_t routerBlocked = 0;
  std::vector<uint32_t> activeRouters;
  std::vector<uint32_t> activeCores, nextActiveCores;
  std::vector<PortState *> activePorts;
  std::priority_queue<std::pair<uint64_t, uint32_t>,
                      std::vector<std::pair<uint64_t, uint32_t>>,
                      std::greater<>>
      wakeHeap;
  uint64_t localTime = 0; ///< the stepped core's own clock, for messages
  Trace trace;
  std::map<int64_t, MarkStats> marks;
  /// Wavelets for queues of other bands, delivered after the cycle.
  std::vector<RemotePush> outbox;

  /// The first error of the cycle it happened in. Every core of that cycle
  /// still steps, and the error of the lowest-ranked component wins (cores
  /// by index, then ports), so the message does not depend on the order
  /// in which cores were stepped, nor on how the mesh was cut into bands.
  std::string error;
  uint64_t errorRank = UINT64_MAX;
  bool coreFailed = false; ///< the core being stepped has failed

  /// Wakes the band's cores and collects its active ports, for cycle 0.
  void start();
  /// Steps cycle `now`: routers, then ports, then cores.
  void stepCycle();
  /// Whether the band has work in the next cycle for sure.
  bool busy() const { return progress || !nextActiveCores.empty(); }
  /// The earliest cycle something of the band becomes due (UINT64_MAX: none).
  uint64_t nextDue() const {
    return wakeHeap.empty() ? nextEvent
                            : std::min(nextEvent, wakeHeap.top().first);
  }
  /// Takes a wavelet another band's router sent in cycle `cycle`, as the
  /// sequential emulator would have had it arrive during that cycle.
  void receive(const RemotePush &p, uint64_t cycle);

  uint64_t headReadyCycle(uint32_t q) const {
    return qslots[queues[q].base + queues[q].head].ready;
  }
  // Queue operations with the wake-ups they imply.
  bool canPush(uint32_t q) const {
    const Queue &Q = queues[q];
    if (Q.remote)
      return remoteCount[Q.remoteIndex] < Q.cap;
    return Q.count + (Q.popCycle == now ? Q.pops : 0) < Q.cap;
  }
  bool headReady(uint32_t q) const {
    const Queue &Q = queues[q];
    return Q.count && qslots[Q.base + Q.head].ready <= now;
  }
  void push(uint32_t q, float v, uint64_t ready);
  void pushLocal(uint32_t q, float v, uint64_t ready);
  /// Out of line: only band edges use it, and the router's loop, which
  /// inlines push, stays small.
  LLVM_ATTRIBUTE_NOINLINE void pushRemote(uint32_t q, float v, uint64_t ready);
  float pop(uint32_t q);
  void addTrace(TraceEvent e);

  // Fabric.cpp
  void stepRouter(uint32_t slot);
  void stepPort(PortState &p);
  bool portDone(const PortState &p) const {
    return p.in.pos >= p.inOps.size() && p.out.pos >= p.outOps.size();
  }

  // Core.cpp
  void stepCore(CoreState &c);
  void wakeCore(CoreState &c, uint64_t at);
  void sleepCore(CoreState &c, uint64_t until);
  bool fail(const CoreState &c, const llvm::Twine &msg);
  bool resolve(CoreState &c, const Instr &in, uint64_t &n, bool &streaming);
  bool streamElement(CoreState &c, const Instr &in, bool &wasBlocked,
                     uint64_t blockedSince);
  void block(CoreState &c, CoreState::State s, uint32_t q, bool wasBlocked,
             uint64_t blockedSince);
  bool checkWritten(CoreState &c, const Desc &d, uint64_t n, unsigned operand);
  /// With stopOnNaN/stopOnInf: false (and the run's error) when the current
  /// instruction produces `v`, element `i` of its result, a NaN from
  /// operands `in` none of which is NaN, or an infinity from finite
  /// operands. Values it only passes on (a copy of a NaN input) are not
  /// where they arise, so they do not stop the run.
  bool checkResult(const CoreState &c, float v, llvm::ArrayRef<float> in,
                   uint64_t i);
  /// checkResult for element `i` of an elementwise instruction: its operands
  /// are the `numSrc` sources `s`, and for fmac the destination's old value.
  bool checkElement(const CoreState &c, Opcode op, const float *s,
                    unsigned numSrc, float old, float v, uint64_t i);
  /// checkResult for step `i` of a reduction, `next` from `acc` and `x`. The
  /// first step starts from the identity (0 or -inf), not an operand.
  bool checkReductionStep(const CoreState &c, float acc, float x, float next,
                          uint64_t i) {
    float in[2] = {acc, x};
    return checkResult(c, next,
                       i == 0 ? llvm::ArrayRef<float>(&in[1], 1)
                              : llvm::ArrayRef<float>(in),
                       i);
  }
  bool checkingResults() const { return opts.stopOnNaN || opts.stopOnInf; }
  void execMemory(CoreState &c, const Instr &in, uint64_t n);
  int pickTask(CoreState &c);
  void endTask(CoreState &c, uint64_t t);
  /// Trace only: ends the core's open mark interval at cycle t.
  void closeMark(CoreState &c, uint64_t t);
  int64_t val(const CoreState &c, const Value &v) const {
    switch (v.kind) {
    case Value::Imm:
      return v.v;
    case Value::Reg:
      return c.regs[v.v];
    default:
      return c.consts[v.v];
    }
  }
};

// Every wavelet hop pushes and pops: inline so routers and cores (in other
// files) do not pay a call per wavelet.
inline void Band::wakeCore(CoreState &c, uint64_t at) {
  wakeHeap.push({std::max(at, now), uint32_t(&c - cores.data())});
}

inline void Band::push(uint32_t q, float v, uint64_t ready) {
  if (LLVM_UNLIKELY(queues[q].remote))
    return pushRemote(q, v, ready);
  pushLocal(q, v, ready);
}

inline void Band::pushLocal(uint32_t q, float v, uint64_t ready) {
  Queue &Q = queues[q];
  uint32_t idx = Q.head + Q.count;
  if (idx >= Q.cap)
    idx -= Q.cap;
  qslots[Q.base + idx] = {ready, v};
  ++Q.count;
  ++queuedTotal;
  switch (Q.owner) {
  case Queue::RouterIn: {
    RouterState &r = pes[Q.ownerIndex].router;
    ++r.queued;
    r.nonEmpty[Q.entry / 64] |= uint64_t(1) << (Q.entry % 64);
    if (!r.active) {
      r.active = true;
      activeRouters.push_back(Q.ownerIndex);
    }
    break;
  }
  case Queue::CoreRx: {
    CoreState &c = cores[pes[Q.ownerIndex].core];
    if (c.state == CoreState::Idle ||
        (c.state == CoreState::BlockedRx && c.waitQueue == q))
      wakeCore(c, ready);
    break;
  }
  case Queue::PortRx:
    break;
  }
}

inline float Band::pop(uint32_t q) {
  Queue &Q = queues[q];
  float v = qslots[Q.base + Q.head].value;
  if (++Q.head == Q.cap)
    Q.head = 0;
  --Q.count;
  --queuedTotal;
  if (Q.popCycle == now) {
    ++Q.pops;
  } else {
    Q.popCycle = now;
    Q.pops = 1;
  }
  if (Q.owner == Queue::RouterIn) {
    PEInfo &pe = pes[Q.ownerIndex];
    --pe.router.queued;
    if (!Q.count)
      pe.router.nonEmpty[Q.entry / 64] &= ~(uint64_t(1) << (Q.entry % 64));
    if (Q.dir == Ramp && pe.core >= 0) {
      CoreState &c = cores[pe.core];
      if (c.state == CoreState::BlockedTx && c.waitQueue == q)
        wakeCore(c, now + 1);
    }
  }
  return v;
}

} // namespace wse::emu

#endif

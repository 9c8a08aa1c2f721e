//===- SimImpl.h - Emulator state shared by Setup/Core/Fabric/Run ---------===//
//
// Timing model (docs/emulator/fidelity.md): a global cycle clock; routers and
// ports are stepped only while they hold or expect data, cores only when
// woken. Cores run memory-only and scalar instructions ahead in local time
// (their effects are private to the PE), and synchronise with the global
// clock only for fabric operations and task selection, so long compute runs
// cost one event. Whole cycles with nothing to do are skipped.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_LIB_SIMIMPL_H
#define WSE_EMU_LIB_SIMIMPL_H

#include "wse/Emu/Simulator.h"
#include "wse/Emu/WeightStore.h"
#include "llvm/ADT/SmallVector.h"
#include <map>

#include <queue>

namespace wse::emu {

constexpr uint32_t kNone = UINT32_MAX;

/// Bounded FIFO with credit-based flow control. Capacity counts wavelets in
/// flight (pushed with a future `ready` cycle). A slot freed by a pop becomes
/// usable by the sender only on the next cycle, so results do not depend on
/// the order in which components are stepped within a cycle.
struct Queue {
  uint32_t base = 0; ///< into SimulatorImpl::qslots
  uint32_t cap = 0;
  uint32_t head = 0, count = 0;
  uint64_t popCycle = UINT64_MAX;
  uint32_t pops = 0;
  enum Owner : uint8_t { RouterIn, CoreRx, PortRx } owner = RouterIn;
  uint32_t ownerIndex = 0; ///< PE slot or port index
  uint32_t entry = 0;      ///< RouterIn: index of its route entry
  uint8_t dir = 0;
  uint16_t color = 0;
};

struct RouteEntry {
  uint16_t color;
  uint8_t in;
  uint8_t outMask;
  uint32_t queue;
  uint32_t dest[kNumDirs]; ///< destination queue per output, kNone if unused
  uint32_t rule;           ///< index of the program route, for messages
};

struct RouterState {
  std::vector<RouteEntry> entries;
  /// Bit per entry whose input queue holds wavelets: a step visits only
  /// those (a router may hold a route for every color and input, most of
  /// them empty at any time; scanning them all was half of the run time).
  llvm::SmallVector<uint64_t, 1> nonEmpty;
  uint32_t rr = 0;     ///< round-robin start among entries
  uint32_t queued = 0; ///< wavelets in this router's input queues
  bool active = false;
  std::array<uint64_t, kNumDirs> sent{};
};

struct Desc {
  OperandKind kind;
  int64_t base;
  int64_t stride;
  uint64_t len;
  uint32_t queue; ///< fabric descriptors
  int32_t buffer;
};

struct CoreState {
  uint32_t slot = 0;
  uint32_t kernel = 0;
  const int64_t *consts = nullptr;
  std::vector<uint16_t> taskColor; ///< per task, for Color tasks
  std::vector<uint32_t> taskQueue; ///< per task: receive queue of its color
  std::vector<float> mem;
  std::vector<uint8_t> written; ///< --check-uninitialized only
  std::array<int64_t, kNumRegs> regs{};
  uint64_t activated = 0; ///< bit per task
  int32_t task = -1;
  uint32_t pc = 0;
  enum State : uint8_t {
    Idle,
    Active,
    Sleeping,
    BlockedRx,
    BlockedTx
  } state = Idle;
  uint64_t sleepUntil = 0;
  uint64_t lastStep = UINT64_MAX;
  uint32_t waitQueue = kNone;
  uint64_t blockStart = 0;
  // Streaming vector instruction in progress.
  bool inVec = false;
  uint64_t vecI = 0, vecN = 0;
  float acc = 0;
  uint8_t numDesc = 0;
  std::array<Desc, kMaxOperands> desc;
  bool pendingPush = false; ///< reduction result waiting for queue space
  float pendingValue = 0;
  uint32_t pendingQueue = kNone;
  uint64_t taskStart = 0;
  // Trace only: the mark this core passed last (a layer interval from
  // markStart until the next mark or the end of its last task).
  bool inMark = false;
  int64_t markId = 0;
  uint64_t markStart = 0, lastTaskEnd = 0;
  // Stats.
  uint64_t busy = 0, stalled = 0, flops = 0, tasksRun = 0;
};

struct StreamCursor {
  size_t pos = 0;      ///< index into the port's op list
  uint64_t elem = 0;   ///< elements done in the current op
  double credit = 4.0; ///< bytes of bandwidth accumulated (starts full)
  uint64_t lastCycle = 0;
  uint64_t opStart = UINT64_MAX;
};

struct PortState {
  machine::EdgePort port;
  uint32_t peSlot = kNone; ///< edge PE
  Dir edgeDir = West;      ///< link of the edge router facing the port
  std::vector<uint32_t> inOps, outOps;
  StreamCursor in, out;
  std::vector<std::pair<uint16_t, uint32_t>> rx; ///< color -> queue
  uint64_t inWavelets = 0, outWavelets = 0;
  bool used = false;
};

struct PEInfo {
  uint32_t x, y;
  int32_t core = -1; ///< index into cores
  RouterState router;
  std::vector<std::pair<uint16_t, uint32_t>> rx; ///< color -> core rx queue
};

/// Refuses a program whose emulator state would exceed `maxBytes`
/// (Budget.cpp); setup calls it before allocating.
llvm::Error checkStateBudget(const Program &prog,
                             const machine::MachineDescription &mach,
                             bool checkUninitialized, uint64_t maxBytes);

class SimulatorImpl {
public:
  SimulatorImpl(const Program &p, const machine::MachineDescription &m,
                const SimOptions &o)
      : prog(p), mach(m), opts(o) {}

  // Setup.cpp
  llvm::Error setup();
  llvm::Error setInput(llvm::StringRef name, HostTensor t);

  // Run.cpp
  llvm::Expected<SimResult> run();

  const Program &prog;
  machine::MachineDescription mach;
  SimOptions opts;

  // Layout.
  std::vector<uint32_t> slotOf; ///< y * width + x -> PE slot, kNone if unused
  std::vector<PEInfo> pes;
  std::vector<CoreState> cores;
  std::vector<int64_t> constPool;
  std::vector<PortState> ports;
  std::vector<Queue> queues;
  /// A queued wavelet and the cycle it becomes visible, side by side: the
  /// router reads both for every hop.
  struct QSlot {
    uint64_t ready;
    float value;
  };
  std::vector<QSlot> qslots;
  std::unique_ptr<WeightStore> weights;
  std::vector<HostTensor> inputs; ///< by program input index
  std::vector<bool> inputSet;
  std::vector<HostTensor> outputs;
  std::map<int64_t, MarkStats> marks;
  /// Per stream op: first and one-past-last cycle (UINT64_MAX: not done).
  std::vector<std::pair<uint64_t, uint64_t>> streamSpans;
  std::vector<std::vector<uint8_t>> outputWritten;

  // Dynamic state.
  uint64_t now = 0;
  bool progress = false;
  uint64_t nextEvent = UINT64_MAX;
  uint64_t queuedTotal = 0;
  uint64_t routerBlocked = 0;
  std::vector<uint32_t> activeRouters;
  std::vector<uint32_t> activeCores, nextActiveCores;
  std::priority_queue<std::pair<uint64_t, uint32_t>,
                      std::vector<std::pair<uint64_t, uint32_t>>,
                      std::greater<>>
      wakeHeap;
  std::string runError;
  uint64_t localTime = 0; ///< the stepped core's own clock, for messages
  Trace trace;

  uint32_t slotAt(uint32_t x, uint32_t y) const {
    return slotOf[size_t(y) * mach.width + x];
  }
  std::string peName(uint32_t slot) const;
  uint32_t newQueue(Queue::Owner owner, uint32_t ownerIndex, uint8_t dir,
                    uint16_t color);
  uint32_t ensureSlot(uint32_t x, uint32_t y);
  uint32_t findRx(const PEInfo &pe, uint32_t color) const;
  uint32_t findRouterIn(const PEInfo &pe, uint32_t color, uint8_t dir) const;
  /// Renumbers queues (and their slots) by owner, so that a router's input
  /// queues and its core's receive queues sit together in memory.
  void groupQueuesByOwner();
  uint64_t headReadyCycle(uint32_t q) const {
    return qslots[queues[q].base + queues[q].head].ready;
  }

  // Queue operations with the wake-ups they imply.
  bool canPush(uint32_t q) const {
    const Queue &Q = queues[q];
    return Q.count + (Q.popCycle == now ? Q.pops : 0) < Q.cap;
  }
  bool headReady(uint32_t q) const {
    const Queue &Q = queues[q];
    return Q.count && qslots[Q.base + Q.head].ready <= now;
  }
  void push(uint32_t q, float v, uint64_t ready);
  float pop(uint32_t q);

  // Fabric.cpp
  void stepRouter(uint32_t slot);
  void stepPort(PortState &p);
  bool portDone(const PortState &p) const {
    return p.in.pos >= p.inOps.size() && p.out.pos >= p.outOps.size();
  }

  // Core.cpp
  void startCores();
  void stepCore(CoreState &c);
  void wakeCore(CoreState &c, uint64_t at);
  void sleepCore(CoreState &c, uint64_t until);
  bool fail(const CoreState &c, const llvm::Twine &msg);
  std::string where(const CoreState &c) const;
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
inline void SimulatorImpl::wakeCore(CoreState &c, uint64_t at) {
  wakeHeap.push({std::max(at, now), uint32_t(&c - cores.data())});
}

inline void SimulatorImpl::push(uint32_t q, float v, uint64_t ready) {
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

inline float SimulatorImpl::pop(uint32_t q) {
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

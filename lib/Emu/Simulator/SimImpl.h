//===- SimImpl.h - The laid-out mesh shared by the bands ------------------===//
//
// Timing model (docs/emulator/fidelity.md): a global cycle clock; routers and
// ports are stepped only while they hold or expect data, cores only when
// woken. Cores run memory-only and scalar instructions ahead in local time
// (their effects are private to the PE), and synchronise with the global
// clock only for fabric operations and task selection, so long compute runs
// cost one event. Whole cycles with nothing to do are skipped.
//
// Setup.cpp lays the program out here (PEs, routers, queues, ports); the
// bands of rows (Band.h) step disjoint parts of it, one thread each.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_LIB_SIMIMPL_H
#define WSE_EMU_LIB_SIMIMPL_H

#include "wse/Emu/Ranks.h"
#include "wse/Emu/Simulator.h"
#include "wse/Emu/WeightStore.h"
#include "llvm/ADT/SmallVector.h"

#include <chrono>
#include <map>
#include <memory>

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
  uint32_t ownerIndex = 0; ///< PE slot or port index
  uint32_t entry = 0;      ///< RouterIn: index of its route entry
  /// Fed by a router of another band (Bands.cpp): the sender sees the queue
  /// through SimulatorImpl::remoteCount[remoteIndex] and pushes through its
  /// band's outbox, never touching the queue while the owner steps it.
  uint32_t remoteIndex = 0;
  enum Owner : uint8_t { RouterIn, CoreRx, PortRx } owner = RouterIn;
  uint8_t dir = 0;
  uint16_t color = 0;
  bool remote = false;
};
// Ordered so that the band fields (remote, remoteIndex) cost no size: a
// larger queue was measurably slower on GPT-2.
static_assert(sizeof(Queue) <= 48, "Queue grew");

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
  uint64_t lastStep = UINT64_MAX; ///< cycle of the last step, for Band::receive
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
  WeightStore::Reader weights; ///< this port's parameter reads
};

struct PEInfo {
  uint32_t x, y;
  int32_t core = -1; ///< index into cores
  RouterState router;
  std::vector<std::pair<uint16_t, uint32_t>> rx; ///< color -> core rx queue
};

/// A queued wavelet and the cycle it becomes visible, side by side: the
/// router reads both for every hop.
struct QSlot {
  uint64_t ready;
  float value;
};

inline uint32_t findRx(const PEInfo &pe, uint32_t color) {
  for (const auto &[c, q] : pe.rx)
    if (c == color)
      return q;
  return kNone;
}

inline uint32_t findRouterIn(const PEInfo &pe, uint32_t color, uint8_t dir) {
  for (const RouteEntry &e : pe.router.entries)
    if (e.color == color && e.in == dir)
      return e.queue;
  return kNone;
}

class Band;
/// A wavelet a band's router pushed into a queue of another band, delivered
/// between cycles (Bands.cpp, Distributed.cpp).
struct RemotePush {
  uint32_t queue;
  float value;
  uint64_t ready;
};

/// This process's peak resident memory (Run.cpp).
uint64_t peakRssBytes();

/// Refuses a program whose emulator state would exceed `maxBytes`
/// (Budget.cpp); setup calls it before allocating.
llvm::Error checkStateBudget(const Program &prog,
                             const machine::MachineDescription &mach,
                             bool checkUninitialized, uint64_t maxBytes);

class SimulatorImpl {
public:
  SimulatorImpl(const Program &p, const machine::MachineDescription &m,
                const SimOptions &o);
  ~SimulatorImpl();

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
  std::vector<QSlot> qslots;
  std::unique_ptr<WeightStore> weights;
  std::vector<HostTensor> inputs; ///< by program input index
  std::vector<bool> inputSet;
  std::vector<HostTensor> outputs;
  /// Per stream op: first and one-past-last cycle (UINT64_MAX: not done).
  std::vector<std::pair<uint64_t, uint64_t>> streamSpans;
  std::vector<std::vector<uint8_t>> outputWritten;

  // Bands (Bands.cpp): rows [bandRows[i], bandRows[i + 1]) are band i.
  std::vector<uint32_t> bandRows;
  std::vector<std::unique_ptr<Band>> bands;
  /// Queues whose sender is in another band than their owner, by
  /// Queue::remoteIndex, and each one's occupancy as its sender sees it: as
  /// of the end of the previous simulated cycle (pops free a slot for the
  /// next cycle, so that is all a sender may know).
  struct RemoteLink {
    uint32_t queue;
    uint32_t owner;  ///< band
    uint32_t sender; ///< band
  };
  std::vector<RemoteLink> links;
  std::vector<uint32_t> remoteCount;
  /// Cuts the mesh into opts.threads bands and marks the queues between them.
  llvm::Error makeBands();
  uint32_t bandOfRow(uint32_t y) const;
  /// Runs the bands to the end: one thread each (the caller's is band 0),
  /// all stepping the same cycle, then exchanging at a barrier.
  llvm::Error simulate();
  /// What the bands say after cycle `now`: the minimum over bands of
  /// (idle, next due cycle, error rank).
  struct Vote {
    uint64_t idle; ///< 0: some band has work in the next cycle for sure
    uint64_t due;
    uint64_t errorRank;
  };
  Vote localVote() const;
  /// After every band stepped cycle `now` and the exchange: from the vote of
  /// all bands, picks the run's error, or the next cycle to simulate (false:
  /// the run is over or failed).
  bool advance(Vote v);
  /// Delivers the wavelets the bands sent across band edges this cycle and
  /// tells senders the new occupancy of those queues.
  void exchange();

  // Ranks (Distributed.cpp): with opts.ranks, this process steps only band
  // ranks->rank(); the other bands' objects stay idle until the end, when
  // rank 0 gathers into them (and into the cores, queues, routers and ports
  // of their rows) what their ranks simulated.
  bool ownsRow(uint32_t y) const {
    return !opts.ranks || bandOfRow(y) == opts.ranks->rank();
  }
  /// After this rank's band stepped cycle `now`: sends the neighbouring
  /// ranks its wavelets for their queues, the occupancy of its queues they
  /// feed and its vote, and takes theirs (one message each way per
  /// neighbour and cycle). Returns the vote of all ranks.
  Vote exchangeRanks();
  /// The message of the error ranked `errorRank`, from the rank whose band
  /// holds that core or port, on every rank.
  std::string errorOfRank(uint64_t errorRank);
  /// Band `b`'s results and the state of its rows, written into `ar` or read
  /// from it (what run() reports from).
  void transferBand(unsigned b, Archive &ar);
  /// Rank 0 gathers every band's transferBand.
  void gatherRanks();
  /// Sum of the ranks' peak memory (Run.cpp reports it).
  uint64_t ranksPeakRss = 0;
  /// A neighbouring rank and the band-edge links between it and this one
  /// (indices into links, in increasing order on both sides).
  struct RankPeer {
    unsigned rank;
    std::vector<uint32_t> fedByPeer; ///< this rank's queues the peer feeds
    std::vector<uint32_t> fedByMe;   ///< the peer's queues this rank feeds
    std::vector<RemotePush> pushes;  ///< this cycle's, for the peer
    std::vector<uint32_t> counts;
    Bytes out, in;
  };
  std::vector<RankPeer> rankPeers;
  std::vector<uint32_t> pushedThisCycle; ///< by link

  uint64_t queuedTotal() const; ///< wavelets left in queues, all bands
  /// The bands' traces as one, in a canonical order (Run.cpp).
  Trace mergeTraces();

  // Results of simulate().
  uint64_t now = 0;
  std::string runError;
  // Progress on stderr (opts.progress).
  using Clock = std::chrono::steady_clock;
  Clock::time_point wallStart, lastReport;
  uint64_t iterations = 0;
  bool printedProgress = false;

  std::string peName(uint32_t slot) const;
  /// "PE (x,y) task 'name' instruction i (op)", for messages (Core.cpp).
  std::string where(const CoreState &c) const;
  uint32_t newQueue(Queue::Owner owner, uint32_t ownerIndex, uint8_t dir,
                    uint16_t color);
  uint32_t ensureSlot(uint32_t x, uint32_t y);
  uint32_t slotAt(uint32_t x, uint32_t y) const {
    return slotOf[size_t(y) * mach.width + x];
  }
  /// Renumbers queues (and their slots) by owner, so that a router's input
  /// queues and its core's receive queues sit together in memory.
  void groupQueuesByOwner();
  /// SRAM of the placed PEs this process simulates, up to the highest buffer
  /// of each one's kernel, with the buffers' initial values.
  void allocateSram();
};

} // namespace wse::emu

#endif

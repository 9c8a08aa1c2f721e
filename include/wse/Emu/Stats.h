//===- Stats.h - What a run measured ----------------------------*- C++ -*-===//

#ifndef WSE_EMU_STATS_H
#define WSE_EMU_STATS_H

#include "wse/Machine/MachineDescription.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wse::emu {

struct PEStats {
  uint32_t x = 0, y = 0;
  uint64_t busy = 0;    ///< cycles issuing/computing (task switches included)
  uint64_t stalled = 0; ///< cycles inside a task, waiting on the fabric
  uint64_t flops = 0;
  uint64_t tasks = 0; ///< task activations run
};

struct LinkStats {
  uint32_t x = 0, y = 0;
  std::array<uint64_t, 5> wavelets{}; ///< sent on N E S W R (R = to core)
};

struct PortStats {
  std::string name;
  uint32_t row = 0;
  uint64_t inWavelets = 0, outWavelets = 0;
};

/// When a stream op of the program moved its first and last element
/// (`end` is the cycle after the last).
struct StreamStats {
  std::string tensor;
  bool inbound = true;
  std::string port;
  uint64_t start = 0, end = 0;
};

/// When PEs executed `mark ID`: the first and the last time any PE did, and
/// how many times in all (profiling: per-layer spans of a compiled model).
struct MarkStats {
  int64_t id = 0;
  uint64_t first = 0, last = 0, count = 0;
};

struct RunStats {
  machine::MachineDescription machine;
  uint64_t cycles = 0;
  std::vector<PEStats> pes;         ///< PEs with a kernel
  std::vector<LinkStats> links;     ///< routers that sent anything
  std::vector<PortStats> ports;     ///< ports used by streams
  uint64_t routerBlockedEvents = 0; ///< wavelet-cycles lost to contention or
                                    ///< backpressure
  uint64_t weightBytesRead = 0;
  std::vector<MarkStats> marks;     ///< by id
  std::vector<StreamStats> streams; ///< the finished ones, by start cycle
  double wallSeconds = 0;
  uint64_t peakRssBytes = 0; ///< the host process's peak resident memory

  uint64_t totalFlops() const;
  double seconds() const { return double(cycles) / machine.clockHz; }
};

/// Human-readable summary (the lines tests check).
void printSummary(const RunStats &s, llvm::raw_ostream &os);
/// Writes the --stats-json document to `os`, element by element (a whole
/// wafer's per-PE and per-link arrays are too large to build as one tree).
/// `store`, if given, is what the weight store did (wse-emu --store);
/// `nameMark`, if given, may add keys to each mark's object.
void writeStatsJSON(
    llvm::raw_ostream &os, const RunStats &s,
    const llvm::json::Object *store = nullptr,
    llvm::function_ref<void(llvm::json::Object &mark)> nameMark = nullptr);

} // namespace wse::emu

#endif

//===- Simulator.h - Run a program on a machine -----------------*- C++ -*-===//

#ifndef WSE_EMU_SIMULATOR_H
#define WSE_EMU_SIMULATOR_H

#include "wse/Emu/Program.h"
#include "wse/Emu/Stats.h"
#include "wse/Emu/Trace.h"
#include "wse/Support/Npy.h"

#include "llvm/ADT/StringMap.h"

#include <memory>

namespace wse::emu {

class Ranks;

/// The most memory a program's emulator state may take (docs/limits.md):
/// checked before setup allocates anything.
constexpr uint64_t kMaxEmulatorStateBytes = uint64_t(4) << 30;

struct SimOptions {
  uint64_t maxCycles = 1000000000ull;
  bool checkUninitialized = false;
  /// Stop with an error naming the PE, task, instruction and cycle when an
  /// instruction produces a NaN, or (stopOnInf) an infinity.
  bool stopOnNaN = false;
  bool stopOnInf = false;
  /// Allow at most one route per (PE, color), as a CSL router configuration
  /// (one rx set, one tx set) does; by default routes are per input.
  bool strictRoutes = false;
  bool trace = false;
  /// The emulator state a program may need (checked before setup).
  uint64_t maxStateBytes = kMaxEmulatorStateBytes;
  bool progress = false; ///< print progress to stderr (caller checks the tty)
  /// Bands of rows simulated in parallel, one thread each (1 to the mesh's
  /// rows). Cycles, outputs, statistics and trace do not depend on it.
  unsigned threads = 1;
  /// A distributed run (mpirun -np N): this process simulates the band of
  /// rows of its rank; the others are other processes. Null: all of it here.
  /// Only rank 0's run() returns the results.
  Ranks *ranks = nullptr;
  std::string weightsPath;
  std::string programDir;
};

struct SimResult {
  RunStats stats;
  Trace trace;
  llvm::StringMap<HostTensor> outputs;
};

class SimulatorImpl;

/// Loading validates the program against the machine (placement, SRAM,
/// routes, ports, weight files); running returns the outputs and statistics,
/// or an error naming the PE/color/buffer at fault (deadlock, bad descriptor,
/// uninitialized read, cycle limit).
class Simulator {
public:
  static llvm::Expected<std::unique_ptr<Simulator>>
  create(const Program &p, const machine::MachineDescription &m,
         const SimOptions &opts);
  ~Simulator();
  llvm::Error setInput(llvm::StringRef name, HostTensor t);
  llvm::Expected<SimResult> run();

private:
  Simulator() = default;
  std::unique_ptr<SimulatorImpl> impl;
};

} // namespace wse::emu

#endif

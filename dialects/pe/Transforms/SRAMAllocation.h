//===- SRAMAllocation.h - Word addresses for a kernel's buffers -*- C++ -*-===//
//
// The allocator behind pe-allocate-sram, callable without the pass: the
// wafer level's SRAM plan (dialects/wafer/Analysis/SRAMPlan.h) lowers a
// copy of the model and asks it how much SRAM the program takes.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_PE_TRANSFORMS_SRAMALLOCATION_H
#define WSE_DIALECT_PE_TRANSFORMS_SRAMALLOCATION_H

#include "dialects/pe/IR/PEOps.h"
#include "wse/Machine/MachineDescription.h"

#include "llvm/ADT/SmallVector.h"

namespace wse::pe {

/// What allocating one kernel's buffers found. Sizes are in words.
struct SRAMAllocation {
  uint64_t instructions = 0; ///< the code as the emulator holds it
  uint64_t codeWords = 0;    ///< instructions x code bytes, in words
  uint64_t freeWords = 0;    ///< SRAM words below the code
  uint64_t buffers = 0, bufferWords = 0; ///< count and sum of sizes
  /// The most words live at one instruction (no placement does better),
  /// where (kernel-wide position) and the buffers live there, largest first.
  uint64_t peakLive = 0;
  int64_t peakAt = 0;
  llvm::SmallVector<BufferOp> peakBuffers;
  /// The op the instruction at `peakAt` comes from (null if none).
  mlir::Operation *peakOrigin = nullptr;
  /// Whether every buffer got an address; if so, the high-water mark of
  /// the addresses and the order (1-based, of `orders`) that fit.
  bool fits = false;
  uint64_t highWater = 0;
  unsigned order = 0, orders = 0;
  /// If not: the buffer that found no room, the words of buffers live next
  /// to it, and whether it was a fixed address out of range.
  BufferOp failed;
  uint64_t failedLive = 0;
  bool failedFixed = false;
  /// Data and code words together: what a PE needs (the high-water mark
  /// when it fits, else the peak live words, a lower bound).
  uint64_t neededWords() const {
    return codeWords + (fits ? highWater : peakLive);
  }
};

/// Allocates `kernel`'s buffers without an address (first fit in several
/// orders, the first that fits wins; see pe-allocate-sram). With `assign`,
/// writes the addresses found into the buffers. `reuse=false` never lets
/// two buffers share words.
SRAMAllocation allocateSRAM(KernelOp kernel,
                            const machine::MachineDescription &m, bool reuse,
                            bool assign);

} // namespace wse::pe

#endif

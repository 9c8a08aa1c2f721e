//===- Budget.cpp - The emulator state a program would need ---------------===//
//
// Setup allocates per placed PE (its SRAM in use, its constants) and per PE
// and route (a router queue), and host buffers per input and output. Each is
// bounded on its own (sram_bytes, colors, queue_depth, 2^24 PEs, 2^31 host
// elements), but their product is not: one program placing a 1 GiB buffer
// on every PE, or a thousand routes over a 4096x4096 mesh, would take all
// memory (and setup time) before the first cycle. The sum is checked first.
//
//===----------------------------------------------------------------------===//

#include "SimImpl.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace llvm;

namespace wse::emu {

namespace {

/// Saturating arithmetic: a hostile program must not wrap the total.
uint64_t mul(uint64_t a, uint64_t b) {
  uint64_t r;
  return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}
uint64_t add(uint64_t a, uint64_t b) {
  uint64_t r;
  return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

/// PEs of `r` on the mesh (the part outside is an error setup reports).
uint64_t area(const Rect &r, const machine::MachineDescription &mach) {
  uint64_t w = r.x < mach.width ? std::min<uint64_t>(r.w, mach.width - r.x) : 0;
  uint64_t h =
      r.y < mach.height ? std::min<uint64_t>(r.h, mach.height - r.y) : 0;
  return w * h;
}

/// Rough per-object costs of the simulator's structures (SimImpl.h).
constexpr uint64_t kQueueSlotBytes = 16, kPerEntryBytes = 96,
                   kPerCoreBytes = 256;

} // namespace

Error checkStateBudget(const Program &prog,
                       const machine::MachineDescription &mach,
                       bool checkUninitialized, uint64_t maxBytes) {
  uint64_t total = mul(mach.numPEs(), 4); // the mesh's slot index
  for (const Placement &pl : prog.placements) {
    const Kernel &k = prog.kernels[pl.kernel];
    uint64_t extent = 1;
    for (const Buffer &b : k.buffers)
      extent = std::max(extent, add(b.address, b.size));
    uint64_t perPE = add(mul(extent, checkUninitialized ? 5 : 4),
                         add(mul(k.consts.size(), 8), kPerCoreBytes));
    total = add(total, mul(area(pl.rect, mach), perPE));
  }
  uint64_t perEntry =
      add(mul(mach.queueDepth, kQueueSlotBytes), kPerEntryBytes);
  for (const Route &rt : prog.routes)
    total = add(total, mul(area(rt.rect, mach), perEntry));
  for (const auto *decls : {&prog.inputs, &prog.outputs})
    for (const TensorDecl &t : *decls)
      total = add(total, mul(t.numElements(), 4));
  if (total > maxBytes)
    return createStringError(
        inconvertibleErrorCode(),
        formatv("the program needs {0} bytes of emulator state (SRAM in use "
                "and constants of every placed PE, a queue per PE and route, "
                "host inputs and outputs) on machine '{1}', more than the "
                "{2} allowed (wse-emu --max-state-gib N raises the limit)",
                total == UINT64_MAX ? std::string("more than 2^64")
                                    : std::to_string(total),
                mach.name, maxBytes));
  return Error::success();
}

} // namespace wse::emu

//===- AllocateSRAM.cpp - Give every pe.buffer a word address -------------===//
//
// The pass around allocateSRAM (SRAMAllocation.h): addresses written into
// the buffers, a remark with the figures, or an error naming the buffer
// that found no room.
//
//===----------------------------------------------------------------------===//

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/pe/Transforms/Passes.h"
#include "dialects/pe/Transforms/SRAMAllocation.h"

namespace wse::pe {
#define GEN_PASS_DEF_PEALLOCATESRAM
#include "dialects/pe/Transforms/Passes.h.inc"
} // namespace wse::pe

using namespace mlir;
using namespace wse::pe;

namespace {

/// The largest buffers live at the busiest instruction: what a smaller
/// program must shed.
std::string largestLive(const SRAMAllocation &a) {
  std::string text;
  for (BufferOp b : ArrayRef(a.peakBuffers).take_front(4))
    text += (text.empty() ? "" : ", ") + b.getSymName().str() + "[" +
            std::to_string(b.getSize()) + "]";
  return text;
}

struct AllocateSRAMPass : wse::pe::impl::PEAllocateSRAMBase<AllocateSRAMPass> {
  using PEAllocateSRAMBase::PEAllocateSRAMBase;

  LogicalResult allocate(KernelOp kernel, PlaceOp place,
                         const wse::machine::MachineDescription &m) {
    SRAMAllocation a = allocateSRAM(kernel, m, reuse, /*assign=*/true);
    if (a.fits) {
      if (explain)
        kernel.emitRemark()
            << "pe-allocate-sram: @" << kernel.getSymName() << ": code "
            << a.instructions << " instructions (" << a.codeWords << " words), "
            << a.buffers << " buffers of " << a.bufferWords << " words in "
            << a.highWater << " words (sharing saves "
            << a.bufferWords - std::min(a.bufferWords, a.highWater) << "), "
            << a.freeWords - std::min(a.freeWords, a.highWater) << " of "
            << m.sramWords() << " words left; placement order " << a.order
            << " of " << a.orders << "; busiest instruction " << a.peakAt
            << " with " << a.peakLive << " words live (largest "
            << largestLive(a) << ")";
      return success();
    }
    InFlightDiagnostic d = a.failed.emitError();
    d << "buffer @" << a.failed.getSymName() << " (" << a.failed.getSize()
      << " words) of kernel @" << kernel.getSymName();
    if (place) {
      wse::mesh::RectAttr r = place.getRect();
      d << " on PE (" << r.getX() << "," << r.getY() << ")";
    }
    if (a.failedFixed)
      d << " at address " << *a.failed.getAddress() << " does not fit";
    else
      d << " does not fit next to " << a.failedLive
        << " words of buffers live during its lifetime (at the busiest "
           "instruction, "
        << a.peakAt << ", " << a.peakLive << " words are live)";
    d << ": " << a.freeWords << " words of the " << m.sramBytes
      << "-byte SRAM are free below the code (" << a.instructions
      << " instructions x " << m.codeBytesPerInstr << " bytes)";
    return failure();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    wse::mesh::TargetAttr target =
        wse::mesh::requireTarget(module, "pe-allocate-sram");
    if (!target)
      return signalPassFailure();
    llvm::StringMap<PlaceOp> firstPlace;
    for (PlaceOp p : module.getBody()->getOps<PlaceOp>())
      firstPlace.try_emplace(p.getKernel(), p);
    for (KernelOp k : module.getBody()->getOps<KernelOp>())
      if (failed(allocate(k, firstPlace.lookup(k.getSymName()),
                          target.getMachine())))
        return signalPassFailure();
  }
};

} // namespace

//===- SRAMPlanner.cpp - The wafer level's SRAM plan, by lowering a copy --===//
//
// Answers SRAMPlanner::plan (dialects/wafer/Analysis/SRAMPlan.h) with the
// compiler's own figures: a copy of the module goes through
// convert-wafer-to-pe and pe-allocate-sram's allocator, and the buffers
// are traced back to the wafer ops whose lowering made them (the lowering
// gives every buffer the location of the op it is lowering).
//
//===----------------------------------------------------------------------===//

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/pe/IR/PEDialect.h"
#include "dialects/pe/Transforms/SRAMAllocation.h"
#include "dialects/wafer/Analysis/SRAMPlan.h"
#include "dialects/wafer/IR/WaferOps.h"
#include "wse/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OwningOpRef.h"

using namespace mlir;
using namespace wse;

namespace {

/// The op of `module`'s function a location names: the first with it (a
/// layer loop's code carries its first layer's locations).
class OpsByLocation {
public:
  explicit OpsByLocation(ModuleOp module) {
    module.walk([&](func::FuncOp f) {
      for (Operation &op : f.getBody().getOps())
        byLoc.try_emplace(op.getLoc(), &op);
    });
  }
  Operation *lookup(Location loc) const { return byLoc.lookup(loc); }

private:
  llvm::DenseMap<Location, Operation *> byLoc;
};

struct LoweringSRAMPlanner : wafer::SRAMPlanner {
  using SRAMPlanner::SRAMPlanner;

  FailureOr<wafer::SRAMPlan> plan(ModuleOp module,
                                  std::string &why) const override {
    mesh::TargetAttr target = mesh::getTarget(module);
    if (!target) {
      why = "the module has no mesh.target";
      return failure();
    }
    const machine::MachineDescription &m = target.getMachine();
    OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone()));
    {
      // The lowering's errors explain why there is no plan; they are not
      // the verifier's to report.
      ScopedDiagnosticHandler quiet(module.getContext(), [&](Diagnostic &d) {
        if (d.getSeverity() == DiagnosticSeverity::Error && why.empty())
          why = d.str();
        return success();
      });
      if (failed(lowerWaferToPE(*copy, /*marks=*/true))) {
        if (why.empty())
          why = "the lowering failed";
        return failure();
      }
    }
    OpsByLocation ops(module);
    wafer::SRAMPlan plan;
    plan.sramWords = int64_t(m.sramWords());
    plan.fits = true;
    for (pe::KernelOp kernel : copy->getBody()->getOps<pe::KernelOp>()) {
      pe::SRAMAllocation a =
          pe::allocateSRAM(kernel, m, /*reuse=*/true, /*assign=*/false);
      int64_t data = int64_t(a.fits ? a.highWater : a.peakLive);
      if (plan.fits && a.fits &&
          int64_t(a.codeWords) + data <= plan.neededWords())
        continue; // a smaller kernel than one planned already
      plan.instructions = int64_t(a.instructions);
      plan.codeWords = int64_t(a.codeWords);
      plan.dataWords = data;
      plan.peakLiveWords = int64_t(a.peakLive);
      plan.fits = a.fits;
      plan.peakBuffers.clear();
      plan.peakOp = nullptr;
      // The op running at the busiest instruction: the one its code comes
      // from or else the one that made the last buffer live there.
      if (a.peakOrigin)
        plan.peakOp = ops.lookup(a.peakOrigin->getLoc());
      unsigned latest = 0, index = 0;
      Operation *lastOwner = nullptr;
      llvm::DenseMap<Operation *, unsigned> position;
      for (pe::BufferOp b : kernel.getBody().front().getOps<pe::BufferOp>())
        position[b] = index++;
      for (pe::BufferOp b : a.peakBuffers) {
        if (plan.peakBuffers.size() < 4)
          plan.peakBuffers.push_back(
              {b.getSymName().str(), int64_t(b.getSize())});
        Operation *owner = ops.lookup(b.getLoc());
        if (owner && position[b] >= latest) {
          latest = position[b];
          lastOwner = owner;
        }
      }
      if (!plan.peakOp)
        plan.peakOp = lastOwner;
      if (!a.fits) {
        plan.failedBuffer = a.failed.getSymName().str();
        plan.failedOp = ops.lookup(a.failed.getLoc());
      }
    }
    return plan;
  }
};

} // namespace

void wse::registerSRAMPlanner(DialectRegistry &registry) {
  registry.addExtension(
      +[](MLIRContext *context, wafer::WaferDialect *dialect) {
        dialect->addInterfaces<LoweringSRAMPlanner>();
        // The plan builds pe IR, possibly inside a pass where loading a
        // dialect is no longer allowed: load it with the wafer dialect.
        context->loadDialect<pe::PEDialect>();
      });
}

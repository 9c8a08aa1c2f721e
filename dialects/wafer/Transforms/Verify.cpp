//===- Verify.cpp - Check placed, scheduled wafer IR against the target ---===//
//
// The last gate before per-PE code: every limit the pe level would trip on
// (SRAM, colors, mesh bounds, port bandwidth) is checked here against the
// cost model, with a message naming the op and the PE. All checks run, so
// one run lists every problem.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Analysis/CostModel.h"
#include "dialects/wafer/Analysis/KeptActivations.h"
#include "dialects/wafer/Analysis/SRAMPlan.h"
#include "dialects/wafer/Transforms/Passes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERVERIFY
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;
using wse::machine::MachineDescription;
using wse::mesh::RectAttr;
using wse::mesh::requireTarget;
using wse::mesh::TargetAttr;

/// Routing colors an op's routes use (docs/wafer/cost-model.md, "Colors"):
/// one per multicast, reduction or result route, plus one per extra
/// streamed operand (each weight stream has its own multicast).
static int64_t routingColors(Operation *op) {
  int64_t streams = llvm::count_if(op->getOperands(), [](Value v) {
    return v.getDefiningOp<StreamOp>() != nullptr;
  });
  int64_t base =
      TypeSwitch<Operation *, int64_t>(op)
          // weight/operand multicast, partial-sum reduction, result
          .Case<LinearOp, MatmulOp>([](auto) { return 3; })
          // reduction and broadcast of the statistics
          .Case<LayerNormOp, RMSNormOp, SoftmaxOp>([](auto) { return 2; })
          // reduction and result
          .Case<ReduceOp>([](auto) { return 2; })
          // table multicast and result
          .Case<EmbeddingOp>([](auto) { return 2; })
          // operands already sit where the result goes
          .Case<ElementwiseOp, ConstantOp>([](auto) { return 0; })
          // one route from source to destination blocks
          .Default([](Operation *) { return 1; });
  return base + std::max<int64_t>(streams - 1, 0);
}

static std::string peOf(RectAttr rect) {
  return "PE (" + std::to_string(rect.getX()) + ", " +
         std::to_string(rect.getY()) + ") of its " +
         std::to_string(rect.getWidth()) + "x" +
         std::to_string(rect.getHeight()) + " rectangle";
}

/// A rate for messages: whole numbers without decimals.
static std::string number(double value) {
  if (value == std::floor(value) && std::abs(value) < 1e15)
    return std::to_string(int64_t(value));
  return llvm::formatv("{0:f3}", value).str();
}

namespace {
struct VerifyPass : wse::wafer::impl::WaferVerifyBase<VerifyPass> {
  using WaferVerifyBase::WaferVerifyBase;
  void runOnOperation() override;

private:
  bool failed = false;
  InFlightDiagnostic error(Operation *op) {
    failed = true;
    return op->emitOpError();
  }
  void checkDists(Operation *op);
  void checkStreams(ArrayRef<StreamOp> streams,
                    const MachineDescription &machine);
  void checkSRAM(ArrayRef<Operation *> ops, bool pipelined,
                 const MachineDescription &machine);
  /// Pipelined layers need rectangles of their own.
  void checkOverlaps(ArrayRef<Operation *> ops,
                     const MachineDescription &machine);
  /// Checks code and data per PE against the SRAM plan; false when there is
  /// no plan (no planner registered, or the module cannot be lowered).
  bool checkPlannedSRAM(ModuleOp module);
};
} // namespace

void VerifyPass::checkDists(Operation *op) {
  auto check = [&](Type type, StringRef what, unsigned index) {
    if (isa<RankedTensorType>(type) && !getDist(type))
      error(op) << what << " #" << index << " (" << type
                << ") has no distribution: run wafer-layout";
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    check(type, "operand", i);
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    check(type, "result", i);
}

void VerifyPass::checkSRAM(ArrayRef<Operation *> ops, bool pipelined,
                           const MachineDescription &machine) {
  int64_t code = codeReserveBytes(machine);
  int64_t sram = machine.sramBytes;
  if (!pipelined) {
    // Layers run one at a time: each owns SRAM while it runs, next to the
    // activations a training step keeps from forward for backward.
    llvm::DenseMap<Operation *, int64_t> kept;
    if (!ops.empty())
      for (auto func :
           ops.front()->getParentOfType<ModuleOp>().getOps<func::FuncOp>())
        for (auto [op, bytes] : keptActivationBytesPerPE(func))
          kept[op] = bytes;
    for (Operation *op : ops) {
      OpTiming t = estimateTiming(op, machine);
      int64_t held = kept.lookup(op);
      if (t.sramBytesPerPE + held + code <= sram)
        continue;
      auto diag = error(op);
      diag << "needs " << t.sramBytesPerPE + held + code << " bytes of SRAM on "
           << peOf(cast<PlacedOp>(op).getPlacementRect()) << "; the target has "
           << sram << " (activations " << t.activationBytesPerPE
           << ", weight buffers " << t.weightBytesPerPE;
      if (held)
        diag << ", kept for backward " << held;
      diag << ", code " << code << ")";
    }
    return;
  }
  // Pipelined: every op keeps its weights resident for the whole program,
  // so a PE holds the resident weights of every op on its rectangle plus
  // the activations of the op running (pipelinedSRAMByRect, the figure
  // wafer-place sizes rectangles for). Distinct rectangles do not overlap
  // (checkOverlaps), so grouping by rectangle covers every PE.
  for (const RectSRAM &g : pipelinedSRAMByRect(ops, machine)) {
    int64_t need = g.bytesPerPE() + code;
    if (need <= sram)
      continue;
    error(g.worst) << "needs " << need << " bytes of SRAM on " << peOf(g.rect)
                   << "; the target has " << sram << " (activations "
                   << g.worstActivations << ", resident weights " << g.resident
                   << " of " << g.ops << (g.ops == 1 ? " op" : " ops")
                   << ", code " << code << ")";
  }
}

void VerifyPass::checkOverlaps(ArrayRef<Operation *> ops,
                               const MachineDescription &machine) {
  SmallVector<RectAttr> rects;
  llvm::DenseMap<RectAttr, Operation *> worstOf;
  for (const RectSRAM &g : pipelinedSRAMByRect(ops, machine)) {
    rects.push_back(g.rect);
    worstOf[g.rect] = g.worst;
  }
  // Overlap of distinct rectangles: sweep by left edge.
  llvm::stable_sort(rects,
                    [](RectAttr a, RectAttr b) { return a.getX() < b.getX(); });
  for (size_t i = 0; i < rects.size(); ++i)
    for (size_t j = i + 1;
         j < rects.size() &&
         rects[j].getX() < rects[i].getX() + rects[i].getWidth();
         ++j) {
      if (!rects[i].overlaps(rects[j]))
        continue;
      Operation *a = worstOf[rects[i]], *b = worstOf[rects[j]];
      int64_t x = std::max(rects[i].getX(), rects[j].getX());
      int64_t y = std::max(rects[i].getY(), rects[j].getY());
      auto diag = error(b);
      diag << "rectangle " << rects[j] << " overlaps the rectangle " << rects[i]
           << " of '" << a->getName() << "' at PE (" << x << ", " << y
           << "); pipelined layers need rectangles of their own";
      diag.attachNote(a->getLoc()) << "the other op";
    }
}

void VerifyPass::checkStreams(ArrayRef<StreamOp> streams,
                              const MachineDescription &machine) {
  struct Window {
    double rate;
    int64_t start, end;
    StreamOp stream;
  };
  SmallVector<Window> windows;
  for (StreamOp stream : streams) {
    const char *missing = !stream.getOrder()        ? "order"
                          : !stream.getDepth()      ? "depth"
                          : !stream.getChunkBytes() ? "chunk_bytes"
                          : !stream.getRegion()     ? "region"
                          : !stream.getStartCycle() ? "start_cycle"
                                                    : nullptr;
    if (missing) {
      error(stream) << "@" << stream.getName() << " is not scheduled (no "
                    << missing << "): run wafer-schedule-streams";
      continue;
    }
    auto type = cast<RankedTensorType>(stream.getType());
    double bytes =
        double(type.getNumElements()) * elementBytes(type.getElementType());
    int64_t start = *stream.getStartCycle(), end = *stream.getEndCycle();
    // A zero-length window delivers its bytes in one cycle.
    double rate = bytes / double(std::max<int64_t>(end - start, 1));
    double available = streamBytesPerCycle(machine, *stream.getRegion());
    if (rate > available * (1 + 1e-9)) {
      error(stream) << "@" << stream.getName() << " delivers " << number(bytes)
                    << " bytes in cycles [" << start << ", " << end << "), "
                    << number(rate) << " bytes/cycle, but the edge ports "
                    << "of its region supply " << number(available) << " (PE ("
                    << stream.getRegion()->getX() << ", "
                    << stream.getRegion()->getY() << "))";
      continue;
    }
    windows.push_back({rate, start, end, stream});
  }
  // Concurrent windows share the machine's ports.
  double total = double(std::max<size_t>(machine.allPorts().size(), 1)) *
                 machine.streamBytesPerCycle;
  struct Event {
    int64_t cycle;
    bool begins;
    size_t window;
  };
  SmallVector<Event> events;
  for (auto [i, w] : llvm::enumerate(windows)) {
    if (w.end == w.start)
      continue;
    events.push_back({w.start, true, i});
    events.push_back({w.end, false, i});
  }
  // Half-open windows: an end at cycle c frees the ports before a start.
  llvm::sort(events, [](const Event &a, const Event &b) {
    return std::make_pair(a.cycle, a.begins) <
           std::make_pair(b.cycle, b.begins);
  });
  double active = 0;
  int64_t count = 0;
  for (const Event &e : events) {
    Window w = windows[e.window];
    if (!e.begins) {
      active -= w.rate;
      --count;
      continue;
    }
    active += w.rate;
    ++count;
    if (active > total * (1 + 1e-9) + 1e-9) {
      error(w.stream) << "@" << w.stream.getName() << " starts at cycle "
                      << w.start << " while " << count - 1
                      << " other streams are active: together they need "
                      << number(active)
                      << " bytes/cycle, the edge ports supply " << number(total)
                      << " (PE (" << w.stream.getRegion()->getX() << ", "
                      << w.stream.getRegion()->getY() << "))";
      return;
    }
  }
}

bool VerifyPass::checkPlannedSRAM(ModuleOp module) {
  const SRAMPlanner *planner = getSRAMPlanner(module.getContext());
  if (!planner)
    return false;
  std::string why;
  FailureOr<SRAMPlan> plan = planner->plan(module, why);
  if (mlir::failed(plan))
    return false;
  if (plan->fits)
    return true;
  Operation *at = plan->peakOp ? plan->peakOp : plan->failedOp;
  if (!at)
    at = module;
  failed = true;
  InFlightDiagnostic diag = at->emitError();
  diag << "the program needs " << plan->neededWords()
       << " words of SRAM per PE (code " << plan->codeWords << " words for "
       << plan->instructions << " instructions, data " << plan->dataWords
       << " words live at once); the target has " << plan->sramWords
       << " words: ";
  if (plan->neededWords() > plan->sramWords)
    diag << "short by " << plan->shortfallWords() << " words ("
         << 4 * plan->shortfallWords() << " bytes)";
  else
    diag << "enough, but no order of the buffers leaves room for @"
         << plan->failedBuffer << " (fragmentation)";
  if (plan->peakOp) {
    std::string layer = layerOf(plan->peakOp);
    diag << "; the busiest point is this "
         << plan->peakOp->getName().getStringRef();
    if (!layer.empty())
      diag << " of " << layer;
  }
  if (!plan->peakBuffers.empty()) {
    diag << " (largest buffers";
    for (auto [name, words] : plan->peakBuffers)
      diag << " " << name << "[" << words << "]";
    diag << ")";
  }
  return true;
}

void VerifyPass::runOnOperation() {
  ModuleOp module = getOperation();
  TargetAttr target = requireTarget(module, "wafer-verify");
  if (!target)
    return signalPassFailure();
  const MachineDescription &machine = target.getMachine();
  RectAttr mesh = target.getWholeMesh();
  auto mode = module->getAttrOfType<StringAttr>(kModeAttrName);
  bool pipelined = mode && mode.getValue() == "pipelined";

  SmallVector<Operation *> placed;
  SmallVector<StreamOp> streams;
  module.walk([&](Operation *op) {
    if (auto stream = dyn_cast<StreamOp>(op)) {
      checkDists(op);
      streams.push_back(stream);
      return;
    }
    auto placedOp = dyn_cast<PlacedOp>(op);
    if (!placedOp)
      return;
    checkDists(op);
    // Constants are replicated wherever they are used.
    if (isa<ConstantOp>(op))
      return;
    RectAttr rect = placedOp.getPlacementRect();
    if (!rect) {
      error(op) << "is not placed: run wafer-place";
      return;
    }
    if (!mesh.contains(rect)) {
      error(op) << "rectangle " << rect << " leaves the " << machine.width
                << "x" << machine.height << " mesh of target '" << machine.name
                << "' (PE (" << rect.getX() + rect.getWidth() - 1 << ", "
                << rect.getY() + rect.getHeight() - 1 << ") does not exist)";
      return;
    }
    int64_t colors = routingColors(op);
    if (colors > int64_t(machine.colors))
      error(op) << "needs " << colors << " routing colors on " << peOf(rect)
                << "; the target has " << machine.colors;
    placed.push_back(op);
  });
  // The plan is the lowering's own figure: where there is one, the per-op
  // estimates below are not needed (they ignore code and liveness).
  if (pipelined)
    checkOverlaps(placed, machine);
  if (failed || !planSRAM || !checkPlannedSRAM(module))
    checkSRAM(placed, pipelined, machine);
  checkStreams(streams, machine);
  if (failed)
    signalPassFailure();
  markAllAnalysesPreserved();
}

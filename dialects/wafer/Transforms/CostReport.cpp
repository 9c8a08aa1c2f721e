//===- CostReport.cpp - Print the cost model per op and in total ----------===//
//
// One row per op that runs (constants, parameters and streams have no run
// of their own; a stream's bytes are charged to its consumer), then totals.
// The IR is not changed. Formulas: docs/wafer/cost-model.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Analysis/CostModel.h"
#include "dialects/wafer/Analysis/LayerLoop.h"
#include "dialects/wafer/Analysis/SRAMPlan.h"
#include "dialects/wafer/Transforms/Passes.h"
#include "dialects/wafer/Transforms/TrainingCost.h"

#include "llvm/Support/FileSystem.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <tuple>

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERCOSTREPORT
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;
using wse::mesh::RectAttr;
using wse::mesh::requireTarget;
using wse::mesh::TargetAttr;
namespace json = llvm::json;

/// The ONNX node name of a location (imported ops carry NameLocs), else
/// file:line, else "-".
static std::string locationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location part : fused.getLocations())
      if (auto name = locationName(part); name != "-")
        return name;
    return "-";
  }
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (llvm::sys::path::filename(file.getFilename().getValue()) + ":" +
            std::to_string(file.getLine()))
        .str();
  return "-";
}

namespace {
struct Row {
  unsigned index;
  Operation *operation = nullptr;
  std::string op, location, rect;
  RectAttr placement;
  double flops;
  OpTiming t;
  std::string bound;
  int64_t layer = -1; ///< iteration of the layer loop, -1 outside it
  StepAttr step;      ///< phase and layer in a training step
};

struct Totals {
  double flops = 0, compute = 0, stream = 0, fabric = 0, roofline = 0,
         estimated = 0;
  int64_t streamedBytes = 0, maxSRAM = 0;
  double timeMs = 0, peakFraction = 0, tokensToKeepPace = 0;
  /// Pipelined mode: rectangles work on successive token batches at once, so
  /// a new batch can start every `pipelineInterval` cycles: the busiest
  /// rectangle's summed estimate. 0 in streaming mode.
  double pipelineInterval = 0;
  /// The layer loop (wafer-find-layer-loops): rows per layer, layers and
  /// the first row of the first layer; layers = 0 without a loop.
  int64_t rowsPerLayer = 0, layers = 0, firstLayerRow = -1;
};

/// The SRAM plan (SRAMPlan.h), or why there is none.
struct PlannedSRAM {
  std::optional<SRAMPlan> plan;
  std::string why;
  int64_t busiestRow = -1; ///< row of the op at the busiest point
};

struct CostReportPass : wse::wafer::impl::WaferCostReportBase<CostReportPass> {
  using WaferCostReportBase::WaferCostReportBase;
  void runOnOperation() override;
};
} // namespace

/// What limits the op most: the largest of its compute, stream and fabric
/// cycles (ties go to compute, then stream).
static std::string boundOf(const OpTiming &t) {
  if (t.fabricCycles > std::max(t.computeCycles, t.streamCycles))
    return "fabric";
  return t.streamCycles > t.computeCycles ? "stream" : "compute";
}

static PlannedSRAM planSRAM(ModuleOp module, ArrayRef<Row> rows) {
  PlannedSRAM p;
  const SRAMPlanner *planner = getSRAMPlanner(module.getContext());
  if (!planner) {
    p.why = "no planner registered";
    return p;
  }
  FailureOr<SRAMPlan> plan = planner->plan(module, p.why);
  if (failed(plan))
    return p;
  p.plan = *plan;
  for (const Row &r : rows)
    if (r.operation == plan->peakOp)
      p.busiestRow = r.index;
  return p;
}

static void printPlan(llvm::raw_ostream &os, const PlannedSRAM &p) {
  if (!p.plan) {
    os << "SRAM plan: none (" << p.why << ")\n";
    return;
  }
  const SRAMPlan &plan = *p.plan;
  os << llvm::format("SRAM plan per PE: code %lld words (%lld instructions) "
                     "+ data %lld words = %lld of %lld words (%lld bytes)",
                     (long long)plan.codeWords, (long long)plan.instructions,
                     (long long)plan.dataWords, (long long)plan.neededWords(),
                     (long long)plan.sramWords,
                     (long long)plan.neededWords() * 4);
  if (plan.fits)
    os << ", " << plan.sramWords - plan.neededWords() << " left";
  else
    os << (plan.neededWords() > plan.sramWords
               ? ", short by " + std::to_string(plan.shortfallWords()) +
                     " words"
               : ", does not pack (fragmentation: no room for @" +
                     plan.failedBuffer + ")");
  if (p.busiestRow >= 0) {
    os << "; busiest at #" << p.busiestRow;
    std::string layer = layerOf(plan.peakOp);
    if (!layer.empty())
      os << " (" << layer << ")";
  }
  if (!plan.peakBuffers.empty()) {
    os << ":";
    for (auto [name, words] : plan.peakBuffers)
      os << " " << name << "[" << words << "]";
  }
  os << "\n";
}

static json::Value toJSON(const PlannedSRAM &p) {
  if (!p.plan)
    return json::Object{{"unavailable", p.why}};
  const SRAMPlan &plan = *p.plan;
  json::Array largest;
  for (auto [name, words] : plan.peakBuffers)
    largest.push_back(json::Object{{"buffer", name}, {"words", words}});
  return json::Object{{"sram_words", plan.sramWords},
                      {"instructions", plan.instructions},
                      {"code_words", plan.codeWords},
                      {"data_words", plan.dataWords},
                      {"peak_live_words", plan.peakLiveWords},
                      {"needed_words", plan.neededWords()},
                      {"fits", plan.fits},
                      {"shortfall_words", plan.shortfallWords()},
                      {"busiest_op", p.busiestRow >= 0
                                         ? json::Value(p.busiestRow)
                                         : json::Value(nullptr)},
                      {"busiest_layer", layerOf(plan.peakOp)},
                      {"largest_buffers", std::move(largest)}};
}

static void printTable(llvm::raw_ostream &os, ArrayRef<Row> rows,
                       const Totals &total,
                       const wse::machine::MachineDescription &machine,
                       StringRef mode, const PlannedSRAM &planned) {
  os << "wafer cost report: target " << machine.name << " (" << machine.width
     << "x" << machine.height << "), mode " << mode << ", clock "
     << llvm::format("%.3g", machine.clockHz / 1e9) << " GHz, code reserve "
     << codeReserveBytes(machine) << " bytes/PE (not in SRAM/PE)\n";
  auto line = [&](StringRef index, StringRef op, StringRef loc, StringRef rect,
                  double flops, int64_t streamed, double compute, double stream,
                  double roofline, double estimated, StringRef bound,
                  int64_t sram, double tokens) {
    // Node names can be long; their end says the most (".../attn/Gemm").
    std::string where = loc.str();
    if (where.size() > 30)
      where = ".." + where.substr(where.size() - 28);
    os << llvm::format("%4s %-18s %-30s %-9s %14.0f %12lld %12.0f %12.0f "
                       "%12.0f %12.0f %-7s %8lld %10.0f\n",
                       index.str().c_str(), op.str().c_str(), where.c_str(),
                       rect.str().c_str(), flops, (long long)streamed, compute,
                       stream, roofline, estimated, bound.str().c_str(),
                       (long long)sram, tokens);
  };
  os << llvm::format("%4s %-18s %-30s %-9s %14s %12s %12s %12s %12s %12s "
                     "%-7s %8s %10s\n",
                     "#", "op", "location", "rect", "FLOPs", "streamed B",
                     "compute", "stream", "roofline", "estimated", "bound",
                     "SRAM/PE", "tokens");
  for (const Row &r : rows)
    line(std::to_string(r.index), r.op, r.location, r.rect, r.flops,
         r.t.streamedBytes, r.t.computeCycles, r.t.streamCycles,
         r.t.rooflineCycles, r.t.estimatedCycles, r.bound, r.t.sramBytesPerPE,
         r.t.tokensToKeepPace);
  line("", "total", "", "", total.flops, total.streamedBytes, total.compute,
       total.stream, total.roofline, total.estimated, "", total.maxSRAM,
       total.tokensToKeepPace);
  os << llvm::format("time %.6f ms at %.3g GHz; %.4f%% of peak FLOP/s; "
                     "tokens to keep pace %.0f\n",
                     total.timeMs, machine.clockHz / 1e9,
                     100.0 * total.peakFraction, total.tokensToKeepPace);
  printPlan(os, planned);
  if (total.layers > 0)
    os << llvm::format("layer loop: %lld layers of %lld rows from row %lld "
                       "run as one loop (one layer's code per PE)\n",
                       (long long)total.layers, (long long)total.rowsPerLayer,
                       (long long)total.firstLayerRow);
  if (total.pipelineInterval > 0)
    os << llvm::format(
        "pipelined: a new batch every %.0f cycles (the busiest "
        "rectangle), %.4f%% of peak FLOP/s in steady state\n",
        total.pipelineInterval,
        100.0 * total.flops /
            (total.pipelineInterval * machine.peakFlopsPerCycle()));
}

static json::Value toJSON(RectAttr rect) {
  if (!rect)
    return nullptr;
  return json::Object{{"x", rect.getX()},
                      {"y", rect.getY()},
                      {"width", rect.getWidth()},
                      {"height", rect.getHeight()}};
}

/// The stream schedule wafer-schedule-streams planned.
static json::Value toJSON(StreamOp s) {
  auto optional = [](std::optional<int64_t> v) {
    return v ? json::Value(*v) : json::Value(nullptr);
  };
  return json::Object{
      {"name", s.getName()},
      {"location", locationName(s.getLoc())},
      {"order", optional(s.getOrder())},
      {"start_cycle", optional(s.getStartCycle())},
      {"end_cycle", optional(s.getEndCycle())},
      {"depth", optional(s.getDepth())},
      {"chunk_bytes", optional(s.getChunkBytes())},
      {"resident", s.getResident()},
      {"region", toJSON(s.getRegionAttr())},
  };
}

static json::Value toJSON(const Row &r) {
  return json::Object{
      {"index", r.index},
      {"op", r.op},
      {"location", r.location},
      {"rect", r.rect},
      {"placement", toJSON(r.placement)},
      {"flops", r.flops},
      {"streamed_bytes", r.t.streamedBytes},
      {"compute_cycles", r.t.computeCycles},
      {"stream_cycles", r.t.streamCycles},
      {"fabric_cycles", r.t.fabricCycles},
      {"overhead_cycles", r.t.overheadCycles},
      {"roofline_cycles", r.t.rooflineCycles},
      {"estimated_cycles", r.t.estimatedCycles},
      {"bound", r.bound},
      {"sram_bytes_per_pe", r.t.sramBytesPerPE},
      {"activation_bytes_per_pe", r.t.activationBytesPerPE},
      {"weight_bytes_per_pe", r.t.weightBytesPerPE},
      {"tokens_to_keep_pace", r.t.tokensToKeepPace},
      {"layer", r.layer >= 0 ? json::Value(r.layer) : json::Value(nullptr)},
      {"phase", r.step ? json::Value(stringifyTrainingPhase(r.step.getPhase()))
                       : json::Value(nullptr)},
      {"step_layer", r.step && r.step.getLayer()
                         ? json::Value(*r.step.getLayer())
                         : json::Value(nullptr)},
  };
}

/// Writes to stderr ('-' for the table), stdout ('-' for JSON) or a file.
static LogicalResult writeTo(ModuleOp module, StringRef path, bool isTable,
                             function_ref<void(llvm::raw_ostream &)> write) {
  if (path == "-") {
    write(isTable ? llvm::errs() : llvm::outs());
    return success();
  }
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return mlir::emitError(module.getLoc())
           << "wafer-cost-report: cannot write '" << path
           << "': " << ec.message();
  write(os);
  return success();
}

void CostReportPass::runOnOperation() {
  markAllAnalysesPreserved();
  ModuleOp module = getOperation();
  TargetAttr target = requireTarget(module, "wafer-cost-report");
  if (!target)
    return signalPassFailure();
  const auto &machine = target.getMachine();
  auto modeAttr = module->getAttrOfType<StringAttr>(kModeAttrName);
  std::string mode = modeAttr ? modeAttr.getValue().str() : "stream";

  SmallVector<Row, 0> rows;
  Totals total;
  double paceStream = 0, paceComputePerToken = 0;
  module.walk([&](Operation *op) {
    if (!isa<PlacedOp>(op) || isa<ConstantOp>(op))
      return;
    Row r;
    r.index = rows.size();
    r.operation = op;
    r.op = op->getName().getStringRef().str();
    r.location = locationName(op->getLoc());
    RectAttr rect = cast<PlacedOp>(op).getPlacementRect();
    r.placement = rect;
    r.rect = rect ? std::to_string(rect.getWidth()) + "x" +
                        std::to_string(rect.getHeight())
                  : "unplaced";
    r.flops = estimateWork(op).flops;
    r.t = estimateTiming(op, machine);
    r.bound = boundOf(r.t);
    r.step = op->getAttrOfType<StepAttr>(kStepAttrName);
    if (auto layer = op->getAttrOfType<IntegerAttr>(kLayerAttrName)) {
      r.layer = layer.getInt();
      total.layers = std::max(total.layers, r.layer + 1);
      if (r.layer == 0) {
        ++total.rowsPerLayer;
        if (total.firstLayerRow < 0)
          total.firstLayerRow = r.index;
      }
    }
    total.flops += r.flops;
    total.streamedBytes += r.t.streamedBytes;
    total.compute += r.t.computeCycles;
    total.stream += r.t.streamCycles;
    total.fabric += r.t.fabricCycles;
    total.roofline += r.t.rooflineCycles;
    total.estimated += r.t.estimatedCycles;
    total.maxSRAM = std::max(total.maxSRAM, r.t.sramBytesPerPE);
    if (r.t.tokensToKeepPace > 0) {
      paceStream += r.t.streamCycles;
      paceComputePerToken += r.t.streamCycles / r.t.tokensToKeepPace;
    }
    rows.push_back(std::move(r));
  });
  if (mode == "pipelined") {
    std::map<std::tuple<int64_t, int64_t, int64_t, int64_t>, double> perRect;
    module.walk([&](PlacedOp placed) {
      RectAttr rect = placed.getPlacementRect();
      if (!rect || isa<ConstantOp>(placed.getOperation()))
        return;
      perRect[{rect.getX(), rect.getY(), rect.getWidth(), rect.getHeight()}] +=
          estimateTiming(placed.getOperation(), machine).estimatedCycles;
    });
    for (auto &entry : perRect)
      total.pipelineInterval = std::max(total.pipelineInterval, entry.second);
  }
  total.timeMs = total.estimated / machine.clockHz * 1e3;
  if (total.estimated > 0)
    total.peakFraction =
        total.flops / (total.estimated * machine.peakFlopsPerCycle());
  // The tokens at which the streamed layers' compute, summed, takes as long
  // as their weights take to stream.
  if (paceComputePerToken > 0)
    total.tokensToKeepPace = paceStream / paceComputePerToken;

  std::optional<TrainingCost> training = measureTrainingStep(module, machine);
  PlannedSRAM planned = planSRAM(module, rows);
  if (!table.empty() &&
      failed(
          writeTo(module, table, /*isTable=*/true, [&](llvm::raw_ostream &os) {
            printTable(os, rows, total, machine, mode, planned);
            if (training)
              printTrainingCost(os, *training, machine);
          })))
    return signalPassFailure();
  if (json.empty())
    return;
  json::Array ops;
  for (const Row &r : rows)
    ops.push_back(toJSON(r));
  json::Array streams;
  module.walk([&](StreamOp s) { streams.push_back(toJSON(s)); });
  json::Value report = json::Object{
      {"target", machine.name},
      {"mode", mode},
      {"clock_hz", machine.clockHz},
      {"ops", std::move(ops)},
      {"streams", std::move(streams)},
      {"total",
       json::Object{
           {"flops", total.flops},
           {"streamed_bytes", total.streamedBytes},
           {"compute_cycles", total.compute},
           {"stream_cycles", total.stream},
           {"fabric_cycles", total.fabric},
           {"roofline_cycles", total.roofline},
           {"estimated_cycles", total.estimated},
           {"max_sram_bytes_per_pe", total.maxSRAM},
           {"code_reserve_bytes", codeReserveBytes(machine)},
           {"sram_plan", toJSON(planned)},
           {"time_ms", total.timeMs},
           {"peak_fraction", total.peakFraction},
           {"tokens_to_keep_pace", total.tokensToKeepPace},
           {"pipeline_interval_cycles", total.pipelineInterval},
           {"layer_loop", total.layers > 0
                              ? json::Value(json::Object{
                                    {"layers", total.layers},
                                    {"rows_per_layer", total.rowsPerLayer},
                                    {"first_row", total.firstLayerRow}})
                              : json::Value(nullptr)},
       }},
      {"training",
       training ? toJSON(*training, machine) : json::Value(nullptr)},
  };
  if (failed(
          writeTo(module, json, /*isTable=*/false, [&](llvm::raw_ostream &os) {
            os << llvm::formatv("{0:2}", report) << "\n";
          })))
    return signalPassFailure();
}

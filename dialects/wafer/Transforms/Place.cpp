//===- Place.cpp - Give every wafer op a rectangle of PEs -----------------===//
//
// stream mode: every op runs on the whole area, one after another, and the
// weights stream in. pipelined mode: every layer keeps its weights resident
// on its own rectangle, sized by its bytes and its FLOPs (PlacePacking.cpp);
// data movement and constants join the layer they feed. The rules and the
// packing algorithm are in docs/wafer/placement.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Analysis/CostModel.h"
#include "dialects/wafer/Transforms/LayoutRules.h"
#include "dialects/wafer/Transforms/Passes.h"
#include "dialects/wafer/Transforms/PlacePacking.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERPLACE
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;
using wse::mesh::RectAttr;
using wse::mesh::requireTarget;
using wse::mesh::TargetAttr;

/// Bytes in the largest binary unit that keeps the number >= 1.
static std::string formatBytes(double bytes) {
  static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.1f", bytes) << " " << units[unit];
  return text;
}

static std::string rectString(RectAttr rect) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << rect.getX() << "," << rect.getY() << "," << rect.getWidth() << ","
     << rect.getHeight();
  return text;
}

/// The layers of pipelined mode: ops that compute (and so own SRAM and
/// FLOPs). Everything else placed joins one of them.
static bool isLayer(Operation *op) {
  return isa<LinearOp, MatmulOp, ElementwiseOp, LayerNormOp, RMSNormOp,
             SoftmaxOp, ReduceOp, EmbeddingOp>(op);
}

/// The smallest rectangle holding every placed user of `stream`, or null.
static RectAttr consumerRegion(StreamOp stream) {
  SmallVector<RectAttr> rects;
  for (Operation *user : stream->getUsers())
    if (auto placed = dyn_cast<PlacedOp>(user))
      rects.push_back(placed.getPlacementRect());
  return wse::mesh::boundingBox(rects);
}

namespace {
struct PlacePass : wse::wafer::impl::WaferPlaceBase<PlacePass> {
  using WaferPlaceBase::WaferPlaceBase;

  void runOnOperation() override;

private:
  FailureOr<RectAttr> parseArea(TargetAttr target);
  LogicalResult placePipelined(func::FuncOp func, RectAttr area,
                               const wse::machine::MachineDescription &machine,
                               bool wholeMesh);
};
} // namespace

/// The `rect` option, checked against the mesh; the whole mesh without it.
FailureOr<RectAttr> PlacePass::parseArea(TargetAttr target) {
  ModuleOp module = getOperation();
  if (rect.empty())
    return target.getWholeMesh();
  auto rectText = [&] {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvm::interleave(rect, os, ",");
    return text;
  };
  if (rect.size() != 4) {
    emitError(module.getLoc())
        << "wafer-place: invalid rect '" << rectText()
        << "': expected x,y,width,height (four integers)";
    return failure();
  }
  int64_t x = rect[0], y = rect[1], w = rect[2], h = rect[3];
  if (x < 0 || y < 0 || w <= 0 || h <= 0) {
    emitError(module.getLoc())
        << "wafer-place: rect '" << rectText()
        << "' needs a non-negative corner and a positive size";
    return failure();
  }
  const auto &m = target.getMachine();
  if (x + w > int64_t(m.width) || y + h > int64_t(m.height)) {
    emitError(module.getLoc())
        << "wafer-place: rect '" << rectText() << "' does not fit in the "
        << m.width << "x" << m.height << " mesh of '" << m.name << "'";
    return failure();
  }
  return RectAttr::get(module.getContext(), x, y, w, h);
}

void PlacePass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = module.getContext();
  TargetAttr target = requireTarget(module, "wafer-place");
  if (!target)
    return signalPassFailure();
  FailureOr<RectAttr> area = parseArea(target);
  if (failed(area))
    return signalPassFailure();
  if (mode == PlacementMode::pipelined)
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(kTrainingStepAttrName)) {
        func.emitError("wafer-place: a training step streams its weights "
                       "in for forward and again for backward: use "
                       "mode=stream");
        return signalPassFailure();
      }
  module->setAttr(kModeAttrName,
                  StringAttr::get(ctx, stringifyPlacementMode(mode)));

  if (mode == PlacementMode::stream) {
    int64_t placed = 0;
    module.walk([&](PlacedOp op) {
      op.setPlacementRect(*area);
      ++placed;
    });
    if (explain)
      emitRemark(module.getLoc())
          << "wafer-place: mode=stream: all " << placed << " ops run one "
          << "after another on " << rectString(*area) << " ("
          << area->getNumPEs() << " PEs), weights streamed";
  } else {
    bool wholeMesh = rect.empty();
    for (auto func : module.getOps<func::FuncOp>())
      if (failed(placePipelined(func, *area, target.getMachine(), wholeMesh)))
        return signalPassFailure();
  }

  bool resident = mode == PlacementMode::pipelined;
  module.walk([&](StreamOp stream) {
    RectAttr region = consumerRegion(stream);
    stream.setRegionAttr(region ? region : *area);
    stream.setResident(resident);
  });
  // Gradients leave from where they are computed.
  module.walk([&](StreamOutOp out) {
    auto producer = out.getGradient().getDefiningOp<PlacedOp>();
    RectAttr region = producer ? producer.getPlacementRect() : RectAttr();
    out.setRegionAttr(region ? region : *area);
  });
}

/// Places the layers of `func` on rectangles of `area` and attaches every
/// other placed op to a layer.
LogicalResult
PlacePass::placePipelined(func::FuncOp func, RectAttr area,
                          const wse::machine::MachineDescription &machine,
                          bool wholeMesh) {
  int64_t usable = int64_t(machine.sramBytes) - codeReserveBytes(machine);
  if (usable <= 0)
    return emitError(func.getLoc())
           << "wafer-place: the code reserve of " << codeReserveBytes(machine)
           << " bytes leaves no SRAM on '" << machine.name << "'";

  // Program order, layers, and for every other placed op the layer it joins.
  SmallVector<Operation *> ops;
  SmallVector<Operation *> layers;
  DenseMap<Operation *, int64_t> position, owner;
  func.walk([&](PlacedOp placed) {
    Operation *op = placed;
    position[op] = ops.size();
    ops.push_back(op);
    if (isLayer(op)) {
      owner[op] = layers.size();
      layers.push_back(op);
    }
  });
  // Data movement and constants join their first consumer in program order
  // (users come later in a block, so a reverse walk sees them resolved)...
  for (Operation *op : llvm::reverse(ops)) {
    if (owner.count(op))
      continue;
    Operation *first = nullptr;
    for (Operation *user : op->getUsers())
      if (owner.count(user) && (!first || position[user] < position[first]))
        first = user;
    if (first)
      owner[op] = owner[first];
  }
  // ...else their producer, else the nearest layer before them (after them
  // when none precedes).
  int64_t lastLayer = -1;
  for (Operation *op : ops) {
    if (owner.count(op)) {
      lastLayer = std::max(lastLayer, owner[op]);
      continue;
    }
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        if (owner.count(def)) {
          owner[op] = owner[def];
          break;
        }
    if (!owner.count(op) && !layers.empty())
      owner[op] = lastLayer >= 0 ? lastLayer : 0;
  }

  // Each layer's minimum: its resident weights (its own and those of the ops
  // that join it) and its activations, in whole PEs.
  SmallVector<int64_t> residentBytes(layers.size(), 0);
  for (Operation *op : ops)
    if (owner.count(op))
      residentBytes[owner[op]] += estimateWork(op).weightBytes;
  std::vector<placement::LayerDemand> demands;
  int64_t totalMin = 0;
  for (auto [i, layer] : llvm::enumerate(layers)) {
    OpWork work = estimateWork(layer);
    int64_t bytes = residentBytes[i] + work.activationBytes;
    int64_t minPEs = std::max<int64_t>(1, (bytes + usable - 1) / usable);
    demands.push_back({minPEs, work.flops});
    totalMin += minPEs;
  }

  std::string where =
      wholeMesh ? std::string("the mesh") : "the rectangle " + rectString(area);
  int64_t areaPEs = area.getNumPEs();
  if (totalMin > areaPEs) {
    int64_t shortBy = totalMin - areaPEs;
    return emitError(func.getLoc())
           << "model does not fit on '" << machine.name
           << "' in pipelined mode: its weights and activations need "
           << totalMin << " PEs (" << formatBytes(double(totalMin) * usable)
           << ") but " << where << " has " << areaPEs << " PEs ("
           << formatBytes(double(areaPEs) * usable) << "); short by " << shortBy
           << " PEs (" << formatBytes(double(shortBy) * usable)
           << "); use mode=stream or a larger target";
  }

  MLIRContext *ctx = func.getContext();
  int64_t sram = int64_t(machine.sramBytes);
  auto toRects = [&](const placement::Packing &packing) {
    SmallVector<RectAttr> rects;
    for (const placement::Box &box : packing.boxes)
      rects.push_back(RectAttr::get(ctx, area.getX() + box.x,
                                    area.getY() + box.y, box.width,
                                    box.height));
    return rects;
  };
  auto bytesMessage = [&](InFlightDiagnostic &diag, const RectSRAM &g) {
    diag << g.bytesPerPE() + codeReserveBytes(machine)
         << " bytes of SRAM per PE"
         << " (activations " << g.worstActivations << ", resident weights "
         << g.resident << " of " << g.ops << (g.ops == 1 ? " op" : " ops")
         << ", code " << codeReserveBytes(machine) << "); a PE has " << sram;
  };

  // The minimums assume perfect spreading; block distributions (whole
  // blocks per PE, idle PEs where a dimension is smaller than its axis) and
  // the activations of the data movement that joined a layer can need more.
  // So: pack, lay out a scratch copy of the function exactly as wafer-layout
  // will, measure every rectangle as wafer-verify will, and raise the
  // minimum of every layer that overflows; repeat (bounded).
  constexpr int kMaxRounds = 12;
  SmallVector<RectAttr> rects;
  for (int round = 0;; ++round) {
    auto packing =
        placement::packLayers(demands, area.getWidth(), area.getHeight());
    if (!packing) {
      int64_t largest = 0;
      for (const auto &demand : demands)
        largest = std::max(largest, demand.minPEs);
      return emitError(func.getLoc())
             << "wafer-place cannot pack the " << layers.size()
             << " layers into " << where << " (" << area.getWidth() << "x"
             << area.getHeight() << ") in pipelined mode: their minimum "
             << "rectangles need " << totalMin << " of " << areaPEs
             << " PEs (largest layer " << largest
             << " PEs) but rounding them to rectangles leaves no room; use "
                "mode=stream or a larger target";
    }
    rects = toRects(*packing);

    // The scratch copy, placed and laid out.
    auto scratch = cast<func::FuncOp>(func->clone());
    auto eraseScratch = llvm::make_scope_exit([&] { scratch->erase(); });
    SmallVector<Operation *> copies;
    scratch.walk([&](PlacedOp placed) { copies.push_back(placed); });
    assert(copies.size() == ops.size() && "clone changed the placed ops");
    for (auto [op, copy] : llvm::zip(ops, copies))
      cast<PlacedOp>(copy).setPlacementRect(owner.count(op) ? rects[owner[op]]
                                                            : area);
    scratch.walk([&](StreamOp stream) {
      RectAttr region = consumerRegion(stream);
      stream.setRegionAttr(region ? region : area);
      stream.setResident(true);
    });
    layout::layoutFunction(scratch);
    SmallVector<Operation *> laidOut;
    scratch.walk([&](PlacedOp placed) { laidOut.push_back(placed); });

    DenseMap<RectAttr, int64_t> layerOf;
    for (auto [i, rect] : llvm::enumerate(rects))
      layerOf[rect] = i;
    bool grown = false;
    SmallVector<RectSRAM> groups = pipelinedSRAMByRect(laidOut, machine);
    for (const RectSRAM &g : groups) {
      if (g.bytesPerPE() <= usable)
        continue;
      auto it = layerOf.find(g.rect);
      Operation *layer = it != layerOf.end() ? layers[it->second] : g.worst;
      // The smallest a PE's share can get is on the whole area: blocks
      // never grow with an extent.
      SmallVector<Operation *> members;
      for (Operation *op : laidOut)
        if (cast<PlacedOp>(op).getPlacementRect() == g.rect)
          members.push_back(op);
      RectSRAM best = pipelinedSRAMOn(members, machine, area);
      if (it == layerOf.end() || best.bytesPerPE() > usable) {
        auto diag = layer->emitOpError();
        diag << "cannot fit in pipelined mode even on all of " << where << " ("
             << area.getWidth() << "x" << area.getHeight() << "): with the "
             << "ops that share its rectangle it needs ";
        bytesMessage(diag, best);
        diag << " (its distributions leave too few blocks to spread); use "
                "mode=stream";
        return failure();
      }
      if (round + 1 >= kMaxRounds) {
        auto diag = layer->emitOpError();
        diag << "does not fit on its rectangle " << g.rect << " after "
             << kMaxRounds << " rounds of wafer-place sizing: it needs ";
        bytesMessage(diag, g);
        diag << "; use mode=stream or a larger target";
        return failure();
      }
      // Grow to what the measured bytes imply, and by at least a quarter.
      int64_t i = it->second, have = g.rect.getNumPEs();
      int64_t implied = int64_t(
          std::ceil(double(have) * double(g.bytesPerPE()) / double(usable)));
      int64_t grownMin =
          std::max({implied, have + std::max<int64_t>(1, have / 4),
                    demands[i].minPEs + 1});
      totalMin += grownMin - demands[i].minPEs;
      demands[i].minPEs = grownMin;
      grown = true;
    }
    if (!grown)
      break;
    if (totalMin > areaPEs) {
      int64_t shortBy = totalMin - areaPEs;
      return emitError(func.getLoc())
             << "model does not fit on '" << machine.name
             << "' in pipelined mode: with its tensors split into whole "
             << "blocks per PE its layers need " << totalMin << " PEs but "
             << where << " has " << areaPEs << " PEs; short by " << shortBy
             << " PEs (" << formatBytes(double(shortBy) * usable)
             << "); use mode=stream or a larger target";
    }
  }

  for (Operation *op : ops) {
    // Only a function without layers leaves ops unowned.
    RectAttr rect = owner.count(op) ? rects[owner[op]] : area;
    cast<PlacedOp>(op).setPlacementRect(rect);
  }
  if (explain) {
    double totalFlops = 0;
    for (const auto &demand : demands)
      totalFlops += demand.flops;
    int64_t used = 0;
    for (auto [i, layer] : llvm::enumerate(layers)) {
      used += rects[i].getNumPEs();
      int64_t joined = llvm::count_if(ops, [&](Operation *op) {
        auto it = owner.find(op);
        return op != layer && it != owner.end() && it->second == int64_t(i);
      });
      emitRemark(layer->getLoc())
          << "wafer-place: layer " << i << " on " << rectString(rects[i])
          << " (" << rects[i].getNumPEs() << " PEs): at least "
          << demands[i].minPEs << " PEs to hold "
          << formatBytes(double(residentBytes[i]) +
                         double(estimateWork(layer).activationBytes))
          << " of weights and activations in " << formatBytes(double(usable))
          << " of SRAM per PE (" << joined << " joined ops), then sized by "
          << "its share of the work ("
          << llvm::formatv("{0:f1}", totalFlops > 0
                                         ? 100.0 * demands[i].flops / totalFlops
                                         : 0.0)
                 .str()
          << "% of the flops)";
    }
    emitRemark(func.getLoc())
        << "wafer-place: mode=pipelined: " << layers.size() << " layers on "
        << used << " of " << areaPEs << " PEs of " << where;
  }
  return success();
}

//===- WaferToPE.cpp - The convert-wafer-to-pe pass -----------------------===//
//
// Sets up the kernel rectangle, its fabric patterns (pe.channel + pe.flow)
// and the entry task, then lets Lowering write the code op by op.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "wse/Conversion/Passes.h"

#include "dialects/pe/IR/PEDialect.h"
#include "dialects/wafer/IR/WaferOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <map>

namespace wse {
#define GEN_PASS_DEF_CONVERTWAFERTOPE
#include "wse/Conversion/Passes.h.inc"
} // namespace wse

using namespace mlir;
using namespace wse;
using namespace wse::pe;
using namespace wse::pe::lowering;

namespace {

struct ConvertWaferToPEPass
    : wse::impl::ConvertWaferToPEBase<ConvertWaferToPEPass> {
  using ConvertWaferToPEBase::ConvertWaferToPEBase;
  void runOnOperation() override;
};

} // namespace

/// The bounding box of every placement and stream region, widened to reach
/// the west edge on a row with a port (inputs, weights and outputs use it).
static FailureOr<std::pair<mesh::RectAttr, std::string>>
kernelRectangle(ModuleOp module, func::FuncOp func,
                const machine::MachineDescription &m) {
  SmallVector<mesh::RectAttr> rects;
  WalkResult walk = func.walk([&](Operation *op) {
    if (op->getParentOp() != func)
      return WalkResult::advance();
    if (auto placed = dyn_cast<wafer::PlacedOp>(op)) {
      if (!placed.getPlacementRect()) {
        op->emitOpError(
            "is not placed; run wafer-place before convert-wafer-to-pe");
        return WalkResult::interrupt();
      }
      rects.push_back(placed.getPlacementRect());
    } else if (auto s = dyn_cast<wafer::StreamOp>(op)) {
      rects.push_back(s.getRegionAttr());
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  mesh::RectAttr box = mesh::boundingBox(rects);
  int64_t x0 = 0, y0 = box ? box.getY() : 0, x1 = box ? box.getEndX() : 1,
          y1 = box ? box.getEndY() : 1;
  std::vector<machine::EdgePort> ports = m.ports(machine::Side::West);
  if (ports.empty()) {
    emitError(module.getLoc())
        << "convert-wafer-to-pe: target '" << m.name
        << "' has no west edge port to stream weights and inputs through";
    return failure();
  }
  // The first port inside the rows, else the nearest one (grow to it).
  const machine::EdgePort *best = nullptr;
  for (const machine::EdgePort &p : ports)
    if (int64_t(p.row) >= y0 && int64_t(p.row) < y1) {
      best = &p;
      break;
    }
  if (!best) {
    best = &ports.front();
    for (const machine::EdgePort &p : ports)
      if (std::abs(int64_t(p.row) - y0) < std::abs(int64_t(best->row) - y0))
        best = &p;
    y0 = std::min<int64_t>(y0, best->row);
    y1 = std::max<int64_t>(y1, best->row + 1);
  }
  auto rect =
      mesh::RectAttr::get(module.getContext(), x0, y0, x1 - x0, y1 - y0);
  return std::make_pair(rect, best->name());
}

/// The stream bands of `rect` (docs/pe/lowering.md "Stream bands"): a band
/// from each row with ports inside the rectangle to the next such row, fed by
/// that row's ports on the rectangle's own edges (the east side only when
/// the rectangle reaches it). None with fewer than two such rows: one band
/// would stream what the inbound multicast streams.
static SmallVector<StreamBand>
streamBands(mesh::RectAttr rect, const machine::MachineDescription &m) {
  bool eastEdge = rect.getEndX() == int64_t(m.width) && rect.getWidth() > 1;
  std::map<int64_t, SmallVector<std::string, 2>> portsOfRow;
  for (const machine::EdgePort &p : m.allPorts()) {
    int64_t row = int64_t(p.row) - rect.getY();
    if (row < 0 || row >= rect.getHeight())
      continue;
    if (p.side == machine::Side::West)
      portsOfRow[row].insert(portsOfRow[row].begin(), p.name());
    else if (eastEdge)
      portsOfRow[row].push_back(p.name());
  }
  SmallVector<StreamBand> bands;
  for (auto &[row, ports] : portsOfRow) {
    if (!bands.empty())
      bands.back().rowEnd = row;
    bands.push_back({bands.empty() ? 0 : row, rect.getHeight(), ports});
  }
  if (bands.size() < 2)
    bands.clear();
  return bands;
}

void ConvertWaferToPEPass::runOnOperation() {
  if (failed(lowerWaferToPE(getOperation(), marks)))
    signalPassFailure();
}

LogicalResult wse::lowerWaferToPE(ModuleOp module, bool marks) {
  mesh::TargetAttr target = mesh::requireTarget(module, "convert-wafer-to-pe");
  if (!target)
    return failure();
  const machine::MachineDescription &m = target.getMachine();
  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  if (funcs.size() != 1) {
    emitError(module.getLoc())
        << "convert-wafer-to-pe: expected one function (the model), found "
        << funcs.size();
    return failure();
  }
  func::FuncOp func = funcs.front();
  FailureOr<std::pair<mesh::RectAttr, std::string>> rectAndPort =
      kernelRectangle(module, func, m);
  if (failed(rectAndPort))
    return failure();
  auto [rect, port] = *rectAndPort;
  MLIRContext *ctx = module.getContext();
  Location loc = func.getLoc();

  OpBuilder decls(ctx), tail(ctx);
  decls.setInsertionPointToEnd(module.getBody());
  auto anchor = ChannelOp::create(decls, loc, "inbound");
  decls.setInsertionPoint(anchor);

  // Channels and their fabric patterns.
  OpBuilder b(ctx);
  b.setInsertionPointAfter(anchor);
  Channels ch;
  ch.inbound = FlatSymbolRefAttr::get(ctx, "inbound");
  auto channel = [&](StringRef name) {
    ChannelOp::create(b, loc, name);
    return FlatSymbolRefAttr::get(ctx, name);
  };
  ch.outbound = channel("outbound");
  if (rect.getHeight() > 1) {
    ch.colEven = channel("col_even");
    ch.colOdd = channel("col_odd");
    ch.colBack = channel("col_back");
  }
  if (rect.getWidth() > 1) {
    ch.rowEven = channel("row_even");
    ch.rowOdd = channel("row_odd");
    ch.rowBack = channel("row_back");
  }
  ch.bands = streamBands(rect, m);
  if (!ch.bands.empty())
    ch.banded = channel("inbound_bands");
  auto kernel = KernelOp::create(b, loc, "model");
  kernel.getBody().emplaceBlock();
  OpBuilder kb(ctx);
  kb.setInsertionPointToEnd(&kernel.getBody().front());
  auto task = TaskOp::create(kb, loc, "run", TaskTrigger::entry, Attribute());
  task.getBody().emplaceBlock();
  PlaceOp::create(b, loc, "model", rect);
  auto flow = [&](FlatSymbolRefAttr c, FlowKind kind, mesh::RectAttr over,
                  StringRef dir, StringRef portName,
                  std::optional<int64_t> phase) {
    FlowOp::create(b, loc, c.getValue(), kind, over,
                   dir.empty() ? DirAttr()
                               : DirAttr::get(ctx, *symbolizeDir(dir)),
                   getPortByName(ctx, portName),
                   phase ? b.getI64IntegerAttr(*phase) : IntegerAttr());
  };
  flow(ch.inbound, FlowKind::multicast, rect, "", port, std::nullopt);
  std::optional<machine::EdgePort> p = m.portByName(port);
  flow(ch.outbound, FlowKind::egress,
       mesh::RectAttr::get(ctx, 0, int64_t(p->row), 1, 1), "", port,
       std::nullopt);
  if (ch.colEven) {
    flow(ch.colEven, FlowKind::chain, rect, "S", "", 0);
    flow(ch.colOdd, FlowKind::chain, rect, "S", "", 1);
    flow(ch.colBack, FlowKind::broadcast, rect, "N", "", std::nullopt);
  }
  if (ch.rowEven) {
    flow(ch.rowEven, FlowKind::chain, rect, "E", "", 0);
    flow(ch.rowOdd, FlowKind::chain, rect, "E", "", 1);
    flow(ch.rowBack, FlowKind::broadcast, rect, "W", "", std::nullopt);
  }
  if (ch.banded) {
    for (const StreamBand &band : ch.bands) {
      // The west port's multicast takes the western columns and the east
      // port's the rest.
      int64_t x = rect.getX(), w = rect.getWidth(),
              split = band.ports.size() == 2 ? w / 2 : w;
      for (const std::string &p : band.ports) {
        bool west = m.portByName(p)->side == machine::Side::West;
        flow(ch.banded, FlowKind::multicast,
             mesh::RectAttr::get(
                 ctx, west ? x : x + split, rect.getY() + band.rowBegin,
                 west ? split : w - split, band.rowEnd - band.rowBegin),
             "", p, std::nullopt);
      }
    }
  }
  tail.setInsertionPointToEnd(module.getBody());

  Emitter emitter(kernel, task, loc);
  Lowering lowering(module, func, rect, m, emitter, ch, port, decls, tail);
  lowering.setMarks(marks);
  if (failed(lowering.run()))
    return failure();
  emitter.finish([&](StringRef name, ArrayRef<RegAttr> params) {
    lowering.emitSubroutine(name, params);
  });

  func.erase();
  // The optimizer is the weight store's, off the wafer: the program streams
  // the gradients out and the host (wse-train --on emu) applies it.
  for (auto store :
       llvm::make_early_inc_range(module.getOps<wafer::StoreOptimizerOp>()))
    store.erase();
  for (auto param :
       llvm::make_early_inc_range(module.getOps<wafer::ParameterOp>()))
    param.erase();
  return success();
}

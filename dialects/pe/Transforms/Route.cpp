//===- Route.cpp - Expand pe.flow patterns into pe.route ops --------------===//

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/pe/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace wse::pe {
#define GEN_PASS_DEF_PEROUTE
#include "dialects/pe/Transforms/Passes.h.inc"
} // namespace wse::pe

using namespace mlir;
using namespace wse::pe;

namespace {

/// Output letters in N E S W R order.
std::string letters(bool n, bool e, bool s, bool w, bool r) {
  std::string out;
  if (n)
    out += 'N';
  if (e)
    out += 'E';
  if (s)
    out += 'S';
  if (w)
    out += 'W';
  if (r)
    out += 'R';
  return out;
}

char opposite(char d) {
  switch (d) {
  case 'N':
    return 'S';
  case 'S':
    return 'N';
  case 'E':
    return 'W';
  default:
    return 'E';
  }
}

struct RoutePass : wse::pe::impl::PERouteBase<RoutePass> {
  using PERouteBase::PERouteBase;

  FlowOp flow;
  OpBuilder *builder = nullptr;

  void emit(int64_t x, int64_t y, int64_t w, int64_t h, char in,
            StringRef outs) {
    if (w <= 0 || h <= 0 || outs.empty())
      return;
    DirSet set = DirSet(0);
    for (char c : outs)
      set = set | DirSet(1u << uint32_t(*symbolizeDir(StringRef(&c, 1))));
    RouteOp::create(*builder, flow.getLoc(),
                    wse::mesh::RectAttr::get(builder->getContext(), x, y, w, h),
                    flow.getChannelAttr(), *symbolizeDir(StringRef(&in, 1)),
                    set);
  }

  /// Routes for indices [i1, i2] along `dir` of the flow's rectangle (a
  /// strip across every line).
  void emitStrip(char dir, int64_t i1, int64_t i2, char in, StringRef outs) {
    wse::mesh::RectAttr r = flow.getRect();
    int64_t x0 = r.getX(), y0 = r.getY(), w = r.getWidth(), h = r.getHeight(),
            n = i2 - i1 + 1;
    switch (dir) {
    case 'E':
      return emit(x0 + i1, y0, n, h, in, outs);
    case 'W':
      return emit(x0 + w - 1 - i2, y0, n, h, in, outs);
    case 'S':
      return emit(x0, y0 + i1, w, n, in, outs);
    default: // N
      return emit(x0, y0 + h - 1 - i2, w, n, in, outs);
    }
  }

  LogicalResult expandMulticast(const wse::machine::MachineDescription &m) {
    wse::mesh::RectAttr rc = flow.getRect();
    int64_t x0 = rc.getX(), y0 = rc.getY(), w = rc.getWidth(),
            h = rc.getHeight();
    std::optional<wse::machine::EdgePort> port =
        m.portByName(flow.getPortAttr().getName());
    if (!port)
      return flow.emitOpError("port '")
             << flow.getPortAttr().getName() << "' does not exist on machine '"
             << m.name << "'";
    int64_t r = port->row;
    if (r < y0 || r >= y0 + h)
      return flow.emitOpError("port ")
             << flow.getPortAttr().getName() << " is on row " << r
             << ", which does not cross the rect (rows " << y0 << " to "
             << y0 + h - 1 << ")";
    if (x0 + w > int64_t(m.width))
      return flow.emitOpError("rect leaves the mesh");
    bool west = port->side == wse::machine::Side::West;
    bool up = r > y0, down = r < y0 + h - 1;
    if (west) {
      // Pass-through from the edge to the rectangle.
      emit(0, r, x0, 1, 'W', "E");
      emit(x0, r, w - 1, 1, 'W', letters(up, true, down, false, true));
      emit(x0 + w - 1, r, 1, 1, 'W', letters(up, false, down, false, true));
    } else {
      int64_t right = x0 + w; // first column east of the rect
      emit(right, r, int64_t(m.width) - right, 1, 'E', "W");
      emit(x0 + 1, r, w - 1, 1, 'E', letters(up, false, down, true, true));
      emit(x0, r, 1, 1, 'E', letters(up, false, down, false, true));
    }
    // Rows above r: from S to the core and on north (not on the top row).
    emit(x0, y0 + 1, w, r - y0 - 1, 'S', "NR");
    if (up)
      emit(x0, y0, w, 1, 'S', "R");
    // Rows below r: from N to the core and on south (not on the bottom row).
    emit(x0, r + 1, w, y0 + h - 1 - (r + 1), 'N', "SR");
    if (down)
      emit(x0, y0 + h - 1, w, 1, 'N', "R");
    return success();
  }

  LogicalResult expandChain() {
    char d = stringifyDir(*flow.getDir())[0];
    wse::mesh::RectAttr rc = flow.getRect();
    int64_t len = (d == 'E' || d == 'W') ? rc.getWidth() : rc.getHeight();
    int64_t phase = int64_t(*flow.getPhase());
    for (int64_t i = 0; i < len; ++i) {
      if (i % 2 == phase && i < len - 1)
        emitStrip(d, i, i, 'R', StringRef(&d, 1));
      else if (i >= 1 && (i - 1) % 2 == phase)
        emitStrip(d, i, i, opposite(d), "R");
    }
    return success();
  }

  LogicalResult expandBroadcast() {
    char d = stringifyDir(*flow.getDir())[0];
    wse::mesh::RectAttr rc = flow.getRect();
    int64_t len = (d == 'E' || d == 'W') ? rc.getWidth() : rc.getHeight();
    if (len <= 1)
      return success();
    emitStrip(d, 0, 0, 'R', StringRef(&d, 1));
    if (len > 2) {
      std::string through =
          letters(d == 'N', d == 'E', d == 'S', d == 'W', true);
      emitStrip(d, 1, len - 2, opposite(d), through);
    }
    emitStrip(d, len - 1, len - 1, opposite(d), "R");
    return success();
  }

  LogicalResult expandEgress(const wse::machine::MachineDescription &m) {
    wse::mesh::RectAttr rc = flow.getRect();
    std::optional<wse::machine::EdgePort> port =
        m.portByName(flow.getPortAttr().getName());
    if (!port)
      return flow.emitOpError("port '")
             << flow.getPortAttr().getName() << "' does not exist on machine '"
             << m.name << "'";
    bool west = port->side == wse::machine::Side::West;
    int64_t x = west ? 0 : int64_t(m.width) - 1;
    if (rc.getX() != x || rc.getY() != int64_t(port->row))
      return flow.emitOpError("egress to port ")
             << flow.getPortAttr().getName() << " must start at PE (" << x
             << "," << port->row << ") next to the port, got (" << rc.getX()
             << "," << rc.getY() << ")";
    emit(x, port->row, 1, 1, 'R', west ? "W" : "E");
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<FlowOp> flows(module.getBody()->getOps<FlowOp>());
    if (flows.empty())
      return;
    wse::mesh::TargetAttr target = wse::mesh::requireTarget(module, "pe-route");
    if (!target)
      return signalPassFailure();
    const wse::machine::MachineDescription &m = target.getMachine();
    OpBuilder b(module.getContext());
    builder = &b;
    size_t routesBefore = llvm::range_size(module.getBody()->getOps<RouteOp>());
    for (FlowOp f : flows) {
      flow = f;
      b.setInsertionPoint(f);
      LogicalResult ok = success();
      switch (f.getKind()) {
      case FlowKind::multicast:
        ok = expandMulticast(m);
        break;
      case FlowKind::chain:
        ok = expandChain();
        break;
      case FlowKind::broadcast:
        ok = expandBroadcast();
        break;
      case FlowKind::egress:
        ok = expandEgress(m);
        break;
      }
      if (failed(ok))
        return signalPassFailure();
      f.erase();
    }
    if (explain)
      emitRemark(module.getLoc())
          << "pe-route: " << flows.size() << " flows expanded into "
          << llvm::range_size(module.getBody()->getOps<RouteOp>()) -
                 routesBefore
          << " routes";
  }
};

} // namespace

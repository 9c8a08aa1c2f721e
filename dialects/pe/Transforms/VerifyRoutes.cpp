//===- VerifyRoutes.cpp - Routes, placements, streams vs. the machine -----===//
//
// The machine-dependent load checks of the emulator (lib/Emu/Setup.cpp) for
// the fabric, plus --strict-routes: one route per PE and color.
//
//===----------------------------------------------------------------------===//

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/pe/Transforms/Passes.h"

#include <map>
#include <set>

namespace wse::pe {
#define GEN_PASS_DEF_PEVERIFYROUTES
#include "dialects/pe/Transforms/Passes.h.inc"
} // namespace wse::pe

using namespace mlir;
using namespace wse::pe;
namespace emu = wse::emu;

namespace {

struct VerifyRoutesPass : wse::pe::impl::PEVerifyRoutesBase<VerifyRoutesPass> {
  using PEVerifyRoutesBase::PEVerifyRoutesBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    wse::mesh::TargetAttr target =
        wse::mesh::requireTarget(module, "pe-verify-routes");
    if (!target)
      return signalPassFailure();
    const wse::machine::MachineDescription &m = target.getMachine();
    int64_t W = m.width, H = m.height;
    auto inside = [&](wse::mesh::RectAttr r) {
      return r.getEndX() <= W && r.getEndY() <= H;
    };
    bool failed = false;

    // Cores: which PEs run a kernel.
    std::vector<bool> core(size_t(W * H), false);
    for (PlaceOp p : module.getBody()->getOps<PlaceOp>()) {
      wse::mesh::RectAttr r = p.getRect();
      if (!inside(r)) {
        p.emitOpError("rect ") << r << " leaves the " << W << "x" << H
                               << " mesh of machine '" << m.name << "'";
        failed = true;
        continue;
      }
      for (int64_t y = r.getY(); y < r.getEndY(); ++y)
        for (int64_t x = r.getX(); x < r.getEndX(); ++x)
          core[y * W + x] = true;
    }

    // Routes by color. Each color is checked on its own grid (the route
    // configuring that color on each PE), one grid at a time, so memory is
    // one mesh of indices however many colors the program uses.
    SmallVector<RouteOp> routes(module.getBody()->getOps<RouteOp>());
    std::map<int64_t, SmallVector<int32_t>> routesOf;
    for (auto [i, r] : llvm::enumerate(routes)) {
      std::optional<int64_t> c = getImmediate(r.getColor());
      if (!c) {
        r.emitOpError("color ")
            << r.getColor() << " is not a number: run pe-assign-colors";
        failed = true;
        continue;
      }
      if (*c >= int64_t(m.colors)) {
        r.emitOpError("color ") << *c << " is not below the " << m.colors
                                << " colors of machine '" << m.name << "'";
        failed = true;
        continue;
      }
      wse::mesh::RectAttr rc = r.getRect();
      if (!inside(rc)) {
        r.emitOpError("rect ") << rc << " leaves the " << W << "x" << H
                               << " mesh of machine '" << m.name << "'";
        failed = true;
        continue;
      }
      routesOf[*c].push_back(int32_t(i));
    }
    unsigned errors = 0;
    auto tooMany = [&] { return ++errors > 20; };
    std::vector<int32_t> g;
    // Fills `g` with the routes of `color`; with `report`, a second route on
    // a PE is an error (the router holds one configuration per color).
    auto fill = [&](int64_t color, bool report) {
      g.assign(size_t(W * H), -1);
      for (int32_t i : routesOf[color]) {
        RouteOp r = routes[i];
        wse::mesh::RectAttr rc = r.getRect();
        for (int64_t y = rc.getY(); y < rc.getEndY(); ++y)
          for (int64_t x = rc.getX(); x < rc.getEndX(); ++x) {
            int32_t &slot = g[y * W + x];
            if (slot >= 0) {
              if (report) {
                InFlightDiagnostic d = r.emitOpError();
                d << "PE (" << x << "," << y << ") color " << color
                  << ": a second route (from " << stringifyDir(r.getInput())
                  << "); the router holds one configuration per color";
                d.attachNote(routes[slot].getLoc())
                    << "the first route (from "
                    << stringifyDir(routes[slot].getInput()) << ")";
                failed = true;
                if (tooMany())
                  return false;
              }
              continue;
            }
            slot = i;
          }
      }
      return true;
    };
    for (auto &entry : routesOf)
      if (!fill(entry.first, /*report=*/true))
        return signalPassFailure();
    if (failed)
      return signalPassFailure();

    auto portAt = [&](int64_t x, int64_t y, emu::Dir d) {
      for (const wse::machine::EdgePort &p : m.allPorts())
        if (int64_t(p.row) == y &&
            ((d == emu::West && x == 0 && p.side == wse::machine::Side::West) ||
             (d == emu::East && x == W - 1 &&
              p.side == wse::machine::Side::East)))
          return true;
      return false;
    };

    // Streams: the port exists and the color is a number below the
    // machine's; inbound ones are checked against their color's grid below.
    std::map<int64_t, SmallVector<std::pair<StreamInOp, int64_t>>> inboundOf;
    auto checkStream = [&](Operation *op, StringRef port,
                           Attribute color) -> std::optional<int64_t> {
      std::optional<wse::machine::EdgePort> p = m.portByName(port);
      if (!p) {
        op->emitOpError("port ")
            << port << " does not exist on machine '" << m.name << "'";
        return std::nullopt;
      }
      std::optional<int64_t> c = getImmediate(color);
      if (!c) {
        op->emitOpError("color ")
            << color << " is not a number: run pe-assign-colors";
        return std::nullopt;
      }
      if (*c >= int64_t(m.colors)) {
        op->emitOpError("color ") << *c << " is not below the " << m.colors
                                  << " colors of machine '" << m.name << "'";
        return std::nullopt;
      }
      return c;
    };
    for (Operation &op : *module.getBody()) {
      if (auto s = dyn_cast<StreamInOp>(op)) {
        std::optional<int64_t> c =
            checkStream(s, s.getPort().getName(), s.getColor());
        if (c)
          inboundOf[*c].push_back(
              {s, int64_t(m.portByName(s.getPort().getName())->row)});
        failed |= !c;
      } else if (auto s = dyn_cast<StreamOutOp>(op)) {
        failed |= !checkStream(s, s.getPort().getName(), s.getColor());
      }
    }

    // Every output leads somewhere that takes the wavelet; every inbound
    // stream enters a route from its port.
    auto checkColor = [&](int64_t c) {
      fill(c, /*report=*/false);
      for (int32_t i : routesOf[c]) {
        RouteOp r = routes[i];
        wse::mesh::RectAttr rc = r.getRect();
        for (uint32_t bit = 0; bit < emu::kNumDirs; ++bit) {
          if (!bitEnumContainsAny(r.getOutputs(), DirSet(1u << bit)))
            continue;
          emu::Dir d = emu::Dir(bit);
          char letter = emu::dirLetter(d);
          for (int64_t y = rc.getY(); y < rc.getEndY(); ++y)
            for (int64_t x = rc.getX(); x < rc.getEndX(); ++x) {
              if (d == emu::Ramp) {
                if (!core[y * W + x]) {
                  r.emitOpError()
                      << "PE (" << x << "," << y << ") color " << c
                      << ": output R delivers to a core that runs no kernel";
                  failed = true;
                  if (tooMany())
                    return false;
                }
                continue;
              }
              int64_t nx = x + (d == emu::East) - (d == emu::West);
              int64_t ny = y + (d == emu::South) - (d == emu::North);
              if (nx < 0 || ny < 0 || nx >= W || ny >= H) {
                if (!portAt(x, y, d)) {
                  r.emitOpError() << "PE (" << x << "," << y << ") color " << c
                                  << ": output " << letter
                                  << " leaves the mesh where there is no port";
                  failed = true;
                  if (tooMany())
                    return false;
                }
                continue;
              }
              int32_t n = g[ny * W + nx];
              char back = emu::dirLetter(emu::opposite(d));
              if (n < 0 || uint32_t(routes[n].getInput()) !=
                               uint32_t(emu::opposite(d))) {
                InFlightDiagnostic diag = r.emitOpError();
                diag << "PE (" << x << "," << y << ") color " << c
                     << ": output " << letter << " reaches PE (" << nx << ","
                     << ny << "), which has no route for color " << c
                     << " from " << back;
                if (n >= 0)
                  diag.attachNote(routes[n].getLoc())
                      << "its route takes color " << c << " from "
                      << stringifyDir(routes[n].getInput());
                failed = true;
                if (tooMany())
                  return false;
              }
            }
        }
      }
      for (auto [s, row] : inboundOf[c]) {
        bool west = !s.getPort().getEast();
        int64_t x = west ? 0 : W - 1;
        int32_t n = routesOf[c].empty() ? -1 : g[row * W + x];
        StringRef from = west ? "W" : "E";
        if (n < 0 || stringifyDir(routes[n].getInput()) != from) {
          s.emitOpError("PE (") << x << "," << row << ") color " << c
                                << ": no route takes the stream from port "
                                << s.getPort().getName() << " (" << from << ")";
          failed = true;
        }
      }
      return true;
    };
    std::set<int64_t> colors;
    for (auto &entry : routesOf)
      colors.insert(entry.first);
    for (auto &entry : inboundOf)
      colors.insert(entry.first);
    for (int64_t c : colors)
      if (!checkColor(c))
        return signalPassFailure();
    if (failed)
      signalPassFailure();
  }
};

} // namespace

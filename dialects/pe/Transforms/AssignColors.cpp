//===- AssignColors.cpp - Give every pe.channel a color number ------------===//

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/pe/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"

namespace wse::pe {
#define GEN_PASS_DEF_PEASSIGNCOLORS
#include "dialects/pe/Transforms/Passes.h.inc"
} // namespace wse::pe

using namespace mlir;
using namespace wse::pe;

namespace {

using wse::mesh::RectAttr;

struct Channel {
  ChannelOp op;
  SmallVector<RectAttr> rects;
  RectAttr box; ///< bounding box of rects
  int64_t color = -1;
};

struct AssignColorsPass : wse::pe::impl::PEAssignColorsBase<AssignColorsPass> {
  using PEAssignColorsBase::PEAssignColorsBase;

  /// The channel a color attribute names inside `kernel` (null: module
  /// level), or -1. Kernel constants shadow channels.
  int channelOf(Attribute color, KernelOp kernel) {
    auto sym = dyn_cast_or_null<FlatSymbolRefAttr>(color);
    if (!sym)
      return -1;
    if (kernel && isa_and_nonnull<ConstOp>(
                      SymbolTable::lookupSymbolIn(kernel, sym.getAttr())))
      return -1;
    auto it = index.find(sym.getValue());
    return it == index.end() ? -1 : int(it->second);
  }

  llvm::StringMap<unsigned> index;
  std::vector<Channel> channels;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Block *body = module.getBody();
    for (FlowOp f : body->getOps<FlowOp>()) {
      f.emitOpError("is not expanded into routes: run pe-route before "
                    "pe-assign-colors");
      return signalPassFailure();
    }
    for (ChannelOp c : body->getOps<ChannelOp>()) {
      index[c.getSymName()] = channels.size();
      channels.push_back({c, {}, {}, -1});
    }
    if (channels.empty())
      return;
    wse::mesh::TargetAttr target =
        wse::mesh::requireTarget(module, "pe-assign-colors");
    if (!target)
      return signalPassFailure();
    int64_t budget = target.getMachine().colors;
    size_t n = channels.size();

    // Numeric colors already in use anywhere are excluded.
    llvm::SmallSetVector<int64_t, 8> numeric;
    auto noteNumeric = [&](Attribute color) {
      if (std::optional<int64_t> c = getImmediate(color))
        numeric.insert(*c);
    };
    std::vector<llvm::BitVector> interferes(n, llvm::BitVector(n));
    auto interfere = [&](unsigned a, unsigned b) {
      if (a != b) {
        interferes[a].set(b);
        interferes[b].set(a);
      }
    };

    for (Operation &op : *body) {
      if (auto r = dyn_cast<RouteOp>(op)) {
        noteNumeric(r.getColor());
        int c = channelOf(r.getColor(), nullptr);
        if (c >= 0) {
          channels[c].rects.push_back(r.getRect());
        }
      } else if (auto s = dyn_cast<StreamInOp>(op)) {
        noteNumeric(s.getColor());
      } else if (auto s = dyn_cast<StreamOutOp>(op)) {
        noteNumeric(s.getColor());
      } else if (auto k = dyn_cast<KernelOp>(op)) {
        // Every channel a kernel uses interferes with every other one.
        llvm::SmallSetVector<unsigned, 8> used;
        auto note = [&](Attribute color) {
          noteNumeric(color);
          int c = channelOf(color, k);
          if (c >= 0)
            used.insert(c);
        };
        for (TaskOp t : k.getBody().front().getOps<TaskOp>()) {
          if (Attribute color = t.getColorAttr())
            note(color);
          t.walk([&](InstructionOp in) {
            for (Attribute o : in.getInstrOperands()) {
              if (auto i = dyn_cast<InAttr>(o))
                note(i.getColor());
              else if (auto out = dyn_cast<OutAttr>(o))
                note(out.getColor());
            }
          });
        }
        for (unsigned a : used)
          for (unsigned b : used)
            interfere(a, b);
      }
    }
    // Channels whose routes share a PE interfere.
    for (Channel &c : channels)
      c.box = wse::mesh::boundingBox(c.rects);
    for (size_t a = 0; a < n; ++a)
      for (size_t b = a + 1; b < n; ++b) {
        if (interferes[a].test(b) || channels[a].rects.empty() ||
            channels[b].rects.empty() ||
            !channels[a].box.overlaps(channels[b].box))
          continue;
        bool hit = false;
        for (RectAttr ra : channels[a].rects) {
          for (RectAttr rb : channels[b].rects)
            if (ra.overlaps(rb)) {
              hit = true;
              break;
            }
          if (hit)
            break;
        }
        if (hit)
          interfere(a, b);
      }

    // Greedy coloring in declaration order.
    int64_t needed = 0;
    int firstOver = -1;
    for (size_t c = 0; c < n; ++c) {
      llvm::BitVector taken(budget + n + numeric.size() + 1);
      for (int64_t v : numeric)
        if (v >= 0 && v < int64_t(taken.size()))
          taken.set(v);
      for (unsigned o : interferes[c].set_bits())
        if (channels[o].color >= 0)
          taken.set(channels[o].color);
      int64_t color = taken.find_first_unset();
      channels[c].color = color;
      needed = std::max(needed, color + 1);
      if (color >= budget && firstOver < 0)
        firstOver = int(c);
    }
    if (firstOver >= 0) {
      Channel &c = channels[firstOver];
      InFlightDiagnostic d = mlir::emitError(module.getLoc());
      d << "pe-assign-colors: the channels need " << needed
        << " colors but target '" << target.getMachine().name << "' has "
        << budget << " (colors 0-" << budget - 1 << ")";
      if (!numeric.empty())
        d << " (numeric colors in use:" <<
            [&] {
              std::string s;
              for (int64_t v : numeric)
                s += " " + std::to_string(v);
              return s;
            }()
          << ")";
      d << "; channel @" << c.op.getSymName() << " gets no color: it shares "
        << "PEs or a kernel with";
      unsigned shown = 0;
      for (unsigned o : interferes[firstOver].set_bits()) {
        if (shown++ == 8) {
          d << " ...";
          break;
        }
        d << " @" << channels[o].op.getSymName();
      }
      return signalPassFailure();
    }

    if (explain) {
      uint64_t edges = 0;
      for (size_t c = 0; c < n; ++c)
        edges += interferes[c].count();
      emitRemark(module.getLoc())
          << "pe-assign-colors: " << n << " channels, " << edges / 2
          << " pairs share PEs or a kernel; greedy coloring in declaration "
          << "order uses " << needed << " of " << budget << " colors"
          << (numeric.empty() ? "" : " (counting numeric colors in use)");
    }

    // Replace every reference and erase the channels.
    Builder b(module.getContext());
    auto number = [&](Attribute color, KernelOp kernel) -> Attribute {
      int c = channelOf(color, kernel);
      return c < 0 ? color : Attribute(b.getI64IntegerAttr(channels[c].color));
    };
    for (Operation &op : *body) {
      if (auto r = dyn_cast<RouteOp>(op)) {
        r.setColorAttr(number(r.getColor(), nullptr));
      } else if (auto s = dyn_cast<StreamInOp>(op)) {
        s.setColorAttr(number(s.getColor(), nullptr));
      } else if (auto s = dyn_cast<StreamOutOp>(op)) {
        s.setColorAttr(number(s.getColor(), nullptr));
      } else if (auto k = dyn_cast<KernelOp>(op)) {
        for (TaskOp t : k.getBody().front().getOps<TaskOp>()) {
          if (Attribute color = t.getColorAttr())
            t.setColorAttr(number(color, k));
          t.walk([&](InstructionOp in) {
            for (auto [index, o] : llvm::enumerate(in.getInstrOperands())) {
              if (auto i = dyn_cast<InAttr>(o)) {
                Attribute c = number(i.getColor(), k);
                if (c != i.getColor())
                  in.setInstrOperand(
                      index, InAttr::get(b.getContext(), c, i.getLength()));
              } else if (auto out = dyn_cast<OutAttr>(o)) {
                Attribute c = number(out.getColor(), k);
                if (c != out.getColor())
                  in.setInstrOperand(
                      index, OutAttr::get(b.getContext(), c, out.getLength()));
              }
            }
          });
        }
      }
    }
    for (Channel &c : channels)
      c.op.erase();
  }
};

} // namespace

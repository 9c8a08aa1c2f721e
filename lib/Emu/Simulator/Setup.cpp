//===- Setup.cpp - Validate a program against a machine and lay it out ----===//

#include "SimImpl.h"
#include "wse/Emu/Expr.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace llvm;

namespace wse::emu {

static Error err(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

static std::string rectText(const Rect &r) {
  return formatv("rect({0}, {1}, {2}, {3})", r.x, r.y, r.w, r.h).str();
}

std::string SimulatorImpl::peName(uint32_t slot) const {
  return formatv("PE ({0},{1})", pes[slot].x, pes[slot].y).str();
}

uint32_t SimulatorImpl::newQueue(Queue::Owner owner, uint32_t ownerIndex,
                                 uint8_t dir, uint16_t color) {
  Queue q;
  q.base = qslots.size();
  q.cap = mach.queueDepth;
  q.owner = owner;
  q.ownerIndex = ownerIndex;
  q.dir = dir;
  q.color = color;
  qslots.resize(qslots.size() + q.cap, {0, 0.0f});
  queues.push_back(q);
  return queues.size() - 1;
}

uint32_t SimulatorImpl::ensureSlot(uint32_t x, uint32_t y) {
  uint32_t &s = slotOf[size_t(y) * mach.width + x];
  if (s == kNone) {
    s = pes.size();
    PEInfo pe;
    pe.x = x;
    pe.y = y;
    pes.push_back(std::move(pe));
  }
  return s;
}

void SimulatorImpl::groupQueuesByOwner() {
  // Queues were created route by route, so one router's queues lie far
  // apart; order them by PE (router inputs in entry order, then the core's
  // receive queues), ports last. Only indices change, never behaviour.
  auto key = [&](const Queue &q) {
    return q.owner == Queue::PortRx ? uint64_t(pes.size()) + q.ownerIndex
                                    : uint64_t(q.ownerIndex);
  };
  std::vector<uint32_t> order(queues.size());
  for (uint32_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::make_pair(key(queues[a]), queues[a].owner != Queue::RouterIn) <
           std::make_pair(key(queues[b]), queues[b].owner != Queue::RouterIn);
  });
  std::vector<uint32_t> newIndex(queues.size());
  std::vector<Queue> sorted;
  std::vector<QSlot> slots;
  sorted.reserve(queues.size());
  slots.reserve(qslots.size());
  for (uint32_t old : order) {
    newIndex[old] = sorted.size();
    Queue q = queues[old];
    q.base = slots.size();
    slots.insert(slots.end(), qslots.begin() + queues[old].base,
                 qslots.begin() + queues[old].base + q.cap);
    sorted.push_back(q);
  }
  queues = std::move(sorted);
  qslots = std::move(slots);
  auto remap = [&](uint32_t &q) {
    if (q != kNone)
      q = newIndex[q];
  };
  for (PEInfo &pe : pes) {
    // Fresh vectors, allocated in PE order, so routers' entries are close.
    std::vector<RouteEntry> entries(pe.router.entries);
    for (RouteEntry &e : entries) {
      remap(e.queue);
      for (uint32_t &d : e.dest)
        remap(d);
    }
    pe.router.entries = std::move(entries);
    for (auto &rx : pe.rx)
      remap(rx.second);
  }
  for (PortState &p : ports)
    for (auto &rx : p.rx)
      remap(rx.second);
}

Error SimulatorImpl::setup() {
  if (Error e = mach.validate())
    return e;
  if (Error e = checkStateBudget(prog, mach, opts.checkUninitialized,
                                 opts.maxStateBytes))
    return e;
  slotOf.assign(mach.numPEs(), kNone);
  std::string meshName = formatv("{0}x{1}", mach.width, mach.height).str();
  auto insideMesh = [&](const Rect &r) {
    return uint64_t(r.x) + r.w <= mach.width &&
           uint64_t(r.y) + r.h <= mach.height;
  };

  // Placements: kernels on rectangles, SRAM budget, per-PE constants.
  for (size_t i = 0; i < prog.placements.size(); ++i) {
    const Placement &pl = prog.placements[i];
    const Kernel &k = prog.kernels[pl.kernel];
    const Rect &r = pl.rect;
    if (!insideMesh(r))
      return err(formatv("placement of kernel '{0}' at {1} leaves the {2} mesh "
                         "of machine '{3}'",
                         k.name, rectText(r), meshName, mach.name));
    uint64_t codeWords = (k.numInstructions() * mach.codeBytesPerInstr + 3) / 4;
    uint64_t freeWords =
        codeWords >= mach.sramWords() ? 0 : mach.sramWords() - codeWords;
    for (const Buffer &b : k.buffers)
      if (b.address + b.size > freeWords)
        return err(formatv(
            "PE ({0},{1}): kernel '{2}' buffer '{3}' occupies words [{4}, {5}) "
            "but only {6} words of the {7}-byte SRAM are free below the code "
            "({8} instructions x {9} bytes)",
            r.x, r.y, k.name, b.name, b.address, b.address + b.size, freeWords,
            mach.sramBytes, k.numInstructions(), mach.codeBytesPerInstr));
    for (uint32_t y = r.y; y < r.y + r.h; ++y)
      for (uint32_t x = r.x; x < r.x + r.w; ++x) {
        uint32_t slot = ensureSlot(x, y);
        PEInfo &pe = pes[slot];
        if (pe.core >= 0)
          return err(formatv("PE ({0},{1}) is covered by placements of kernel "
                             "'{2}' and kernel '{3}'",
                             x, y, prog.kernels[cores[pe.core].kernel].name,
                             k.name));
        pe.core = cores.size();
        CoreState c;
        c.slot = slot;
        c.kernel = pl.kernel;
        // Constants live in one pool; record the offset, fix pointers later.
        size_t base = constPool.size();
        ExprEnv env;
        int64_t vars[kNumExprVars] = {x,   y,   x - r.x,    y - r.y,
                                      r.w, r.h, mach.width, mach.height};
        std::copy(std::begin(vars), std::end(vars), env.vars);
        env.tables = &k.tables;
        for (const ConstDef &cd : k.consts) {
          env.consts = constPool.data() + base;
          Expected<int64_t> v = evalExpr(cd.expr, env);
          if (!v)
            return err(formatv("PE ({0},{1}): kernel '{2}' const '{3}': {4}", x,
                               y, k.name, cd.name, toString(v.takeError())));
          constPool.push_back(*v);
        }
        c.consts = reinterpret_cast<const int64_t *>(base);
        for (const Task &t : k.tasks) {
          uint16_t color = 0;
          if (t.trigger == TriggerKind::Color) {
            int64_t cv = t.color.kind == Value::Imm
                             ? t.color.v
                             : constPool[base + t.color.v];
            if (cv < 0 || cv >= int64_t(mach.colors))
              return err(formatv("PE ({0},{1}): task '{2}' listens on color "
                                 "{3}, but machine '{4}' has colors 0-{5}",
                                 x, y, t.name, cv, mach.name, mach.colors - 1));
            color = uint16_t(cv);
          }
          c.taskColor.push_back(color);
          if (t.trigger == TriggerKind::Entry)
            c.activated |= 1ull << (c.taskColor.size() - 1);
        }
        cores.push_back(std::move(c));
      }
  }
  for (CoreState &c : cores)
    c.consts = constPool.data() + reinterpret_cast<uintptr_t>(c.consts);

  // Ports of the machine, found by side and index.
  std::vector<machine::EdgePort> all = mach.allPorts();
  for (const machine::EdgePort &ep : all) {
    PortState ps;
    ps.port = ep;
    ps.edgeDir = ep.side == machine::Side::West ? West : East;
    ports.push_back(std::move(ps));
  }
  auto portIndex = [&](machine::Side side, uint32_t index) -> int {
    for (size_t i = 0; i < ports.size(); ++i)
      if (ports[i].port.side == side && ports[i].port.index == index)
        return int(i);
    return -1;
  };
  auto portAt = [&](uint32_t x, uint32_t y, Dir d) -> int {
    if (d == West && x == 0)
      for (size_t i = 0; i < ports.size(); ++i)
        if (ports[i].port.side == machine::Side::West && ports[i].port.row == y)
          return int(i);
    if (d == East && x == mach.width - 1)
      for (size_t i = 0; i < ports.size(); ++i)
        if (ports[i].port.side == machine::Side::East && ports[i].port.row == y)
          return int(i);
    return -1;
  };

  // Routes: one entry per (PE, color, input direction).
  for (size_t i = 0; i < prog.routes.size(); ++i) {
    const Route &rt = prog.routes[i];
    if (!insideMesh(rt.rect))
      return err(formatv("route #{0} at {1} leaves the {2} mesh of machine "
                         "'{3}'",
                         i, rectText(rt.rect), meshName, mach.name));
    if (rt.color >= mach.colors)
      return err(formatv("route #{0} uses color {1}, but machine '{2}' has "
                         "colors 0-{3}",
                         i, rt.color, mach.name, mach.colors - 1));
    for (uint32_t y = rt.rect.y; y < rt.rect.y + rt.rect.h; ++y)
      for (uint32_t x = rt.rect.x; x < rt.rect.x + rt.rect.w; ++x) {
        for (unsigned d = 0; d < 4; ++d) {
          if (!(rt.outMask & (1u << d)))
            continue;
          bool off =
              (d == North && y == 0) || (d == South && y + 1 == mach.height) ||
              (d == West && x == 0) || (d == East && x + 1 == mach.width);
          if (off && portAt(x, y, Dir(d)) < 0)
            return err(formatv("route #{0} on PE ({1},{2}) color {3} sends {4} "
                               "off the mesh where there is no I/O port",
                               i, x, y, rt.color, dirLetter(Dir(d))));
        }
        uint32_t slot = ensureSlot(x, y);
        RouterState &router = pes[slot].router;
        for (const RouteEntry &e : router.entries) {
          if (e.color == rt.color && e.in == rt.in)
            return err(formatv("PE ({0},{1}): routes #{2} and #{3} both claim "
                               "color {4} arriving from {5}",
                               x, y, e.rule, i, rt.color, dirLetter(rt.in)));
          if (opts.strictRoutes && e.color == rt.color)
            return err(
                formatv("PE ({0},{1}): routes #{2} ({3} -> ...) and #{4} "
                        "({5} -> ...) both configure color {6}; with "
                        "--strict-routes a color has one route per PE",
                        x, y, e.rule, dirLetter(Dir(e.in)), i, dirLetter(rt.in),
                        rt.color));
        }
        RouteEntry e;
        e.color = rt.color;
        e.in = rt.in;
        e.outMask = rt.outMask;
        e.rule = i;
        e.queue = newQueue(Queue::RouterIn, slot, rt.in, rt.color);
        queues[e.queue].entry = router.entries.size();
        std::fill(std::begin(e.dest), std::end(e.dest), kNone);
        router.entries.push_back(e);
        router.nonEmpty.resize((router.entries.size() + 63) / 64, 0);
      }
  }

  // Destinations: every output must land in a queue that exists, so a
  // wavelet never arrives where no route takes it.
  for (uint32_t slot = 0; slot < pes.size(); ++slot) {
    for (RouteEntry &e : pes[slot].router.entries) {
      uint32_t x = pes[slot].x, y = pes[slot].y;
      for (unsigned d = 0; d < kNumDirs; ++d) {
        if (!(e.outMask & (1u << d)))
          continue;
        if (d == Ramp) {
          if (pes[slot].core < 0)
            return err(formatv("route #{0} delivers color {1} to the core of "
                               "PE ({2},{3}), which runs no kernel",
                               e.rule, e.color, x, y));
          uint32_t q = findRx(pes[slot], e.color);
          if (q == kNone) {
            q = newQueue(Queue::CoreRx, slot, Ramp, e.color);
            pes[slot].rx.push_back({e.color, q});
          }
          e.dest[d] = q;
          continue;
        }
        int64_t nx = int64_t(x) + (d == East) - (d == West);
        int64_t ny = int64_t(y) + (d == South) - (d == North);
        if (nx < 0 || ny < 0 || nx >= mach.width || ny >= mach.height) {
          PortState &p = ports[portAt(x, y, Dir(d))];
          uint32_t q = kNone;
          for (const auto &[c, pq] : p.rx)
            if (c == e.color)
              q = pq;
          if (q == kNone) {
            q = newQueue(Queue::PortRx, &p - ports.data(), d, e.color);
            p.rx.push_back({e.color, q});
          }
          p.peSlot = slot;
          e.dest[d] = q;
          continue;
        }
        uint32_t ns = slotAt(nx, ny);
        uint32_t q = ns == kNone
                         ? kNone
                         : findRouterIn(pes[ns], e.color, opposite(Dir(d)));
        if (q == kNone)
          return err(formatv("route #{0} on PE ({1},{2}) sends color {3} {4} "
                             "to PE ({5},{6}), which has no route for color "
                             "{3} arriving from {7}",
                             e.rule, x, y, e.color, dirLetter(Dir(d)), nx, ny,
                             dirLetter(opposite(Dir(d)))));
        e.dest[d] = q;
      }
    }
  }

  groupQueuesByOwner();

  // Streams.
  for (size_t i = 0; i < prog.streams.size(); ++i) {
    const StreamOp &s = prog.streams[i];
    std::string portName =
        formatv("{0}{1}", s.side == machine::Side::West ? "W" : "E", s.port);
    int pi = portIndex(s.side, s.port);
    if (pi < 0) {
      std::vector<machine::EdgePort> side = mach.ports(s.side);
      return err(formatv("stream #{0}: port {1} does not exist on machine "
                         "'{2}' ({3} {4} ports, one every {5} rows)",
                         i, portName, mach.name, side.size(),
                         machine::sideName(s.side), mach.portSpacingRows));
    }
    if (s.color >= mach.colors)
      return err(formatv("stream #{0} uses color {1}, but machine '{2}' has "
                         "colors 0-{3}",
                         i, s.color, mach.name, mach.colors - 1));
    PortState &p = ports[pi];
    uint32_t x = p.port.side == machine::Side::West ? 0 : mach.width - 1;
    if (s.inbound) {
      uint32_t slot = slotAt(x, p.port.row);
      if (slot == kNone || findRouterIn(pes[slot], s.color, p.edgeDir) == kNone)
        return err(formatv("stream #{0} into port {1} color {2}: PE ({3},{4}) "
                           "has no route for color {2} arriving from {5}",
                           i, portName, s.color, x, p.port.row,
                           dirLetter(p.edgeDir)));
      p.peSlot = slot;
      p.inOps.push_back(i);
    } else {
      p.outOps.push_back(i);
    }
    p.used = true;
  }

  streamSpans.assign(prog.streams.size(), {UINT64_MAX, UINT64_MAX});

  Expected<std::unique_ptr<WeightStore>> ws =
      WeightStore::open(prog.params, opts.weightsPath, opts.programDir);
  if (!ws)
    return ws.takeError();
  weights = std::move(*ws);
  inputs.resize(prog.inputs.size());
  inputSet.assign(prog.inputs.size(), false);
  for (const TensorDecl &t : prog.outputs) {
    HostTensor h;
    h.shape = t.shape;
    h.data.assign(t.numElements(), 0.0f);
    outputs.push_back(std::move(h));
    outputWritten.emplace_back(t.numElements(), 0);
  }
  if (Error e = makeBands())
    return e;
  allocateSram();
  return Error::success();
}

void SimulatorImpl::allocateSram() {
  for (CoreState &c : cores) {
    // A rank holds only its own rows' SRAM (the rest of the layout is small).
    if (!ownsRow(pes[c.slot].y))
      continue;
    const Kernel &k = prog.kernels[c.kernel];
    uint64_t extent = 1;
    for (const Buffer &b : k.buffers)
      extent = std::max(extent, b.address + b.size);
    c.mem.assign(extent, 0.0f);
    if (opts.checkUninitialized)
      c.written.assign(extent, 0);
    for (const Buffer &b : k.buffers)
      if (b.hasInit) {
        std::fill(c.mem.begin() + b.address, c.mem.begin() + b.address + b.size,
                  b.init);
        if (opts.checkUninitialized)
          std::fill(c.written.begin() + b.address,
                    c.written.begin() + b.address + b.size, 1);
      }
  }
}

Error SimulatorImpl::setInput(StringRef name, HostTensor t) {
  for (size_t i = 0; i < prog.inputs.size(); ++i) {
    const TensorDecl &d = prog.inputs[i];
    if (d.name != name)
      continue;
    if (t.shape != d.shape) {
      std::string want, got;
      for (uint64_t v : d.shape)
        want += (want.empty() ? "" : ",") + std::to_string(v);
      for (uint64_t v : t.shape)
        got += (got.empty() ? "" : ",") + std::to_string(v);
      return err("input '" + name + "' has shape [" + got +
                 "] but the program declares [" + want + "]");
    }
    // An input with a range (token ids of an embedding) is refused at the
    // first value outside it, with its position.
    if (d.range)
      for (uint64_t k = 0; k < t.data.size(); ++k) {
        double v = t.data[k];
        if (v >= double(d.range->first) && v < double(d.range->second))
          continue;
        std::string at;
        for (uint64_t rest = k, i = d.shape.size(); i-- > 0;) {
          at =
              std::to_string(rest % d.shape[i]) + (at.empty() ? "" : ", ") + at;
          rest /= d.shape[i];
        }
        std::string value = std::trunc(v) == v && std::fabs(v) < 1e18
                                ? std::to_string(int64_t(v))
                                : formatv("{0}", v).str();
        return err(formatv("input '{0}' at [{1}] is {2}, outside the range "
                           "[{3}, {4}) the program declares for it",
                           name, at, value, d.range->first, d.range->second)
                       .str());
      }
    // A bool input holds 0/1 whatever the .npy's dtype: nonzero (and NaN)
    // is true, like a bool parameter's nonzero byte.
    if (d.dtype == DType::Bool)
      for (float &v : t.data)
        v = v != 0.0f ? 1.0f : 0.0f;
    inputs[i] = std::move(t);
    inputSet[i] = true;
    return Error::success();
  }
  std::string known;
  for (const TensorDecl &d : prog.inputs)
    known += (known.empty() ? "" : ", ") + d.name;
  return err("the program has no input named '" + name +
             "' (inputs: " + (known.empty() ? "none" : known) + ")");
}

} // namespace wse::emu

//===- Run.cpp - Main loop, completion and deadlock reports ---------------===//

#include "Band.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <sys/resource.h>

using namespace llvm;

namespace wse::emu {

static Error err(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

namespace {
/// Collects report lines, keeping the first few of each kind.
struct Lines {
  std::string text;
  size_t shown = 0, total = 0;
  static constexpr size_t kMax = 16;
  void add(const Twine &line) {
    ++total;
    if (shown < kMax) {
      text += "  " + line.str() + "\n";
      ++shown;
    }
  }
  std::string str() const {
    if (total > shown)
      return text + formatv("  ... and {0} more\n", total - shown).str();
    return text;
  }
};
} // namespace

static std::string dirsText(uint8_t mask) {
  std::string s;
  for (unsigned d = 0; d < kNumDirs; ++d)
    if (mask & (1u << d))
      s += std::string(s.empty() ? "" : ",") + dirLetter(Dir(d));
  return s;
}

uint64_t SimulatorImpl::queuedTotal() const {
  uint64_t n = 0;
  for (const std::unique_ptr<Band> &b : bands)
    n += b->queuedTotal;
  return n;
}

uint64_t peakRssBytes() {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  return uint64_t(usage.ru_maxrss) * 1024; // KiB on Linux
}

Trace SimulatorImpl::mergeTraces() {
  Trace t;
  for (std::unique_ptr<Band> &b : bands) {
    t.truncated |= b->trace.truncated;
    std::move(b->trace.events.begin(), b->trace.events.end(),
              std::back_inserter(t.events));
    b->trace.events.clear();
  }
  // One PE's or port's events are recorded by one band, in the same order
  // with any number of bands; this order interleaves them the same way.
  std::stable_sort(t.events.begin(), t.events.end(),
                   [](const TraceEvent &a, const TraceEvent &b) {
                     return std::tie(a.recorded, a.pid, a.tid) <
                            std::tie(b.recorded, b.pid, b.tid);
                   });
  if (t.events.size() > Trace::kMaxEvents) {
    t.events.resize(Trace::kMaxEvents);
    t.truncated = true;
  }
  return t;
}

Expected<SimResult> SimulatorImpl::run() {
  for (const StreamOp &s : prog.streams)
    if (s.kind == TensorKind::Input && !inputSet[s.tensor])
      return err("input '" + prog.inputs[s.tensor].name +
                 "' is streamed but not given (use --input " +
                 prog.inputs[s.tensor].name + "=FILE.npy)");
  wallStart = lastReport = Clock::now();
  if (Error e = simulate())
    return std::move(e);
  if (opts.ranks) {
    gatherRanks();
    if (opts.ranks->rank() != 0)
      return SimResult();
  }

  // Quiescent: either finished or stuck.
  Lines blockedCores, queuesLeft, streamsLeft;
  for (const CoreState &c : cores) {
    if (c.state != CoreState::BlockedRx && c.state != CoreState::BlockedTx)
      continue;
    const Queue &q = queues[c.waitQueue];
    if (c.state == CoreState::BlockedRx)
      blockedCores.add(where(c) + formatv(": waiting for data on color {0} "
                                          "(receive queue empty)",
                                          q.color));
    else
      blockedCores.add(where(c) + formatv(": waiting to send on color {0} "
                                          "(ramp queue full, {1}/{2})",
                                          q.color, q.count, q.cap));
  }
  for (const Queue &q : queues) {
    if (!q.count)
      continue;
    std::string occ = formatv("{0}/{1} wavelets", q.count, q.cap).str();
    switch (q.owner) {
    case Queue::RouterIn: {
      const PEInfo &pe = pes[q.ownerIndex];
      std::string route;
      for (const RouteEntry &e : pe.router.entries)
        if (e.color == q.color && e.in == q.dir)
          route = formatv("route #{0} -> {1}", e.rule, dirsText(e.outMask));
      queuesLeft.add(formatv("{0} router queue color {1} from {2}: {3} ({4})",
                             peName(q.ownerIndex), q.color,
                             dirLetter(Dir(q.dir)), occ, route));
      break;
    }
    case Queue::CoreRx:
      queuesLeft.add(formatv("{0} core receive queue color {1}: {2}",
                             peName(q.ownerIndex), q.color, occ));
      break;
    case Queue::PortRx:
      queuesLeft.add(formatv("port {0} receive queue color {1}: {2}",
                             ports[q.ownerIndex].port.name(), q.color, occ));
      break;
    }
  }
  for (const PortState &p : ports) {
    if (p.in.pos < p.inOps.size()) {
      const StreamOp &s = prog.streams[p.inOps[p.in.pos]];
      streamsLeft.add(formatv(
          "port {0}: stream #{1} (in {2} to color {3}) sent "
          "{4} of {5} elements",
          p.port.name(), p.inOps[p.in.pos], prog.tensors(s.kind)[s.tensor].name,
          s.color, p.in.elem, s.slice.count()));
    }
    if (p.out.pos < p.outOps.size()) {
      const StreamOp &s = prog.streams[p.outOps[p.out.pos]];
      streamsLeft.add(formatv("port {0}: stream #{1} (out {2} from color {3}) "
                              "received {4} of {5} elements",
                              p.port.name(), p.outOps[p.out.pos],
                              prog.outputs[s.tensor].name, s.color, p.out.elem,
                              s.slice.count()));
    }
  }
  if (blockedCores.total || streamsLeft.total) {
    std::string msg =
        formatv("deadlock at cycle {0}: nothing can move\n", now).str();
    if (blockedCores.total)
      msg += "waiting PEs:\n" + blockedCores.str();
    if (streamsLeft.total)
      msg += "unfinished streams:\n" + streamsLeft.str();
    if (queuesLeft.total)
      msg += "non-empty queues:\n" + queuesLeft.str();
    else
      msg += "all queues are empty\n";
    return err(StringRef(msg).rtrim());
  }
  if (queuesLeft.total)
    return err(StringRef(formatv("fabric not drained at cycle {0}: {1} "
                                 "wavelets were never consumed\n",
                                 now, queuedTotal())
                             .str() +
                         "non-empty queues:\n" + queuesLeft.str())
                   .rtrim());
  for (size_t i = 0; i < outputs.size(); ++i) {
    uint64_t missing = 0;
    for (uint8_t w : outputWritten[i])
      missing += !w;
    if (missing)
      return err(formatv("output '{0}': {1} of {2} elements were never "
                         "streamed out",
                         prog.outputs[i].name, missing,
                         outputWritten[i].size()));
  }

  SimResult result;
  RunStats &st = result.stats;
  st.machine = mach;
  st.cycles = now;
  st.wallSeconds =
      std::chrono::duration<double>(Clock::now() - wallStart).count();
  for (const std::unique_ptr<Band> &b : bands)
    st.routerBlockedEvents += b->routerBlocked;
  // Memory is the limit for whole wafers, so every run reports its peak.
  st.peakRssBytes = opts.ranks ? ranksPeakRss : peakRssBytes();

  for (const PortState &p : ports)
    st.weightBytesRead += p.weights.bytesRead();
  std::map<int64_t, MarkStats> marks;
  for (const std::unique_ptr<Band> &b : bands)
    for (const auto &[id, m] : b->marks) {
      auto [it, inserted] = marks.try_emplace(id, m);
      if (inserted)
        continue;
      it->second.first = std::min(it->second.first, m.first);
      it->second.last = std::max(it->second.last, m.last);
      it->second.count += m.count;
    }
  for (const auto &[id, m] : marks)
    st.marks.push_back(m);
  for (const PortState &p : ports)
    for (const std::vector<uint32_t> *ops : {&p.inOps, &p.outOps})
      for (uint32_t i : *ops) {
        if (streamSpans[i].first == UINT64_MAX)
          continue;
        const StreamOp &s = prog.streams[i];
        st.streams.push_back({prog.tensors(s.kind)[s.tensor].name, s.inbound,
                              p.port.name(), streamSpans[i].first,
                              streamSpans[i].second});
      }
  std::stable_sort(st.streams.begin(), st.streams.end(),
                   [](const StreamStats &a, const StreamStats &b) {
                     return a.start < b.start;
                   });
  for (const CoreState &c : cores) {
    PEStats p;
    p.x = pes[c.slot].x;
    p.y = pes[c.slot].y;
    p.busy = c.busy;
    p.stalled = c.stalled;
    p.flops = c.flops;
    p.tasks = c.tasksRun;
    st.pes.push_back(p);
  }
  for (const PEInfo &pe : pes) {
    bool any = false;
    for (uint64_t v : pe.router.sent)
      any |= v != 0;
    if (!any)
      continue;
    LinkStats l;
    l.x = pe.x;
    l.y = pe.y;
    l.wavelets = pe.router.sent;
    st.links.push_back(l);
  }
  for (const PortState &p : ports) {
    if (!p.used)
      continue;
    st.ports.push_back(
        {p.port.name(), p.port.row, p.inWavelets, p.outWavelets});
  }
  for (size_t i = 0; i < prog.outputs.size(); ++i)
    result.outputs[prog.outputs[i].name] = std::move(outputs[i]);
  if (opts.trace) {
    // A PE's last layer ends with its last task.
    for (CoreState &c : cores)
      bands[bandOfRow(pes[c.slot].y)]->closeMark(c, c.lastTaskEnd);
    Trace trace = mergeTraces();
    for (const CoreState &c : cores)
      trace.peNames.push_back(
          {pes[c.slot].y * mach.width + pes[c.slot].x, peName(c.slot)});
    for (size_t i = 0; i < ports.size(); ++i)
      if (ports[i].used)
        trace.portNames.push_back(
            {uint32_t(i), "port " + ports[i].port.name()});
    result.trace = std::move(trace);
  }
  return std::move(result);
}

SimulatorImpl::SimulatorImpl(const Program &p,
                             const machine::MachineDescription &m,
                             const SimOptions &o)
    : prog(p), mach(m), opts(o) {}

SimulatorImpl::~SimulatorImpl() = default;

Expected<std::unique_ptr<Simulator>>
Simulator::create(const Program &p, const machine::MachineDescription &m,
                  const SimOptions &opts) {
  std::unique_ptr<Simulator> sim(new Simulator());
  sim->impl = std::make_unique<SimulatorImpl>(p, m, opts);
  if (Error e = sim->impl->setup())
    return std::move(e);
  return std::move(sim);
}

Simulator::~Simulator() = default;

Error Simulator::setInput(StringRef name, HostTensor t) {
  return impl->setInput(name, std::move(t));
}

Expected<SimResult> Simulator::run() { return impl->run(); }

} // namespace wse::emu

//===- Band.cpp - One simulated cycle of a band ---------------------------===//

#include "Band.h"

namespace wse::emu {

Band::Band(SimulatorImpl &s, uint32_t rowBegin, uint32_t rowEnd)
    : sim(s), prog(s.prog), mach(s.mach), opts(s.opts), pes(s.pes),
      cores(s.cores), queues(s.queues), qslots(s.qslots), ports(s.ports),
      weights(*s.weights), remoteCount(s.remoteCount.data()),
      rowBegin(rowBegin), rowEnd(rowEnd) {}

void Band::start() {
  for (CoreState &c : cores) {
    if (pes[c.slot].y < rowBegin || pes[c.slot].y >= rowEnd)
      continue;
    const Kernel &k = prog.kernels[c.kernel];
    c.taskQueue.assign(k.tasks.size(), kNone);
    for (size_t t = 0; t < k.tasks.size(); ++t)
      if (k.tasks[t].trigger == TriggerKind::Color)
        c.taskQueue[t] = findRx(pes[c.slot], c.taskColor[t]);
    if (c.activated)
      sleepCore(c, 0);
  }
  for (PortState &p : ports)
    if (p.used && !portDone(p) && p.port.row >= rowBegin && p.port.row < rowEnd)
      activePorts.push_back(&p);
}

void Band::stepCycle() {
  progress = false;
  nextEvent = UINT64_MAX;
  activeCores.swap(nextActiveCores);
  nextActiveCores.clear();
  while (!wakeHeap.empty() && wakeHeap.top().first <= now) {
    activeCores.push_back(wakeHeap.top().second);
    wakeHeap.pop();
  }
  for (size_t i = 0; i < activeRouters.size(); ++i)
    stepRouter(activeRouters[i]);
  size_t keep = 0;
  for (uint32_t slot : activeRouters) {
    if (pes[slot].router.queued)
      activeRouters[keep++] = slot;
    else
      pes[slot].router.active = false;
  }
  activeRouters.resize(keep);
  keep = 0;
  for (PortState *p : activePorts) {
    stepPort(*p);
    // A failed weight read ranks after every core: a core's error of the
    // same cycle is the one reported.
    uint64_t rank = cores.size() + (p - ports.data());
    if (p->weights.failed() && rank < errorRank) {
      errorRank = rank;
      error = toString(p->weights.takeError());
    }
    if (!portDone(*p))
      activePorts[keep++] = p;
  }
  activePorts.resize(keep);
  for (uint32_t idx : activeCores)
    stepCore(cores[idx]);
}

void Band::pushRemote(uint32_t q, float v, uint64_t ready) {
  outbox.push_back({q, v, ready});
}

void Band::receive(const RemotePush &p, uint64_t cycle) {
  RouterState &r = pes[queues[p.queue].ownerIndex].router;
  pushLocal(p.queue, p.value, p.ready);
  // Sequentially, a router that a push activates during the routers' pass
  // is stepped in that same pass: it advances its round-robin start, the
  // only lasting effect of a step that finds nothing visible yet.
  if (r.lastStep != cycle) {
    r.lastStep = cycle;
    if (++r.rr >= r.entries.size())
      r.rr = 0;
  }
}

void Band::addTrace(TraceEvent e) {
  // Past the limit, the events of the cycle the limit was reached in are
  // still kept: the merged trace keeps the first events in the order of
  // (cycle recorded, PE or port), which then does not depend on the bands.
  e.recorded = now;
  if (trace.events.size() < Trace::kMaxEvents ||
      e.recorded == trace.events[Trace::kMaxEvents - 1].recorded)
    trace.events.push_back(std::move(e));
  else
    trace.truncated = true;
}

} // namespace wse::emu

//===- Stats.cpp - Run summary and --stats-json ---------------------------===//

#include "wse/Emu/Stats.h"

#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace wse::emu {

uint64_t RunStats::totalFlops() const {
  uint64_t f = 0;
  for (const PEStats &p : pes)
    f += p.flops;
  return f;
}

static const char *kDirNames[] = {"N", "E", "S", "W", "R"};

namespace {
struct Busiest {
  uint64_t count = 0;
  uint32_t x = 0, y = 0, dir = 0;
  uint64_t total = 0, used = 0;
};
} // namespace

static Busiest busiestLink(const RunStats &s) {
  Busiest b;
  for (const LinkStats &l : s.links)
    for (unsigned d = 0; d < 5; ++d) {
      b.total += l.wavelets[d];
      b.used += l.wavelets[d] != 0;
      if (l.wavelets[d] > b.count)
        b = {l.wavelets[d], l.x, l.y, d, b.total, b.used};
    }
  return b;
}

static double pct(double a, double b) { return b > 0 ? 100.0 * a / b : 0.0; }

void printSummary(const RunStats &s, raw_ostream &os) {
  const machine::MachineDescription &m = s.machine;
  double cycles = double(s.cycles);
  os << formatv("machine: {0} ({1}x{2} PEs, {3:F3} GHz)\n", m.name, m.width,
                m.height, m.clockHz / 1e9);
  os << "cycles: " << s.cycles << "\n";
  os << formatv("time: {0:F3} us\n", s.seconds() * 1e6);
  uint64_t busy = 0, stalled = 0;
  for (const PEStats &p : s.pes) {
    busy += p.busy;
    stalled += p.stalled;
  }
  double peCycles = cycles * double(s.pes.size());
  os << formatv("PE cycles over {0} PEs with kernels: busy {1:F1}%, stalled "
                "{2:F1}%, idle {3:F1}%\n",
                s.pes.size(), pct(busy, peCycles), pct(stalled, peCycles),
                s.pes.empty() ? 0.0 : 100.0 - pct(busy + stalled, peCycles));
  double peak = m.peakFlopsPerCycle();
  uint64_t flops = s.totalFlops();
  os << formatv("FLOPs: {0} ({1:F2} per cycle, {2:F4}% of the machine's peak "
                "of {3} per cycle; {4:F3} GFLOP/s at the clock)\n",
                flops, cycles ? flops / cycles : 0.0,
                pct(cycles ? flops / cycles : 0.0, peak), uint64_t(peak),
                cycles ? flops / s.seconds() / 1e9 : 0.0);
  Busiest b = busiestLink(s);
  os << formatv("links: {0} wavelet transfers on {1} links; busiest PE "
                "({2},{3}) {4} at {5:F1}%; {6} blocked router cycles\n",
                b.total, b.used, b.x, b.y, kDirNames[b.dir],
                pct(b.count, cycles), s.routerBlockedEvents);
  double portPerCycle = m.streamBytesPerCycle / 4.0;
  for (const PortStats &p : s.ports)
    os << formatv("port {0} (row {1}): in {2} wavelets ({3:F1}%), out {4} "
                  "wavelets ({5:F1}%)\n",
                  p.name, p.row, p.inWavelets,
                  pct(p.inWavelets, cycles * std::min(1.0, portPerCycle)),
                  p.outWavelets,
                  pct(p.outWavelets, cycles * std::min(1.0, portPerCycle)));
  // Host facts last: they vary from run to run, the lines above do not.
  os << formatv(
      "host: {0:F2} s simulating, {1:E2} PE-cycles/s; peak memory "
      "{2:F1} MB, {3:F1} KB per PE\n",
      s.wallSeconds,
      s.wallSeconds > 0 ? cycles * double(m.numPEs()) / s.wallSeconds : 0.0,
      s.peakRssBytes / 1e6, s.peakRssBytes / 1e3 / double(m.numPEs()));
}

void writeStatsJSON(raw_ostream &os, const RunStats &s,
                    const json::Object *store,
                    function_ref<void(json::Object &)> nameMark) {
  const machine::MachineDescription &m = s.machine;
  double cycles = double(s.cycles);
  uint64_t busy = 0, stalled = 0;
  for (const PEStats &p : s.pes) {
    busy += p.busy;
    stalled += p.stalled;
  }
  uint64_t flops = s.totalFlops();
  Busiest b = busiestLink(s);
  double portPerCycle = std::min(1.0, m.streamBytesPerCycle / 4.0);
  // Streamed, not built as one json::Value: a whole wafer has hundreds of
  // thousands of PEs and links, and the tree took more memory than the run.
  // Keys in sorted order, as json::Value prints them.
  json::OStream J(os, 2);
  J.object([&] {
    J.attribute("cycles", int64_t(s.cycles));
    J.attribute(
        "fabric",
        json::Object{
            {"wavelet_transfers", int64_t(b.total)},
            {"links_used", int64_t(b.used)},
            {"busiest_link",
             json::Object{{"x", b.x},
                          {"y", b.y},
                          {"dir", kDirNames[b.dir]},
                          {"wavelets", int64_t(b.count)},
                          {"utilization", cycles ? b.count / cycles : 0.0}}},
            {"router_blocked_events", int64_t(s.routerBlockedEvents)}});
    J.attribute("flops",
                json::Object{
                    {"total", int64_t(flops)},
                    {"per_cycle", cycles ? flops / cycles : 0.0},
                    {"peak_per_cycle", m.peakFlopsPerCycle()},
                    {"fraction_of_peak",
                     cycles ? flops / cycles / m.peakFlopsPerCycle() : 0.0},
                    {"achieved_per_second", cycles ? flops / s.seconds() : 0.0},
                    {"peak_per_second", m.peakFlopsPerSecond()}});
    J.attribute("format", "wse-emu-stats");
    J.attributeArray("links", [&] {
      for (const LinkStats &l : s.links) {
        json::Object o{{"x", l.x}, {"y", l.y}};
        for (unsigned d = 0; d < 5; ++d)
          if (l.wavelets[d])
            o[kDirNames[d]] = json::Object{
                {"wavelets", int64_t(l.wavelets[d])},
                {"utilization", cycles ? l.wavelets[d] / cycles : 0.0}};
        J.value(std::move(o));
      }
    });
    J.attribute("machine", machine::toJSON(m));
    J.attributeArray("marks", [&] {
      for (const MarkStats &mk : s.marks) {
        json::Object o{{"id", mk.id},
                       {"first", int64_t(mk.first)},
                       {"last", int64_t(mk.last)},
                       {"count", int64_t(mk.count)}};
        if (nameMark)
          nameMark(o);
        J.value(std::move(o));
      }
    });
    J.attribute("pe_cycles_per_second",
                s.wallSeconds > 0 ? cycles * double(m.numPEs()) / s.wallSeconds
                                  : 0.0);
    J.attribute("peak_rss_bytes", int64_t(s.peakRssBytes));
    J.attributeArray("pes", [&] {
      for (const PEStats &p : s.pes)
        J.value(json::Object{
            {"x", p.x},
            {"y", p.y},
            {"busy", int64_t(p.busy)},
            {"stalled", int64_t(p.stalled)},
            {"idle",
             int64_t(s.cycles - std::min(s.cycles, p.busy + p.stalled))},
            {"flops", int64_t(p.flops)},
            {"tasks", int64_t(p.tasks)}});
    });
    J.attributeArray("ports", [&] {
      for (const PortStats &p : s.ports)
        J.value(json::Object{
            {"name", p.name},
            {"row", p.row},
            {"in_wavelets", int64_t(p.inWavelets)},
            {"out_wavelets", int64_t(p.outWavelets)},
            {"in_utilization",
             cycles ? p.inWavelets / (cycles * portPerCycle) : 0.0},
            {"out_utilization",
             cycles ? p.outWavelets / (cycles * portPerCycle) : 0.0}});
    });
    J.attribute("seconds", s.seconds());
    if (store)
      J.attribute("store", json::Object(*store));
    J.attributeArray("streams", [&] {
      for (const StreamStats &st : s.streams)
        J.value(json::Object{{"tensor", st.tensor},
                             {"direction", st.inbound ? "in" : "out"},
                             {"port", st.port},
                             {"start_cycle", int64_t(st.start)},
                             {"end_cycle", int64_t(st.end)}});
    });
    J.attribute("totals",
                json::Object{{"pes_with_kernels", int64_t(s.pes.size())},
                             {"busy", int64_t(busy)},
                             {"stalled", int64_t(stalled)},
                             {"idle", int64_t(s.cycles * s.pes.size() -
                                              std::min(s.cycles * s.pes.size(),
                                                       busy + stalled))}});
    J.attribute("version", 1);
    J.attribute("wall_seconds", s.wallSeconds);
    J.attribute("weight_bytes_read", int64_t(s.weightBytesRead));
  });
}

} // namespace wse::emu

//===- Trace.cpp - Chrome trace-event JSON --------------------------------===//

#include "wse/Emu/Trace.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace wse::emu {

Error writeChromeTrace(StringRef path, const Trace &t, double clockHz) {
  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_Text);
  if (ec)
    return createStringError(ec, "cannot write trace '" + path +
                                     "': " + ec.message());
  // Streamed rather than built as one json::Value: traces can be large.
  json::OStream j(os);
  double usPerCycle = 1e6 / clockHz;
  j.object([&] {
    j.attribute("displayTimeUnit", "ns");
    j.attribute("otherData", json::Object{{"clock_hz", clockHz},
                                          {"truncated", t.truncated}});
    j.attributeArray("traceEvents", [&] {
      auto meta = [&](const char *what, uint32_t pid, uint32_t tid,
                      StringRef name) {
        j.object([&] {
          j.attribute("name", what);
          j.attribute("ph", "M");
          j.attribute("pid", pid);
          j.attribute("tid", tid);
          j.attribute("args", json::Object{{"name", name}});
        });
      };
      meta("process_name", 0, 0, "PEs (tasks)");
      meta("process_name", 1, 0, "I/O ports (streams)");
      for (const auto &[tid, name] : t.peNames)
        meta("thread_name", 0, tid, name);
      for (const auto &[tid, name] : t.portNames)
        meta("thread_name", 1, tid, name);
      for (const TraceEvent &e : t.events)
        j.object([&] {
          j.attribute("name", e.name);
          j.attribute("ph", "X");
          j.attribute("pid", e.pid);
          j.attribute("tid", e.tid);
          j.attribute("ts", double(e.start) * usPerCycle);
          j.attribute("dur", double(e.cycles) * usPerCycle);
          j.attribute("args", json::Object{{"start_cycle", int64_t(e.start)},
                                           {"cycles", int64_t(e.cycles)}});
        });
    });
  });
  os << "\n";
  os.close();
  if (os.has_error())
    return createStringError(os.error(), "cannot write trace '" + path + "'");
  return Error::success();
}

} // namespace wse::emu

//===- Trace.h - Chrome trace-event output ----------------------*- C++ -*-===//

#ifndef WSE_EMU_TRACE_H
#define WSE_EMU_TRACE_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse::emu {

/// One complete ("X") event. Tasks use process 0 with one thread per PE;
/// stream transfers use process 1 with one thread per port.
struct TraceEvent {
  std::string name;
  uint32_t pid = 0;
  uint32_t tid = 0;
  uint64_t start = 0; ///< cycle
  uint64_t cycles = 0;
};

struct Trace {
  std::vector<TraceEvent> events;
  std::vector<std::pair<uint32_t, std::string>> peNames,
      portNames; ///< tid->name
  bool truncated = false;
  static constexpr size_t kMaxEvents = 2000000;
  void add(TraceEvent e) {
    if (events.size() < kMaxEvents)
      events.push_back(std::move(e));
    else
      truncated = true;
  }
};

/// Writes JSON loadable by chrome://tracing and Perfetto; timestamps are in
/// microseconds at `clockHz`, with cycles in each event's args.
llvm::Error writeChromeTrace(llvm::StringRef path, const Trace &t,
                             double clockHz);

} // namespace wse::emu

#endif

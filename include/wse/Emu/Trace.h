//===- Trace.h - Chrome trace-event output ----------------------*- C++ -*-===//

#ifndef WSE_EMU_TRACE_H
#define WSE_EMU_TRACE_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace wse::emu {

/// Process ids of the trace: tasks (one thread per PE), stream transfers
/// (one thread per port), layers (one thread per PE: from each `mark N` the
/// PE passes to its next mark or the end of its last task).
constexpr uint32_t kTaskPid = 0, kStreamPid = 1, kMarkPid = 2;

/// One complete ("X") event.
struct TraceEvent {
  std::string name;
  uint32_t pid = 0;
  uint32_t tid = 0;
  uint64_t start = 0; ///< cycle
  uint64_t cycles = 0;
  int64_t mark = 0; ///< kMarkPid events: the mark's number
  /// The cycle the emulator recorded the event in: with the pid and tid, the
  /// order of the events, whatever the number of threads.
  uint64_t recorded = 0;
};

/// What a mark stands for: row N of the cost report (wafer-cost-report's
/// JSON) is the placed op whose code starts with `mark N`.
struct MarkName {
  std::string location; ///< the ONNX node name, or "-"
  std::string op;       ///< e.g. "wafer.linear"
  int64_t layer = -1;   ///< iteration of the layer loop, -1 outside it
};
using MarkNames = std::map<int64_t, MarkName>;

/// Mark-name files: the largest file and the deepest JSON nesting accepted
/// (a cost report nests 3 levels).
constexpr uint64_t kMaxMarkNamesBytes = uint64_t(256) << 20;
constexpr size_t kMaxMarkNamesDepth = 16;

/// Reads mark names from a cost report JSON file (`ops[i]` with `index`,
/// `op`, `location` and optionally `layer`); errors name the file and the
/// row at fault.
llvm::Expected<MarkNames> readMarkNames(llvm::StringRef path);

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
/// microseconds at `clockHz`, with cycles in each event's args. Mark
/// intervals are named by `names` where it has the mark ("mark N" otherwise).
llvm::Error writeChromeTrace(llvm::StringRef path, const Trace &t,
                             double clockHz, const MarkNames &names = {});

} // namespace wse::emu

#endif

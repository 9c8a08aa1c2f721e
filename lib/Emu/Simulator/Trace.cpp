//===- Trace.cpp - Chrome trace-event JSON --------------------------------===//

#include "wse/Emu/Trace.h"
#include "wse/Support/InputFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace wse::emu {

Expected<MarkNames> readMarkNames(StringRef path) {
  auto fail = [&](const Twine &msg) {
    return createStringError(inconvertibleErrorCode(),
                             "mark names '" + path + "': " + msg);
  };
  Expected<std::unique_ptr<MemoryBuffer>> buf =
      readInputFile(path, kMaxMarkNamesBytes, "file");
  if (!buf)
    return fail(toString(buf.takeError()));
  // llvm::json recurses once per level: 200,000 levels overflowed the stack.
  if (size_t depth = jsonNestingDepth((*buf)->getBuffer());
      depth > kMaxMarkNamesDepth)
    return fail(formatv("nests {0} levels of arrays and objects, more than "
                        "the {1} allowed",
                        depth, kMaxMarkNamesDepth));
  Expected<json::Value> root = json::parse((*buf)->getBuffer());
  if (!root)
    return fail("not JSON: " + toString(root.takeError()));
  const json::Object *top = root->getAsObject();
  const json::Array *ops = top ? top->getArray("ops") : nullptr;
  if (!ops)
    return fail("expected a cost report (wafer-cost-report JSON) with an "
                "'ops' array");
  MarkNames names;
  for (size_t i = 0; i < ops->size(); ++i) {
    const json::Object *row = (*ops)[i].getAsObject();
    std::optional<StringRef> location =
        row ? row->getString("location") : std::nullopt;
    std::optional<StringRef> op = row ? row->getString("op") : std::nullopt;
    if (!location || !op)
      return fail(formatv("ops[{0}] has no string 'op' and 'location'", i));
    int64_t index = row->getInteger("index").value_or(int64_t(i));
    MarkName &n = names[index];
    n.location = location->str();
    n.op = op->str();
    n.layer = row->getInteger("layer").value_or(-1);
  }
  return names;
}

Error writeChromeTrace(StringRef path, const Trace &t, double clockHz,
                       const MarkNames &names) {
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
      meta("process_name", kTaskPid, 0, "PEs (tasks)");
      meta("process_name", kStreamPid, 0, "I/O ports (streams)");
      bool anyMark = llvm::any_of(
          t.events, [](const TraceEvent &e) { return e.pid == kMarkPid; });
      if (anyMark)
        meta("process_name", kMarkPid, 0, "PEs (layers)");
      for (const auto &[tid, name] : t.peNames) {
        meta("thread_name", kTaskPid, tid, name);
        if (anyMark)
          meta("thread_name", kMarkPid, tid, name);
      }
      for (const auto &[tid, name] : t.portNames)
        meta("thread_name", kStreamPid, tid, name);
      for (const TraceEvent &e : t.events) {
        json::Object args{{"start_cycle", int64_t(e.start)},
                          {"cycles", int64_t(e.cycles)}};
        StringRef name = e.name;
        if (e.pid == kMarkPid) {
          args["mark"] = e.mark;
          auto it = names.find(e.mark);
          if (it != names.end()) {
            const MarkName &n = it->second;
            name = n.location != "-" ? StringRef(n.location) : StringRef(n.op);
            args["op"] = n.op;
            args["location"] = n.location;
            if (n.layer >= 0)
              args["layer"] = n.layer;
          }
        }
        j.object([&] {
          j.attribute("name", name);
          j.attribute("ph", "X");
          j.attribute("pid", e.pid);
          j.attribute("tid", e.tid);
          j.attribute("ts", double(e.start) * usPerCycle);
          j.attribute("dur", double(e.cycles) * usPerCycle);
          j.attribute("args", std::move(args));
        });
      }
    });
  });
  os << "\n";
  os.close();
  if (os.has_error())
    return createStringError(os.error(), "cannot write trace '" + path + "'");
  return Error::success();
}

} // namespace wse::emu

//===- MachineJSON.cpp - JSON form of machine descriptions ----------------===//

#include "wse/Machine/MachineDescription.h"
#include "wse/Support/InputFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace wse::machine {

static constexpr const char *kFormat = "wse-machine";
static constexpr int64_t kVersion = 1;

json::Value toJSON(const MachineDescription &m) {
  json::Array sides;
  if (m.westPorts)
    sides.push_back("west");
  if (m.eastPorts)
    sides.push_back("east");
  return json::Object{
      {"format", kFormat},
      {"version", kVersion},
      {"name", m.name},
      {"width", m.width},
      {"height", m.height},
      {"sram_bytes", int64_t(m.sramBytes)},
      {"clock_hz", m.clockHz},
      {"simd_f32_lanes", m.simdF32Lanes},
      {"colors", m.colors},
      {"queue_depth", m.queueDepth},
      {"wavelet_bits", m.waveletBits},
      {"hop_latency", m.hopLatency},
      {"ramp_latency", m.rampLatency},
      {"instr_issue_cycles", m.instrIssueCycles},
      {"task_switch_cycles", m.taskSwitchCycles},
      {"code_bytes_per_instr", m.codeBytesPerInstr},
      {"stream_bytes_per_cycle", m.streamBytesPerCycle},
      {"ports", json::Object{{"sides", std::move(sides)},
                             {"first_row", m.portFirstRow},
                             {"spacing_rows", m.portSpacingRows}}},
  };
}

namespace {
/// Reads keys of one JSON object, remembering which were seen so that unknown
/// keys (usually typos) are reported instead of silently ignored.
class ObjectReader {
public:
  ObjectReader(const json::Object &obj, StringRef where, bool haveBase)
      : obj(obj), where(where), haveBase(haveBase) {}

  template <typename T> void integer(StringRef key, T &out) {
    seen.insert(key);
    const json::Value *v = obj.get(key);
    if (!v)
      return missing(key);
    std::optional<int64_t> i = v->getAsInteger();
    if (!i || *i < 0 || uint64_t(*i) > uint64_t(std::numeric_limits<T>::max()))
      return fail(formatv("'{0}' must be a non-negative integer that fits {1} "
                          "bits",
                          key, sizeof(T) * 8)
                      .str());
    out = T(*i);
  }
  void number(StringRef key, double &out) {
    seen.insert(key);
    const json::Value *v = obj.get(key);
    if (!v)
      return missing(key);
    std::optional<double> d = v->getAsNumber();
    if (!d)
      return fail(("'" + key + "' must be a number").str());
    out = *d;
  }
  void string(StringRef key, std::string &out) {
    seen.insert(key);
    const json::Value *v = obj.get(key);
    if (!v)
      return missing(key);
    std::optional<StringRef> s = v->getAsString();
    if (!s)
      return fail(("'" + key + "' must be a string").str());
    out = s->str();
  }
  const json::Object *object(StringRef key) {
    seen.insert(key);
    const json::Value *v = obj.get(key);
    if (!v) {
      missing(key);
      return nullptr;
    }
    const json::Object *o = v->getAsObject();
    if (!o)
      fail(("'" + key + "' must be an object").str());
    return o;
  }
  void ignore(StringRef key) { seen.insert(key); }
  Error finish() {
    for (const auto &kv : obj)
      if (!seen.contains(kv.first.str()) && error.empty())
        fail(("unknown key '" + kv.first.str() + "'").c_str());
    if (error.empty())
      return Error::success();
    return createStringError(inconvertibleErrorCode(), error);
  }

private:
  void missing(StringRef key) {
    if (!haveBase)
      fail(("missing key '" + key + "' (or give \"base\": a preset name)")
               .str());
  }
  void fail(const std::string &msg) {
    if (error.empty())
      error = (where + ": " + msg).str();
  }
  const json::Object &obj;
  StringRef where;
  bool haveBase;
  StringSet<> seen;
  std::string error;
};
} // namespace

Expected<MachineDescription> fromJSON(const json::Value &value) {
  const json::Object *obj = value.getAsObject();
  if (!obj)
    return createStringError(inconvertibleErrorCode(),
                             "machine description must be a JSON object");
  MachineDescription m;
  bool haveBase = false;
  if (const json::Value *base = obj->get("base")) {
    std::optional<StringRef> name = base->getAsString();
    std::optional<MachineDescription> preset;
    if (name)
      preset = lookupPreset(*name);
    if (!preset)
      return createStringError(
          inconvertibleErrorCode(),
          "machine description: 'base' must name a preset (wse2, wse3, 4x4, "
          "8x8, 32x32, 64x64)");
    m = *preset;
    haveBase = true;
  }
  if (const json::Value *fmt = obj->get("format"))
    if (fmt->getAsString() != StringRef(kFormat))
      return createStringError(inconvertibleErrorCode(),
                               "machine description: 'format' must be \"%s\"",
                               kFormat);
  if (const json::Value *ver = obj->get("version"))
    if (ver->getAsInteger() != kVersion)
      return createStringError(
          inconvertibleErrorCode(),
          "machine description: unsupported version (expected %d)",
          int(kVersion));

  ObjectReader r(*obj, "machine description", haveBase);
  r.ignore("base");
  r.ignore("format");
  r.ignore("version");
  r.string("name", m.name);
  r.integer("width", m.width);
  r.integer("height", m.height);
  r.integer("sram_bytes", m.sramBytes);
  r.number("clock_hz", m.clockHz);
  r.integer("simd_f32_lanes", m.simdF32Lanes);
  r.integer("colors", m.colors);
  r.integer("queue_depth", m.queueDepth);
  r.integer("wavelet_bits", m.waveletBits);
  r.integer("hop_latency", m.hopLatency);
  r.integer("ramp_latency", m.rampLatency);
  r.integer("instr_issue_cycles", m.instrIssueCycles);
  r.integer("task_switch_cycles", m.taskSwitchCycles);
  r.integer("code_bytes_per_instr", m.codeBytesPerInstr);
  r.number("stream_bytes_per_cycle", m.streamBytesPerCycle);
  const json::Object *ports = r.object("ports");
  if (ports) {
    ObjectReader pr(*ports, "machine description: ports", haveBase);
    if (const json::Value *sides = ports->get("sides")) {
      pr.ignore("sides");
      const json::Array *arr = sides->getAsArray();
      if (!arr)
        return createStringError(inconvertibleErrorCode(),
                                 "machine description: ports.sides must be an "
                                 "array of \"west\"/\"east\"");
      m.westPorts = m.eastPorts = false;
      for (const json::Value &s : *arr) {
        std::optional<StringRef> str = s.getAsString();
        if (str == StringRef("west"))
          m.westPorts = true;
        else if (str == StringRef("east"))
          m.eastPorts = true;
        else
          return createStringError(inconvertibleErrorCode(),
                                   "machine description: ports.sides entries "
                                   "must be \"west\" or \"east\"");
      }
    } else if (!haveBase) {
      return createStringError(inconvertibleErrorCode(),
                               "machine description: ports: missing key "
                               "'sides'");
    }
    pr.integer("first_row", m.portFirstRow);
    pr.integer("spacing_rows", m.portSpacingRows);
    if (Error e = pr.finish())
      return std::move(e);
  }
  if (Error e = r.finish())
    return std::move(e);
  if (Error e = m.validate())
    return std::move(e);
  return m;
}

Expected<MachineDescription> parseMachineJSON(StringRef text) {
  if (text.size() > kMaxMachineFileBytes)
    return createStringError(
        inconvertibleErrorCode(),
        formatv("machine description is {0} bytes, more than the {1} allowed",
                text.size(), kMaxMachineFileBytes));
  // llvm::json recurses once per level: 100,000 levels overflowed the stack.
  if (size_t depth = wse::jsonNestingDepth(text); depth > kMaxMachineJSONDepth)
    return createStringError(
        inconvertibleErrorCode(),
        formatv("machine description nests {0} levels of arrays and objects, "
                "more than the {1} allowed",
                depth, kMaxMachineJSONDepth));
  Expected<json::Value> v = json::parse(text);
  if (!v)
    return createStringError(inconvertibleErrorCode(),
                             "machine description is not valid JSON: " +
                                 toString(v.takeError()));
  return fromJSON(*v);
}

Expected<MachineDescription> loadMachineFile(StringRef path) {
  // Only regular files of bounded size: /dev/zero or a pipe would otherwise
  // be read until memory runs out.
  Expected<std::unique_ptr<MemoryBuffer>> buf =
      wse::readInputFile(path, kMaxMachineFileBytes, "machine file");
  if (!buf)
    return buf.takeError();
  Expected<MachineDescription> m = parseMachineJSON((*buf)->getBuffer());
  if (!m)
    return createStringError(inconvertibleErrorCode(),
                             path + ": " + toString(m.takeError()));
  return m;
}

/// A preset, a JSON file, or WIDTHxHEIGHT: a mesh of that size with the
/// per-PE numbers of the small presets (32x32).
static Expected<MachineDescription> resolveBase(StringRef name) {
  if (std::optional<MachineDescription> m = lookupPreset(name))
    return *m;
  uint32_t width = 0, height = 0;
  auto [w, h] = name.split('x');
  if (!w.empty() && !h.empty() && llvm::all_of(w, llvm::isDigit) &&
      llvm::all_of(h, llvm::isDigit)) {
    if (w.getAsInteger(10, width) || h.getAsInteger(10, height))
      return createStringError(inconvertibleErrorCode(),
                               "machine '" + name + "': size out of range");
    MachineDescription m = *lookupPreset("32x32");
    m.name = name.str();
    m.width = width;
    m.height = height;
    if (Error e = m.validate())
      return std::move(e);
    return m;
  }
  if (!name.ends_with(".json") && name.find('/') == StringRef::npos)
    return createStringError(inconvertibleErrorCode(),
                             "unknown machine '" + name +
                                 "': use a preset (wse2, wse3, 4x4, 8x8, "
                                 "32x32, 64x64), WIDTHxHEIGHT "
                                 "or a path to a JSON machine file");
  return loadMachineFile(name);
}

/// A command-line value: an integer, a number, true/false, or a string
/// (`ports.sides` takes sides joined by '+', e.g. west+east).
static json::Value overrideValue(StringRef key, StringRef text) {
  if (key == "ports.sides") {
    json::Array sides;
    SmallVector<StringRef> parts;
    text.split(parts, '+');
    for (StringRef part : parts)
      sides.push_back(part.str());
    return sides;
  }
  int64_t i;
  if (!text.getAsInteger(10, i))
    return i;
  double d;
  if (!text.getAsDouble(d))
    return d;
  if (text == "true" || text == "false")
    return text == "true";
  return text.str();
}

Expected<MachineDescription> resolveMachine(StringRef spec) {
  SmallVector<StringRef> parts;
  spec.split(parts, ',');
  Expected<MachineDescription> base = resolveBase(parts.front());
  if (!base || parts.size() == 1)
    return base;
  // Overrides go through the JSON reader, so they are checked like a file.
  json::Value value = toJSON(*base);
  json::Object &obj = *value.getAsObject();
  for (StringRef kv : llvm::drop_begin(parts)) {
    auto [key, text] = kv.split('=');
    key = key.trim();
    text = text.trim();
    if (key.empty() || !kv.contains('='))
      return createStringError(
          inconvertibleErrorCode(),
          "machine '" + spec + "': override '" + kv +
              "' is not key=value (e.g. 32x32,sram_bytes=65536)");
    json::Object *into = &obj;
    StringRef leaf = key;
    if (auto [outer, inner] = key.split('.'); !inner.empty()) {
      into = obj.getObject(outer);
      leaf = inner;
      if (!into || inner.contains('.'))
        return createStringError(inconvertibleErrorCode(),
                                 "machine '" + spec + "': unknown key '" + key +
                                     "'");
    }
    (*into)[leaf] = overrideValue(key, text);
  }
  Expected<MachineDescription> m = fromJSON(value);
  if (!m)
    return createStringError(inconvertibleErrorCode(),
                             "machine '" + spec +
                                 "': " + toString(m.takeError()));
  return m;
}

} // namespace wse::machine

//===- TrainingStore.cpp - Checkpoint directory as the weight store -------===//

#include "wse/Emu/TrainingStore.h"
#include "wse/Support/InputFile.h"
#include "wse/Support/TensorName.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace llvm;

namespace wse::emu {

static Error storeError(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), "--store: " + msg);
}

static std::string shapeText(ArrayRef<uint64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

static uint64_t elements(ArrayRef<uint64_t> shape) {
  uint64_t n = 1;
  for (uint64_t d : shape)
    n *= d;
  return n;
}

uint64_t StoreStats::cycles() const {
  if (bytesPerCycle <= 0)
    return 0;
  return uint64_t(
      std::ceil(double(accumulateBytes + optimizerBytes) / bytesPerCycle));
}

json::Object StoreStats::toJSON() const {
  json::Object o{{"gradient_bytes_in", int64_t(gradientBytes)},
                 {"runs_accumulated", int64_t(runsAccumulated)},
                 {"applied", applied},
                 {"optimizer_steps", int64_t(optimizerSteps)},
                 {"accumulate_bytes", int64_t(accumulateBytes)},
                 {"optimizer_bytes", int64_t(optimizerBytes)},
                 {"bytes_per_cycle", bytesPerCycle},
                 {"cycles", int64_t(cycles())}};
  if (gradNorm)
    o["grad_norm"] = *gradNorm;
  return o;
}

std::string TrainingStore::path(StringRef relative) const {
  SmallString<256> p(dir);
  sys::path::append(p, relative);
  return std::string(p);
}

static Error parseConfig(const json::Object &state, OptimizerConfig &c) {
  std::optional<StringRef> kind = state.getString("optimizer");
  const json::Object *hyper = state.getObject("hyper");
  if (!kind || !hyper)
    return storeError("state.json lacks 'optimizer' or 'hyper'");
  auto number = [&](StringRef key, double &out) -> Error {
    std::optional<double> v = hyper->getNumber(key);
    if (!v)
      return storeError("state.json: optimizer '" + *kind +
                        "' lacks the number hyper." + key);
    out = *v;
    return Error::success();
  };
  if (*kind == "sgd") {
    c.kind = OptimizerConfig::Kind::SGD;
    if (Error e = number("momentum", c.momentum))
      return e;
    if (Error e = number("dampening", c.dampening))
      return e;
    if (Error e = number("weight_decay", c.weightDecay))
      return e;
    c.nesterov = hyper->getBoolean("nesterov").value_or(false);
    return Error::success();
  }
  if (*kind == "adamw") {
    c.kind = OptimizerConfig::Kind::AdamW;
    const json::Array *betas = hyper->getArray("betas");
    if (!betas || betas->size() != 2 || !(*betas)[0].getAsNumber() ||
        !(*betas)[1].getAsNumber())
      return storeError("state.json: adamw's hyper.betas must be two numbers");
    c.beta1 = *(*betas)[0].getAsNumber();
    c.beta2 = *(*betas)[1].getAsNumber();
    if (Error e = number("eps", c.eps))
      return e;
    return number("weight_decay", c.weightDecay);
  }
  return storeError("state.json names the optimizer '" + *kind +
                    "' (the store applies sgd and adamw)");
}

Expected<std::unique_ptr<TrainingStore>>
TrainingStore::open(StringRef dir, const Program &p, double bytesPerCycle) {
  std::unique_ptr<TrainingStore> s(new TrainingStore());
  s->dir = dir.str();
  std::string statePath = s->path("state.json");
  if (!sys::fs::exists(statePath))
    return storeError("no weight store in '" + dir +
                      "' (state.json missing; wse-train --checkpoint "
                      "writes one)");
  Expected<std::unique_ptr<MemoryBuffer>> buf =
      readInputFile(statePath, kMaxInputFileBytes, "store state");
  if (!buf)
    return buf.takeError();
  Expected<json::Value> parsed = json::parse((*buf)->getBuffer());
  if (!parsed)
    return storeError(statePath + ": " + toString(parsed.takeError()));
  if (!parsed->getAsObject())
    return storeError(statePath + " is not a JSON object");
  s->state = std::move(*parsed->getAsObject());
  if (s->state.getString("format") != StringRef("wse-train-checkpoint") ||
      s->state.getInteger("version") != 1)
    return storeError(statePath + " is not a version-1 wse-train checkpoint");
  if (Error e = parseConfig(s->state, s->config))
    return std::move(e);
  std::optional<int64_t> steps = s->state.getInteger("optimizer_steps");
  std::optional<int64_t> runs =
      s->state.getInteger("accumulated_runs").value_or(0);
  if (!steps || *steps < 0 || *runs < 0)
    return storeError(statePath + ": optimizer_steps and accumulated_runs "
                                  "must be counts");
  s->optimizerSteps = *steps;
  s->accumulated = *runs;
  s->runStats.bytesPerCycle = bytesPerCycle;

  // The program's gradients, by the parameter they update.
  StringMap<const TensorDecl *> gradients;
  for (const TensorDecl &o : p.outputs)
    if (!o.gradientOf.empty())
      gradients[o.gradientOf] = &o;
  StringMap<const TensorDecl *> params;
  for (const TensorDecl &q : p.params)
    params[q.name] = &q;

  const json::Array *list = s->state.getArray("params");
  if (!list)
    return storeError(statePath + " lacks 'params'");
  StringSet<> matched;
  for (const json::Value &v : *list) {
    const json::Object *o = v.getAsObject();
    std::optional<StringRef> name = o ? o->getString("name") : std::nullopt;
    std::optional<StringRef> file = o ? o->getString("file") : std::nullopt;
    const json::Array *shape = o ? o->getArray("shape") : nullptr;
    if (!name || !file || !shape)
      return storeError(statePath + ": every parameter needs a name, a file "
                                    "and a shape");
    Entry e;
    e.name = name->str();
    e.weightsFile = file->str();
    for (const json::Value &d : *shape) {
      std::optional<int64_t> n = d.getAsInteger();
      if (!n || *n < 0)
        return storeError("parameter '" + e.name + "' has a malformed shape");
      e.shape.push_back(uint64_t(*n));
    }
    e.program = programTensorName(e.name);
    if (!matched.insert(e.program).second)
      return storeError(formatv("two of the store's parameters are '{0}' in "
                                "the program ('{1}' is one)",
                                e.program, e.name));
    auto g = gradients.find(e.program);
    if (g == gradients.end())
      return storeError("the store holds '" + e.name +
                        "', but the program streams out no gradient of it" +
                        (params.count(e.program)
                             ? StringRef(" (it is not trained by this step)")
                             : StringRef(" (the program has no such "
                                         "parameter)")));
    e.output = g->second->name;
    if (e.shape != params[e.program]->shape)
      return storeError(formatv("the store's '{0}' is {1}, the program's {2}",
                                e.name, shapeText(e.shape),
                                shapeText(params[e.program]->shape)));
    Expected<NpyHeader> h = readNpyHeader(s->path(e.weightsFile));
    if (!h)
      return storeError(toString(h.takeError()));
    if (h->descr != "<f4" || h->shape != e.shape)
      return storeError(formatv("{0} holds {1} {2}, not the float32 {3} of "
                                "'{4}'",
                                e.weightsFile, h->descr, shapeText(h->shape),
                                shapeText(e.shape), e.name));
    e.dataOffset = h->dataOffset;
    s->entries.push_back(std::move(e));
  }
  for (const auto &g : gradients)
    if (!matched.contains(g.first()))
      return storeError("the program streams out the gradient of '" +
                        g.first() + "', which the store does not hold");
  return std::move(s);
}

void TrainingStore::serve(std::vector<TensorDecl> &params) const {
  for (TensorDecl &q : params)
    for (const Entry &e : entries)
      if (e.program == q.name) {
        q.file = path(e.weightsFile);
        q.offset = e.dataOffset;
      }
}

Expected<std::vector<float>> TrainingStore::load(StringRef relative,
                                                 const Entry &e) const {
  Expected<HostTensor> t = readNpy(path(relative));
  if (!t)
    return storeError(toString(t.takeError()));
  if (t->shape != e.shape)
    return storeError(formatv("{0} is {1}, '{2}' is {3}", relative,
                              shapeText(t->shape), e.name, shapeText(e.shape)));
  return std::move(t->data);
}

Error TrainingStore::save(
    StringRef relative, const Entry &e, const std::vector<float> &data,
    std::vector<std::pair<std::string, std::string>> &renames) const {
  std::string final = path(relative), tmp = final + ".tmp";
  SmallString<256> parent(final);
  sys::path::remove_filename(parent);
  if (std::error_code ec = sys::fs::create_directories(parent))
    return storeError("cannot create '" + parent + "': " + ec.message());
  if (Error err = writeNpy(tmp, HostTensor{e.shape, data}))
    return storeError(toString(std::move(err)));
  renames.push_back({tmp, final});
  return Error::success();
}

Error TrainingStore::applyStep(
    std::vector<std::vector<float>> &sums, double lr,
    std::optional<double> clipNorm,
    std::vector<std::pair<std::string, std::string>> &renames) {
  // The mean over the step's runs: every run covers as many positions, so
  // the mean of the runs' means is the batch's.
  const float runs = float(accumulated);
  for (std::vector<float> &g : sums)
    for (float &x : g)
      x = x / runs;
  if (clipNorm) {
    std::vector<std::vector<float> *> all;
    for (std::vector<float> &g : sums)
      all.push_back(&g);
    runStats.gradNorm = clipGradNorm(all, *clipNorm);
  }
  std::vector<std::string> kinds = config.stateNames();
  json::Array *list = state.getArray("params");
  for (auto [i, e] : llvm::enumerate(entries)) {
    json::Object &entryState = *(*list)[i].getAsObject();
    ParamState p;
    Expected<std::vector<float>> w = load(e.weightsFile, e);
    if (!w)
      return w.takeError();
    p.weights = std::move(*w);
    const json::Object *files = entryState.getObject("state");
    for (const std::string &kind : kinds) {
      p.state.emplace_back();
      std::optional<StringRef> f =
          files ? files->getString(kind) : std::nullopt;
      if (!f)
        continue;
      Expected<std::vector<float>> st = load(*f, e);
      if (!st)
        return st.takeError();
      p.state.back() = std::move(*st);
    }
    applyOptimizer(config, p, sums[i], lr, optimizerSteps + 1);
    if (Error err = save(e.weightsFile, e, p.weights, renames))
      return err;
    json::Object newFiles;
    for (auto [kind, values] : llvm::zip(kinds, p.state)) {
      if (values.empty())
        continue;
      std::string f = formatv("state/{0:d4}.{1}.npy", i, kind).str();
      if (Error err = save(f, e, values, renames))
        return err;
      newFiles[kind] = f;
    }
    entryState["state"] = std::move(newFiles);
    runStats.optimizerBytes +=
        uint64_t(config.bytesPerWeight() + (clipNorm ? 4 : 0)) *
        p.weights.size();
  }
  ++optimizerSteps;
  accumulated = 0;
  runStats.applied = true;
  return Error::success();
}

Error TrainingStore::update(const StringMap<HostTensor> &outputs,
                            std::optional<double> lr,
                            std::optional<double> clipNorm) {
  runStats.gradientBytes = runStats.accumulateBytes = 0;
  runStats.optimizerBytes = 0;
  runStats.applied = false;
  runStats.gradNorm.reset();
  std::vector<std::vector<float>> sums;
  for (auto [i, e] : llvm::enumerate(entries)) {
    auto it = outputs.find(e.output);
    if (it == outputs.end() || it->second.data.size() != elements(e.shape))
      return storeError("the run produced no gradient '" + e.output + "'");
    const std::vector<float> &g = it->second.data;
    std::vector<float> sum;
    if (accumulated) {
      Expected<std::vector<float>> acc =
          load(formatv("accum/{0:d4}.npy", i).str(), e);
      if (!acc)
        return acc.takeError();
      sum = std::move(*acc);
      for (size_t j = 0; j < sum.size(); ++j)
        sum[j] = sum[j] + g[j];
    } else {
      sum = g;
    }
    runStats.gradientBytes += 4 * g.size();
    // Each gradient word is written to the accumulator, which a later run
    // of the step reads first.
    runStats.accumulateBytes += (accumulated ? 8 : 4) * g.size();
    sums.push_back(std::move(sum));
  }
  ++accumulated;
  std::vector<std::pair<std::string, std::string>> renames;
  if (lr) {
    if (Error err = applyStep(sums, *lr, clipNorm, renames))
      return err;
  } else {
    for (auto [i, e] : llvm::enumerate(entries))
      if (Error err =
              save(formatv("accum/{0:d4}.npy", i).str(), e, sums[i], renames))
        return err;
  }
  runStats.runsAccumulated = accumulated;
  runStats.optimizerSteps = optimizerSteps;
  state["optimizer_steps"] = int64_t(optimizerSteps);
  state["accumulated_runs"] = int64_t(accumulated);
  std::string stateFile = path("state.json");
  {
    std::error_code ec;
    raw_fd_ostream os(stateFile + ".tmp", ec, sys::fs::OF_Text);
    if (ec)
      return storeError("cannot write '" + stateFile +
                        ".tmp': " + ec.message());
    os << formatv("{0:1}", json::Value(json::Object(state))) << "\n";
    os.close();
    if (os.has_error())
      return storeError("cannot write '" + stateFile + ".tmp'");
  }
  // The arrays first, state.json last: until it names the new step, the
  // directory is the old step with newer arrays beside it.
  renames.push_back({stateFile + ".tmp", stateFile});
  for (const auto &[from, to] : renames)
    if (std::error_code ec = sys::fs::rename(from, to))
      return storeError("cannot replace '" + to + "': " + ec.message());
  if (!accumulated)
    sys::fs::remove_directories(path("accum"), /*IgnoreErrors=*/true);
  return Error::success();
}

} // namespace wse::emu

//===- StoreRun.cpp - wse-emu --store: the weight store of a step ---------===//

#include "StoreRun.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace wse::emu_tool {

cl::OptionCategory storeCat("wse-emu weight store (training)");

static cl::opt<std::string> storeDir(
    "store",
    cl::desc("Play the weight store of a training step kept in DIR (a "
             "wse-train checkpoint): serve its weights to the program, add "
             "the program's gradient outputs to its accumulators "
             "(docs/emulator/weight-store.md)"),
    cl::value_desc("DIR"), cl::cat(storeCat));
static cl::opt<double> applyLr(
    "apply-lr",
    cl::desc("After this run's gradients, apply the store's optimizer to "
             "the step's mean gradient with learning rate LR (the step's "
             "last micro-batch)"),
    cl::value_desc("LR"), cl::cat(storeCat));
static cl::opt<double>
    clipNorm("clip-norm",
             cl::desc("With --apply-lr: first clip the mean gradient to this "
                      "global L2 norm (torch's clip_grad_norm_)"),
             cl::value_desc("C"), cl::cat(storeCat));
static cl::opt<double> storeBandwidth(
    "store-bytes-per-cycle",
    cl::desc("Bandwidth of the store's memory, for its modelled time "
             "(default: every edge port of the machine, both ways)"),
    cl::value_desc("B"), cl::cat(storeCat));

/// A number as the user would write it (formatv prints two decimals).
static std::string number(double v) {
  char text[32];
  snprintf(text, sizeof text, "%g", v);
  return text;
}

Expected<std::unique_ptr<emu::TrainingStore>>
openStore(emu::Program &prog, const machine::MachineDescription &m) {
  auto bad = [](const Twine &msg) {
    return createStringError(inconvertibleErrorCode(), msg);
  };
  if (storeDir.empty()) {
    if (applyLr.getNumOccurrences() || clipNorm.getNumOccurrences() ||
        storeBandwidth.getNumOccurrences())
      return bad("--apply-lr, --clip-norm and --store-bytes-per-cycle need "
                 "--store DIR");
    return nullptr;
  }
  if (clipNorm.getNumOccurrences() && !applyLr.getNumOccurrences())
    return bad("--clip-norm clips the gradient the optimizer applies: pass "
               "--apply-lr too");
  if (applyLr.getNumOccurrences() && !(applyLr >= 0 && applyLr < 1e6))
    return bad("--apply-lr " + number(applyLr) +
               " is not a learning rate in [0, 1e6)");
  if (clipNorm.getNumOccurrences() && !(clipNorm > 0 && clipNorm < 1e30))
    return bad("--clip-norm " + number(clipNorm) + " must be positive");
  double bandwidth = 2.0 * m.allPorts().size() * m.streamBytesPerCycle;
  if (storeBandwidth.getNumOccurrences()) {
    if (!(storeBandwidth > 0 && storeBandwidth < 1e12))
      return bad("--store-bytes-per-cycle " + number(storeBandwidth) +
                 " must be positive");
    bandwidth = storeBandwidth;
  }
  Expected<std::unique_ptr<emu::TrainingStore>> store =
      emu::TrainingStore::open(storeDir, prog, bandwidth);
  if (store)
    (*store)->serve(prog.params);
  return store;
}

Error updateStore(emu::TrainingStore &store, const emu::SimResult &res,
                  bool quiet) {
  std::optional<double> lr, clip;
  if (applyLr.getNumOccurrences())
    lr = applyLr;
  if (clipNorm.getNumOccurrences())
    clip = clipNorm;
  if (Error e = store.update(res.outputs, lr, clip))
    return e;
  if (quiet)
    return Error::success();
  const emu::StoreStats &s = store.stats();
  outs() << formatv("store: {0} B of gradients in, {1} run(s) accumulated",
                    s.gradientBytes, s.applied ? 0 : s.runsAccumulated);
  if (s.applied) {
    outs() << formatv("; optimizer step {0} applied", s.optimizerSteps);
    if (s.gradNorm)
      outs() << " (gradient norm " << number(*s.gradNorm)
             << " before clipping)";
  }
  outs() << formatv("; {0} B moved at {1} B/cycle: {2} cycles\n",
                    s.accumulateBytes + s.optimizerBytes,
                    number(s.bytesPerCycle), s.cycles());
  return Error::success();
}

} // namespace wse::emu_tool

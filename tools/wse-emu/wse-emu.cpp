//===- wse-emu.cpp - Run wafer-scale engine programs ----------------------===//

#include "StoreRun.h"

#include "wse/Emu/BinaryFormat.h"
#include "wse/Emu/Ranks.h"
#include "wse/Emu/Simulator.h"
#include "wse/Emu/TextFormat.h"
#include "wse/Machine/MachineDescription.h"
#include "wse/Support/Npy.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace llvm;
using namespace wse;

static cl::OptionCategory cat("wse-emu options");
static cl::opt<std::string> programPath(cl::Positional,
                                        cl::desc("<program (text or binary)>"),
                                        cl::cat(cat));
static cl::opt<std::string>
    machineOpt("machine",
               cl::desc("Machine preset (wse2, wse3, 4x4, 8x8, 32x32, 64x64) "
                        "or JSON machine file; default: the program's "
                        "'machine'"),
               cl::value_desc("PRESET|FILE"), cl::cat(cat));
static cl::list<std::string> inputOpts("input",
                                       cl::desc("Host input tensor from .npy"),
                                       cl::value_desc("NAME=FILE.npy"),
                                       cl::cat(cat));
static cl::list<std::string> outputOpts("output",
                                        cl::desc("Write an output tensor as "
                                                 ".npy (float32)"),
                                        cl::value_desc("NAME=FILE.npy"),
                                        cl::cat(cat));
static cl::opt<std::string>
    weightsOpt("weights",
               cl::desc("Directory holding the weight files, or one file used "
                        "for every param (default: the program's directory)"),
               cl::value_desc("PATH"), cl::cat(cat));
// Registered as "stats-json" in main(): LLVM's Statistic library already owns
// a boolean -stats-json, which the emulator does not use.
static cl::opt<std::string> statsJson("wse-emu-stats-json",
                                      cl::desc("Write statistics as JSON"),
                                      cl::value_desc("FILE"), cl::cat(cat));
static cl::opt<std::string> traceOpt("trace",
                                     cl::desc("Write a Chrome/Perfetto "
                                              "trace-event JSON file"),
                                     cl::value_desc("FILE"), cl::cat(cat));
static cl::opt<std::string> markNamesOpt(
    "mark-names",
    cl::desc("Name the layer intervals of --trace and the marks of "
             "--stats-json (mark N) by row N of this cost report JSON "
             "(wse-opt's wafer-cost-report), i.e. by their ONNX nodes"),
    cl::value_desc("COST.json"), cl::cat(cat));
static cl::opt<uint64_t>
    maxCycles("max-cycles", cl::desc("Stop with an error after N cycles"),
              cl::init(1000000000ull), cl::cat(cat));
static cl::opt<bool> disassemble("disassemble",
                                 cl::desc("Print the program's text form and "
                                          "exit"),
                                 cl::cat(cat));
static cl::opt<std::string> assembleOut("assemble",
                                        cl::desc("Write the program's binary "
                                                 "form to OUT and exit"),
                                        cl::value_desc("OUT"), cl::cat(cat));
static cl::opt<bool> checkUninit("check-uninitialized",
                                 cl::desc("Fail on reads of never-written "
                                          "memory"),
                                 cl::cat(cat));
static cl::opt<bool> stopOnNaN(
    "stop-on-nan",
    cl::desc("Stop with an error at the first instruction that produces a NaN "
             "(names the PE, task, instruction and cycle)"),
    cl::cat(cat));
static cl::opt<bool> stopOnInf(
    "stop-on-inf",
    cl::desc("Stop with an error at the first instruction that produces an "
             "infinity (rmax of nothing, -inf by definition, excepted)"),
    cl::cat(cat));
static cl::opt<bool> strictRoutes(
    "strict-routes",
    cl::desc("Reject programs with more than one route per PE and color (the "
             "hardware router holds one configuration per color)"),
    cl::cat(cat));
static cl::opt<bool>
    printMachine("print-machine",
                 cl::desc("Print the machine description as JSON and exit "
                          "(the --machine, else the program's; without a "
                          "program, the positional argument may name the "
                          "machine: --print-machine wse2)"),
                 cl::cat(cat));
static cl::opt<bool> quiet("quiet", cl::desc("Do not print the summary"),
                           cl::cat(cat));
// Registered as "threads" in main(), like stats-json: an LLVM library
// linked in already owns a -threads.
static cl::opt<unsigned> threadsOpt(
    "wse-emu-threads",
    cl::desc("Simulate the mesh as N bands of rows, one thread each (1 to the "
             "mesh's rows); cycles, outputs, statistics and trace are the "
             "same for every N"),
    cl::value_desc("N"), cl::init(1), cl::cat(cat));

static cl::opt<bool> mpiOpt(
    "mpi",
    cl::desc("Run as MPI ranks, one band of rows each (implied when started "
             "by mpirun with more than one process)"),
    cl::cat(cat));
static cl::opt<uint64_t> maxStateGiB(
    "max-state-gib",
    cl::desc("Refuse programs whose emulator state (SRAM in use, queues, host "
             "buffers) would pass N GiB (default 4; a whole wse2 using 10 KiB "
             "per PE needs 8)"),
    cl::value_desc("N"), cl::init(emu::kMaxEmulatorStateBytes >> 30),
    cl::cat(cat));

// The ranks of a distributed run: errors and results come from rank 0 only
// (every rank sees the same program, so setup errors are the same).
static std::unique_ptr<emu::Ranks> ranks;
static bool silentRank() { return ranks && ranks->rank() != 0; }

static int fail(const Twine &msg) {
  if (!silentRank())
    WithColor::error(errs(), "wse-emu") << msg << "\n";
  return 1;
}

static bool splitAssignment(StringRef s, StringRef &name, StringRef &file) {
  std::tie(name, file) = s.split('=');
  return !name.empty() && !file.empty();
}

/// Whether every rank got this far without an error. A rank that failed
/// alone (a weight file missing on its host) must not leave the others
/// waiting for it: it prints its error, the others exit too.
static bool allRanksOk(bool ok, const Twine &msg) {
  if (!ranks)
    return ok;
  // Minimum over ranks of (ok, rank 0's ok).
  uint64_t v[2] = {ok, silentRank() ? 1 : uint64_t(ok)};
  ranks->minAll(v);
  if (!ok && silentRank() && v[1])
    WithColor::error(errs(), "wse-emu")
        << "rank " << ranks->rank() << ": " << msg << "\n";
  else if (ok && !v[0] && !silentRank())
    WithColor::error(errs(), "wse-emu")
        << "another MPI rank failed (its message says why)\n";
  return v[0];
}

/// Inputs are read by rank 0 alone (host I/O lives there) and sent to every
/// rank: (name, tensor) pairs, or the error.
static Expected<std::vector<std::pair<std::string, HostTensor>>> readInputs() {
  std::vector<std::pair<std::string, HostTensor>> all;
  std::string error;
  if (!silentRank())
    for (const std::string &in : inputOpts) {
      StringRef name, file;
      if (!splitAssignment(in, name, file)) {
        error = "--input expects NAME=FILE.npy, got '" + in + "'";
        break;
      }
      Expected<HostTensor> t = readNpy(file);
      if (!t) {
        error = toString(t.takeError());
        break;
      }
      all.push_back({name.str(), std::move(*t)});
    }
  if (ranks) {
    emu::Bytes bytes;
    emu::Archive out(bytes, silentRank());
    if (!silentRank()) {
      out.io(error);
      uint64_t n = all.size();
      out.io(n);
      for (auto &[name, t] : all) {
        out.io(name);
        out.io(t.shape);
        out.io(t.data);
      }
    }
    ranks->broadcast(bytes, 0);
    if (silentRank()) {
      emu::Archive in(bytes, true);
      in.io(error);
      uint64_t n = 0;
      in.io(n);
      all.resize(n);
      for (auto &[name, t] : all) {
        in.io(name);
        in.io(t.shape);
        in.io(t.data);
      }
    }
  }
  if (!error.empty())
    return createStringError(inconvertibleErrorCode(), error);
  return std::move(all);
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions({&cat, &emu_tool::storeCat});
  auto &registered = cl::getRegisteredOptions();
  for (auto [name, opt] :
       {std::pair<StringRef, cl::Option *>{"stats-json", &statsJson},
        {"threads", &threadsOpt}}) {
    auto it = registered.find(name);
    if (it != registered.end() && it->second != opt)
      it->second->removeArgument();
    opt->setArgStr(name);
  }
  cl::ParseCommandLineOptions(argc, argv,
                              "wse-emu: wafer-scale engine emulator\n");
  if (unsigned launched = emu::launchedRanks(); mpiOpt || launched > 1) {
    ranks = emu::createMPIRanks();
    if (!ranks)
      return fail(formatv("started as {0} MPI processes, but this wse-emu was "
                          "built without MPI (install libopenmpi-dev and "
                          "reconfigure: docs/emulator/README.md#ranks)",
                          launched));
    // What does not simulate is rank 0's alone.
    if (silentRank() && (disassemble || !assembleOut.empty() || printMachine))
      return 0;
  }

  // --print-machine needs no program: --print-machine --machine M, or
  // --print-machine M when M is not a program.
  std::optional<emu::Program> prog;
  std::string machineName = machineOpt;
  if (!printMachine || !programPath.empty()) {
    if (programPath.empty())
      return fail("no program: wse-emu PROGRAM [options] (see --help)");
    Expected<emu::Program> p = emu::loadProgramFile(programPath);
    if (p) {
      prog = std::move(*p);
    } else if (!printMachine || !machineName.empty()) {
      return fail(toString(p.takeError()));
    } else if (Expected<machine::MachineDescription> m =
                   machine::resolveMachine(programPath)) {
      consumeError(p.takeError());
      machineName = programPath;
    } else {
      return fail("--print-machine: '" + programPath +
                  "' is neither a program (" + toString(p.takeError()) +
                  ") nor a machine (" + toString(m.takeError()) + ")");
    }
  }

  if (prog && disassemble) {
    emu::printProgramText(*prog, outs());
    return 0;
  }
  if (prog && !assembleOut.empty()) {
    std::error_code ec;
    ToolOutputFile out(assembleOut, ec, sys::fs::OF_None);
    if (ec)
      return fail("cannot write '" + assembleOut + "': " + ec.message());
    out.os() << emu::writeProgramBinary(*prog);
    out.keep();
    return 0;
  }

  if (machineName.empty() && prog)
    machineName = prog->machine;
  if (machineName.empty())
    return fail(printMachine ? "--print-machine: name a machine (--machine "
                               "PRESET|FILE, or a program that names one)"
                             : "no machine: the program names none, pass "
                               "--machine PRESET|FILE");
  Expected<machine::MachineDescription> mach =
      machine::resolveMachine(machineName);
  if (!mach)
    return fail(toString(mach.takeError()));
  if (printMachine) {
    outs() << formatv("{0:2}", machine::toJSON(*mach)) << "\n";
    return 0;
  }

  emu::MarkNames markNames;
  if (!markNamesOpt.empty()) {
    if (traceOpt.empty() && statsJson.empty())
      return fail("--mark-names names the layers of a trace or of the stats: "
                  "pass --trace FILE or --stats-json FILE too");
    Expected<emu::MarkNames> names = emu::readMarkNames(markNamesOpt);
    if (!names)
      return fail(toString(names.takeError()));
    markNames = std::move(*names);
  }

  emu::SimOptions opts;
  opts.maxCycles = maxCycles;
  opts.checkUninitialized = checkUninit;
  opts.stopOnNaN = stopOnNaN;
  opts.stopOnInf = stopOnInf;
  opts.strictRoutes = strictRoutes;
  opts.threads = threadsOpt;
  opts.maxStateBytes = maxStateGiB << 30;
  if (ranks && ranks->size() > 1)
    opts.ranks = ranks.get();
  opts.trace = !traceOpt.empty();
  opts.progress = errs().is_displayed() && !silentRank();
  opts.weightsPath = weightsOpt;
  SmallString<256> dir(programPath);
  sys::path::remove_filename(dir);
  opts.programDir = dir.empty() ? "." : std::string(dir);

  // Every rank reads the store's weights; rank 0 alone updates it.
  Expected<std::unique_ptr<emu::TrainingStore>> store =
      emu_tool::openStore(*prog, *mach);
  if (!store)
    return fail(toString(store.takeError()));

  Expected<std::unique_ptr<emu::Simulator>> sim =
      emu::Simulator::create(*prog, *mach, opts);
  std::string setupError =
      sim ? "" : programPath + ": " + toString(sim.takeError());
  if (!allRanksOk(setupError.empty(), setupError))
    return fail(setupError);
  Expected<std::vector<std::pair<std::string, HostTensor>>> ins = readInputs();
  if (!ins)
    return fail(toString(ins.takeError()));
  for (auto &[name, t] : *ins)
    if (Error e = (*sim)->setInput(name, std::move(t)))
      return fail(toString(std::move(e)));
  std::vector<std::pair<std::string, std::string>> outputs;
  for (const std::string &out : outputOpts) {
    StringRef name, file;
    if (!splitAssignment(out, name, file))
      return fail("--output expects NAME=FILE.npy, got '" + out + "'");
    bool known = false;
    for (const emu::TensorDecl &t : prog->outputs)
      known |= t.name == name;
    if (!known)
      return fail("the program has no output named '" + name + "'");
    outputs.push_back({name.str(), file.str()});
  }

  Expected<emu::SimResult> res = (*sim)->run();
  if (!res)
    return fail(programPath + ": " + toString(res.takeError()));
  if (silentRank())
    return 0; // rank 0 reports and writes the files

  for (const auto &[name, file] : outputs)
    if (Error e = writeNpy(file, res->outputs[name]))
      return fail(toString(std::move(e)));
  if (!quiet)
    emu::printSummary(res->stats, outs());
  if (*store)
    if (Error e = emu_tool::updateStore(**store, *res, quiet))
      return fail(toString(std::move(e)));
  if (!statsJson.empty()) {
    std::error_code ec;
    ToolOutputFile out(statsJson, ec, sys::fs::OF_Text);
    if (ec)
      return fail("cannot write '" + statsJson + "': " + ec.message());
    std::optional<json::Object> storeStats;
    if (*store)
      storeStats = (*store)->stats().toJSON();
    emu::writeStatsJSON(out.os(), res->stats,
                        storeStats ? &*storeStats : nullptr,
                        [&](json::Object &o) {
                          auto it = markNames.find(*o.getInteger("id"));
                          if (it == markNames.end())
                            return;
                          o["location"] = it->second.location;
                          o["op"] = it->second.op;
                          if (it->second.layer >= 0)
                            o["layer"] = it->second.layer;
                        });
    out.os() << "\n";
    out.keep();
  }
  if (!traceOpt.empty())
    if (Error e = emu::writeChromeTrace(traceOpt, res->trace, mach->clockHz,
                                        markNames))
      return fail(toString(std::move(e)));
  return 0;
}

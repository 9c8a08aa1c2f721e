//===- EmuBench.cpp - Emulator speed on a GEMM-sized workload -------------===//
//
// Each row of the mesh computes C_r += A_r * B for resident A blocks: column 0
// generates the B blocks and multicasts them along its row (routes W -> E,R),
// every other PE copies each arriving B row into SRAM and does b fmac
// instructions of length b per row (C[i,:] += A[i,k] * B[k,:]). So the run
// exercises fabric multicast with back-pressure, task/scalar control and
// memory-only vector work, like a weight-streaming layer.
//
//   wse-emu-bench [--block B] [--steps K] [--machine NAME]... [--threads N]
//
//===----------------------------------------------------------------------===//

#include "wse/Emu/Simulator.h"
#include "wse/Emu/TextFormat.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;
using namespace wse;

static cl::opt<unsigned> blockOpt("block", cl::desc("Block size b"),
                                  cl::init(16));
static cl::opt<unsigned> stepsOpt("steps", cl::desc("B blocks per row"),
                                  cl::init(8));
static cl::list<std::string> machines("machine",
                                      cl::desc("Presets to run (default "
                                               "32x32 and 64x64)"));
static cl::opt<std::string>
    workloadOpt("workload",
                cl::desc("gemm (default): row multicast, compute-bound; "
                         "chain: forwarding chain, most PEs wait on the "
                         "fabric"),
                cl::init("gemm"));
static cl::opt<bool> printProgram("print-program",
                                  cl::desc("Print the generated program"));
static cl::opt<unsigned>
    threadsOpt("bench-threads",
               cl::desc("Simulate with N threads (wse-emu --threads)"),
               cl::init(1));

static std::string makeProgram(const machine::MachineDescription &m, unsigned b,
                               unsigned steps) {
  std::string s;
  raw_string_ostream os(s);
  unsigned w = m.width, h = m.height;
  os << "version 1\n";
  os << "kernel src {\n  task main entry {\n    fill out(1, " << b * b * steps
     << "), 0.5\n  }\n}\n";
  os << formatv(R"(kernel gemm {{
  buffer a[{0}] at 0 init 0.25
  buffer c[{0}] at {0} init 0.0
  buffer bk[{1}] at {2}
  task main entry {{
    mov r0, 0
  step:
    mov r1, 0
  krow:
    copy mem(bk, {1}), in(1, {1})
    mov r2, 0
    mov r3, 0
  irow:
    iadd r4, r3, r1
    fmac mem(c + r3, {1}), mem(bk, {1}), mem(a + r4, {1}, 0)
    iadd r3, r3, {1}
    iadd r2, r2, 1
    blt r2, {1}, irow
    iadd r1, r1, 1
    blt r1, {1}, krow
    iadd r0, r0, 1
    blt r0, {3}, step
  }
}
)",
                b * b, b, 2 * b * b, steps);
  os << formatv("place src rect(0, 0, 1, {0})\n", h);
  os << formatv("place gemm rect(1, 0, {0}, {1})\n", w - 1, h);
  os << formatv("route rect(0, 0, 1, {0}) color 1 : R -> E\n", h);
  if (w > 2)
    os << formatv("route rect(1, 0, {0}, {1}) color 1 : W -> E, R\n", w - 2, h);
  os << formatv("route rect({0}, 0, 1, {1}) color 1 : W -> R\n", w - 1, h);
  return s;
}

/// Like gemm, but column 0 sends every PE of its row its own B blocks, and
/// the PEs pass them on core to core: per step, PE j takes its b x b block
/// and forwards the blocks of the PEs east of it (`copy out, in`, length 0
/// on the last PE), then computes. Colors alternate between columns. Most
/// PEs spend most cycles blocked on their receive queue, as in a pipelined
/// SPMD kernel.
static std::string makeChain(const machine::MachineDescription &m, unsigned b,
                             unsigned steps) {
  std::string s;
  raw_string_ostream os(s);
  unsigned w = m.width, h = m.height;
  os << "version 1\n";
  os << "kernel src {\n  task main entry {\n    fill out(1, "
     << uint64_t(b) * b * steps * (w - 1) << "), 0.5\n  }\n}\n";
  os << formatv(R"(kernel chain {{
  const cin = 1 + rx % 2
  const cout = 2 - rx % 2
  const rest = (pw - 1 - rx) * {1} * {1}
  buffer a[{0}] at 0 init 0.25
  buffer c[{0}] at {0} init 0.0
  buffer bk[{0}] at {2}
  task main entry {{
    mov r0, 0
  step:
    copy mem(bk, {0}), in(cin, {0})
    copy out(cout, rest), in(cin, rest)
    mov r1, 0
  krow:
    mov r2, 0
    mov r3, 0
  irow:
    iadd r4, r3, r1
    imul r5, r1, {1}
    fmac mem(c + r3, {1}), mem(bk + r5, {1}), mem(a + r4, {1}, 0)
    iadd r3, r3, {1}
    iadd r2, r2, 1
    blt r2, {1}, irow
    iadd r1, r1, 1
    blt r1, {1}, krow
    iadd r0, r0, 1
    blt r0, {3}, step
  }
}
)",
                b * b, b, 2 * b * b, steps);
  os << formatv("place src rect(0, 0, 1, {0})\n", h);
  os << formatv("place chain rect(1, 0, {0}, {1})\n", w - 1, h);
  os << formatv("route rect(0, 0, 1, {0}) color 1 : R -> E\n", h);
  for (unsigned x = 1; x < w; ++x) {
    unsigned cin = 1 + (x - 1) % 2, cout = 3 - cin;
    os << formatv("route rect({0}, 0, 1, {1}) color {2} : W -> R\n", x, h, cin);
    if (x + 1 < w)
      os << formatv("route rect({0}, 0, 1, {1}) color {2} : R -> E\n", x, h,
                    cout);
  }
  return s;
}

int main(int argc, char **argv) {
  // Registered as "threads" here: an LLVM library linked in already owns a
  // -threads (as in wse-emu).
  auto &registered = cl::getRegisteredOptions();
  auto it = registered.find("threads");
  if (it != registered.end() && it->second != &threadsOpt)
    it->second->removeArgument();
  threadsOpt.setArgStr("threads");
  cl::ParseCommandLineOptions(argc, argv, "wse-emu speed benchmark\n");
  std::vector<std::string> names(machines.begin(), machines.end());
  if (names.empty())
    names = {"32x32", "64x64"};
  outs() << formatv("{0,-8} {1,5} {2,5} {3,7} {4,12} {5,10} {6,14} {7,14} "
                    "{8,12}\n",
                    "machine", "block", "steps", "threads", "cycles", "wall s",
                    "PE-cycles/s", "FLOPs", "FLOP/s");
  for (const std::string &name : names) {
    std::optional<machine::MachineDescription> m = machine::lookupPreset(name);
    if (!m) {
      errs() << "unknown preset " << name << "\n";
      return 1;
    }
    if (workloadOpt != "gemm" && workloadOpt != "chain") {
      errs() << "unknown workload " << workloadOpt << "\n";
      return 1;
    }
    std::string text = workloadOpt == "chain"
                           ? makeChain(*m, blockOpt, stepsOpt)
                           : makeProgram(*m, blockOpt, stepsOpt);
    if (printProgram)
      outs() << text;
    Expected<emu::Program> prog = emu::parseProgramText(text, "bench");
    if (!prog) {
      errs() << toString(prog.takeError()) << "\n";
      return 1;
    }
    emu::SimOptions opts;
    opts.maxCycles = 1ull << 40;
    opts.threads = threadsOpt;
    auto t0 = std::chrono::steady_clock::now();
    Expected<std::unique_ptr<emu::Simulator>> sim =
        emu::Simulator::create(*prog, *m, opts);
    if (!sim) {
      errs() << toString(sim.takeError()) << "\n";
      return 1;
    }
    Expected<emu::SimResult> res = (*sim)->run();
    if (!res) {
      errs() << toString(res.takeError()) << "\n";
      return 1;
    }
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    const emu::RunStats &st = res->stats;
    double peCycles = double(st.cycles) * double(m->numPEs());
    outs() << formatv("{0,-8} {1,5} {2,5} {3,7} {4,12} {5,10:F3} {6,14:E3} "
                      "{7,14} {8,12:E3}\n",
                      name, unsigned(blockOpt), unsigned(stepsOpt),
                      unsigned(threadsOpt), st.cycles, wall, peCycles / wall,
                      st.totalFlops(), double(st.totalFlops()) / wall);
  }
  return 0;
}

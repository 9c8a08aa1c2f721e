//===- FuzzProgram.cpp - Shared steps of the program harnesses ------------===//

#include "FuzzProgram.h"

#include "wse/Emu/BinaryFormat.h"
#include "wse/Emu/Simulator.h"
#include "wse/Emu/TextFormat.h"
#include "wse/Machine/MachineDescription.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace wse;

namespace {

[[noreturn]] void finding(const std::string &what, llvm::Error err) {
  llvm::errs() << "fuzz finding: " << what << ": "
               << llvm::toString(std::move(err)) << "\n";
  std::abort();
}

/// The program's own machine when it is a small preset, else 8x8: the
/// harness must stay fast, and a machine file path would read the disk.
machine::MachineDescription pickMachine(const emu::Program &program) {
  if (auto m = machine::lookupPreset(program.machine))
    if (m->numPEs() <= 64 * 64)
      return *m;
  return *machine::lookupPreset("8x8");
}

} // namespace

void fuzz::exerciseProgram(const emu::Program &program) {
  std::string text = emu::printProgramText(program);
  llvm::Expected<emu::Program> fromText =
      emu::parseProgramText(text, "printed");
  if (!fromText)
    finding("a verified program's text does not assemble",
            fromText.takeError());
  if (emu::printProgramText(*fromText) != text)
    finding("text round trip changed the program", llvm::Error::success());
  std::string binary = emu::writeProgramBinary(program);
  llvm::Expected<emu::Program> fromBinary =
      emu::readProgramBinary(binary, "written");
  if (!fromBinary)
    finding("a verified program's binary does not load",
            fromBinary.takeError());

  emu::SimOptions options;
  options.maxCycles = 20000;
  options.checkUninitialized = true;
  options.stopOnNaN = true;
  // Programs the tools accept may need 4 GiB; the search wants many small
  // runs (a 4 GB output took 10 s per execution).
  options.maxStateBytes = 64 << 20;
  // Parameters name weight files; none are read from the fuzzer's disk.
  options.programDir = "/nonexistent-fuzz-weights";
  auto sim = emu::Simulator::create(program, pickMachine(program), options);
  if (!sim) {
    llvm::consumeError(sim.takeError());
    return;
  }
  for (const emu::TensorDecl &input : program.inputs) {
    HostTensor zeros;
    zeros.shape = input.shape;
    zeros.data.assign(input.numElements(), 0.0f);
    llvm::consumeError((*sim)->setInput(input.name, std::move(zeros)));
  }
  auto result = (*sim)->run();
  if (!result)
    llvm::consumeError(result.takeError());
}

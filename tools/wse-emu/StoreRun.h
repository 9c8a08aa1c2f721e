//===- StoreRun.h - wse-emu's weight store options --------------*- C++ -*-===//

#ifndef WSE_EMU_TOOL_STORERUN_H
#define WSE_EMU_TOOL_STORERUN_H

#include "wse/Emu/Simulator.h"
#include "wse/Emu/TrainingStore.h"
#include "wse/Machine/MachineDescription.h"

#include "llvm/Support/CommandLine.h"

namespace wse::emu_tool {

/// The options of --store, shown by --help beside the emulator's own.
extern llvm::cl::OptionCategory storeCat;

/// The store --store names, opened for `prog` (whose parameters it holds
/// are then read from it), or null without --store. Checks the options
/// that go with it.
llvm::Expected<std::unique_ptr<emu::TrainingStore>>
openStore(emu::Program &prog, const machine::MachineDescription &m);

/// Gives the store the run's gradients (and applies the optimizer with
/// --apply-lr); prints what it did unless `quiet`.
llvm::Error updateStore(emu::TrainingStore &store, const emu::SimResult &res,
                        bool quiet);

} // namespace wse::emu_tool

#endif

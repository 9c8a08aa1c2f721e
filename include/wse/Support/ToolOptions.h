//===- ToolOptions.h - Short --help and defaults for the tools --*- C++ -*-===//
//
// The tools link LLVM, whose libraries register hundreds of command-line
// options of their own (backends, Polly, profiling) from static
// initializers. The tools take a snapshot of the options registered before
// main() registers MLIR's and the tool's own, and hide the snapshot's
// options from --help (they stay usable and --help-hidden lists them).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_SUPPORT_TOOLOPTIONS_H
#define WSE_SUPPORT_TOOLOPTIONS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/CommandLine.h"

namespace wse {

using OptionSet = llvm::DenseSet<llvm::cl::Option *>;

/// The options registered so far.
inline OptionSet registeredOptions() {
  OptionSet set;
  for (auto &entry : llvm::cl::getRegisteredOptions())
    set.insert(entry.second);
  return set;
}

/// Hides the options of `before` from --help, except the generic ones
/// (--help, --version) and those in one of `keep`.
inline void hideOptions(const OptionSet &before,
                        llvm::ArrayRef<llvm::cl::OptionCategory *> keep = {}) {
  for (auto &entry : llvm::cl::getRegisteredOptions()) {
    llvm::cl::Option *o = entry.second;
    if (!before.contains(o) || o->getOptionHiddenFlag() != llvm::cl::NotHidden)
      continue;
    bool kept = false;
    for (llvm::cl::OptionCategory *c : o->Categories)
      kept |= c->getName() == "Generic Options" || llvm::is_contained(keep, c);
    if (!kept)
      o->setHiddenFlag(llvm::cl::Hidden);
  }
}

/// Changes the default of a registered boolean option (one the user can
/// still set on the command line); false if there is no such option.
inline bool setBoolDefault(llvm::StringRef name, bool value) {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find(name);
  if (it == options.end())
    return false;
  auto *opt = static_cast<llvm::cl::opt<bool> *>(it->second);
  opt->setInitialValue(value);
  return true;
}

} // namespace wse

#endif

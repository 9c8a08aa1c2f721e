//===- MachineFuzzer.cpp - Machine descriptions ---------------------------===//
//
// Input: a machine description in JSON (docs/emulator/machine.md), or a
// `BASE,key=value` spec when it does not start with '{'. A description that
// loads must pass validate() and survive toJSON/fromJSON unchanged.
//
//===----------------------------------------------------------------------===//

#include "wse/Machine/MachineDescription.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <optional>

using namespace wse::machine;

/// The input as JSON, or as a spec unless it could name a file (which would
/// read the fuzzer's disk); nullopt when it is neither.
static std::optional<llvm::Expected<MachineDescription>>
load(llvm::StringRef text) {
  if (text.starts_with("{"))
    return parseMachineJSON(text);
  if (text.contains('/') || text.contains('.'))
    return std::nullopt;
  return resolveMachine(text);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto loaded =
      load(llvm::StringRef(reinterpret_cast<const char *>(data), size));
  if (!loaded)
    return 0;
  llvm::Expected<MachineDescription> &m = *loaded;
  if (!m) {
    llvm::consumeError(m.takeError());
    return 0;
  }
  if (llvm::Error err = m->validate()) {
    llvm::errs() << "fuzz finding: a loaded machine does not validate: "
                 << llvm::toString(std::move(err)) << "\n";
    std::abort();
  }
  llvm::json::Value json = toJSON(*m);
  llvm::Expected<MachineDescription> again = fromJSON(json);
  if (!again) {
    llvm::errs() << "fuzz finding: toJSON output does not load: "
                 << llvm::toString(again.takeError()) << "\n";
    std::abort();
  }
  if (toJSON(*again) != json) {
    llvm::errs() << "fuzz finding: JSON round trip changed the machine\n";
    std::abort();
  }
  (void)m->allPorts();
  return 0;
}

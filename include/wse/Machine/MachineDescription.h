//===- MachineDescription.h - Wafer-scale engine machine model --*- C++ -*-===//
//
// One source of truth for the machine numbers, shared by the compiler and the
// emulator. Every rate is a field; presets are just named descriptions. No MLIR
// dependency so that the emulator can be built and tested on its own.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_MACHINE_MACHINEDESCRIPTION_H
#define WSE_MACHINE_MACHINEDESCRIPTION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wse::machine {

/// Mesh edge that carries off-wafer I/O ports.
enum class Side : uint8_t { West = 0, East = 1 };

llvm::StringRef sideName(Side side);

/// An off-wafer I/O port. It attaches to the router of the edge PE in `row`
/// (x = 0 for West, x = width-1 for East) through that router's outward link.
struct EdgePort {
  Side side;
  uint32_t index; ///< index among the ports of its side, from the top
  uint32_t row;
  std::string name() const; ///< "W0", "E3", ...
};

/// The largest mesh a description may have (validate() refuses more).
constexpr uint64_t kMaxPEs = uint64_t(1) << 24;
/// Machine JSON: the largest file and the deepest nesting accepted.
constexpr uint64_t kMaxMachineFileBytes = uint64_t(1) << 20;
constexpr size_t kMaxMachineJSONDepth = 16;

struct MachineDescription {
  std::string name;
  uint32_t width = 0;  ///< PEs along x (columns)
  uint32_t height = 0; ///< PEs along y (rows)
  uint64_t sramBytes = 48 * 1024;
  double clockHz = 1.1e9;
  /// fp32 elements a PE's vector unit completes per cycle for memory-only
  /// vector instructions (an FMA counts as one element, two FLOPs).
  uint32_t simdF32Lanes = 2;
  uint32_t colors = 24;
  /// Wavelets each per-(input, color) router queue and each core receive
  /// queue can hold, in flight included (credit-based flow control).
  uint32_t queueDepth = 8;
  uint32_t waveletBits = 32;
  uint32_t hopLatency = 1;  ///< cycles for a wavelet to cross a link
  uint32_t rampLatency = 1; ///< cycles between router and core, each way
  uint32_t instrIssueCycles = 1;
  uint32_t taskSwitchCycles = 2;
  /// SRAM taken by each instruction of a PE's code (code sits at the top of
  /// SRAM, buffers below it).
  uint32_t codeBytesPerInstr = 8;
  /// Off-wafer stream bandwidth per port and per direction.
  double streamBytesPerCycle = 1.0;
  bool westPorts = true;
  bool eastPorts = true;
  uint32_t portFirstRow = 0;
  uint32_t portSpacingRows = 16;

  uint64_t sramWords() const { return sramBytes / 4; }
  uint64_t numPEs() const { return uint64_t(width) * height; }
  /// Ports of one side, top to bottom.
  std::vector<EdgePort> ports(Side side) const;
  std::vector<EdgePort> allPorts() const;
  std::optional<EdgePort> port(Side side, uint32_t index) const;
  /// Looks up "W0" / "E2".
  std::optional<EdgePort> portByName(llvm::StringRef name) const;
  /// Dense FMA peak: 2 FLOPs per lane per cycle on every PE.
  double peakFlopsPerCycle() const {
    return 2.0 * simdF32Lanes * double(numPEs());
  }
  double peakFlopsPerSecond() const { return peakFlopsPerCycle() * clockHz; }

  /// Checks ranges (non-zero sizes, 32-bit wavelets, ...).
  llvm::Error validate() const;
};

/// Names of the built-in presets: wse2, wse3, 4x4, 8x8, 32x32, 64x64.
llvm::ArrayRef<const char *> presetNames();
/// A built-in preset, or nullopt.
std::optional<MachineDescription> lookupPreset(llvm::StringRef name);

/// JSON form (documented in docs/emulator/machine.md). `fromJSON` accepts a
/// "base" key naming a preset whose values fill in omitted keys; without it
/// every key is required. Unknown keys are errors.
llvm::json::Value toJSON(const MachineDescription &m);
llvm::Expected<MachineDescription> fromJSON(const llvm::json::Value &v);
llvm::Expected<MachineDescription> parseMachineJSON(llvm::StringRef text);
llvm::Expected<MachineDescription> loadMachineFile(llvm::StringRef path);
/// `BASE[,key=value...]`: BASE is a preset name, WIDTHxHEIGHT (the small
/// presets' numbers on a mesh of that size) or a path to a JSON machine
/// file; each override sets a key of the JSON form (docs/emulator/machine.md;
/// `ports.first_row=2`, `ports.sides=west+east`) and is checked like one.
llvm::Expected<MachineDescription> resolveMachine(llvm::StringRef spec);

} // namespace wse::machine

#endif // WSE_MACHINE_MACHINEDESCRIPTION_H

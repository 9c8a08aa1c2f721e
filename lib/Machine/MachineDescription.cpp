//===- MachineDescription.cpp - Presets and derived quantities ------------===//

#include "wse/Machine/MachineDescription.h"

#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace wse::machine {

StringRef sideName(Side side) { return side == Side::West ? "west" : "east"; }

std::string EdgePort::name() const {
  return formatv("{0}{1}", side == Side::West ? "W" : "E", index).str();
}

std::vector<EdgePort> MachineDescription::ports(Side side) const {
  std::vector<EdgePort> result;
  if ((side == Side::West && !westPorts) || (side == Side::East && !eastPorts))
    return result;
  if (portSpacingRows == 0)
    return result;
  uint32_t index = 0;
  for (uint64_t row = portFirstRow; row < height; row += portSpacingRows)
    result.push_back(EdgePort{side, index++, uint32_t(row)});
  return result;
}

std::vector<EdgePort> MachineDescription::allPorts() const {
  std::vector<EdgePort> result = ports(Side::West);
  std::vector<EdgePort> east = ports(Side::East);
  result.insert(result.end(), east.begin(), east.end());
  return result;
}

std::optional<EdgePort> MachineDescription::port(Side side,
                                                 uint32_t index) const {
  if ((side == Side::West && !westPorts) || (side == Side::East && !eastPorts))
    return std::nullopt;
  if (portSpacingRows == 0)
    return std::nullopt;
  uint64_t row = portFirstRow + uint64_t(index) * portSpacingRows;
  if (row >= height)
    return std::nullopt;
  return EdgePort{side, index, uint32_t(row)};
}

std::optional<EdgePort> MachineDescription::portByName(StringRef name) const {
  if (name.size() < 2)
    return std::nullopt;
  Side side;
  if (name[0] == 'W')
    side = Side::West;
  else if (name[0] == 'E')
    side = Side::East;
  else
    return std::nullopt;
  uint32_t index;
  if (name.drop_front().getAsInteger(10, index))
    return std::nullopt;
  return port(side, index);
}

Error MachineDescription::validate() const {
  auto bad = [&](const Twine &msg) {
    return createStringError(inconvertibleErrorCode(),
                             "machine '" + name + "': " + msg);
  };
  // Bounds keep PE indices in 32 bits and queues/lanes in sane ranges so that
  // a hostile machine file cannot make the emulator allocate absurd amounts.
  // Tools allocate per-PE arrays of the whole mesh (the emulator's PE
  // slots, pe-verify-routes' route grid): 2^24 PEs, about 19 times a WSE-3,
  // keeps each under 64 MiB.
  if (width == 0 || height == 0 || width > 65536 || height > 65536 ||
      numPEs() > kMaxPEs)
    return bad("width and height must be in [1, 65536] with at most 2^24 "
               "(16777216) PEs, got " +
               Twine(width) + "x" + Twine(height));
  if (sramBytes < 4 || sramBytes > (1ull << 32) || sramBytes % 4 != 0)
    return bad("sram_bytes must be a positive multiple of 4, at most 4 GiB");
  if (!(clockHz > 0))
    return bad("clock_hz must be positive");
  if (simdF32Lanes == 0 || simdF32Lanes > 1024)
    return bad("simd_f32_lanes must be in [1, 1024]");
  if (colors == 0 || colors > 256)
    return bad("colors must be in [1, 256]");
  if (queueDepth == 0 || queueDepth > 4096)
    return bad("queue_depth must be in [1, 4096]");
  if (waveletBits != 32)
    return bad("wavelet_bits must be 32 (the only width modelled)");
  if (hopLatency == 0 || hopLatency > 1024 || rampLatency == 0 ||
      rampLatency > 1024)
    return bad("hop_latency and ramp_latency must be in [1, 1024]");
  if (instrIssueCycles == 0 || instrIssueCycles > 1024)
    return bad("instr_issue_cycles must be in [1, 1024]");
  if (taskSwitchCycles > 1024)
    return bad("task_switch_cycles must be at most 1024");
  if (codeBytesPerInstr > 1024)
    return bad("code_bytes_per_instr must be at most 1024");
  // Below 2^-16 bytes per cycle a wavelet takes more than 2^18 cycles per
  // port: no real link, and cycle counts of real models would overflow.
  if (!(streamBytesPerCycle >= 0x1p-16) || streamBytesPerCycle > 1e6)
    return bad(formatv("stream_bytes_per_cycle must be in [2^-16, 10^6], "
                       "got {0:e}",
                       streamBytesPerCycle));
  if ((westPorts || eastPorts) && portSpacingRows == 0)
    return bad("ports.spacing_rows must be positive");
  if ((westPorts || eastPorts) && portFirstRow >= height)
    return bad("ports.first_row must be inside the mesh");
  return Error::success();
}

static MachineDescription smallMesh(const char *name, uint32_t side,
                                    uint32_t portSpacing) {
  MachineDescription m;
  m.name = name;
  m.width = side;
  m.height = side;
  // Test meshes stream one wavelet per cycle per port so that tests are not
  // dominated by off-wafer bandwidth; every other number matches wse2.
  m.streamBytesPerCycle = 4.0;
  m.portSpacingRows = portSpacing;
  return m;
}

static std::vector<MachineDescription> buildPresets() {
  std::vector<MachineDescription> presets;
  MachineDescription wse2;
  wse2.name = "wse2";
  wse2.width = 750;
  wse2.height = 994;
  // 1.2 Tb/s = 150 GB/s over 2 x 63 ports at 1.1 GHz is 1.08 B/cycle/port.
  wse2.streamBytesPerCycle = 1.0;
  presets.push_back(wse2);
  MachineDescription wse3 = wse2;
  wse3.name = "wse3";
  wse3.width = 755;
  wse3.height = 1170;
  wse3.simdF32Lanes = 4;
  presets.push_back(wse3);
  // The tiny meshes get a port on every row so that hand-written tests can
  // feed each row directly; 32x32 and 64x64 keep wse2's spacing of 16.
  presets.push_back(smallMesh("4x4", 4, 1));
  presets.push_back(smallMesh("8x8", 8, 1));
  presets.push_back(smallMesh("32x32", 32, 16));
  presets.push_back(smallMesh("64x64", 64, 16));
  return presets;
}

static const std::vector<MachineDescription> &presets() {
  static const std::vector<MachineDescription> all = buildPresets();
  return all;
}

ArrayRef<const char *> presetNames() {
  static const char *names[] = {"wse2", "wse3", "4x4", "8x8", "32x32", "64x64"};
  return names;
}

std::optional<MachineDescription> lookupPreset(StringRef name) {
  for (const MachineDescription &m : presets())
    if (m.name == name)
      return m;
  return std::nullopt;
}

} // namespace wse::machine

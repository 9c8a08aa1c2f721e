//===- MachineTest.cpp - Machine descriptions and presets -----------------===//

#include "wse/Machine/MachineDescription.h"

#include "gtest/gtest.h"

using namespace wse::machine;

TEST(Machine, PresetsMatchTheDesign) {
  std::optional<MachineDescription> wse2 = lookupPreset("wse2");
  ASSERT_TRUE(wse2);
  EXPECT_EQ(wse2->width, 750u);
  EXPECT_EQ(wse2->height, 994u);
  EXPECT_EQ(wse2->sramBytes, 48u * 1024);
  EXPECT_EQ(wse2->colors, 24u);
  EXPECT_DOUBLE_EQ(wse2->clockHz, 1.1e9);
  // One port every 16 rows on each side: rows 0, 16, ..., 992.
  EXPECT_EQ(wse2->ports(Side::West).size(), 63u);
  EXPECT_EQ(wse2->ports(Side::East).back().row, 992u);
  std::optional<MachineDescription> wse3 = lookupPreset("wse3");
  ASSERT_TRUE(wse3);
  EXPECT_EQ(wse3->width, 755u);
  EXPECT_EQ(wse3->height, 1170u);
  for (const char *name : presetNames()) {
    std::optional<MachineDescription> m = lookupPreset(name);
    ASSERT_TRUE(m) << name;
    EXPECT_FALSE(bool(m->validate())) << name;
  }
  EXPECT_FALSE(lookupPreset("wse9"));
}

TEST(Machine, PortsByName) {
  MachineDescription m = *lookupPreset("64x64");
  ASSERT_TRUE(m.portByName("W3"));
  EXPECT_EQ(m.portByName("W3")->row, 48u);
  EXPECT_EQ(m.portByName("E0")->name(), "E0");
  EXPECT_FALSE(m.portByName("W4"));
  EXPECT_FALSE(m.portByName("X1"));
  EXPECT_FALSE(m.portByName("W"));
}

TEST(Machine, JSONRoundTrip) {
  for (const char *name : presetNames()) {
    MachineDescription m = *lookupPreset(name);
    llvm::Expected<MachineDescription> back = fromJSON(toJSON(m));
    ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(back->width, m.width);
    EXPECT_EQ(back->height, m.height);
    EXPECT_EQ(back->streamBytesPerCycle, m.streamBytesPerCycle);
    EXPECT_EQ(back->portSpacingRows, m.portSpacingRows);
    EXPECT_EQ(back->simdF32Lanes, m.simdF32Lanes);
  }
}

TEST(Machine, JSONBaseAndErrors) {
  llvm::Expected<MachineDescription> m =
      parseMachineJSON(R"({"base": "8x8", "name": "wide", "width": 16,
                           "ports": {"spacing_rows": 2}})");
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  EXPECT_EQ(m->width, 16u);
  EXPECT_EQ(m->height, 8u);
  EXPECT_EQ(m->ports(Side::West).size(), 4u);

  auto error = [](llvm::StringRef text) {
    llvm::Expected<MachineDescription> r = parseMachineJSON(text);
    EXPECT_FALSE(bool(r));
    return r ? std::string() : llvm::toString(r.takeError());
  };
  EXPECT_NE(error(R"({"base": "8x8", "widht": 3})").find("unknown key 'widht'"),
            std::string::npos);
  EXPECT_NE(error(R"({"name": "x"})").find("missing key"), std::string::npos);
  EXPECT_NE(error(R"({"base": "8x8", "wavelet_bits": 16})").find("must be 32"),
            std::string::npos);
  EXPECT_NE(error(R"({"base": "8x8", "width": -1})").find("non-negative"),
            std::string::npos);
  EXPECT_NE(error("[1,").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error(R"({"base": "nope"})").find("'base' must name a preset"),
            std::string::npos);
}

//===- TargetAttrTest.cpp - #mesh.target round trips every description ----===//
//
// The target attribute must hold a machine description exactly: printing
// and parsing it back gives the same description for every preset and for
// descriptions that differ from their preset in any key.
//
//===----------------------------------------------------------------------===//

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/mesh/IR/MeshDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace wse;

namespace {

mesh::TargetAttr roundTrip(MLIRContext &ctx, mesh::TargetAttr attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << Attribute(attr);
  Attribute parsed = parseAttribute(text, &ctx);
  EXPECT_TRUE(parsed) << text;
  return dyn_cast_or_null<mesh::TargetAttr>(parsed);
}

struct TargetAttrTest : ::testing::Test {
  TargetAttrTest() { ctx.loadDialect<mesh::MeshDialect>(); }
  MLIRContext ctx;
};

TEST_F(TargetAttrTest, PresetsPrintByNameAndRoundTrip) {
  for (const char *name : machine::presetNames()) {
    auto m = *machine::lookupPreset(name);
    auto attr = mesh::TargetAttr::get(&ctx, m);
    std::string text;
    llvm::raw_string_ostream(text) << attr;
    EXPECT_EQ(text, std::string("#mesh.target<\"") + name + "\">");
    auto back = roundTrip(ctx, attr);
    ASSERT_TRUE(back);
    EXPECT_TRUE(back.getMachine() == m) << name;
  }
}

TEST_F(TargetAttrTest, ChangedDescriptionsKeepEveryKey) {
  auto base = *machine::lookupPreset("wse2");
  std::vector<machine::MachineDescription> variants;
  auto add = [&](auto change) {
    auto m = base;
    change(m);
    variants.push_back(m);
  };
  add([](auto &m) { m.sramBytes = 64 * 1024; });
  add([](auto &m) { m.clockHz = 8.5e8; });
  add([](auto &m) { m.clockHz = 1234567891.5; });
  add([](auto &m) { m.streamBytesPerCycle = 0.123456789012345; });
  add([](auto &m) { m.streamBytesPerCycle = 0.75; });
  add([](auto &m) { m.colors = 16; });
  add([](auto &m) { m.eastPorts = false; });
  add([](auto &m) {
    m.portSpacingRows = 8;
    m.portFirstRow = 3;
  });
  add([](auto &m) {
    m.name = "custom";
    m.width = 12;
    m.height = 5;
  });
  for (const auto &m : variants) {
    auto attr = mesh::TargetAttr::get(&ctx, m);
    auto back = roundTrip(ctx, attr);
    ASSERT_TRUE(back);
    EXPECT_TRUE(back.getMachine() == m);
  }
}

} // namespace

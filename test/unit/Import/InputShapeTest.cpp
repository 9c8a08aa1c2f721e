//===- InputShapeTest.cpp - Parsing of --input-shape specs ----------------===//
#include "wse/Import/ONNXImporter.h"

#include <gtest/gtest.h>

using namespace wse::import;

namespace {

std::string errorOf(llvm::StringRef spec) {
  ImportOptions options;
  llvm::Error err = parseInputShape(spec, options);
  return err ? llvm::toString(std::move(err)) : "";
}

TEST(InputShape, ParsesNameAndDims) {
  ImportOptions options;
  ASSERT_FALSE(bool(parseInputShape("input_ids=1x128", options)));
  ASSERT_FALSE(bool(parseInputShape("mask=7", options)));
  EXPECT_EQ(options.inputShapes["input_ids"], (std::vector<int64_t>{1, 128}));
  EXPECT_EQ(options.inputShapes["mask"], (std::vector<int64_t>{7}));
}

TEST(InputShape, NamesMayContainEquals) {
  ImportOptions options;
  ASSERT_FALSE(bool(parseInputShape("a=b=2x3", options)));
  EXPECT_EQ(options.inputShapes["a=b"], (std::vector<int64_t>{2, 3}));
}

TEST(InputShape, RejectsMalformedSpecs) {
  EXPECT_NE(errorOf("input_ids").find("not of the form NAME=DIMS"),
            std::string::npos);
  EXPECT_NE(errorOf("=1x2").find("not of the form"), std::string::npos);
  EXPECT_NE(errorOf("x=").find("not of the form"), std::string::npos);
  EXPECT_NE(errorOf("x=1xq").find("'q' is not a positive integer"),
            std::string::npos);
  EXPECT_NE(errorOf("x=0").find("'0' is not a positive integer"),
            std::string::npos);
  EXPECT_NE(errorOf("x=-3").find("not a positive integer"), std::string::npos);
  EXPECT_NE(errorOf("x=1x").find("'' is not a positive integer"),
            std::string::npos);
}

TEST(InputShape, RejectsRepeatedNames) {
  ImportOptions options;
  ASSERT_FALSE(bool(parseInputShape("x=1", options)));
  llvm::Error err = parseInputShape("x=2", options);
  ASSERT_TRUE(bool(err));
  EXPECT_NE(llvm::toString(std::move(err)).find("names 'x' twice"),
            std::string::npos);
}

} // namespace

//===- RectAttrTest.cpp - #mesh.rect geometry helpers ---------------------===//
//
// The helpers every level uses to reason about rectangles of PEs: contains,
// overlaps, unite and the bounding box of a list (which skips null entries,
// as unplaced ops and streams without a region give).
//
//===----------------------------------------------------------------------===//

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/mesh/IR/MeshDialect.h"

#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace wse::mesh;

namespace {

struct RectAttrTest : ::testing::Test {
  RectAttrTest() { ctx.loadDialect<MeshDialect>(); }
  RectAttr rect(int64_t x, int64_t y, int64_t w, int64_t h) {
    return RectAttr::get(&ctx, x, y, w, h);
  }
  MLIRContext ctx;
};

TEST_F(RectAttrTest, ContainsAndOverlaps) {
  RectAttr big = rect(0, 0, 4, 4), inner = rect(1, 1, 2, 2),
           edge = rect(3, 3, 2, 2), apart = rect(4, 0, 1, 4);
  EXPECT_TRUE(big.contains(inner));
  EXPECT_FALSE(inner.contains(big));
  EXPECT_FALSE(big.contains(edge));
  EXPECT_TRUE(big.overlaps(edge));
  EXPECT_TRUE(edge.overlaps(big));
  // Touching edges share no PE.
  EXPECT_FALSE(big.overlaps(apart));
  EXPECT_TRUE(big.contains(3, 3));
  EXPECT_FALSE(big.contains(4, 3));
  EXPECT_EQ(edge.getEndX(), 5);
  EXPECT_EQ(edge.getEndY(), 5);
}

TEST_F(RectAttrTest, UniteAndBoundingBox) {
  RectAttr a = rect(2, 1, 1, 1), b = rect(0, 5, 3, 2);
  EXPECT_EQ(a.unite(b), rect(0, 1, 3, 6));
  EXPECT_EQ(b.unite(a), rect(0, 1, 3, 6));
  EXPECT_EQ(a.unite(a), a);
  EXPECT_EQ(boundingBox({a, RectAttr(), b}), rect(0, 1, 3, 6));
  EXPECT_EQ(boundingBox({RectAttr(), a}), a);
  EXPECT_FALSE(boundingBox({}));
  EXPECT_FALSE(boundingBox({RectAttr(), RectAttr()}));
}

} // namespace

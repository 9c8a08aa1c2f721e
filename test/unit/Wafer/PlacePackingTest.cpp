//===- PlacePackingTest.cpp - Properties of the pipelined-mode packer -----===//
//
// Whatever the layers ask for, a packing keeps every box inside the area,
// never overlaps two boxes, gives every layer at least its minimum, and is
// deterministic; when the minimums cannot fit, there is no packing.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Transforms/PlacePacking.h"

#include "gtest/gtest.h"

#include <random>

using namespace wse::wafer::placement;

namespace {

void expectValid(const Packing &packing, llvm::ArrayRef<LayerDemand> layers,
                 int64_t width, int64_t height) {
  ASSERT_EQ(packing.boxes.size(), layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const Box &b = packing.boxes[i];
    EXPECT_GE(b.x, 0) << "layer " << i;
    EXPECT_GE(b.y, 0) << "layer " << i;
    EXPECT_LE(b.x + b.width, width) << "layer " << i;
    EXPECT_LE(b.y + b.height, height) << "layer " << i;
    EXPECT_GE(b.area(), layers[i].minPEs) << "layer " << i;
  }
  // Sweep by rows: boxes overlap iff their row and column ranges do.
  for (size_t i = 0; i < layers.size(); ++i)
    for (size_t j = i + 1; j < layers.size(); ++j) {
      const Box &a = packing.boxes[i], &b = packing.boxes[j];
      bool apart = a.x + a.width <= b.x || b.x + b.width <= a.x ||
                   a.y + a.height <= b.y || b.y + b.height <= a.y;
      EXPECT_TRUE(apart) << "layers " << i << " and " << j << " overlap";
    }
}

std::vector<LayerDemand> randomLayers(std::mt19937 &rng, size_t count,
                                      int64_t maxMin) {
  std::uniform_int_distribution<int64_t> minPEs(1, maxMin);
  std::uniform_real_distribution<double> flops(0, 1e9);
  std::vector<LayerDemand> layers;
  for (size_t i = 0; i < count; ++i)
    layers.push_back({minPEs(rng), flops(rng)});
  return layers;
}

TEST(PlacePacking, RandomLayerSetsPackValidly) {
  std::mt19937 rng(42);
  int packed = 0;
  for (int trial = 0; trial < 200; ++trial) {
    int64_t width = 4 + rng() % 60, height = 4 + rng() % 60;
    size_t count = 1 + rng() % 24;
    auto layers = randomLayers(rng, count, (width * height) / (2 * count) + 1);
    auto packing = packLayers(layers, width, height);
    if (!packing)
      continue; // allowed only when rounding defeats the band packer
    ++packed;
    expectValid(*packing, layers, width, height);
  }
  // Minimums use at most half the area: nearly every set must pack.
  EXPECT_GE(packed, 190);
}

TEST(PlacePacking, Deterministic) {
  std::mt19937 rng(7);
  auto layers = randomLayers(rng, 17, 20);
  auto a = packLayers(layers, 32, 32), b = packLayers(layers, 32, 32);
  ASSERT_TRUE(a && b);
  for (size_t i = 0; i < layers.size(); ++i) {
    EXPECT_EQ(a->boxes[i].x, b->boxes[i].x);
    EXPECT_EQ(a->boxes[i].y, b->boxes[i].y);
    EXPECT_EQ(a->boxes[i].width, b->boxes[i].width);
    EXPECT_EQ(a->boxes[i].height, b->boxes[i].height);
  }
}

TEST(PlacePacking, MinimumsLargerThanTheAreaDoNotPack) {
  std::vector<LayerDemand> layers = {{10, 1}, {7, 1}};
  EXPECT_FALSE(packLayers(layers, 4, 4)); // 17 > 16 PEs
}

TEST(PlacePacking, OneLayerGetsMostOfTheMesh) {
  std::vector<LayerDemand> layers = {{3, 100}};
  auto packing = packLayers(layers, 8, 8);
  ASSERT_TRUE(packing);
  expectValid(*packing, layers, 8, 8);
  // All spare PEs go to the only layer (whole bands of the chosen height).
  EXPECT_GE(packing->boxes[0].area(), 32);
}

TEST(PlacePacking, SpareGoesByFlops) {
  // Equal minimums; the layer with 9x the FLOPs gets the larger box.
  std::vector<LayerDemand> layers = {{4, 9e9}, {4, 1e9}};
  auto packing = packLayers(layers, 32, 32);
  ASSERT_TRUE(packing);
  expectValid(*packing, layers, 32, 32);
  EXPECT_GT(packing->boxes[0].area(), 2 * packing->boxes[1].area());
}

TEST(PlacePacking, ThousandsOfLayersOnWse2) {
  std::mt19937 rng(3);
  auto layers = randomLayers(rng, 3000, 200);
  auto packing = packLayers(layers, 750, 994);
  ASSERT_TRUE(packing);
  ASSERT_EQ(packing->boxes.size(), layers.size());
  // Overlap checking is quadratic; spot-check bounds and minimums for all,
  // overlaps on a window of neighbours (the packer fills bands in order).
  for (size_t i = 0; i < layers.size(); ++i) {
    const Box &b = packing->boxes[i];
    EXPECT_LE(b.x + b.width, 750);
    EXPECT_LE(b.y + b.height, 994);
    EXPECT_GE(b.area(), layers[i].minPEs);
    for (size_t j = i + 1; j < std::min(layers.size(), i + 64); ++j) {
      const Box &o = packing->boxes[j];
      bool apart = b.x + b.width <= o.x || o.x + o.width <= b.x ||
                   b.y + b.height <= o.y || o.y + o.height <= b.y;
      EXPECT_TRUE(apart) << i << " " << j;
    }
  }
}

} // namespace

//===- PlacePacking.cpp - Sizing and packing layer rectangles -------------===//
//
// Bands of rows, filled in program order; inside a band, columns; inside a
// column, boxes stacked top to bottom while they fit. Odd bands run right to
// left (boustrophedon) so consecutive layers stay neighbours across a band
// break. Every band height is tried and the packing with the most compact
// boxes (smallest sum of width + height, a proxy for multicast and reduction
// distance) wins; when none fits, the FLOP shares shrink (binary search on
// their scale) down to bare minimums.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Transforms/PlacePacking.h"

#include <algorithm>
#include <cmath>

using namespace wse::wafer::placement;

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Each layer's area: its minimum plus `scale` times its FLOP share of the
/// spare PEs (equal shares when no layer has FLOPs).
static std::vector<int64_t> targetAreas(llvm::ArrayRef<LayerDemand> layers,
                                        int64_t spare, double scale) {
  double totalFlops = 0;
  for (const LayerDemand &layer : layers)
    totalFlops += layer.flops;
  std::vector<int64_t> areas;
  areas.reserve(layers.size());
  for (const LayerDemand &layer : layers) {
    double fraction =
        totalFlops > 0 ? layer.flops / totalFlops : 1.0 / double(layers.size());
    int64_t share = int64_t(std::floor(scale * double(spare) * fraction));
    areas.push_back(layer.minPEs + std::max<int64_t>(0, share));
  }
  return areas;
}

/// Packs `areas` into bands of height `bandHeight` (the last band may be
/// shorter). Returns false when the boxes run out of rows. `cost` is the sum
/// of the boxes' width + height; `boxes` (when given) receives them.
static bool packBands(llvm::ArrayRef<int64_t> areas, int64_t width,
                      int64_t height, int64_t bandHeight, double &cost,
                      std::vector<Box> *boxes) {
  int64_t bandY = 0, bandH = std::min(bandHeight, height), band = 0;
  int64_t cursor = 0;                      // first free column of the band
  int64_t colX = 0, colW = 0, colUsed = 0; // the open column
  cost = 0;
  for (size_t i = 0; i < areas.size(); ++i) {
    int64_t a = areas[i];
    // The most compact box of at least `a` PEs no taller than the band.
    int64_t w = ceilDiv(a, bandH), h = ceilDiv(a, w);
    Box box;
    if (colW > 0 && w <= colW && colUsed + h <= bandH) {
      box = {colX, bandY + colUsed, w, h};
      colUsed += h;
    } else {
      if (w > width - cursor) {
        // Later bands are never taller: a box wider than the mesh now will
        // be wider in every band.
        if (w > width)
          return false;
        bandY += bandH;
        ++band;
        if (bandY >= height)
          return false;
        bandH = std::min(bandHeight, height - bandY);
        cursor = 0;
        w = ceilDiv(a, bandH);
        h = ceilDiv(a, w);
        if (w > width)
          return false;
      }
      colX = cursor;
      colW = w;
      colUsed = h;
      cursor += w;
      box = {colX, bandY, w, h};
    }
    if (band % 2 == 1)
      box.x = width - box.x - box.width;
    cost += double(box.width + box.height);
    if (boxes)
      (*boxes)[i] = box;
  }
  return true;
}

/// The band height with the cheapest packing of `areas`, or 0 if none packs.
static int64_t bestBandHeight(llvm::ArrayRef<int64_t> areas, int64_t width,
                              int64_t height) {
  int64_t total = 0;
  for (int64_t a : areas)
    total += a;
  if (total > width * height)
    return 0;
  int64_t best = 0;
  double bestCost = 0;
  for (int64_t h = 1; h <= height; ++h) {
    double cost;
    if (packBands(areas, width, height, h, cost, nullptr) &&
        (best == 0 || cost < bestCost)) {
      best = h;
      bestCost = cost;
    }
  }
  return best;
}

std::optional<Packing>
wse::wafer::placement::packLayers(llvm::ArrayRef<LayerDemand> layers,
                                  int64_t width, int64_t height) {
  Packing packing;
  if (layers.empty())
    return packing;
  int64_t minimum = 0;
  for (const LayerDemand &layer : layers)
    minimum += layer.minPEs;
  int64_t spare = std::max<int64_t>(0, width * height - minimum);

  auto finish = [&](double scale, int64_t bandHeight) {
    std::vector<int64_t> areas = targetAreas(layers, spare, scale);
    packing.boxes.assign(areas.size(), Box());
    double cost;
    packBands(areas, width, height, bandHeight, cost, &packing.boxes);
    packing.bandHeight = bandHeight;
    packing.shareScale = scale;
    return packing;
  };

  if (int64_t h =
          bestBandHeight(targetAreas(layers, spare, 1.0), width, height))
    return finish(1.0, h);
  int64_t fitsAt =
      bestBandHeight(targetAreas(layers, spare, 0.0), width, height);
  if (!fitsAt)
    return std::nullopt;
  // Rounding boxes up to whole columns cost more than the spare PEs: find
  // the largest share scale that still packs (0 packs, 1 does not).
  double lo = 0.0, hi = 1.0;
  for (int iteration = 0; iteration < 16; ++iteration) {
    double mid = (lo + hi) / 2;
    if (int64_t h =
            bestBandHeight(targetAreas(layers, spare, mid), width, height)) {
      lo = mid;
      fitsAt = h;
    } else {
      hi = mid;
    }
  }
  return finish(lo, fitsAt);
}

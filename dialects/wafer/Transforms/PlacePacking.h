//===- PlacePacking.h - Sizing and packing layer rectangles -----*- C++ -*-===//
//
// The geometric half of wafer-place's pipelined mode, free of MLIR so the
// algorithm reads on its own: give each layer an area (its minimum plus a
// FLOP-proportional share of the spare PEs) and pack the rectangles into the
// mesh without overlap. docs/wafer/placement.md describes the algorithm.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_TRANSFORMS_PLACEPACKING_H
#define WSE_DIALECT_WAFER_TRANSFORMS_PLACEPACKING_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace wse::wafer::placement {

/// What one layer asks for.
struct LayerDemand {
  int64_t minPEs = 1; ///< PEs its resident bytes need (>= 1)
  double flops = 0;   ///< its work, for the share of the spare PEs
};

/// A rectangle relative to the packing area's top-left corner.
struct Box {
  int64_t x = 0, y = 0, width = 0, height = 0;
  int64_t area() const { return width * height; }
};

struct Packing {
  std::vector<Box> boxes; ///< one per layer, in input order
  int64_t bandHeight = 0; ///< the band height that was chosen
  /// The fraction of the FLOP-proportional spare shares that was kept
  /// (1 = all of them; 0 = every layer got only its minimum).
  double shareScale = 0;
};

/// Sizes and packs `layers` into a `width` x `height` area. Every box keeps
/// at least its layer's minimum PEs; no two boxes overlap. Returns nullopt
/// when even the minimum areas cannot be packed by the band packer.
/// Deterministic; O(height * layers) per share scale tried (about 20).
std::optional<Packing> packLayers(llvm::ArrayRef<LayerDemand> layers,
                                  int64_t width, int64_t height);

} // namespace wse::wafer::placement

#endif

//===- Bands.h - Cutting the mesh into bands of rows ------------*- C++ -*-===//
//
// `wse-emu --threads N` simulates N bands of whole rows, one thread each
// (docs/emulator/README.md). Rows, because the edge ports sit at the ends of
// rows: every port and its stream then belongs to one band.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_BANDS_H
#define WSE_EMU_BANDS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace wse::emu {

/// Cuts rows [0, rowWeights.size()) into `bands` (1 to the number of rows)
/// contiguous bands of at least one row, each cut placed where the weight
/// above it is nearest its share of the total. Returns the first row of each
/// band followed by the number of rows. Rows of zero total weight are
/// shared out evenly.
std::vector<uint32_t> partitionRows(llvm::ArrayRef<uint64_t> rowWeights,
                                    unsigned bands);

} // namespace wse::emu

#endif

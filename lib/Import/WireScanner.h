//===- WireScanner.h - Byte offsets of tensor payloads in a model file ----===//
//
// Protobuf's generated API copies raw_data into strings and forgets where it
// came from. Parameters must name the byte range of their data in the model
// file, so this scanner walks the protobuf wire format itself and records,
// for every initializer and every Constant node, where its payload lies.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_LIB_IMPORT_WIRESCANNER_H
#define WSE_LIB_IMPORT_WIRESCANNER_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace wse::import {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
  /// True when the payload is packed little-endian float_data rather than
  /// raw_data (both are contiguous little-endian floats on disk).
  bool packedFloats = false;
};

/// Maps initializer names and Constant node output names to the byte range
/// of their tensor payload in `file`. Malformed input yields an empty or
/// partial map; the protobuf parser reports malformation separately.
llvm::StringMap<ByteRange> scanTensorPayloads(llvm::StringRef file);

} // namespace wse::import

#endif

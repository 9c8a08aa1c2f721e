//===- Npy.h - NumPy .npy files for host tensors ----------------*- C++ -*-===//

#ifndef WSE_SUPPORT_NPY_H
#define WSE_SUPPORT_NPY_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

/// A host tensor in fp32, the emulator's only data type (wse-ref and
/// wse-emu exchange tensors with the user as .npy files).
struct HostTensor {
  std::vector<uint64_t> shape;
  std::vector<float> data;
};

/// Reads a little-endian, C-order .npy (format 1.0-3.0) of dtype float32,
/// float64, float16, int32, int64, int8, uint8 or bool; values are converted
/// to fp32 (integers exactly up to 2^24 in magnitude, bool to 0/1).
llvm::Expected<HostTensor> readNpy(llvm::StringRef path);
llvm::Expected<HostTensor> parseNpy(llvm::StringRef bytes,
                                    llvm::StringRef name);
/// What a .npy header says: the dtype ('<f4', ...), the shape and where the
/// data starts.
struct NpyHeader {
  std::string descr;
  std::vector<uint64_t> shape;
  uint64_t dataOffset = 0;
  uint64_t numElements() const;
};
/// Parses the header at the start of `bytes` (checking it describes a
/// C-order array of a supported dtype, and that the data is complete when
/// `fileSize` is given).
llvm::Expected<NpyHeader>
parseNpyHeader(llvm::StringRef bytes, llvm::StringRef name, uint64_t fileSize);
/// Reads only the header of the .npy file at `path`.
llvm::Expected<NpyHeader> readNpyHeader(llvm::StringRef path);
/// Writes a float32 .npy (format 1.0).
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &t);

} // namespace wse

#endif

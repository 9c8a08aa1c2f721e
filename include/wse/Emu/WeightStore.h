//===- WeightStore.h - Off-wafer parameter store ----------------*- C++ -*-===//
//
// Holds the model's parameters as slices of weight files and reads them
// lazily, one aligned block at a time, as streams pull elements: a file is
// never loaded whole. Writing back (gradients) is the planned other
// direction; the stream engine already treats ports as two-way.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_WEIGHTSTORE_H
#define WSE_EMU_WEIGHTSTORE_H

#include "wse/Emu/Program.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"

#include <memory>

namespace wse::emu {

class WeightStore {
public:
  /// Resolves each parameter's file: `weightsPath` may be a directory (files
  /// are relative to it) or one file used by every parameter; when empty,
  /// files are relative to `programDir`. Checks that every file exists and is
  /// large enough, without reading data.
  static llvm::Expected<std::unique_ptr<WeightStore>>
  open(const std::vector<TensorDecl> &params, llvm::StringRef weightsPath,
       llvm::StringRef programDir);
  ~WeightStore();

  /// Element `index` of parameter `param` converted to fp32. Read errors are
  /// sticky and returned by takeError().
  float get(uint32_t param, uint64_t index);
  llvm::Error takeError();
  uint64_t bytesRead() const { return totalRead; }

private:
  struct File {
    std::string path;
    llvm::sys::fs::file_t fd;
    bool open = false;
  };
  struct Param {
    uint32_t file;
    uint64_t offset;
    DType dtype;
    std::string name;
    // One cached block per parameter: streams read mostly sequentially.
    uint64_t blockStart = UINT64_MAX;
    std::vector<char> block;
  };
  WeightStore() = default;
  bool loadBlock(Param &p, uint64_t blockStart);
  std::vector<File> files;
  std::vector<Param> params;
  std::string error;
  uint64_t totalRead = 0;
};

} // namespace wse::emu

#endif

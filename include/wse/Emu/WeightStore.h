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
  /// Blocks cached by one reader (one per parameter it reads), with the
  /// bytes it read and its first error. Every port reads through its own:
  /// ports simulated by different threads share nothing mutable, and the
  /// bytes read do not depend on how the reads of different ports interleave.
  class Reader {
  public:
    uint64_t bytesRead() const { return totalRead; }
    /// Bytes another process read for this reader's port (a distributed
    /// run gathers them into one report).
    void addBytesRead(uint64_t n) { totalRead += n; }
    bool failed() const { return !error.empty(); }
    llvm::Error takeError();

  private:
    friend class WeightStore;
    struct Block {
      uint64_t start = UINT64_MAX;
      std::vector<char> data;
    };
    std::vector<Block> blocks; ///< by parameter
    std::string error;
    uint64_t totalRead = 0;
  };

  /// Resolves each parameter's file: `weightsPath` may be a directory (files
  /// are relative to it) or one file used by every parameter; when empty,
  /// files are relative to `programDir`. Checks that every file exists and is
  /// large enough and opens it, without reading data.
  static llvm::Expected<std::unique_ptr<WeightStore>>
  open(const std::vector<TensorDecl> &params, llvm::StringRef weightsPath,
       llvm::StringRef programDir);
  ~WeightStore();

  /// Element `index` of parameter `param` converted to fp32, read through
  /// `r`. Read errors are sticky in `r`. Safe to call from several threads
  /// with different readers (files are read with positional reads).
  float get(Reader &r, uint32_t param, uint64_t index) const;

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
  };
  WeightStore() = default;
  bool loadBlock(Reader &r, const Param &p, Reader::Block &b,
                 uint64_t blockStart) const;
  std::vector<File> files;
  std::vector<Param> params;
};

} // namespace wse::emu

#endif

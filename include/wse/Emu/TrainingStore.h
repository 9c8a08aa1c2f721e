//===- TrainingStore.h - The weight store of a training step ----*- C++ -*-===//
//
// The off-wafer side of a weight-streaming training step, kept in a
// wse-train checkpoint directory (docs/training.md, "Checkpoints"): the
// weights it serves to the program's streams, the gradients the program
// streams back (outputs declared `gradient(P)`), accumulated over the runs
// of a step's micro-batches, and the optimizer it applies with the state it
// keeps. wse-emu --store DIR plays it (docs/emulator/weight-store.md).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_TRAININGSTORE_H
#define WSE_EMU_TRAININGSTORE_H

#include "wse/Emu/Optimizer.h"
#include "wse/Emu/Program.h"
#include "wse/Support/Npy.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include <optional>

namespace wse::emu {

/// What the store did in one run, for the statistics.
struct StoreStats {
  uint64_t gradientBytes = 0;     ///< gradients received this run
  uint64_t runsAccumulated = 0;   ///< runs in the accumulators after this one
  bool applied = false;           ///< the optimizer stepped after this run
  uint64_t optimizerSteps = 0;    ///< steps applied so far
  std::optional<double> gradNorm; ///< before clipping, when clipped
  /// Bytes the store's memory moved: adding this run's gradients to the
  /// accumulators, and the optimizer step.
  uint64_t accumulateBytes = 0, optimizerBytes = 0;
  double bytesPerCycle = 0;
  uint64_t cycles() const;
  llvm::json::Object toJSON() const;
};

class TrainingStore {
public:
  /// Opens the checkpoint at `dir` for program `p`: every parameter the
  /// store holds must be one the program streams a gradient of, and every
  /// gradient output a parameter the store holds, with the same shape.
  /// `bytesPerCycle` is the store memory's bandwidth (for the modelled time).
  static llvm::Expected<std::unique_ptr<TrainingStore>>
  open(llvm::StringRef dir, const Program &p, double bytesPerCycle);

  /// Points the program's parameters the store holds at its weight files.
  void serve(std::vector<TensorDecl> &params) const;

  /// Adds this run's gradients (`outputs`, every output of the run) to the
  /// accumulators; with `lr`, then applies the optimizer to their mean
  /// (clipped to `clipNorm` if given) and clears them. Files are written
  /// beside the old ones and renamed over them, state.json last.
  llvm::Error update(const llvm::StringMap<HostTensor> &outputs,
                     std::optional<double> lr, std::optional<double> clipNorm);

  const StoreStats &stats() const { return runStats; }

private:
  struct Entry {
    std::string name;    ///< the model's name (state.json)
    std::string program; ///< the program's parameter
    std::string output;  ///< the program's gradient output
    std::vector<uint64_t> shape;
    std::string weightsFile; ///< relative to the directory
    uint64_t dataOffset = 0;
  };
  TrainingStore() = default;
  std::string path(llvm::StringRef relative) const;
  llvm::Expected<std::vector<float>> load(llvm::StringRef relative,
                                          const Entry &e) const;
  llvm::Error
  save(llvm::StringRef relative, const Entry &e, const std::vector<float> &data,
       std::vector<std::pair<std::string, std::string>> &renames) const;
  llvm::Error
  applyStep(std::vector<std::vector<float>> &sums, double lr,
            std::optional<double> clipNorm,
            std::vector<std::pair<std::string, std::string>> &renames);

  std::string dir;
  llvm::json::Object state; ///< state.json, rewritten on update
  OptimizerConfig config;
  std::vector<Entry> entries;
  uint64_t accumulated = 0, optimizerSteps = 0;
  StoreStats runStats;
};

} // namespace wse::emu

#endif

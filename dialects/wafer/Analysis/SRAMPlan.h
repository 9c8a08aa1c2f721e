//===- SRAMPlan.h - Each PE's code and data, planned at the wafer level -*- C++
//-*-===//
//
// What a placed, laid-out and scheduled model will take of each PE's SRAM:
// code and data words as pe-allocate-sram will find them. The wafer dialect
// only declares the question (a dialect interface); the wafer -> pe
// conversion answers it by lowering a copy of the module and allocating
// its buffers (lib/Conversion/WaferToPE/SRAMPlanner.cpp), so the plan is
// the lowering's own figure, not a second model of it that could drift.
// wafer-verify refuses a model that does not fit with the op and layer at
// the busiest point and the shortfall; wafer-cost-report prints the plan.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_ANALYSIS_SRAMPLAN_H
#define WSE_DIALECT_WAFER_ANALYSIS_SRAMPLAN_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectInterface.h"

#include "llvm/ADT/SmallVector.h"

#include <string>

namespace wse::wafer {

/// One PE's SRAM as the program will use it, in words (4 bytes).
struct SRAMPlan {
  int64_t sramWords = 0;
  int64_t instructions = 0, codeWords = 0;
  /// Data words: the addresses' high-water mark when every buffer has a
  /// place, else the most words live at once (a lower bound).
  int64_t dataWords = 0;
  int64_t peakLiveWords = 0; ///< most words live at one instruction
  bool fits = false;
  /// The op (of the module planned) whose code is running at the busiest
  /// instruction: the owner of the largest buffer live there.
  mlir::Operation *peakOp = nullptr;
  /// The largest buffers live there, with their sizes.
  llvm::SmallVector<std::pair<std::string, int64_t>> peakBuffers;
  /// Where it does not fit: the buffer that found no room and its op.
  mlir::Operation *failedOp = nullptr;
  std::string failedBuffer;
  int64_t neededWords() const { return codeWords + dataWords; }
  /// Words missing (0 if it fits; 1 where the words needed are there but
  /// the buffers do not pack: fragmentation).
  int64_t shortfallWords() const {
    if (fits)
      return 0;
    return std::max<int64_t>(neededWords() - sramWords, 1);
  }
};

/// Answers "how much SRAM will this module take per PE". Registered on the
/// wafer dialect by whoever can lower it (wse::registerSRAMPlanner).
class SRAMPlanner : public mlir::DialectInterface::Base<SRAMPlanner> {
public:
  SRAMPlanner(mlir::Dialect *dialect) : Base(dialect) {}
  /// Plans `module`, which must be placed, laid out and scheduled. Returns
  /// failure with `why` set when the module cannot be lowered (then there
  /// is no plan: an op the lowering does not support, for example).
  virtual mlir::FailureOr<SRAMPlan> plan(mlir::ModuleOp module,
                                         std::string &why) const = 0;
};

/// The planner registered on the wafer dialect, or null.
const SRAMPlanner *getSRAMPlanner(mlir::MLIRContext *context);

/// "layer N" when `op` belongs to a layer (its `wafer.layer`), else "".
std::string layerOf(mlir::Operation *op);

} // namespace wse::wafer

#endif

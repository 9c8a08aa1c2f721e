//===- TrainingProjection.cpp - Projected time of a training step ---------===//
//
// Sums, over the placed ops of a forward (inference) schedule, the cost
// model's figures for a weight-streaming training step: forward as
// inference, backward with the weights streamed in again, twice the compute
// (plus the recompute of checkpointed activations) and the weight gradients
// streamed out. The formulas are in the pass description (Passes.td) and
// docs/training.md; this is a projection, not a compiled step.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Analysis/CostModel.h"
#include "dialects/wafer/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERTRAININGPROJECTION
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;

namespace {

struct StepTotals {
  double forward = 0, backward = 0, recompute = 0;
  int64_t streamedIn = 0, gradientsOut = 0;
  double paceForward = 0, paceBackward = 0; // tokens per layer
  double flops = 0;
};

struct TrainingProjectionPass
    : wse::wafer::impl::WaferTrainingProjectionBase<TrainingProjectionPass> {
  using Base::Base;

  void runOnOperation() override {
    markAllAnalysesPreserved();
    ModuleOp module = getOperation();
    auto target = wse::mesh::requireTarget(module, "wafer-training-projection");
    if (!target)
      return signalPassFailure();
    const auto &machine = target.getMachine();
    // Compute passes in backward: input and weight gradients, plus the
    // recomputed forward when only layer inputs were checkpointed.
    const double backwardPasses = recompute ? 3.0 : 2.0;
    StepTotals s;
    module.walk([&](Operation *op) {
      if (!isa<PlacedOp>(op) || isa<ConstantOp>(op))
        return;
      OpTiming t = estimateTiming(op, machine);
      double overhead = t.estimatedCycles - t.rooflineCycles;
      double computeBackward = backwardPasses * t.computeCycles;
      s.forward += t.estimatedCycles;
      s.backward += std::max(computeBackward, t.streamCycles) + 2 * overhead;
      s.recompute += recompute ? t.computeCycles : 0;
      s.streamedIn += 2 * t.streamedBytes;
      s.gradientsOut += t.streamedBytes;
      s.flops += (1 + backwardPasses) * estimateWork(op).flops;
      s.paceForward = std::max(s.paceForward, t.tokensToKeepPace);
      s.paceBackward =
          std::max(s.paceBackward, t.tokensToKeepPace / backwardPasses);
    });
    double step = s.forward + s.backward;
    double ms = step / machine.clockHz * 1e3;
    llvm::errs() << llvm::format(
        "training step projection (%s, %s): forward %.4g cycles, backward "
        "%.4g cycles (recompute %.4g), step %.4g cycles = %.4g ms at %.3g "
        "GHz\n  weights streamed in %lld bytes (twice), gradients out %lld "
        "bytes; tokens per layer to keep pace: forward %.0f, backward %.0f\n",
        machine.name.c_str(),
        recompute ? "checkpoints at layer inputs, recompute"
                  : "all activations kept",
        s.forward, s.backward, s.recompute, step, ms, machine.clockHz / 1e9,
        (long long)s.streamedIn, (long long)s.gradientsOut, s.paceForward,
        s.paceBackward);
    if (json.empty())
      return;
    llvm::json::Object report{{"target", machine.name},
                              {"recompute", (bool)recompute},
                              {"forward_cycles", s.forward},
                              {"backward_cycles", s.backward},
                              {"recompute_cycles", s.recompute},
                              {"step_cycles", step},
                              {"step_time_ms", ms},
                              {"flops", s.flops},
                              {"weights_streamed_in_bytes", s.streamedIn},
                              {"gradients_out_bytes", s.gradientsOut},
                              {"tokens_to_keep_pace_forward", s.paceForward},
                              {"tokens_to_keep_pace_backward", s.paceBackward}};
    std::error_code ec;
    llvm::raw_fd_ostream file(json.getValue(), ec); // "-" is stdout
    if (ec) {
      module.emitError("cannot write '") << json << "': " << ec.message();
      return signalPassFailure();
    }
    file << llvm::formatv("{0:2}", llvm::json::Value(std::move(report)))
         << "\n";
  }
};

} // namespace

//===- Recompose.cpp - Recompose decomposed idioms ------------------------===//
//
// Two greedy rounds: the cleanup patterns first (Identity, Cast to the same
// type), so that the idiom patterns of the second round see chains without
// no-op links (HF LLaMA's RMSNorm casts f32 to f32 around its body).
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Transforms/Passes.h"
#include "dialects/onnx/Transforms/RecomposePatterns.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace wse::onnxir {
#define GEN_PASS_DEF_ONNXRECOMPOSE
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace wse::onnxir

using namespace mlir;

namespace {
struct ONNXRecomposePass
    : wse::onnxir::impl::ONNXRecomposeBase<ONNXRecomposePass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    RewritePatternSet cleanup(ctx);
    wse::onnxir::populateONNXCleanupPatterns(cleanup);
    cleanupPatterns = std::move(cleanup);
    RewritePatternSet all(ctx);
    wse::onnxir::populateONNXCleanupPatterns(all);
    wse::onnxir::populateONNXRecomposePatterns(all);
    recomposePatterns = std::move(all);
    return success();
  }

  void runOnOperation() override {
    // Not converging within the driver's iteration bound only means some
    // rewrite opportunities may remain; the IR is valid either way.
    (void)applyPatternsGreedily(getOperation(), cleanupPatterns);
    (void)applyPatternsGreedily(getOperation(), recomposePatterns);
  }

  FrozenRewritePatternSet cleanupPatterns;
  FrozenRewritePatternSet recomposePatterns;
};
} // namespace

//===- Pipelines.h - Named pass pipelines -----------------------*- C++ -*-===//
#ifndef WSE_PIPELINES_PIPELINES_H
#define WSE_PIPELINES_PIPELINES_H

#include "dialects/wafer/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace wse {

struct WSEPipelineOptions : mlir::PassPipelineOptions<WSEPipelineOptions> {
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("preset name or machine JSON file"),
                             llvm::cl::init("wse2")};
  Option<wafer::PlacementMode> mode{
      *this, "mode", llvm::cl::desc("how layers map onto the mesh"),
      llvm::cl::init(wafer::PlacementMode::stream),
      llvm::cl::values(
          clEnumValN(wafer::PlacementMode::stream, "stream",
                     "every op on the whole area, weights streamed"),
          clEnumValN(wafer::PlacementMode::pipelined, "pipelined",
                     "every layer on its own rectangle, weights resident"))};
  ListOption<int64_t> rect{
      *this, "rect",
      llvm::cl::desc("x,y,width,height to use (default: whole mesh)")};
  Option<int64_t> depth{*this, "depth",
                        llvm::cl::desc("buffers per weight stream"),
                        llvm::cl::init(2)};
  Option<bool> layerLoops{
      *this, "layer-loops",
      llvm::cl::desc("run the repeated layers as one loop "
                     "(wafer-find-layer-loops; false: unrolled)"),
      llvm::cl::init(true)};
  Option<std::string> costJson{
      *this, "cost-json",
      llvm::cl::desc("also write the cost report as JSON to this file"),
      llvm::cl::init("")};
  Option<bool> planSRAM{
      *this, "plan-sram",
      llvm::cl::desc("wafer-verify checks SRAM against the plan made by "
                     "lowering a copy of the model (false: the per-op "
                     "estimate, e.g. for placement studies of models the "
                     "lowering cannot fit yet)"),
      llvm::cl::init(true)};
  Option<bool> lower{
      *this, "lower",
      llvm::cl::desc("continue to a per-PE program: convert-wafer-to-pe, "
                     "pe-route, pe-assign-colors, pe-allocate-sram, "
                     "pe-verify-routes, pe-verify"),
      llvm::cl::init(false)};
  Option<bool> marks{
      *this, "marks",
      llvm::cl::desc("with lower=true: begin each op's code with a profiling "
                     "mark (convert-wafer-to-pe's marks option)"),
      llvm::cl::init(true)};
  Option<std::string> training{
      *this, "training",
      llvm::cl::desc("compile the training step instead of inference: "
                     "wafer-training-step's options, e.g. {optimizer=sgd "
                     "lr=0.05 momentum=0.9}, or 'defaults'"),
      llvm::cl::init("")};
  Option<bool> explain{
      *this, "explain",
      llvm::cl::desc("emit remarks that explain placement, stream windows, "
                     "routes, colors and SRAM (the explain option of "
                     "wafer-place, wafer-schedule-streams, pe-route, "
                     "pe-assign-colors and pe-allocate-sram)"),
      llvm::cl::init(false)};
};

/// onnx (imported) -> onnx-prepare -> wafer, placed, laid out, scheduled and
/// verified.
void buildWSEPipeline(mlir::OpPassManager &pm,
                      const WSEPipelineOptions &options);

/// Registers the named pipelines (wse/InitAll.h registers everything).
void registerPipelines();

} // namespace wse

#endif

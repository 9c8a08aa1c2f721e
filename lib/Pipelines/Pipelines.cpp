//===- Pipelines.cpp - Named pass pipelines -------------------------------===//

#include "wse/Pipelines/Pipelines.h"

#include "dialects/onnx/Training/Passes.h"
#include "dialects/onnx/Transforms/Passes.h"
#include "dialects/pe/Transforms/Passes.h"
#include "dialects/wafer/Transforms/Passes.h"
#include "wse/Conversion/Passes.h"
#include "wse/Target/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {
/// Stops a pipeline whose options cannot work, with the reason: pipeline
/// builders cannot fail themselves.
struct PipelineErrorPass
    : PassWrapper<PipelineErrorPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PipelineErrorPass)
  explicit PipelineErrorPass(std::string message)
      : message(std::move(message)) {}
  void runOnOperation() override {
    getOperation().emitError(message);
    signalPassFailure();
  }
  std::string message;
};
} // namespace

/// --onnx-training-step, the lowering, then wafer-training-step with the
/// pipeline's `training` options.
static void addTrainingStep(OpPassManager &pm, StringRef options) {
  pm.addPass(wse::onnxir::createONNXTrainingStep());
  pm.addPass(wse::createConvertONNXToWafer());
  std::unique_ptr<Pass> step = wse::wafer::createWaferTrainingStep();
  std::string error;
  if (options != "defaults" &&
      failed(step->initializeOptions(options, [&](const Twine &msg) {
        error = msg.str();
        return failure();
      }))) {
    pm.addPass(std::make_unique<PipelineErrorPass>(
        "wse-pipeline: training={" + options.str() +
        "} is not a list of wafer-training-step options: " + error));
    return;
  }
  pm.addPass(std::move(step));
}

void wse::buildWSEPipeline(OpPassManager &pm,
                           const WSEPipelineOptions &options) {
  onnxir::buildONNXPreparePipeline(pm);
  bool training = !options.training.empty();
  if (training)
    addTrainingStep(pm, options.training);
  else
    pm.addPass(createConvertONNXToWafer());
  pm.addPass(wafer::createWaferFuseElementwise());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(wafer::createWaferTarget({options.target}));
  wafer::WaferPlaceOptions place;
  place.mode = options.mode;
  place.rect.assign(options.rect.begin(), options.rect.end());
  place.explain = options.explain;
  pm.addPass(wafer::createWaferPlace(place));
  pm.addPass(wafer::createWaferLayout());
  pm.addPass(wafer::createWaferFindLayerLoops({options.layerLoops}));
  pm.addPass(
      wafer::createWaferScheduleStreams({options.depth, options.explain}));
  pm.addPass(wafer::createWaferVerify({options.planSRAM}));
  if (!options.costJson.empty())
    pm.addPass(wafer::createWaferCostReport({"", options.costJson}));
  if (options.lower) {
    pm.addPass(createConvertWaferToPE({options.marks}));
    pm.addPass(pe::createPERoute({options.explain}));
    pm.addPass(pe::createPEAssignColors({options.explain}));
    pm.addPass(pe::createPEAllocateSRAM({/*reuse=*/true, options.explain}));
    pm.addPass(pe::createPEVerifyRoutes());
    pm.addPass(createPEVerify());
  }
}

void wse::registerPipelines() {
  PassPipelineRegistration<WSEPipelineOptions>(
      "wse-pipeline",
      "Imported onnx IR to placed, laid-out, scheduled and verified wafer IR "
      "(onnx-prepare, convert-onnx-to-wafer, wafer-fuse-elementwise, "
      "wafer-target, wafer-place, wafer-layout, wafer-find-layer-loops, "
      "wafer-schedule-streams, "
      "wafer-verify); with training, the training step (onnx-training-step "
      "and wafer-training-step)",
      buildWSEPipeline);
}

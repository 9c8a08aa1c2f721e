//===- Pipelines.cpp - Named pass pipelines -------------------------------===//

#include "wse/Pipelines/Pipelines.h"

#include "dialects/onnx/Transforms/Passes.h"
#include "dialects/pe/Transforms/Passes.h"
#include "dialects/wafer/Transforms/Passes.h"
#include "wse/Conversion/Passes.h"
#include "wse/Target/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void wse::buildWSEPipeline(OpPassManager &pm,
                           const WSEPipelineOptions &options) {
  onnxir::buildONNXPreparePipeline(pm);
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
  pm.addPass(wafer::createWaferVerify());
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
      "wafer-verify)",
      buildWSEPipeline);
}

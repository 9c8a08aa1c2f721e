//===- RegisterPasses.cpp - Pass and pipeline registration ----------------===//
#include "dialects/onnx/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void wse::onnxir::buildONNXPreparePipeline(OpPassManager &pm) {
  pm.addPass(createONNXStaticize());
  pm.addNestedPass<func::FuncOp>(createONNXRecompose());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void wse::onnxir::registerONNXPassesAndPipelines() {
  registerONNXStaticize();
  registerONNXRecompose();
  PassPipelineRegistration<>(
      "onnx-prepare",
      "Static shapes, recomposed idioms, canonicalized and CSE'd onnx IR",
      buildONNXPreparePipeline);
}

//===- SRAMPlan.cpp - Lookup of the SRAM planner --------------------------===//

#include "dialects/wafer/Analysis/SRAMPlan.h"
#include "dialects/wafer/Analysis/LayerLoop.h"
#include "dialects/wafer/IR/WaferOps.h"

using namespace mlir;

const wse::wafer::SRAMPlanner *
wse::wafer::getSRAMPlanner(MLIRContext *context) {
  Dialect *dialect = context->getLoadedDialect<WaferDialect>();
  return dialect ? dialect->getRegisteredInterface<SRAMPlanner>() : nullptr;
}

std::string wse::wafer::layerOf(Operation *op) {
  if (!op)
    return "";
  if (auto layer = op->getAttrOfType<IntegerAttr>(kLayerAttrName))
    return "layer " + std::to_string(layer.getInt());
  return "";
}

//===- RegisterPasses.cpp - wafer pass registration
//-------------------------===//

#include "dialects/wafer/Transforms/Passes.h"

void wse::wafer::registerWaferPassesAndPipelines() { registerWaferPasses(); }

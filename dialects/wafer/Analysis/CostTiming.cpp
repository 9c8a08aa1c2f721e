// PLACEHOLDER: being written.
#include "dialects/wafer/Analysis/CostModel.h"
using namespace wse::wafer;
double wse::wafer::streamBytesPerCycle(const wse::machine::MachineDescription &, RectAttr) { return 1; }
OpTiming wse::wafer::estimateTiming(mlir::Operation *, const wse::machine::MachineDescription &, RectAttr) { return {}; }
int64_t wse::wafer::codeReserveBytes(const wse::machine::MachineDescription &) { return 0; }

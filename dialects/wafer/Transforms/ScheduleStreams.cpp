//===- ScheduleStreams.cpp - Order, buffer and time the weight streams ----===//
//
// Streams are ordered by their first consumer in program order and share
// the edge ports one after another. In stream mode each gets `depth` chunk
// buffers per PE, sized from the SRAM its consumer leaves free, and layer
// k+1's weights arrive while layer k computes. Resident (pipelined) weights
// are loaded once, before the first op. The arrival windows come from a
// timeline simulation with the cost model; docs/wafer/streams.md has the
// rules and an example.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Analysis/CostModel.h"
#include "dialects/wafer/Analysis/KeptActivations.h"
#include "dialects/wafer/Transforms/Passes.h"

#include "llvm/Support/FormatVariadic.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>

namespace wse::wafer {
#define GEN_PASS_DEF_WAFERSCHEDULESTREAMS
#include "dialects/wafer/Transforms/Passes.h.inc"
} // namespace wse::wafer

using namespace mlir;
using namespace wse::wafer;
using wse::machine::MachineDescription;
using wse::mesh::RectAttr;
using wse::mesh::requireTarget;
using wse::mesh::TargetAttr;

namespace {
/// A stream with the op that consumes it first and where.
struct StreamUse {
  StreamOp stream;
  Operation *consumer = nullptr; ///< null: no placed consumer
  unsigned consumerIndex = ~0u;  ///< position of `consumer` in program order
  unsigned operandNumber = 0;
  bool resident = false;
  RectAttr region;
  RankedTensorType type;
  int64_t depth = 1;
  int64_t chunkBytes = 0;
  double start = 0, end = 0;
  /// What set `start` and `end`, for the explain remarks.
  std::string why;
};

struct ScheduleStreamsPass
    : wse::wafer::impl::WaferScheduleStreamsBase<ScheduleStreamsPass> {
  using WaferScheduleStreamsBase::WaferScheduleStreamsBase;

  void runOnOperation() override;

private:
  LogicalResult scheduleEgress(ArrayRef<std::pair<StreamOutOp, int64_t>> egress,
                               ArrayRef<double> opFinish,
                               const MachineDescription &machine,
                               TargetAttr target);
  LogicalResult sizeChunks(Operation *consumer,
                           MutableArrayRef<StreamUse *> uses,
                           const MachineDescription &machine);

  /// Per op of a training step, the forward values kept for backward that
  /// are live while it runs: not available to weight buffers.
  llvm::DenseMap<Operation *, int64_t> kept;
};
} // namespace

static std::string peName(RectAttr rect) {
  return "PE (" + std::to_string(rect.getX()) + ", " +
         std::to_string(rect.getY()) + ") of its " +
         std::to_string(rect.getWidth()) + "x" +
         std::to_string(rect.getHeight()) + " rectangle";
}

/// Gives the streamed operands of `consumer` chunk sizes that fit, with
/// `depth` buffers each, in the SRAM its activations and the code reserve
/// leave. Small weights are buffered whole first; the rest share what is
/// left equally, in whole row blocks.
LogicalResult
ScheduleStreamsPass::sizeChunks(Operation *consumer,
                                MutableArrayRef<StreamUse *> uses,
                                const MachineDescription &machine) {
  auto rect = cast<PlacedOp>(consumer).getPlacementRect();
  OpTiming timing = estimateTiming(consumer, machine, rect);
  // Resident weights of the same op stay for its whole run.
  int64_t resident = 0;
  for (Value operand : consumer->getOperands())
    if (auto s = operand.getDefiningOp<StreamOp>(); s && s.getResident())
      resident += weightShareBytes(cast<RankedTensorType>(s.getType()), rect);
  int64_t held = kept.lookup(consumer);
  int64_t left = int64_t(machine.sramBytes) - codeReserveBytes(machine) -
                 timing.activationBytesPerPE - resident - held;

  SmallVector<StreamUse *> sorted(uses.begin(), uses.end());
  llvm::stable_sort(sorted, [&](StreamUse *a, StreamUse *b) {
    return weightShareBytes(a->type, rect) < weightShareBytes(b->type, rect);
  });
  for (auto [i, use] : llvm::enumerate(sorted)) {
    int64_t share = weightShareBytes(use->type, rect);
    int64_t minimal = std::min(minimalChunkBytes(use->type, rect), share);
    int64_t fair =
        std::max<int64_t>(left, 0) / (use->depth * int64_t(sorted.size() - i));
    int64_t chunk = share <= fair ? share : fair / minimal * minimal;
    if (chunk < minimal) {
      InFlightDiagnostic diag = consumer->emitOpError();
      diag << "cannot buffer stream @" << use->stream.getName() << " on "
           << peName(rect) << ": " << use->depth
           << " buffers of its smallest chunk (" << minimal
           << " bytes, one row block) need " << use->depth * minimal
           << " bytes but only " << std::max<int64_t>(left, 0)
           << " are left (SRAM " << machine.sramBytes << ", activations "
           << timing.activationBytesPerPE;
      if (resident)
        diag << ", resident weights " << resident;
      if (held)
        diag << ", kept for backward " << held;
      diag << ", code " << codeReserveBytes(machine) << ")";
      return failure();
    }
    use->chunkBytes = chunk;
    left -= use->depth * chunk;
  }
  return success();
}

/// Gradients stream out to the weight store one after another, each once
/// the op before it (its producer) has finished, on the edge links' other
/// direction: full duplex, so they share no bandwidth with the weights
/// coming in and never delay an op (docs/training.md).
LogicalResult ScheduleStreamsPass::scheduleEgress(
    ArrayRef<std::pair<StreamOutOp, int64_t>> egress, ArrayRef<double> opFinish,
    const MachineDescription &machine, TargetAttr target) {
  Builder builder(target.getContext());
  double free = 0;
  for (auto [i, entry] : llvm::enumerate(egress)) {
    auto [out, before] = entry;
    RectAttr region = out.getRegionAttr();
    if (!region)
      region = target.getWholeMesh();
    auto type = cast<RankedTensorType>(out.getGradient().getType());
    int64_t bytes = type.getNumElements() * elementBytes(type.getElementType());
    double ready = before >= 0 ? opFinish[before] : 0;
    bool waited = ready > free;
    double start = std::ceil(std::max(free, ready));
    double end =
        start + std::ceil(double(bytes) / streamBytesPerCycle(machine, region));
    if (!(end < 0x1p62))
      return out.emitOpError("leaves after more than 2^62 cycles: the "
                             "target's stream_bytes_per_cycle is too low");
    free = end;
    out.setRegionAttr(region);
    out.setOrderAttr(builder.getI64IntegerAttr(i));
    out.setChunkBytesAttr(builder.getI64IntegerAttr(
        std::min(minimalChunkBytes(type, region),
                 std::max<int64_t>(weightShareBytes(type, region), 1))));
    out.setStartCycleAttr(builder.getI64IntegerAttr(int64_t(start)));
    out.setEndCycleAttr(builder.getI64IntegerAttr(int64_t(end)));
    if (explain)
      out.emitRemark() << "wafer-schedule-streams: gradient of @"
                       << out.getName() << " leaves in [" << int64_t(start)
                       << ", " << int64_t(end) << "] cycles, "
                       << (waited ? "once its producer has finished"
                                  : "after the previous gradient");
  }
  return success();
}

void ScheduleStreamsPass::runOnOperation() {
  ModuleOp module = getOperation();
  TargetAttr target = requireTarget(module, "wafer-schedule-streams");
  if (!target)
    return signalPassFailure();
  if (depth < 1) {
    mlir::emitError(module.getLoc()) << "wafer-schedule-streams: depth "
                                     << int64_t(depth) << " must be at least 1";
    return signalPassFailure();
  }
  const MachineDescription &machine = target.getMachine();
  auto mode = module->getAttrOfType<StringAttr>(kModeAttrName);
  bool pipelined = mode && mode.getValue() == "pipelined";
  for (auto func : module.getOps<func::FuncOp>())
    for (auto [op, bytes] : keptActivationBytesPerPE(func))
      kept[op] = bytes;

  // Ops in program order; constants have no run of their own.
  SmallVector<Operation *> ops;
  llvm::DenseMap<Operation *, unsigned> indexOf;
  SmallVector<StreamUse> uses;
  // Gradients leaving (training steps), with the last op before each.
  SmallVector<std::pair<StreamOutOp, int64_t>> egress;
  module.walk([&](Operation *op) {
    if (auto out = dyn_cast<StreamOutOp>(op)) {
      egress.push_back({out, int64_t(ops.size()) - 1});
    } else if (auto stream = dyn_cast<StreamOp>(op)) {
      StreamUse use;
      use.stream = stream;
      use.type = cast<RankedTensorType>(stream.getType());
      uses.push_back(use);
    } else if (isa<PlacedOp>(op) && !isa<ConstantOp>(op)) {
      indexOf[op] = ops.size();
      ops.push_back(op);
    }
  });

  bool failed = false;
  for (StreamUse &use : uses) {
    for (OpOperand &operand : use.stream->getUses()) {
      auto it = indexOf.find(operand.getOwner());
      if (it == indexOf.end() || it->second >= use.consumerIndex)
        continue;
      use.consumer = operand.getOwner();
      use.consumerIndex = it->second;
      use.operandNumber = operand.getOperandNumber();
    }
    use.region = use.stream.getRegionAttr();
    if (!use.region && use.consumer) {
      use.region = cast<PlacedOp>(use.consumer).getPlacementRect();
      if (!use.region) {
        use.consumer->emitOpError()
            << "consumes stream @" << use.stream.getName()
            << " but is not placed: run wafer-place first";
        failed = true;
        continue;
      }
    }
    if (!use.region)
      use.region = target.getWholeMesh();
    use.resident = pipelined || use.stream.getResident();
    use.depth = use.resident ? 1 : int64_t(depth);
  }
  if (failed)
    return signalPassFailure();

  // Program order of the consumers; unused streams last.
  SmallVector<StreamUse *> order;
  for (StreamUse &use : uses)
    order.push_back(&use);
  llvm::stable_sort(order, [](StreamUse *a, StreamUse *b) {
    return std::make_pair(a->consumerIndex, a->operandNumber) <
           std::make_pair(b->consumerIndex, b->operandNumber);
  });

  // Chunk sizes: resident weights are one chunk of their whole share.
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    SmallVector<StreamUse *> streamed;
    for (; j < order.size() && order[j]->consumer == order[i]->consumer; ++j) {
      StreamUse *use = order[j];
      if (use->resident)
        use->chunkBytes = weightShareBytes(use->type, use->region);
      else if (use->consumer)
        streamed.push_back(use);
      else
        use->chunkBytes = std::min(minimalChunkBytes(use->type, use->region),
                                   weightShareBytes(use->type, use->region));
    }
    if (!streamed.empty() &&
        ::mlir::failed(sizeChunks(order[i]->consumer, streamed, machine)))
      failed = true;
    i = j;
  }
  if (failed)
    return signalPassFailure();

  // The chunk sizes feed the cost model (SRAM), so write them first.
  Builder builder(module.getContext());
  for (auto [i, use] : llvm::enumerate(order)) {
    StreamOp stream = use->stream;
    stream.setOrderAttr(builder.getI64IntegerAttr(i));
    stream.setDepthAttr(builder.getI64IntegerAttr(use->depth));
    stream.setChunkBytesAttr(builder.getI64IntegerAttr(use->chunkBytes));
    stream.setRegionAttr(use->region);
    if (use->resident)
      stream.setResident(true);
  }

  // Timeline. Resident weights load first, one after another. Stream
  // windows are whole cycles (start rounded up, length rounded up) so that
  // consecutive windows never overlap and never exceed the port rate.
  auto duration = [&](StreamUse *use) {
    int64_t bytes =
        use->type.getNumElements() * elementBytes(use->type.getElementType());
    return std::ceil(double(bytes) / streamBytesPerCycle(machine, use->region));
  };
  double portsFree = 0;
  for (StreamUse *use : order) {
    if (!use->resident)
      continue;
    use->start = portsFree;
    use->end = portsFree = use->start + duration(use);
    use->why = "resident: loads before the first op, after the previous "
               "resident tensor";
  }
  // Streamed weights: stream s starts once stream s-1 has finished and a
  // buffer is free: with two or more buffers when the previous stream's
  // consumer starts computing, with one when it has finished. Before its
  // own consumer starts a stream can fill only its buffers.
  SmallVector<double> opStart(ops.size()), opFinish(ops.size());
  size_t next = 0;
  StreamUse *previous = nullptr;
  double clock = portsFree;
  auto scheduleStream = [&](StreamUse *use, double consumerStart) {
    double bufferFree = 0;
    if (previous && previous->consumer != use->consumer && previous->consumer) {
      unsigned p = previous->consumerIndex;
      bufferFree = use->depth >= 2 ? opStart[p] : opFinish[p];
    }
    double length = duration(use);
    use->start = std::ceil(std::max(portsFree, bufferFree));
    use->why = bufferFree > portsFree
                   ? (use->depth >= 2 ? "starts when a buffer frees: the "
                                        "previous stream's consumer starts"
                                      : "starts when its only buffer frees: "
                                        "the previous stream's consumer ends")
                   : "starts when the ports are free: the previous stream "
                     "ends";
    int64_t share = weightShareBytes(use->type, use->region);
    double ahead =
        std::min(1.0, double(use->depth * use->chunkBytes) / double(share));
    use->end = use->start + length;
    // What does not fit in the buffers arrives only as the consumer eats.
    if (ahead < 1.0) {
      double paced = std::ceil(consumerStart + length * (1.0 - ahead));
      if (paced > use->end)
        use->why += llvm::formatv("; ends at its consumer's pace: {0} buffers "
                                  "of {1} bytes hold {2:f0}% of its share",
                                  use->depth, use->chunkBytes, 100.0 * ahead)
                        .str();
      use->end = std::max(use->end, paced);
    }
    portsFree = use->end;
    previous = use;
  };
  SmallVector<StreamUse *> streamedOrder;
  for (StreamUse *use : order)
    if (!use->resident)
      streamedOrder.push_back(use);
  for (auto [i, op] : llvm::enumerate(ops)) {
    opStart[i] = clock;
    OpTiming timing = estimateTiming(op, machine);
    double arrived = 0;
    for (;
         next < streamedOrder.size() && streamedOrder[next]->consumerIndex == i;
         ++next) {
      scheduleStream(streamedOrder[next], opStart[i]);
      arrived = std::max(arrived, streamedOrder[next]->end);
    }
    opFinish[i] = clock = std::max(opStart[i] + timing.computeCycles, arrived) +
                          timing.fabricCycles + timing.overheadCycles;
  }
  // Streams nobody placed consumes: after everything else.
  for (; next < streamedOrder.size(); ++next)
    scheduleStream(streamedOrder[next], portsFree);

  // A window past 2^62 cycles (a very slow port, a huge model) would not fit
  // the attribute's int64; say so instead of storing a wrapped number.
  for (StreamUse *use : order) {
    if (!(use->end < 0x1p62)) {
      use->stream.emitOpError()
          << "arrives after " << llvm::formatv("{0:e3}", use->end).str()
          << " cycles, past the 2^62 the schedule can record: the target's "
             "stream_bytes_per_cycle ("
          << machine.streamBytesPerCycle << ") is too low for this model";
      return signalPassFailure();
    }
    use->stream.setStartCycleAttr(
        builder.getI64IntegerAttr(int64_t(use->start)));
    use->stream.setEndCycleAttr(builder.getI64IntegerAttr(int64_t(use->end)));
  }
  if (::mlir::failed(scheduleEgress(egress, opFinish, machine, target)))
    return signalPassFailure();
  if (explain) {
    for (StreamUse *use : order)
      use->stream.emitRemark()
          << "wafer-schedule-streams: @" << use->stream.getName() << " window ["
          << int64_t(use->start) << ", " << int64_t(use->end) << "] cycles, "
          << use->depth << " x " << use->chunkBytes
          << " bytes of buffer: " << use->why;
    emitRemark(module.getLoc())
        << "wafer-schedule-streams: " << order.size() << " streams, the last "
        << "arriving at cycle " << int64_t(portsFree);
  }
}

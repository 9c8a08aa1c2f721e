//===- CostTiming.cpp - Cycles and SRAM of a wafer op on its rectangle ----===//
//
// Every formula here is written out, with its assumptions and a worked
// example, in docs/wafer/cost-model.md. Keep the two in step.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Analysis/CostModel.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

using namespace mlir;
using namespace wse::wafer;
using wse::machine::MachineDescription;
using wse::machine::Side;
using wse::mesh::RectAttr;

/// Instructions' worth of SRAM reserved on every PE for code and runtime.
static constexpr int64_t kReservedInstructions = 768;
/// Instructions a task issues before its first vector op (descriptor and
/// loop setup); with the task switch this is the fixed per-op overhead.
static constexpr int64_t kSetupInstructions = 16;
/// Default buffering depth assumed for streams wafer-schedule-streams has
/// not sized yet.
static constexpr int64_t kDefaultDepth = 2;

int64_t wse::wafer::codeReserveBytes(const MachineDescription &machine) {
  return kReservedInstructions * int64_t(machine.codeBytesPerInstr);
}

double wse::wafer::streamBytesPerCycle(const MachineDescription &machine,
                                       RectAttr rect) {
  int64_t top = rect ? rect.getY() : 0;
  int64_t bottom = rect ? top + rect.getHeight() : int64_t(machine.height);
  int64_t count = 0;
  for (Side side : {Side::West, Side::East})
    for (const auto &port : machine.ports(side))
      if (int64_t(port.row) >= top && int64_t(port.row) < bottom)
        ++count;
  // A rectangle between port rows is fed by the nearest port, its data
  // crossing the mesh rows on the way: one port's worth.
  return double(std::max<int64_t>(count, 1)) * machine.streamBytesPerCycle;
}

static int64_t extentOf(MeshAxis axis, RectAttr rect) {
  return axis == MeshAxis::X   ? rect.getWidth()
         : axis == MeshAxis::Y ? rect.getHeight()
                               : 1;
}

static RankedTensorType tensorOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

int64_t wse::wafer::weightShareBytes(RankedTensorType weight, RectAttr rect) {
  return elementsPerPE(weight, getDist(weight), rect.getWidth(),
                       rect.getHeight()) *
         elementBytes(weight.getElementType());
}

int64_t wse::wafer::minimalChunkBytes(RankedTensorType weight, RectAttr rect) {
  DistAttr dist = getDist(weight);
  int64_t elements = 1;
  for (auto [i, size] : llvm::enumerate(weight.getShape())) {
    MeshAxis axis = dist ? dist.getAxes()[i] : MeshAxis::None;
    if (axis != MeshAxis::None) {
      int64_t extent = extentOf(axis, rect);
      elements *= (size + extent - 1) / extent;
    }
  }
  return std::max<int64_t>(1, elements) * elementBytes(weight.getElementType());
}

/// Bytes per PE of a non-weight tensor under its distribution.
static int64_t bytesPerPE(Value value, RectAttr rect) {
  auto type = tensorOf(value);
  return elementsPerPE(type, getDist(type), rect.getWidth(), rect.getHeight()) *
         elementBytes(type.getElementType());
}

/// Extent of the mesh a set of dimensions of `type` is spread over: the
/// product of the extents of the axes they map to. Without a distribution
/// the layout's canonical choice (last dimension on y) is assumed.
static int64_t extentOfDims(RankedTensorType type, ArrayRef<int64_t> dims,
                            RectAttr rect) {
  DistAttr dist = getDist(type);
  if (!dist)
    return llvm::is_contained(dims, type.getRank() - 1) ? rect.getHeight() : 1;
  int64_t extent = 1;
  for (int64_t dim : dims)
    extent *= extentOf(dist.getAxes()[dim], rect);
  return extent;
}

static SmallVector<int64_t> dimsFrom(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> dims;
  for (int64_t d = std::max<int64_t>(axis, 0); d < rank; ++d)
    dims.push_back(d);
  return dims;
}

/// Cycles of the fabric part of `op` (docs/wafer/cost-model.md, "Fabric").
static double fabricCycles(Operation *op, const OpWork &work, RectAttr rect,
                           const MachineDescription &machine) {
  double hop = machine.hopLatency;
  int64_t w = rect.getWidth(), h = rect.getHeight();
  // A chain reduction over `extent` PEs: extent-1 steps of one hop and one
  // add each.
  auto reduction = [&](int64_t extent) { return (extent - 1) * (hop + 1); };
  // Reduce, then send the result back along the same chain.
  auto allReduce = [&](int64_t extent) {
    return reduction(extent) + (extent - 1) * hop;
  };
  auto movement = [&]() {
    if (work.movedBytes == 0) // a view: nothing crosses the fabric
      return 0.0;
    double links = double(std::min(w, h));
    return double(work.movedBytes) / (4.0 * links) + double(w + h - 2) * hop;
  };
  auto lastDim = [](Value v) {
    return SmallVector<int64_t>{tensorOf(v).getRank() - 1};
  };
  return TypeSwitch<Operation *, double>(op)
      .Case([&](LinearOp linear) {
        // Weight multicast from the edge over the rectangle, then partial
        // sums reduced along the axis holding the input's last dimension.
        Value in = linear.getInput();
        return double(w + h) * hop +
               reduction(extentOfDims(tensorOf(in), lastDim(in), rect));
      })
      .Case([&](MatmulOp matmul) {
        Value lhs = matmul.getLhs();
        return double(w + h) * hop +
               reduction(extentOfDims(tensorOf(lhs), lastDim(lhs), rect));
      })
      .Case([&](LayerNormOp norm) {
        auto type = tensorOf(norm.getInput());
        return 2 * allReduce(extentOfDims(
                       type, dimsFrom(norm.getAxis(), type.getRank()), rect));
      })
      .Case([&](RMSNormOp norm) {
        auto type = tensorOf(norm.getInput());
        return allReduce(
            extentOfDims(type, dimsFrom(norm.getAxis(), type.getRank()), rect));
      })
      .Case([&](SoftmaxOp softmax) {
        auto type = tensorOf(softmax.getInput());
        int64_t axis = softmax.getAxis();
        if (axis < 0)
          axis += type.getRank();
        return 2 * allReduce(extentOfDims(type, {axis}, rect));
      })
      // Log-softmax over the vocabulary, then the mean over the positions.
      .Case([&](LossOp loss) {
        auto type = tensorOf(loss.getLogits());
        return 2 * allReduce(extentOfDims(type, {2}, rect)) +
               reduction(extentOfDims(type, {0, 1}, rect));
      })
      .Case([&](ReduceOp reduce) {
        auto type = tensorOf(reduce.getInput());
        SmallVector<int64_t> dims;
        for (int64_t axis : reduce.getAxes())
          dims.push_back(axis < 0 ? axis + type.getRank() : axis);
        return reduction(extentOfDims(type, dims, rect));
      })
      .Case<EmbeddingOp, ReshapeOp, TransposeOp, ConcatOp, SplitOp, SliceOp,
            GatherOp, BroadcastOp, RelayoutOp>(
          [&](Operation *) { return movement(); })
      .Default([](Operation *) { return 0.0; });
}

/// FMAs complete 2 FLOPs per lane and cycle; every other operation
/// (add, exp, max, compare) one.
static double flopsPerLaneCycle(Operation *op) {
  return isa<LinearOp, MatmulOp>(op) ? 2.0 : 1.0;
}

/// The busiest PE's share of the op's FLOPs, from the distribution of the
/// tensor the work is proportional to (the input of a reduction, else the
/// result); an undistributed op spreads evenly.
static double busiestPEFlops(Operation *op, const OpWork &work, RectAttr rect) {
  if (work.flops == 0 || op->getNumResults() == 0)
    return 0;
  // (The loss's work follows the logits, not its 0-d first result.)
  Value workTensor =
      isa<ReduceOp, LossOp>(op) ? op->getOperand(0) : op->getResult(0);
  auto type = tensorOf(workTensor);
  DistAttr dist = getDist(type);
  if (!dist || type.getNumElements() == 0)
    return work.flops / double(rect.getNumPEs());
  double perElement = work.flops / double(type.getNumElements());
  return perElement *
         double(elementsPerPE(type, dist, rect.getWidth(), rect.getHeight()));
}

/// Tokens at which computing with a streamed weight takes as long as
/// streaming it. The token dimensions (all result dimensions but the
/// features) are blocked over mesh axes: each PE computes `perPE` tokens
/// while `slots` token blocks run side by side, so compute time grows with
/// tokens only once every slot is busy. Without a distribution the work
/// spreads evenly and time is proportional to tokens.
static double tokensToKeepPace(Operation *op, const OpWork &work, RectAttr rect,
                               const OpTiming &timing) {
  if (timing.streamCycles <= 0 || timing.computeCycles <= 0 || work.tokens <= 0)
    return 0;
  auto type = tensorOf(op->getResult(0));
  DistAttr dist = getDist(type);
  if (!dist)
    return double(work.tokens) * timing.streamCycles / timing.computeCycles;
  double perPE = 1, slots = 1;
  for (int64_t i = 0; i + 1 < type.getRank(); ++i) {
    MeshAxis axis = dist.getAxes()[i];
    int64_t extent = axis == MeshAxis::X   ? rect.getWidth()
                     : axis == MeshAxis::Y ? rect.getHeight()
                                           : 1;
    perPE *= double((type.getDimSize(i) + extent - 1) / extent);
    slots *= double(extent);
  }
  return slots * perPE * timing.streamCycles / timing.computeCycles;
}

OpTiming wse::wafer::estimateTiming(Operation *op,
                                    const MachineDescription &machine,
                                    RectAttr rect) {
  OpTiming timing;
  if (isa<StreamOp, ParameterOp, ConstantOp>(op) || op->getNumResults() == 0)
    return timing;
  if (!rect)
    if (auto placed = dyn_cast<PlacedOp>(op))
      rect = placed.getPlacementRect();
  if (!rect)
    rect = RectAttr::get(op->getContext(), 0, 0, machine.width, machine.height);
  OpWork work = estimateWork(op);
  timing.numPEs = rect.getNumPEs();

  timing.computeCycles = busiestPEFlops(op, work, rect) /
                         (flopsPerLaneCycle(op) * machine.simdF32Lanes);

  for (Value operand : op->getOperands()) {
    if (!isa<RankedTensorType>(operand.getType()))
      continue;
    auto stream = operand.getDefiningOp<StreamOp>();
    if (!stream) {
      timing.activationBytesPerPE += bytesPerPE(operand, rect);
      continue;
    }
    auto type = tensorOf(operand);
    if (stream.getResident()) {
      timing.weightBytesPerPE += weightShareBytes(type, rect);
      continue;
    }
    timing.streamedBytes +=
        type.getNumElements() * elementBytes(type.getElementType());
    int64_t depth = stream.getDepth().value_or(kDefaultDepth);
    int64_t chunk = stream.getChunkBytes().value_or(
        std::min(minimalChunkBytes(type, rect), weightShareBytes(type, rect)));
    timing.weightBytesPerPE += depth * chunk;
  }
  for (Value result : op->getResults())
    timing.activationBytesPerPE += bytesPerPE(result, rect);
  timing.sramBytesPerPE = timing.activationBytesPerPE + timing.weightBytesPerPE;

  timing.streamCycles =
      double(timing.streamedBytes) / streamBytesPerCycle(machine, rect);
  timing.fabricCycles = fabricCycles(op, work, rect, machine);
  timing.rooflineCycles = std::max(timing.computeCycles, timing.streamCycles);
  timing.overheadCycles =
      machine.taskSwitchCycles + kSetupInstructions * machine.instrIssueCycles;
  timing.estimatedCycles =
      timing.rooflineCycles + timing.fabricCycles + timing.overheadCycles;
  timing.tokensToKeepPace = tokensToKeepPace(op, work, rect, timing);
  return timing;
}

static bool countsForSRAM(Operation *op) {
  auto placed = dyn_cast<PlacedOp>(op);
  return placed && !isa<ConstantOp>(op) && placed.getPlacementRect();
}

static void addToGroup(RectSRAM &group, Operation *op,
                       const MachineDescription &machine, RectAttr rect) {
  OpTiming t = estimateTiming(op, machine, rect);
  group.resident += t.weightBytesPerPE;
  ++group.ops;
  if (t.activationBytesPerPE > group.worstActivations) {
    group.worstActivations = t.activationBytesPerPE;
    group.worst = op;
  }
}

SmallVector<RectSRAM>
wse::wafer::pipelinedSRAMByRect(ArrayRef<Operation *> ops,
                                const MachineDescription &machine) {
  SmallVector<RectSRAM> groups;
  llvm::DenseMap<RectAttr, size_t> index;
  for (Operation *op : ops) {
    if (!countsForSRAM(op))
      continue;
    RectAttr rect = cast<PlacedOp>(op).getPlacementRect();
    auto [it, inserted] = index.try_emplace(rect, groups.size());
    if (inserted) {
      groups.emplace_back();
      groups.back().rect = rect;
    }
    addToGroup(groups[it->second], op, machine, rect);
  }
  return groups;
}

RectSRAM wse::wafer::pipelinedSRAMOn(ArrayRef<Operation *> ops,
                                     const MachineDescription &machine,
                                     RectAttr rect) {
  RectSRAM group;
  group.rect = rect;
  for (Operation *op : ops)
    if (countsForSRAM(op))
      addToGroup(group, op, machine, rect);
  return group;
}

//===- TrainingCost.cpp - The cost report's training-step figures ---------===//

#include "TrainingCost.h"

#include "dialects/wafer/Analysis/CostModel.h"
#include "dialects/wafer/Analysis/KeptActivations.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace wse::wafer;
namespace json = llvm::json;

static int64_t bytesOf(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  return type.getNumElements() * elementBytes(type.getElementType());
}

static double paceOf(const PhaseCost &a, const PhaseCost &b, int64_t tokens) {
  double compute = a.computeCycles + b.computeCycles;
  return compute > 0
             ? double(tokens) * (a.streamCycles + b.streamCycles) / compute
             : 0;
}

double TrainingCost::forwardTokensToKeepPace() const {
  return paceOf(phase[0], PhaseCost(), tokens);
}

double TrainingCost::backwardTokensToKeepPace() const {
  return paceOf(phase[2], phase[3], tokens);
}

static std::string describe(StoreOptimizerOp op, int64_t &paramBytes,
                            int64_t &stateBytes, ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << stringifyOptimizerKind(op.getKind()) << " lr "
     << op.getLr().convertToDouble();
  paramBytes = 0;
  for (auto ref : op.getParams().getAsRange<FlatSymbolRefAttr>())
    if (auto p = module.lookupSymbol<ParameterOp>(ref.getAttr()))
      paramBytes += p.getLength();
  bool momentum = op.getMomentum() && op.getMomentum()->convertToDouble() > 0;
  stateBytes = op.getKind() == OptimizerKind::adamw ? 2 * paramBytes
               : momentum                           ? paramBytes
                                                    : 0;
  return text;
}

std::optional<TrainingCost>
wse::wafer::measureTrainingStep(ModuleOp module,
                                const machine::MachineDescription &machine) {
  func::FuncOp step;
  for (auto f : module.getOps<func::FuncOp>())
    if (f->hasAttr(kTrainingStepAttrName))
      step = f;
  if (!step)
    return std::nullopt;
  TrainingCost cost;
  step.walk([&](Operation *op) {
    if (auto loss = dyn_cast<LossOp>(op))
      cost.tokens =
          cast<RankedTensorType>(loss.getLabels().getType()).getNumElements();
    if (auto out = dyn_cast<StreamOutOp>(op)) {
      ++cost.gradientStreams;
      cost.egressBytes += bytesOf(out.getGradient());
      if (out.getStartCycle()) {
        cost.egressCycles += double(*out.getEndCycle() - *out.getStartCycle());
        cost.lastEgressCycle =
            std::max(cost.lastEgressCycle, int64_t(*out.getEndCycle()));
      }
    }
    auto stepAttr = op->getAttrOfType<StepAttr>(kStepAttrName);
    if (!stepAttr || !isa<PlacedOp>(op) || isa<ConstantOp>(op))
      return;
    OpTiming t = estimateTiming(op, machine);
    PhaseCost &p = cost.phase[int(stepAttr.getPhase())];
    ++p.ops;
    p.flops += estimateWork(op).flops;
    p.computeCycles += t.computeCycles;
    p.streamCycles += t.streamCycles;
    p.estimatedCycles += t.estimatedCycles;
    p.streamedBytes += t.streamedBytes;
    cost.checkpoints += isa<CheckpointOp>(op);
  });
  for (auto [op, bytes] : keptActivationBytesPerPE(step))
    cost.keptBytesPerPE = std::max(cost.keptBytesPerPE, bytes);
  for (const PhaseCost &p : cost.phase)
    cost.stepCycles += p.estimatedCycles;
  cost.stepCycles = std::max(cost.stepCycles, double(cost.lastEgressCycle));
  for (auto opt : module.getOps<StoreOptimizerOp>())
    cost.optimizer =
        describe(opt, cost.trainedBytes, cost.optimizerStateBytes, module);
  return cost;
}

void wse::wafer::printTrainingCost(llvm::raw_ostream &os, const TrainingCost &c,
                                   const machine::MachineDescription &machine) {
  const char *names[] = {"forward", "loss", "recompute", "backward"};
  os << "training step:";
  for (int i = 0; i < 4; ++i)
    os << llvm::format(" %s %.4g cycles (%lld ops, %lld B streamed in)%s",
                       names[i], c.phase[i].estimatedCycles,
                       (long long)c.phase[i].ops,
                       (long long)c.phase[i].streamedBytes, i < 3 ? ";" : "");
  os << "\n";
  os << llvm::format(
      "gradients out: %lld streams, %lld B, egress busy %.4g cycles, last "
      "leaves at cycle %lld\n",
      (long long)c.gradientStreams, (long long)c.egressBytes, c.egressCycles,
      (long long)c.lastEgressCycle);
  os << llvm::format("step %.4g cycles = %.6f ms at %.3g GHz; tokens to keep "
                     "pace (step has %lld): forward %.0f, backward %.0f\n",
                     c.stepCycles, c.stepCycles / machine.clockHz * 1e3,
                     machine.clockHz / 1e9, (long long)c.tokens,
                     c.forwardTokensToKeepPace(), c.backwardTokensToKeepPace());
  os << llvm::format("checkpoints: %lld; kept for backward: at most %lld "
                     "B/PE; optimizer in the weight store: %s (state %lld "
                     "B)\n",
                     (long long)c.checkpoints, (long long)c.keptBytesPerPE,
                     c.optimizer.c_str(), (long long)c.optimizerStateBytes);
}

json::Value wse::wafer::toJSON(const TrainingCost &c,
                               const machine::MachineDescription &machine) {
  const char *names[] = {"forward", "loss", "recompute", "backward"};
  json::Object phases;
  for (int i = 0; i < 4; ++i)
    phases[names[i]] =
        json::Object{{"ops", c.phase[i].ops},
                     {"flops", c.phase[i].flops},
                     {"compute_cycles", c.phase[i].computeCycles},
                     {"stream_cycles", c.phase[i].streamCycles},
                     {"estimated_cycles", c.phase[i].estimatedCycles},
                     {"streamed_bytes", c.phase[i].streamedBytes}};
  return json::Object{
      {"phases", std::move(phases)},
      {"tokens", c.tokens},
      {"gradient_streams", c.gradientStreams},
      {"egress_bytes", c.egressBytes},
      {"egress_cycles", c.egressCycles},
      {"last_egress_cycle", c.lastEgressCycle},
      {"checkpoints", c.checkpoints},
      {"kept_bytes_per_pe", c.keptBytesPerPE},
      {"step_cycles", c.stepCycles},
      {"step_ms", c.stepCycles / machine.clockHz * 1e3},
      {"tokens_to_keep_pace",
       json::Object{{"forward", c.forwardTokensToKeepPace()},
                    {"backward", c.backwardTokensToKeepPace()}}},
      {"optimizer", c.optimizer},
      {"optimizer_state_bytes", c.optimizerStateBytes},
      {"trained_parameter_bytes", c.trainedBytes},
  };
}

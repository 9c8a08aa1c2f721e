//===- Optimizer.h - The weight store's optimizers --------------*- C++ -*-===//
//
// SGD and AdamW as the weight store applies them to a training step's
// accumulated gradients. Every formula follows torch 1.13's single-tensor
// implementations (torch.optim.SGD, torch.optim.AdamW) operation by
// operation in float32, as tools/wse-train/wse_optim.py does on the host,
// so the same gradients give the same weights bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_OPTIMIZER_H
#define WSE_EMU_OPTIMIZER_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wse::emu {

struct OptimizerConfig {
  enum class Kind { SGD, AdamW } kind = Kind::SGD;
  double momentum = 0, dampening = 0, weightDecay = 0;
  bool nesterov = false;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  /// Names of the state arrays one parameter keeps (sgd with momentum:
  /// momentum_buffer; adamw: exp_avg, exp_avg_sq).
  std::vector<std::string> stateNames() const;
  /// Bytes the store moves per weight to apply the step: the gradient
  /// read, the weight and every state array read and written.
  unsigned bytesPerWeight() const;
};

/// One parameter's weights and optimizer state. An empty state array is
/// one the optimizer has not made yet (before the first step).
struct ParamState {
  std::vector<float> weights;
  std::vector<std::vector<float>> state; ///< by OptimizerConfig::stateNames()
};

/// Applies one optimizer step with learning rate `lr` to `p` given its
/// gradient `g`; `step` counts steps including this one (AdamW's bias
/// correction).
void applyOptimizer(const OptimizerConfig &c, ParamState &p,
                    const std::vector<float> &g, double lr, uint64_t step);

/// torch.nn.utils.clip_grad_norm_ (norm 2): scales every gradient by
/// min(1, maxNorm / (total + 1e-6)) and returns the total norm. The norm
/// is summed in double (torch and numpy sum float32 in their own orders;
/// the totals agree to float32 rounding).
double clipGradNorm(std::vector<std::vector<float> *> &grads, double maxNorm);

} // namespace wse::emu

#endif

//===- Optimizer.cpp - SGD and AdamW in torch's float32 order -------------===//
//
// Each line mirrors a line of tools/wse-train/wse_optim.py: constants are
// computed in double (Python floats) and rounded to float32 once, as
// np.float32(...) does, and every array operation is one float32 operation.
// This file is compiled without floating-point contraction (CMakeLists) so
// no a * b + c becomes a fused multiply-add.
//
//===----------------------------------------------------------------------===//

#include "wse/Emu/Optimizer.h"

#include <cmath>

namespace wse::emu {

std::vector<std::string> OptimizerConfig::stateNames() const {
  if (kind == Kind::AdamW)
    return {"exp_avg", "exp_avg_sq"};
  return {"momentum_buffer"};
}

unsigned OptimizerConfig::bytesPerWeight() const {
  // Gradient read, weight read and written, each state array read and
  // written (SGD without momentum keeps none).
  unsigned arrays = kind == Kind::AdamW ? 2 : momentum != 0 ? 1 : 0;
  return 4 * (1 + 2 + 2 * arrays);
}

static void sgd(const OptimizerConfig &c, ParamState &p,
                const std::vector<float> &g, double lr) {
  const float wd = float(c.weightDecay), mom = float(c.momentum);
  const float keep = float(1 - c.dampening), negLr = float(-lr);
  std::vector<float> &w = p.weights;
  if (p.state.empty())
    p.state.resize(1);
  std::vector<float> &buf = p.state[0];
  bool first = buf.empty();
  if (c.momentum != 0 && first)
    buf.resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    float d = g[i];
    if (c.weightDecay != 0)
      d = d + wd * w[i];
    if (c.momentum != 0) {
      float b = first ? d : buf[i] * mom + keep * d;
      buf[i] = b;
      d = c.nesterov ? d + mom * b : b;
    }
    w[i] = w[i] + negLr * d;
  }
}

static void adamw(const OptimizerConfig &c, ParamState &p,
                  const std::vector<float> &g, double lr, uint64_t step) {
  double bc1 = 1 - std::pow(c.beta1, double(step));
  double bc2 = 1 - std::pow(c.beta2, double(step));
  const float decay = float(1 - lr * c.weightDecay);
  const float b1 = float(c.beta1), b2 = float(c.beta2);
  const float oneMinusB1 = float(1 - c.beta1), oneMinusB2 = float(1 - c.beta2);
  const float bc2Sqrt = float(std::sqrt(bc2)), eps = float(c.eps);
  const float negStep = float(-(lr / bc1));
  std::vector<float> &w = p.weights;
  p.state.resize(2);
  std::vector<float> &m = p.state[0], &v = p.state[1];
  m.resize(w.size(), 0.0f);
  v.resize(w.size(), 0.0f);
  for (size_t i = 0; i < w.size(); ++i) {
    float wi = w[i] * decay;
    m[i] = m[i] * b1 + oneMinusB1 * g[i];
    v[i] = v[i] * b2 + (oneMinusB2 * g[i]) * g[i];
    float denom = std::sqrt(v[i]) / bc2Sqrt + eps;
    w[i] = wi + negStep * (m[i] / denom);
  }
}

void applyOptimizer(const OptimizerConfig &c, ParamState &p,
                    const std::vector<float> &g, double lr, uint64_t step) {
  if (c.kind == OptimizerConfig::Kind::AdamW)
    adamw(c, p, g, lr, step);
  else
    sgd(c, p, g, lr);
}

double clipGradNorm(std::vector<std::vector<float> *> &grads, double maxNorm) {
  double sumSquares = 0;
  for (const std::vector<float> *g : grads) {
    double s = 0;
    for (float x : *g)
      s += double(x) * double(x);
    sumSquares += s;
  }
  float total = float(std::sqrt(sumSquares));
  float coef = std::min(float(maxNorm) / (total + float(1e-6)), 1.0f);
  for (std::vector<float> *g : grads)
    for (float &x : *g)
      x = x * coef;
  return total;
}

} // namespace wse::emu

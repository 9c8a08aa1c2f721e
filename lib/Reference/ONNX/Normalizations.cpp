//===- Normalizations.cpp - Softmax, LayerNorm, RMSNorm -------------------===//
//
// All in fp32 whatever the input precision (LayerNormalization's stash_type
// 1), rounded once to the result type. Softmax subtracts the row maximum
// first, so large logits (and the finfo.min masks of decoders) do not
// overflow exp.
//
//===----------------------------------------------------------------------===//

#include "wse/Reference/Kernels.h"

#include <cmath>
#include <limits>

using namespace wse::ref;

llvm::Expected<Tensor> wse::ref::softmax(const Tensor &x, int64_t axis,
                                         bool log) {
  if (!x.isFloat())
    return makeError("expects a float operand");
  auto ax = normalizeAxis(axis, x.rank());
  if (!ax)
    return ax.takeError();
  int64_t d = x.shape[*ax];
  int64_t outer = numElements(llvm::ArrayRef(x.shape).take_front(*ax));
  int64_t inner = numElements(llvm::ArrayRef(x.shape).drop_front(*ax + 1));
  Tensor r(x.dtype, x.shape);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      auto at = [&](int64_t s) { return (o * d + s) * inner + in; };
      float mx = -std::numeric_limits<float>::infinity();
      for (int64_t s = 0; s < d; ++s)
        mx = std::max(mx, x.f[at(s)]);
      float sum = 0.0f;
      for (int64_t s = 0; s < d; ++s)
        sum += std::exp(x.f[at(s)] - mx);
      float logSum = std::log(sum);
      for (int64_t s = 0; s < d; ++s) {
        float v =
            log ? x.f[at(s)] - mx - logSum : std::exp(x.f[at(s)] - mx) / sum;
        r.f[at(s)] = roundFloat(v, x.dtype);
      }
    }
  return r;
}

/// Shared by LayerNorm and RMSNorm: applies `normalize(row, size)` to each
/// contiguous group of dimensions [axis, rank), then scale (and bias), both
/// broadcast to x's shape.
template <typename Fn>
static llvm::Expected<Tensor>
normalizeRows(const Tensor &x, const Tensor &scale, const Tensor *bias,
              int64_t axis, Fn normalize) {
  if (!x.isFloat() || scale.dtype != x.dtype ||
      (bias && bias->dtype != x.dtype))
    return makeError("input, scale and bias must share one float type");
  auto ax = normalizeAxis(axis, x.rank());
  if (!ax)
    return ax.takeError();
  auto check = [&](const Tensor &t, llvm::StringRef what) -> llvm::Error {
    auto b = broadcastShapes(t.shape, x.shape);
    if (!b || *b != x.shape) {
      if (!b)
        llvm::consumeError(b.takeError());
      return makeError(what + " of shape " + shapeString(t.shape) +
                       " does not broadcast to " + shapeString(x.shape));
    }
    return llvm::Error::success();
  };
  if (auto err = check(scale, "scale"))
    return std::move(err);
  if (bias)
    if (auto err = check(*bias, "bias"))
      return std::move(err);
  std::vector<int64_t> is = broadcastIndices(scale.shape, x.shape);
  std::vector<int64_t> ib;
  if (bias)
    ib = broadcastIndices(bias->shape, x.shape);
  int64_t size = numElements(llvm::ArrayRef(x.shape).drop_front(*ax));
  int64_t rows = size ? x.numElements() / size : 0;
  Tensor r(x.dtype, x.shape);
  std::vector<float> row(size);
  for (int64_t q = 0; q < rows; ++q) {
    std::copy(x.f.begin() + q * size, x.f.begin() + (q + 1) * size,
              row.begin());
    normalize(row);
    for (int64_t s = 0; s < size; ++s) {
      int64_t e = q * size + s;
      float v = row[s] * scale.f[is[e]];
      if (bias)
        v += bias->f[ib[e]];
      r.f[e] = roundFloat(v, x.dtype);
    }
  }
  return r;
}

llvm::Expected<Tensor> wse::ref::layerNorm(const Tensor &x, const Tensor &scale,
                                           const Tensor *bias, int64_t axis,
                                           float epsilon) {
  return normalizeRows(x, scale, bias, axis, [&](std::vector<float> &row) {
    float n = static_cast<float>(row.size());
    float mean = 0.0f;
    for (float v : row)
      mean += v;
    mean /= n;
    float var = 0.0f;
    for (float v : row)
      var += (v - mean) * (v - mean);
    var /= n;
    float inv = 1.0f / std::sqrt(var + epsilon);
    for (float &v : row)
      v = (v - mean) * inv;
  });
}

llvm::Expected<Tensor> wse::ref::rmsNorm(const Tensor &x, const Tensor &scale,
                                         int64_t axis, float epsilon) {
  return normalizeRows(x, scale, nullptr, axis, [&](std::vector<float> &row) {
    float sq = 0.0f;
    for (float v : row)
      sq += v * v;
    float inv = 1.0f / std::sqrt(sq / static_cast<float>(row.size()) + epsilon);
    for (float &v : row)
      v = v * inv;
  });
}

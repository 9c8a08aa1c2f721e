//===- Reductions.cpp - ReduceMean/Sum/Max and CumSum ---------------------===//
//
// Sums accumulate in fp32 (int64 for integers) in row-major input order.
//
//===----------------------------------------------------------------------===//

#include "wse/Reference/Kernels.h"

#include <cmath>
#include <limits>

using namespace wse::ref;

llvm::Expected<Tensor>
wse::ref::reduce(ReduceKind kind, const Tensor &x,
                 std::optional<llvm::ArrayRef<int64_t>> axes, bool keepDims,
                 bool noopWithEmptyAxes) {
  std::vector<bool> reduced(x.rank(), false);
  if (!axes || axes->empty()) {
    // Empty axes: identity if noop_with_empty_axes, else all dimensions.
    if (noopWithEmptyAxes)
      return x;
    reduced.assign(x.rank(), true);
  } else {
    for (int64_t a : *axes) {
      auto ax = normalizeAxis(a, x.rank());
      if (!ax)
        return ax.takeError();
      reduced[*ax] = true;
    }
  }
  std::vector<int64_t> keepShape = x.shape, outShape;
  int64_t count = 1;
  for (int64_t k = 0; k < x.rank(); ++k) {
    if (reduced[k]) {
      count *= x.shape[k];
      keepShape[k] = 1;
      if (keepDims)
        outShape.push_back(1);
    } else {
      outShape.push_back(x.shape[k]);
    }
  }
  if (kind == ReduceKind::Max && count == 0)
    return makeError("ReduceMax over an empty set");
  // For every input element, the output element it contributes to.
  std::vector<int64_t> dst = broadcastIndices(keepShape, x.shape);
  Tensor r(x.dtype, outShape);
  int64_t n = x.numElements(), outN = r.numElements();
  if (x.isFloat()) {
    std::vector<float> acc(outN, kind == ReduceKind::Max
                                     ? -std::numeric_limits<float>::infinity()
                                     : 0.0f);
    for (int64_t e = 0; e < n; ++e) {
      float v = x.f[e];
      float &a = acc[dst[e]];
      if (kind == ReduceKind::Max)
        a = (std::isnan(v) || v > a) ? v : a;
      else
        a += v;
    }
    for (int64_t o = 0; o < outN; ++o) {
      float v = acc[o];
      if (kind == ReduceKind::Mean)
        v /= static_cast<float>(count);
      r.f[o] = roundFloat(v, x.dtype);
    }
    return r;
  }
  std::vector<int64_t> acc(
      outN, kind == ReduceKind::Max ? std::numeric_limits<int64_t>::min() : 0);
  for (int64_t e = 0; e < n; ++e) {
    int64_t v = x.i[e];
    int64_t &a = acc[dst[e]];
    a = kind == ReduceKind::Max
            ? std::max(a, v)
            : static_cast<int64_t>(static_cast<uint64_t>(a) +
                                   static_cast<uint64_t>(v));
  }
  for (int64_t o = 0; o < outN; ++o) {
    int64_t v = acc[o];
    if (kind == ReduceKind::Mean)
      v = count ? v / count : 0;
    r.i[o] = wrapInt(v, x.dtype);
  }
  return r;
}

llvm::Expected<Tensor> wse::ref::cumsum(const Tensor &x, int64_t axis,
                                        bool exclusive, bool reverse) {
  auto ax = normalizeAxis(axis, x.rank());
  if (!ax)
    return ax.takeError();
  int64_t d = x.shape[*ax];
  int64_t outer = numElements(llvm::ArrayRef(x.shape).take_front(*ax));
  int64_t inner = numElements(llvm::ArrayRef(x.shape).drop_front(*ax + 1));
  Tensor r(x.dtype, x.shape);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      float fAcc = 0.0f;
      uint64_t iAcc = 0;
      for (int64_t s = 0; s < d; ++s) {
        int64_t pos = reverse ? d - 1 - s : s;
        int64_t e = (o * d + pos) * inner + in;
        // Exclusive: the running sum before adding this element.
        if (x.isFloat()) {
          if (!exclusive)
            fAcc += x.f[e];
          r.f[e] = roundFloat(fAcc, x.dtype);
          if (exclusive)
            fAcc += x.f[e];
        } else {
          if (!exclusive)
            iAcc += static_cast<uint64_t>(x.i[e]);
          r.i[e] = wrapInt(static_cast<int64_t>(iAcc), x.dtype);
          if (exclusive)
            iAcc += static_cast<uint64_t>(x.i[e]);
        }
      }
    }
  return r;
}

//===- LinearAlgebra.cpp - MatMul and Gemm --------------------------------===//
//
// Dot products accumulate in the operand domain (fp32 for floats, wrapping
// int64 for integers) in increasing k order, so the result is deterministic
// and reproducible by any fp32 kernel that sums in the same order.
//
//===----------------------------------------------------------------------===//

#include "wse/Reference/Kernels.h"

using namespace wse::ref;

llvm::Expected<Tensor> wse::ref::matmul(const Tensor &a, const Tensor &b) {
  if (a.dtype != b.dtype)
    return makeError("operand element types differ: " + dtypeName(a.dtype) +
                     " vs " + dtypeName(b.dtype));
  if (a.rank() == 0 || b.rank() == 0)
    return makeError("operands must have rank >= 1");
  // numpy: a 1-D lhs is a row vector, a 1-D rhs a column vector; the added
  // dimension is dropped from the result.
  std::vector<int64_t> as = a.shape, bs = b.shape;
  bool aVec = as.size() == 1, bVec = bs.size() == 1;
  if (aVec)
    as.insert(as.begin(), 1);
  if (bVec)
    bs.push_back(1);
  int64_t m = as[as.size() - 2], k = as.back();
  int64_t kb = bs[bs.size() - 2], n = bs.back();
  if (k != kb)
    return makeError("contraction dimensions differ: " + shapeString(a.shape) +
                     " x " + shapeString(b.shape));
  llvm::ArrayRef<int64_t> aBatch = llvm::ArrayRef(as).drop_back(2);
  llvm::ArrayRef<int64_t> bBatch = llvm::ArrayRef(bs).drop_back(2);
  auto batch = broadcastShapes(aBatch, bBatch);
  if (!batch)
    return batch.takeError();
  std::vector<int64_t> ia = broadcastIndices(aBatch, *batch);
  std::vector<int64_t> ib = broadcastIndices(bBatch, *batch);

  std::vector<int64_t> outShape = *batch;
  if (!aVec)
    outShape.push_back(m);
  if (!bVec)
    outShape.push_back(n);
  if (auto err = checkAllocatable(outShape))
    return std::move(err);
  Tensor r(a.dtype, outShape);
  int64_t batches = numElements(*batch);
  for (int64_t p = 0; p < batches; ++p) {
    int64_t aOff = ia[p] * m * k, bOff = ib[p] * k * n, rOff = p * m * n;
    for (int64_t row = 0; row < m; ++row)
      for (int64_t col = 0; col < n; ++col) {
        if (r.isFloat()) {
          float acc = 0.0f;
          for (int64_t q = 0; q < k; ++q)
            acc += a.f[aOff + row * k + q] * b.f[bOff + q * n + col];
          r.f[rOff + row * n + col] = roundFloat(acc, r.dtype);
        } else {
          uint64_t acc = 0;
          for (int64_t q = 0; q < k; ++q)
            acc += static_cast<uint64_t>(a.i[aOff + row * k + q]) *
                   static_cast<uint64_t>(b.i[bOff + q * n + col]);
          r.i[rOff + row * n + col] =
              wrapInt(static_cast<int64_t>(acc), r.dtype);
        }
      }
  }
  return r;
}

llvm::Expected<Tensor> wse::ref::gemm(const Tensor &a, const Tensor &b,
                                      const Tensor *c, float alpha, float beta,
                                      bool transA, bool transB) {
  if (!a.isFloat() || a.dtype != b.dtype || (c && c->dtype != a.dtype))
    return makeError("operands must share one float element type");
  if (a.rank() != 2 || b.rank() != 2)
    return makeError("A and B must be 2-D, got " + shapeString(a.shape) +
                     " and " + shapeString(b.shape));
  int64_t m = transA ? a.shape[1] : a.shape[0];
  int64_t k = transA ? a.shape[0] : a.shape[1];
  int64_t kb = transB ? b.shape[1] : b.shape[0];
  int64_t n = transB ? b.shape[0] : b.shape[1];
  if (k != kb)
    return makeError("contraction dimensions differ: op(A) is " +
                     llvm::Twine(m) + "x" + llvm::Twine(k) + ", op(B) is " +
                     llvm::Twine(kb) + "x" + llvm::Twine(n));
  std::vector<int64_t> outShape = {m, n};
  if (auto err = checkAllocatable(outShape))
    return std::move(err);
  std::vector<int64_t> ic;
  if (c) {
    // C broadcasts unidirectionally to (M, N).
    auto bc = broadcastShapes(c->shape, outShape);
    if (!bc || *bc != outShape) {
      if (!bc)
        llvm::consumeError(bc.takeError());
      return makeError("C of shape " + shapeString(c->shape) +
                       " does not broadcast to " + shapeString(outShape));
    }
    ic = broadcastIndices(c->shape, outShape);
  }
  Tensor r(a.dtype, outShape);
  for (int64_t row = 0; row < m; ++row)
    for (int64_t col = 0; col < n; ++col) {
      float acc = 0.0f;
      for (int64_t q = 0; q < k; ++q) {
        float x = transA ? a.f[q * a.shape[1] + row] : a.f[row * k + q];
        float y = transB ? b.f[col * b.shape[1] + q] : b.f[q * n + col];
        acc += x * y;
      }
      float v = alpha * acc;
      if (c)
        v += beta * c->f[ic[row * n + col]];
      r.f[row * n + col] = roundFloat(v, r.dtype);
    }
  return r;
}

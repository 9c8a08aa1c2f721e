//===- ShapeOps.cpp - Shape computations and data movement ----------------===//
//
// Ops that only move elements (Reshape...Tile, Trilu's masking) and the ops
// that compute shapes (Shape, Range, ConstantOfShape). Index checks follow
// the ONNX spec: out-of-range Gather indices and bad axes are errors, Slice
// bounds are clamped.
//
//===----------------------------------------------------------------------===//

#include "wse/Reference/Kernels.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace wse::ref;

/// `what` (a result shape, a range) has more elements than results may.
static llvm::Error overLimit(const llvm::Twine &what) {
  return makeError(what + " has more than the " +
                   llvm::Twine(kMaxComputedElements) +
                   " elements (2^28) the reference interpreter computes");
}

llvm::Error wse::ref::checkAllocatable(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0)
      return makeError("negative dimension in " + shapeString(shape));
  for (int64_t d : shape) {
    if (d && n > kMaxComputedElements / d)
      return overLimit("result shape " + shapeString(shape));
    n *= d;
  }
  return llvm::Error::success();
}

/// Copies element `si` of `src` into element `di` of `dst` (same domain).
static inline void copyElem(Tensor &dst, int64_t di, const Tensor &src,
                            int64_t si) {
  if (dst.isFloat())
    dst.f[di] = src.f[si];
  else
    dst.i[di] = src.i[si];
}

/// The values of a 1-D (or scalar) integer tensor such as a shape vector.
static llvm::Expected<std::vector<int64_t>> intVector(const Tensor &t,
                                                      llvm::StringRef what) {
  if (t.isFloat() || t.rank() > 1)
    return makeError(what + " must be a 1-D integer tensor, got " +
                     shapeString(t.shape) + "x" + dtypeName(t.dtype));
  return t.i;
}

/// Gathers `x` at the input positions produced by `indexOf` for each output
/// element (row-major over `outShape`), given the output multi-index.
template <typename Fn>
static Tensor gatherBy(const Tensor &x, llvm::ArrayRef<int64_t> outShape,
                       Fn indexOf) {
  Tensor r(x.dtype, outShape);
  int64_t n = r.numElements();
  std::vector<int64_t> idx(outShape.size(), 0);
  for (int64_t e = 0; e < n; ++e) {
    copyElem(r, e, x, indexOf(idx));
    for (int64_t k = static_cast<int64_t>(outShape.size()) - 1; k >= 0; --k) {
      if (++idx[k] < outShape[k])
        break;
      idx[k] = 0;
    }
  }
  return r;
}

llvm::Expected<Tensor> wse::ref::reshape(const Tensor &x, const Tensor &shape,
                                         bool allowZero) {
  auto dims = intVector(shape, "shape");
  if (!dims)
    return dims.takeError();
  std::vector<int64_t> out = *dims;
  int64_t inferred = -1, known = 1;
  bool hasZero = false;
  for (size_t k = 0; k < out.size(); ++k) {
    if (out[k] == -1) {
      if (inferred >= 0)
        return makeError("shape has more than one -1");
      inferred = k;
      continue;
    }
    if (out[k] == 0) {
      hasZero = true;
      if (!allowZero) {
        // 0 copies the input's dimension at the same index.
        if (static_cast<int64_t>(k) >= x.rank())
          return makeError("shape entry " + llvm::Twine(k) +
                           " is 0 but the input has rank " +
                           llvm::Twine(x.rank()));
        out[k] = x.shape[k];
      }
    } else if (out[k] < -1) {
      return makeError("shape entry " + llvm::Twine(out[k]) + " is invalid");
    }
    known *= out[k];
  }
  if (allowZero && hasZero && inferred >= 0)
    return makeError("allowzero shape has both 0 and -1");
  if (inferred >= 0) {
    if (known == 0 || x.numElements() % known)
      return makeError("cannot infer -1: " + llvm::Twine(x.numElements()) +
                       " elements into " + shapeString(*dims));
    out[inferred] = x.numElements() / known;
  }
  if (numElements(out) != x.numElements())
    return makeError("cannot reshape " + shapeString(x.shape) + " to " +
                     shapeString(out));
  Tensor r = x;
  r.shape = out;
  return r;
}

llvm::Expected<Tensor> wse::ref::transpose(const Tensor &x,
                                           llvm::ArrayRef<int64_t> perm) {
  if (static_cast<int64_t>(perm.size()) != x.rank())
    return makeError("perm has " + llvm::Twine(perm.size()) +
                     " entries for rank " + llvm::Twine(x.rank()));
  std::vector<bool> seen(perm.size(), false);
  std::vector<int64_t> out(perm.size());
  for (size_t k = 0; k < perm.size(); ++k) {
    if (perm[k] < 0 || perm[k] >= x.rank() || seen[perm[k]])
      return makeError("perm is not a permutation");
    seen[perm[k]] = true;
    out[k] = x.shape[perm[k]];
  }
  std::vector<int64_t> strides = stridesOf(x.shape);
  return gatherBy(x, out, [&](llvm::ArrayRef<int64_t> idx) {
    int64_t off = 0;
    for (size_t k = 0; k < idx.size(); ++k)
      off += idx[k] * strides[perm[k]];
    return off;
  });
}

llvm::Expected<Tensor> wse::ref::squeeze(const Tensor &x,
                                         llvm::ArrayRef<int64_t> axes) {
  std::vector<bool> drop(x.rank(), false);
  if (axes.empty()) {
    // No axes: every size-1 dimension (ONNX's absent-axes form).
    for (int64_t k = 0; k < x.rank(); ++k)
      drop[k] = x.shape[k] == 1;
  }
  for (int64_t a : axes) {
    auto ax = normalizeAxis(a, x.rank());
    if (!ax)
      return ax.takeError();
    if (x.shape[*ax] != 1)
      return makeError("cannot squeeze axis " + llvm::Twine(a) + " of size " +
                       llvm::Twine(x.shape[*ax]));
    drop[*ax] = true;
  }
  Tensor r = x;
  r.shape.clear();
  for (int64_t k = 0; k < x.rank(); ++k)
    if (!drop[k])
      r.shape.push_back(x.shape[k]);
  return r;
}

llvm::Expected<Tensor> wse::ref::unsqueeze(const Tensor &x,
                                           llvm::ArrayRef<int64_t> axes) {
  int64_t outRank = x.rank() + static_cast<int64_t>(axes.size());
  std::vector<bool> inserted(outRank, false);
  for (int64_t a : axes) {
    auto ax = normalizeAxis(a, outRank);
    if (!ax)
      return ax.takeError();
    if (inserted[*ax])
      return makeError("axis " + llvm::Twine(a) + " repeats");
    inserted[*ax] = true;
  }
  Tensor r = x;
  r.shape.clear();
  for (int64_t k = 0, src = 0; k < outRank; ++k)
    r.shape.push_back(inserted[k] ? 1 : x.shape[src++]);
  return r;
}

llvm::Expected<Tensor> wse::ref::concat(llvm::ArrayRef<const Tensor *> xs,
                                        int64_t axis) {
  if (xs.empty())
    return makeError("needs at least one input");
  const Tensor &first = *xs.front();
  auto ax = normalizeAxis(axis, first.rank());
  if (!ax)
    return ax.takeError();
  std::vector<int64_t> out = first.shape;
  out[*ax] = 0;
  for (const Tensor *t : xs) {
    if (t->dtype != first.dtype || t->rank() != first.rank())
      return makeError("inputs differ in element type or rank");
    for (int64_t k = 0; k < first.rank(); ++k)
      if (k != *ax && t->shape[k] != first.shape[k])
        return makeError("input shapes " + shapeString(first.shape) + " and " +
                         shapeString(t->shape) + " differ off axis " +
                         llvm::Twine(*ax));
    out[*ax] += t->shape[*ax];
  }
  if (auto err = checkAllocatable(out))
    return std::move(err);
  Tensor r(first.dtype, out);
  // Outer = product of dims before the axis; each input contributes a
  // contiguous block of shape[axis] * inner elements per outer index.
  int64_t outer = numElements(llvm::ArrayRef(out).take_front(*ax));
  int64_t inner = numElements(llvm::ArrayRef(out).drop_front(*ax + 1));
  int64_t dst = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : xs) {
      int64_t block = t->shape[*ax] * inner;
      for (int64_t e = 0; e < block; ++e)
        copyElem(r, dst++, *t, o * block + e);
    }
  return r;
}

llvm::Expected<std::vector<Tensor>>
wse::ref::split(const Tensor &x, int64_t axis, llvm::ArrayRef<int64_t> sizes,
                size_t numOutputs) {
  auto ax = normalizeAxis(axis, x.rank());
  if (!ax)
    return ax.takeError();
  int64_t dim = x.shape[*ax];
  std::vector<int64_t> pieces(sizes.begin(), sizes.end());
  if (pieces.empty()) {
    if (numOutputs == 0)
      return makeError("needs at least one output");
    int64_t n = static_cast<int64_t>(numOutputs);
    int64_t chunk = (dim + n - 1) / n;
    for (int64_t k = 0; k < n; ++k)
      pieces.push_back(std::max<int64_t>(0, std::min(chunk, dim - k * chunk)));
  }
  if (pieces.size() != numOutputs)
    return makeError("split has " + llvm::Twine(pieces.size()) + " sizes for " +
                     llvm::Twine(numOutputs) + " results");
  int64_t total = 0;
  for (int64_t p : pieces) {
    if (p < 0)
      return makeError("negative split size");
    total += p;
  }
  if (total != dim)
    return makeError("split sizes sum to " + llvm::Twine(total) +
                     ", axis has " + llvm::Twine(dim));
  std::vector<Tensor> out;
  int64_t outer = numElements(llvm::ArrayRef(x.shape).take_front(*ax));
  int64_t inner = numElements(llvm::ArrayRef(x.shape).drop_front(*ax + 1));
  int64_t begin = 0;
  for (int64_t p : pieces) {
    std::vector<int64_t> shape = x.shape;
    shape[*ax] = p;
    Tensor r(x.dtype, shape);
    int64_t dst = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t e = 0; e < p * inner; ++e)
        copyElem(r, dst++, x, (o * dim + begin) * inner + e);
    begin += p;
    out.push_back(std::move(r));
  }
  return out;
}

llvm::Expected<Tensor> wse::ref::slice(const Tensor &x, const Tensor &starts,
                                       const Tensor &ends, const Tensor &axes,
                                       const Tensor &steps) {
  auto s = intVector(starts, "starts"), e = intVector(ends, "ends"),
       a = intVector(axes, "axes"), st = intVector(steps, "steps");
  if (!s)
    return s.takeError();
  if (!e)
    return e.takeError();
  if (!a)
    return a.takeError();
  if (!st)
    return st.takeError();
  size_t n = s->size();
  if (e->size() != n || a->size() != n || st->size() != n)
    return makeError("starts, ends, axes and steps differ in length");
  std::vector<int64_t> begin(x.rank(), 0), step(x.rank(), 1), out = x.shape;
  std::vector<bool> seen(x.rank(), false);
  for (size_t k = 0; k < n; ++k) {
    auto ax = normalizeAxis((*a)[k], x.rank());
    if (!ax)
      return ax.takeError();
    if (seen[*ax])
      return makeError("axis " + llvm::Twine((*a)[k]) + " repeats");
    seen[*ax] = true;
    int64_t d = x.shape[*ax], sp = (*st)[k];
    if (sp == 0)
      return makeError("step is 0");
    int64_t b = (*s)[k], en = (*e)[k];
    // Negative bounds count from the end; then clamp to [0, d] (positive
    // step) or [-1, d-1] (negative step), so INT64_MIN/MAX mean "to the end".
    if (b < 0)
      b += d;
    if (en < 0)
      en += d;
    if (sp > 0) {
      b = std::clamp<int64_t>(b, 0, d);
      en = std::clamp<int64_t>(en, 0, d);
      out[*ax] = en > b ? (en - b + sp - 1) / sp : 0;
    } else {
      b = std::clamp<int64_t>(b, 0, d - 1);
      en = std::clamp<int64_t>(en, -1, d - 1);
      out[*ax] = b > en ? (b - en + (-sp) - 1) / (-sp) : 0;
    }
    begin[*ax] = b;
    step[*ax] = sp;
  }
  std::vector<int64_t> strides = stridesOf(x.shape);
  return gatherBy(x, out, [&](llvm::ArrayRef<int64_t> idx) {
    int64_t off = 0;
    for (size_t k = 0; k < idx.size(); ++k)
      off += (begin[k] + idx[k] * step[k]) * strides[k];
    return off;
  });
}

llvm::Expected<Tensor> wse::ref::gather(const Tensor &x, const Tensor &indices,
                                        int64_t axis) {
  if (indices.isFloat())
    return makeError("indices must be integers");
  auto ax = normalizeAxis(axis, x.rank());
  if (!ax)
    return ax.takeError();
  int64_t d = x.shape[*ax];
  std::vector<int64_t> out(x.shape.begin(), x.shape.begin() + *ax);
  out.insert(out.end(), indices.shape.begin(), indices.shape.end());
  out.insert(out.end(), x.shape.begin() + *ax + 1, x.shape.end());
  int64_t outer = numElements(llvm::ArrayRef(x.shape).take_front(*ax));
  int64_t inner = numElements(llvm::ArrayRef(x.shape).drop_front(*ax + 1));
  int64_t count = indices.numElements();
  if (auto err = checkAllocatable(out))
    return std::move(err);
  Tensor r(x.dtype, out);
  int64_t dst = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t q = 0; q < count; ++q) {
      int64_t idx = indices.i[q];
      if (idx < -d || idx >= d)
        return makeError("index " + llvm::Twine(idx) +
                         " is out of range for axis of size " + llvm::Twine(d));
      if (idx < 0)
        idx += d;
      for (int64_t e = 0; e < inner; ++e)
        copyElem(r, dst++, x, (o * d + idx) * inner + e);
    }
  return r;
}

llvm::Expected<Tensor> wse::ref::expand(const Tensor &x, const Tensor &shape) {
  auto dims = intVector(shape, "shape");
  if (!dims)
    return dims.takeError();
  // Bidirectional: the shape vector may itself have 1s where x is larger.
  auto out = broadcastShapes(x.shape, *dims);
  if (!out)
    return out.takeError();
  if (auto err = checkAllocatable(*out))
    return std::move(err);
  std::vector<int64_t> ix = broadcastIndices(x.shape, *out);
  Tensor r(x.dtype, *out);
  for (int64_t e = 0, n = r.numElements(); e < n; ++e)
    copyElem(r, e, x, ix[e]);
  return r;
}

llvm::Expected<Tensor> wse::ref::tile(const Tensor &x, const Tensor &repeats) {
  auto reps = intVector(repeats, "repeats");
  if (!reps)
    return reps.takeError();
  if (static_cast<int64_t>(reps->size()) != x.rank())
    return makeError("repeats has " + llvm::Twine(reps->size()) +
                     " entries for rank " + llvm::Twine(x.rank()));
  std::vector<int64_t> out = x.shape;
  for (size_t k = 0; k < out.size(); ++k) {
    if ((*reps)[k] < 0)
      return makeError("negative repeat");
    // (The product overflowed int64 before it was checked.)
    if (llvm::MulOverflow(out[k], (*reps)[k], out[k]) ||
        out[k] > kMaxComputedElements)
      return overLimit("dimension " + llvm::Twine(k) + " of the result (" +
                       llvm::Twine(x.shape[k]) + " repeated " +
                       llvm::Twine((*reps)[k]) + " times)");
  }
  if (auto err = checkAllocatable(out))
    return std::move(err);
  std::vector<int64_t> strides = stridesOf(x.shape);
  return gatherBy(x, out, [&](llvm::ArrayRef<int64_t> idx) {
    int64_t off = 0;
    for (size_t k = 0; k < idx.size(); ++k)
      off += (idx[k] % x.shape[k]) * strides[k];
    return off;
  });
}

llvm::Expected<Tensor> wse::ref::shapeOf(const Tensor &x, int64_t start,
                                         std::optional<int64_t> end) {
  int64_t r = x.rank();
  // Shape's start/end clamp instead of failing (opset 15).
  auto clampDim = [r](int64_t v) {
    if (v < 0)
      v += r;
    return std::clamp<int64_t>(v, 0, r);
  };
  int64_t b = clampDim(start), e = end ? clampDim(*end) : r;
  std::vector<int64_t> dims;
  for (int64_t k = b; k < e; ++k)
    dims.push_back(x.shape[k]);
  Tensor t(DType::I64, {static_cast<int64_t>(dims.size())});
  t.i = dims;
  return t;
}

llvm::Expected<Tensor> wse::ref::range(const Tensor &start, const Tensor &limit,
                                       const Tensor &delta) {
  if (start.numElements() != 1 || limit.numElements() != 1 ||
      delta.numElements() != 1)
    return makeError("start, limit and delta must be scalars");
  if (start.dtype != limit.dtype || start.dtype != delta.dtype)
    return makeError("start, limit and delta differ in element type");
  if (start.isFloat()) {
    float s = start.f[0], l = limit.f[0], d = delta.f[0];
    if (d == 0.0f)
      return makeError("delta is 0");
    // The count in double, as onnxruntime and shape inference compute it (in
    // fp32, 0.3f / 0.1f would round down to 3 and the result would disagree
    // with the static type the onnx passes infer).
    double count = std::max(
        std::ceil((static_cast<double>(l) - s) / static_cast<double>(d)), 0.0);
    if (std::isnan(count))
      return makeError("start, limit or delta is NaN");
    if (count > static_cast<double>(kMaxComputedElements))
      return overLimit("the range of " +
                       (count < 0x1p63
                            ? std::to_string(static_cast<int64_t>(count))
                            : std::string("2^63 or more")) +
                       " values");
    auto n = static_cast<int64_t>(count);
    Tensor r(start.dtype, {n});
    for (int64_t k = 0; k < n; ++k)
      r.f[k] = roundFloat(s + k * d, start.dtype);
    return r;
  }
  int64_t s = start.i[0], l = limit.i[0], d = delta.i[0];
  if (d == 0)
    return makeError("delta is 0");
  // The span and the steps in uint64: exact where int64 would overflow
  // (e.g. from INT64_MIN), and the values wrap like repeated Add.
  auto us = static_cast<uint64_t>(s), ul = static_cast<uint64_t>(l),
       ud = static_cast<uint64_t>(d);
  uint64_t count = 0;
  if (d > 0 && l > s)
    count = (ul - us - 1) / ud + 1;
  else if (d < 0 && s > l)
    count = (us - ul - 1) / (0 - ud) + 1;
  if (count > static_cast<uint64_t>(kMaxComputedElements))
    return overLimit("the range of " + llvm::Twine(count) + " values");
  auto n = static_cast<int64_t>(count);
  Tensor r(start.dtype, {n});
  for (int64_t k = 0; k < n; ++k)
    r.i[k] = wrapInt(static_cast<int64_t>(us + static_cast<uint64_t>(k) * ud),
                     start.dtype);
  return r;
}

llvm::Expected<Tensor> wse::ref::constantOfShape(const Tensor &shape,
                                                 const Tensor &value) {
  auto dims = intVector(shape, "shape");
  if (!dims)
    return dims.takeError();
  if (auto err = checkAllocatable(*dims))
    return std::move(err);
  if (value.numElements() != 1)
    return makeError("value must have one element");
  Tensor r(value.dtype, *dims);
  if (r.isFloat())
    std::fill(r.f.begin(), r.f.end(), value.f[0]);
  else
    std::fill(r.i.begin(), r.i.end(), value.i[0]);
  return r;
}

llvm::Expected<Tensor> wse::ref::trilu(const Tensor &x, int64_t k, bool upper) {
  if (x.rank() < 2)
    return makeError("input must have rank >= 2");
  int64_t rows = x.shape[x.rank() - 2], cols = x.shape.back();
  Tensor r = x;
  int64_t n = x.numElements();
  for (int64_t e = 0; e < n; ++e) {
    int64_t col = e % cols, row = (e / cols) % rows;
    // Upper keeps col - row >= k, lower keeps col - row <= k.
    bool keep = upper ? col - row >= k : col - row <= k;
    if (!keep) {
      if (r.isFloat())
        r.f[e] = 0.0f;
      else
        r.i[e] = 0;
    }
  }
  return r;
}

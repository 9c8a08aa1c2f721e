//===- Elementwise.cpp - Unary, broadcasting binary, Where, Cast ----------===//
//
// Float math runs in fp32 (std:: float overloads) and is rounded to the
// result's precision when that is f16/bf16; integer math runs in int64 and
// wraps to the element width, the C/ONNX semantics. Unsigned values are held
// zero-extended, so ui64 above 2^63 compares and divides as uint64. Integer
// results C leaves undefined (division by zero, a float out of range) are
// errors: the constant folder then keeps the op.
//
//===----------------------------------------------------------------------===//

#include "wse/Reference/Kernels.h"

#include <cmath>
#include <limits>

using namespace wse::ref;

llvm::Expected<int64_t> wse::ref::normalizeAxis(int64_t axis, int64_t rank,
                                                llvm::StringRef what) {
  if (axis < -rank || axis >= rank)
    return makeError(what + " " + llvm::Twine(axis) +
                     " is out of range for rank " + llvm::Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

llvm::Expected<std::vector<int64_t>>
wse::ref::broadcastShapes(llvm::ArrayRef<int64_t> a,
                          llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t k = 0; k < rank; ++k) {
    int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
    int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return makeError("shapes " + shapeString(a) + " and " + shapeString(b) +
                       " do not broadcast");
    out[k] = da == 1 ? db : da;
  }
  // [n, 1] and [1, n] broadcast to n^2 elements.
  if (auto err = checkAllocatable(out))
    return std::move(err);
  return out;
}

std::vector<int64_t> wse::ref::broadcastIndices(llvm::ArrayRef<int64_t> in,
                                                llvm::ArrayRef<int64_t> out) {
  size_t rank = out.size();
  size_t lead = rank - in.size();
  // Stride 0 along broadcast dimensions: every output index along such a
  // dimension reads the same input element.
  std::vector<int64_t> inStrides = stridesOf(in), strides(rank, 0);
  for (size_t k = lead; k < rank; ++k)
    strides[k] = in[k - lead] == 1 ? 0 : inStrides[k - lead];
  int64_t n = numElements(out);
  std::vector<int64_t> result(n);
  if (n == 0)
    return result;
  std::vector<int64_t> idx(rank, 0);
  int64_t offset = 0;
  for (int64_t e = 0; e < n; ++e) {
    result[e] = offset;
    for (int64_t k = static_cast<int64_t>(rank) - 1; k >= 0; --k) {
      if (++idx[k] < out[k]) {
        offset += strides[k];
        break;
      }
      offset -= strides[k] * (idx[k] - 1);
      idx[k] = 0;
    }
  }
  return result;
}

static float erfFloat(float x) { return std::erf(x); }

llvm::Expected<Tensor> wse::ref::unary(UnaryKind kind, const Tensor &x) {
  bool floatOnly = kind != UnaryKind::Neg && kind != UnaryKind::Abs &&
                   kind != UnaryKind::Relu && kind != UnaryKind::Identity &&
                   kind != UnaryKind::Not;
  if (floatOnly && !x.isFloat())
    return makeError("expects a float operand, got " + dtypeName(x.dtype));
  if (kind == UnaryKind::Not && x.dtype != DType::I1)
    return makeError("expects an i1 operand, got " + dtypeName(x.dtype));
  Tensor r = x;
  if (kind == UnaryKind::Identity)
    return r;
  if (!x.isFloat()) {
    bool uns = isUnsigned(x.dtype);
    for (int64_t &v : r.i) {
      // Negation in uint64 wraps INT64_MIN instead of overflowing.
      int64_t neg = static_cast<int64_t>(0 - static_cast<uint64_t>(v));
      switch (kind) {
      case UnaryKind::Neg:
        v = wrapInt(neg, x.dtype);
        break;
      case UnaryKind::Abs:
        v = wrapInt(!uns && v < 0 ? neg : v, x.dtype);
        break;
      case UnaryKind::Relu:
        v = !uns && v < 0 ? 0 : v;
        break;
      case UnaryKind::Not:
        v = !v;
        break;
      default:
        break;
      }
    }
    return r;
  }
  const float kSqrt2 = 1.41421356237309504880f;
  const float kSqrt2OverPi = 0.79788456080286535588f;
  for (float &v : r.f) {
    float y = v;
    switch (kind) {
    case UnaryKind::Sqrt:
      y = std::sqrt(v);
      break;
    case UnaryKind::Reciprocal:
      y = 1.0f / v;
      break;
    case UnaryKind::Exp:
      y = std::exp(v);
      break;
    case UnaryKind::Log:
      y = std::log(v);
      break;
    case UnaryKind::Erf:
      y = erfFloat(v);
      break;
    case UnaryKind::Tanh:
      y = std::tanh(v);
      break;
    case UnaryKind::Sigmoid:
      y = 1.0f / (1.0f + std::exp(-v));
      break;
    case UnaryKind::Sin:
      y = std::sin(v);
      break;
    case UnaryKind::Cos:
      y = std::cos(v);
      break;
    case UnaryKind::SiLU:
      y = v / (1.0f + std::exp(-v));
      break;
    case UnaryKind::GeluNone:
      y = 0.5f * v * (1.0f + erfFloat(v / kSqrt2));
      break;
    case UnaryKind::GeluTanh:
      y = 0.5f * v *
          (1.0f + std::tanh(kSqrt2OverPi * (v + 0.044715f * v * v * v)));
      break;
    case UnaryKind::Neg:
      y = -v;
      break;
    case UnaryKind::Abs:
      y = std::fabs(v);
      break;
    case UnaryKind::Relu:
      y = v < 0.0f ? 0.0f : v;
      break;
    default:
      break;
    }
    v = roundFloat(y, x.dtype);
  }
  return r;
}

/// Integer Pow with an integer exponent, exact modulo 2^64 (the result is
/// then wrapped to the width, like repeated Mul). A negative exponent gives
/// 1/x^n truncated toward zero; 0 to a negative power is a division by zero.
static llvm::Expected<int64_t> intPow(int64_t x, int64_t y, bool unsignedY) {
  if (y < 0 && !unsignedY) {
    if (x == 0)
      return makeError("integer 0 raised to a negative power");
    if (x == 1 || x == -1)
      return (y % 2 == 0) ? 1 : x;
    return 0;
  }
  uint64_t base = static_cast<uint64_t>(x), result = 1;
  for (auto n = static_cast<uint64_t>(y); n; n >>= 1) {
    if (n & 1)
      result *= base;
    base *= base;
  }
  return static_cast<int64_t>(result);
}

/// Integer Pow with a float exponent: computed in double and truncated; a
/// result outside int64 (or NaN) is refused, as for Cast.
static llvm::Expected<int64_t> intPowFloat(int64_t x, float y) {
  double p = std::trunc(std::pow(static_cast<double>(x), y));
  if (!(std::fabs(p) < 9.2233720368547758e18))
    return makeError("integer Pow result " + std::to_string(p) +
                     " is out of range");
  return static_cast<int64_t>(p);
}

static llvm::StringRef binaryName(BinaryKind k) {
  switch (k) {
  case BinaryKind::Add:
    return "Add";
  case BinaryKind::Sub:
    return "Sub";
  case BinaryKind::Mul:
    return "Mul";
  case BinaryKind::Div:
    return "Div";
  case BinaryKind::Max:
    return "Max";
  case BinaryKind::Min:
    return "Min";
  case BinaryKind::Pow:
    return "Pow";
  case BinaryKind::Equal:
    return "Equal";
  case BinaryKind::Less:
    return "Less";
  case BinaryKind::Greater:
    return "Greater";
  case BinaryKind::And:
    return "And";
  case BinaryKind::Or:
    return "Or";
  }
  return "?";
}

llvm::Expected<Tensor> wse::ref::binary(BinaryKind kind, const Tensor &a,
                                        const Tensor &b) {
  bool compare = kind == BinaryKind::Equal || kind == BinaryKind::Less ||
                 kind == BinaryKind::Greater;
  bool logical = kind == BinaryKind::And || kind == BinaryKind::Or;
  if (logical && (a.dtype != DType::I1 || b.dtype != DType::I1))
    return makeError(binaryName(kind) + " expects i1 operands");
  // Pow's exponent may have any numeric type; the others need one type.
  if (kind != BinaryKind::Pow && a.dtype != b.dtype)
    return makeError("operand element types differ: " + dtypeName(a.dtype) +
                     " vs " + dtypeName(b.dtype));
  auto outShape = broadcastShapes(a.shape, b.shape);
  if (!outShape)
    return outShape.takeError();
  std::vector<int64_t> ia = broadcastIndices(a.shape, *outShape);
  std::vector<int64_t> ib = broadcastIndices(b.shape, *outShape);
  int64_t n = numElements(*outShape);
  Tensor r(compare ? DType::I1 : a.dtype, *outShape);

  if (compare) {
    for (int64_t e = 0; e < n; ++e) {
      bool v;
      if (a.isFloat()) {
        float x = a.f[ia[e]], y = b.f[ib[e]];
        v = kind == BinaryKind::Equal  ? x == y
            : kind == BinaryKind::Less ? x < y
                                       : x > y;
      } else if (isUnsigned(a.dtype)) {
        auto x = static_cast<uint64_t>(a.i[ia[e]]),
             y = static_cast<uint64_t>(b.i[ib[e]]);
        v = kind == BinaryKind::Equal  ? x == y
            : kind == BinaryKind::Less ? x < y
                                       : x > y;
      } else {
        int64_t x = a.i[ia[e]], y = b.i[ib[e]];
        v = kind == BinaryKind::Equal  ? x == y
            : kind == BinaryKind::Less ? x < y
                                       : x > y;
      }
      r.i[e] = v;
    }
    return r;
  }

  if (a.isFloat()) {
    for (int64_t e = 0; e < n; ++e) {
      float x = a.f[ia[e]];
      float y = b.isFloat() ? b.f[ib[e]] : static_cast<float>(b.i[ib[e]]);
      float z = 0;
      switch (kind) {
      case BinaryKind::Add:
        z = x + y;
        break;
      case BinaryKind::Sub:
        z = x - y;
        break;
      case BinaryKind::Mul:
        z = x * y;
        break;
      case BinaryKind::Div:
        z = x / y;
        break;
      // ONNX Max/Min propagate NaN.
      case BinaryKind::Max:
        z = (std::isnan(x) || x > y) ? x : y;
        break;
      case BinaryKind::Min:
        z = (std::isnan(x) || x < y) ? x : y;
        break;
      case BinaryKind::Pow:
        z = std::pow(x, y);
        break;
      default:
        break;
      }
      r.f[e] = roundFloat(z, a.dtype);
    }
    return r;
  }

  bool uns = isUnsigned(a.dtype);
  for (int64_t e = 0; e < n; ++e) {
    int64_t x = a.i[ia[e]];
    int64_t z = 0;
    if (kind == BinaryKind::Pow) {
      auto p = b.isFloat() ? intPowFloat(x, b.f[ib[e]])
                           : intPow(x, b.i[ib[e]], isUnsigned(b.dtype));
      if (!p)
        return p.takeError();
      r.i[e] = wrapInt(*p, a.dtype);
      continue;
    }
    int64_t y = b.i[ib[e]];
    // Unsigned 64-bit wrap-around arithmetic avoids signed-overflow UB.
    auto ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
    switch (kind) {
    case BinaryKind::Add:
      z = static_cast<int64_t>(ux + uy);
      break;
    case BinaryKind::Sub:
      z = static_cast<int64_t>(ux - uy);
      break;
    case BinaryKind::Mul:
      z = static_cast<int64_t>(ux * uy);
      break;
    case BinaryKind::Div:
      if (y == 0)
        return makeError("integer division by zero");
      if (uns)
        z = static_cast<int64_t>(ux / uy);
      else if (x == std::numeric_limits<int64_t>::min() && y == -1)
        z = x; // the two's complement wrap of 2^63
      else
        z = x / y; // truncates toward zero, as ONNX integer Div
      break;
    case BinaryKind::Max:
      z = uns ? static_cast<int64_t>(std::max(ux, uy)) : std::max(x, y);
      break;
    case BinaryKind::Min:
      z = uns ? static_cast<int64_t>(std::min(ux, uy)) : std::min(x, y);
      break;
    case BinaryKind::And:
      z = x && y;
      break;
    case BinaryKind::Or:
      z = x || y;
      break;
    default:
      break;
    }
    r.i[e] = wrapInt(z, a.dtype);
  }
  return r;
}

llvm::Expected<Tensor> wse::ref::where(const Tensor &cond, const Tensor &x,
                                       const Tensor &y) {
  if (cond.dtype != DType::I1)
    return makeError("condition must be i1, got " + dtypeName(cond.dtype));
  if (x.dtype != y.dtype)
    return makeError("branch element types differ: " + dtypeName(x.dtype) +
                     " vs " + dtypeName(y.dtype));
  auto xy = broadcastShapes(x.shape, y.shape);
  if (!xy)
    return xy.takeError();
  auto out = broadcastShapes(cond.shape, *xy);
  if (!out)
    return out.takeError();
  std::vector<int64_t> ic = broadcastIndices(cond.shape, *out);
  std::vector<int64_t> ix = broadcastIndices(x.shape, *out);
  std::vector<int64_t> iy = broadcastIndices(y.shape, *out);
  Tensor r(x.dtype, *out);
  for (int64_t e = 0, n = r.numElements(); e < n; ++e) {
    bool c = cond.i[ic[e]];
    if (r.isFloat())
      r.f[e] = c ? x.f[ix[e]] : y.f[iy[e]];
    else
      r.i[e] = c ? x.i[ix[e]] : y.i[iy[e]];
  }
  return r;
}

llvm::Expected<Tensor> wse::ref::cast(const Tensor &x, DType to) {
  Tensor r(to, x.shape);
  for (int64_t e = 0, n = x.numElements(); e < n; ++e) {
    if (isFloat(to)) {
      float v = x.isFloat() ? x.f[e]
                : isUnsigned(x.dtype)
                    ? static_cast<float>(static_cast<uint64_t>(x.i[e]))
                    : static_cast<float>(x.i[e]);
      r.f[e] = roundFloat(v, to);
    } else if (to == DType::I1) {
      r.i[e] = x.isFloat() ? x.f[e] != 0.0f : x.i[e] != 0;
    } else if (x.isFloat()) {
      float v = x.f[e];
      // Beyond int64 (or NaN) the C conversion is undefined; ONNX leaves it
      // unspecified. Refuse instead of inventing a value.
      if (!(std::fabs(v) < 9.2233720368547758e18f))
        return makeError("cannot cast " + std::to_string(v) + " to " +
                         dtypeName(to));
      r.i[e] = wrapInt(static_cast<int64_t>(v), to);
    } else {
      r.i[e] = wrapInt(x.i[e], to);
    }
  }
  return r;
}

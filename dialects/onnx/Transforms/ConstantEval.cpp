//===- ConstantEval.cpp - Compile-time evaluation of onnx ops -------------===//
//
// A small interpreter over dense attributes. Values are held as int64 (every
// integer type and i1) or double (every float type) and rounded to the result
// element type when the attribute is built, so f16/bf16/f32 results are what
// one correctly rounded operation produces. Integer arithmetic wraps to the
// element width; Div truncates toward zero as ONNX (and C) specify.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/Transforms/ConstantEval.h"

#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Transforms/ShapeInference.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <functional>
#include <limits>

using namespace mlir;
using namespace wse::onnxir;

namespace {

using Shape = SmallVector<int64_t>;

/// Operands larger than this are not read element by element.
constexpr int64_t kMaxOperandElements = 1 << 22;

int64_t product(ArrayRef<int64_t> s) {
  int64_t n = 1;
  for (int64_t d : s)
    n *= d;
  return n;
}

struct Tensor {
  Shape shape;
  Type elem;
  bool isFloat = false;
  std::vector<int64_t> ints;
  std::vector<double> floats;

  int64_t size() const { return product(shape); }
  double asDouble(int64_t i) const {
    return isFloat ? floats[i] : (double)ints[i];
  }
  int64_t asInt(int64_t i) const {
    return isFloat ? (int64_t)floats[i] : ints[i];
  }
  static Tensor make(Shape shape, Type elem) {
    Tensor t;
    t.shape = std::move(shape);
    t.elem = elem;
    t.isFloat = isa<FloatType>(elem);
    if (t.isFloat)
      t.floats.resize(t.size());
    else
      t.ints.resize(t.size());
    return t;
  }
  /// Copies element `from` of `src` (same kind) into element `to`.
  void copyFrom(const Tensor &src, int64_t from, int64_t to) {
    if (isFloat)
      floats[to] = src.asDouble(from);
    else
      ints[to] = src.asInt(from);
  }
};

bool isUnsignedLike(Type t) { return t.isUnsignedInteger() || t.isInteger(1); }

double toDouble(APFloat f) {
  bool lost;
  f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return f.convertToDouble();
}

std::optional<Tensor> fromAttr(DenseElementsAttr attr) {
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxOperandElements)
    return std::nullopt;
  Type elem = type.getElementType();
  if (!isa<FloatType, IntegerType>(elem))
    return std::nullopt;
  Tensor t = Tensor::make(Shape(type.getShape()), elem);
  if (t.isFloat) {
    if (attr.isSplat()) {
      std::fill(t.floats.begin(), t.floats.end(),
                toDouble(attr.getSplatValue<APFloat>()));
    } else {
      int64_t i = 0;
      for (const APFloat &v : attr.getValues<APFloat>())
        t.floats[i++] = toDouble(v);
    }
  } else {
    bool zext = isUnsignedLike(elem);
    auto get = [&](const APInt &v) {
      return zext ? (int64_t)v.getZExtValue() : v.getSExtValue();
    };
    if (attr.isSplat()) {
      std::fill(t.ints.begin(), t.ints.end(), get(attr.getSplatValue<APInt>()));
    } else {
      int64_t i = 0;
      for (const APInt &v : attr.getValues<APInt>())
        t.ints[i++] = get(v);
    }
  }
  return t;
}

DenseElementsAttr toAttr(const Tensor &t, RankedTensorType type) {
  if (type.getNumElements() != t.size())
    return {};
  Type elem = type.getElementType();
  int64_t n = t.size();
  if (auto ft = dyn_cast<FloatType>(elem)) {
    auto convert = [&](double d) {
      APFloat f(d);
      bool lost;
      f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      return f;
    };
    if (n > 0 && llvm::all_of(t.floats, [&](double d) {
          return d == t.floats[0] &&
                 std::signbit(d) == std::signbit(t.floats[0]);
        }))
      return DenseElementsAttr::get(type, convert(t.floats[0]));
    SmallVector<APFloat> values;
    values.reserve(n);
    for (int64_t i = 0; i < n; ++i)
      values.push_back(convert(t.asDouble(i)));
    return DenseElementsAttr::get(type, values);
  }
  auto it = dyn_cast<IntegerType>(elem);
  if (!it)
    return {};
  if (it.getWidth() == 1) {
    SmallVector<bool> values;
    for (int64_t i = 0; i < n; ++i)
      values.push_back(t.asInt(i) != 0);
    return DenseElementsAttr::get(type, values);
  }
  auto convert = [&](int64_t v) {
    return APInt(it.getWidth(), (uint64_t)v, /*isSigned=*/true,
                 /*implicitTrunc=*/true);
  };
  if (n > 0 && llvm::all_of(t.ints, [&](int64_t v) { return v == t.ints[0]; }))
    return DenseElementsAttr::get(type, convert(t.ints[0]));
  SmallVector<APInt> values;
  values.reserve(n);
  for (int64_t i = 0; i < n; ++i)
    values.push_back(convert(t.asInt(i)));
  return DenseElementsAttr::get(type, values);
}

/// Wraps a value to the width of an integer type, as the hardware would.
int64_t wrap(int64_t v, Type elem) {
  auto it = dyn_cast<IntegerType>(elem);
  if (!it || it.getWidth() >= 64)
    return v;
  if (it.getWidth() == 1)
    return v != 0;
  APInt a(it.getWidth(), (uint64_t)v, true, true);
  return isUnsignedLike(elem) ? (int64_t)a.getZExtValue() : a.getSExtValue();
}

/// Strides of `in` when broadcast to `out` (0 on broadcast dimensions), or
/// nullopt if `in` does not broadcast to `out`.
std::optional<Shape> broadcastStrides(ArrayRef<int64_t> in,
                                      ArrayRef<int64_t> out) {
  if (in.size() > out.size())
    return std::nullopt;
  Shape strides(out.size(), 0);
  int64_t s = 1;
  for (int64_t i = in.size() - 1, j = out.size() - 1; i >= 0; --i, --j) {
    if (in[i] != 1 && in[i] != out[j])
      return std::nullopt;
    strides[j] = in[i] == 1 ? 0 : s;
    s *= in[i];
  }
  return strides;
}

int64_t mapIndex(int64_t linear, ArrayRef<int64_t> shape,
                 ArrayRef<int64_t> strides) {
  int64_t off = 0;
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    int64_t i = linear % shape[d];
    linear /= shape[d];
    off += i * strides[d];
  }
  return off;
}

Shape unravel(int64_t linear, ArrayRef<int64_t> shape) {
  Shape idx(shape.size());
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    idx[d] = linear % shape[d];
    linear /= shape[d];
  }
  return idx;
}

Shape rowMajorStrides(ArrayRef<int64_t> shape) {
  Shape strides(shape.size(), 1);
  for (int64_t d = (int64_t)shape.size() - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// Builds a tensor of `shape`/`elem` whose element i is set by `fn(i, d, v)`
/// (d for float results, v for integer ones); `fn` returns false to abort.
std::optional<Tensor>
generate(Shape shape, Type elem,
         const std::function<bool(int64_t, double &, int64_t &)> &fn) {
  Tensor t = Tensor::make(std::move(shape), elem);
  for (int64_t i = 0, n = t.size(); i < n; ++i) {
    double d = 0;
    int64_t v = 0;
    if (!fn(i, d, v))
      return std::nullopt;
    if (t.isFloat)
      t.floats[i] = d;
    else
      t.ints[i] = wrap(v, elem);
  }
  return t;
}

//===----------------------------------------------------------------------===//
// Op families
//===----------------------------------------------------------------------===//

std::optional<Tensor> evalCast(const Tensor &in, Type elem, Shape shape) {
  return generate(shape, elem, [&](int64_t i, double &d, int64_t &v) {
    if (isa<FloatType>(elem)) {
      d = in.asDouble(i);
      return true;
    }
    if (elem.isInteger(1)) {
      v = in.asDouble(i) != 0;
      return true;
    }
    if (in.isFloat) {
      double x = in.floats[i];
      if (!std::isfinite(x) || std::fabs(x) >= 9.2e18)
        return false; // undefined in ONNX
      v = (int64_t)std::trunc(x);
      return true;
    }
    v = in.ints[i];
    return true;
  });
}

std::optional<Tensor> evalUnary(Operation *op, const Tensor &in, Type elem,
                                Shape shape) {
  std::function<double(double)> f;
  std::function<std::optional<int64_t>(int64_t)> g;
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](NegOp) {
        f = [](double x) { return -x; };
        g = [](int64_t x) -> std::optional<int64_t> {
          return (int64_t)(0 - (uint64_t)x);
        };
      })
      .Case([&](AbsOp) {
        f = [](double x) { return std::fabs(x); };
        g = [](int64_t x) -> std::optional<int64_t> {
          return x < 0 ? (int64_t)(0 - (uint64_t)x) : x;
        };
      })
      .Case([&](ReluOp) {
        f = [](double x) { return x > 0 ? x : 0.0; };
        g = [](int64_t x) -> std::optional<int64_t> { return x > 0 ? x : 0; };
      })
      .Case([&](NotOp) {
        g = [](int64_t x) -> std::optional<int64_t> { return x == 0; };
      })
      .Case([&](IdentityOp) {
        f = [](double x) { return x; };
        g = [](int64_t x) -> std::optional<int64_t> { return x; };
      })
      .Case([&](SqrtOp) { f = [](double x) { return std::sqrt(x); }; })
      .Case([&](ReciprocalOp) { f = [](double x) { return 1.0 / x; }; })
      .Case([&](ExpOp) { f = [](double x) { return std::exp(x); }; })
      .Case([&](LogOp) { f = [](double x) { return std::log(x); }; })
      .Case([&](ErfOp) { f = [](double x) { return std::erf(x); }; })
      .Case([&](TanhOp) { f = [](double x) { return std::tanh(x); }; })
      .Case([&](SigmoidOp) {
        f = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
      })
      .Case([&](SinOp) { f = [](double x) { return std::sin(x); }; })
      .Case([&](CosOp) { f = [](double x) { return std::cos(x); }; });
  if (in.isFloat && !f)
    return std::nullopt;
  if (!in.isFloat && !g)
    return std::nullopt;
  return generate(shape, elem, [&](int64_t i, double &d, int64_t &v) {
    if (in.isFloat) {
      d = f(in.floats[i]);
      return true;
    }
    auto r = g(in.ints[i]);
    if (!r)
      return false;
    v = *r;
    return true;
  });
}

std::optional<int64_t> intPow(int64_t base, int64_t exp) {
  if (exp < 0)
    return std::nullopt;
  uint64_t r = 1, b = base;
  while (exp) {
    if (exp & 1)
      r *= b;
    b *= b;
    exp >>= 1;
  }
  return (int64_t)r;
}

std::optional<Tensor> evalBinary(Operation *op, const Tensor &a,
                                 const Tensor &b, Type elem, Shape shape) {
  auto sa = broadcastStrides(a.shape, shape);
  auto sb = broadcastStrides(b.shape, shape);
  if (!sa || !sb)
    return std::nullopt;
  bool floatOperands = a.isFloat;
  enum Kind { Add, Sub, Mul, Div, Max, Min, Pow, Eq, Lt, Gt, And, Or };
  Kind kind = llvm::TypeSwitch<Operation *, Kind>(op)
                  .Case([](AddOp) { return Add; })
                  .Case([](SubOp) { return Sub; })
                  .Case([](MulOp) { return Mul; })
                  .Case([](DivOp) { return Div; })
                  .Case([](MaxOp) { return Max; })
                  .Case([](MinOp) { return Min; })
                  .Case([](PowOp) { return Pow; })
                  .Case([](EqualOp) { return Eq; })
                  .Case([](LessOp) { return Lt; })
                  .Case([](GreaterOp) { return Gt; })
                  .Case([](AndOp) { return And; })
                  .Case([](OrOp) { return Or; });
  return generate(shape, elem, [&](int64_t i, double &d, int64_t &v) {
    int64_t ia = mapIndex(i, shape, *sa), ib = mapIndex(i, shape, *sb);
    if (kind == Eq || kind == Lt || kind == Gt) {
      if (floatOperands) {
        double x = a.floats[ia], y = b.asDouble(ib);
        v = kind == Eq ? x == y : kind == Lt ? x < y : x > y;
      } else {
        int64_t x = a.ints[ia], y = b.asInt(ib);
        if (isUnsignedLike(a.elem))
          v = kind == Eq   ? x == y
              : kind == Lt ? (uint64_t)x < (uint64_t)y
                           : (uint64_t)x > (uint64_t)y;
        else
          v = kind == Eq ? x == y : kind == Lt ? x < y : x > y;
      }
      return true;
    }
    if (kind == And || kind == Or) {
      bool x = a.asInt(ia) != 0, y = b.asInt(ib) != 0;
      v = kind == And ? (x && y) : (x || y);
      return true;
    }
    if (floatOperands) {
      double x = a.floats[ia], y = b.asDouble(ib);
      switch (kind) {
      case Add:
        d = x + y;
        break;
      case Sub:
        d = x - y;
        break;
      case Mul:
        d = x * y;
        break;
      case Div:
        d = x / y;
        break;
      case Max:
        d = std::isnan(x) || std::isnan(y) ? NAN : std::max(x, y);
        break;
      case Min:
        d = std::isnan(x) || std::isnan(y) ? NAN : std::min(x, y);
        break;
      case Pow:
        d = std::pow(x, y);
        break;
      default:
        return false;
      }
      return true;
    }
    int64_t x = a.ints[ia];
    if (kind == Pow) {
      if (b.isFloat) {
        double r = std::pow((double)x, b.floats[ib]);
        if (!std::isfinite(r) || std::fabs(r) >= 9.2e18)
          return false;
        v = (int64_t)std::trunc(r);
        return true;
      }
      auto r = intPow(x, b.ints[ib]);
      if (!r)
        return false;
      v = *r;
      return true;
    }
    int64_t y = b.ints[ib];
    bool uns = isUnsignedLike(elem);
    switch (kind) {
    case Add:
      v = (int64_t)((uint64_t)x + (uint64_t)y);
      break;
    case Sub:
      v = (int64_t)((uint64_t)x - (uint64_t)y);
      break;
    case Mul:
      v = (int64_t)((uint64_t)x * (uint64_t)y);
      break;
    case Div:
      if (y == 0 || (x == std::numeric_limits<int64_t>::min() && y == -1))
        return false;
      v = uns ? (int64_t)((uint64_t)x / (uint64_t)y) : x / y; // truncates
      break;
    case Max:
      v = uns ? (int64_t)std::max((uint64_t)x, (uint64_t)y) : std::max(x, y);
      break;
    case Min:
      v = uns ? (int64_t)std::min((uint64_t)x, (uint64_t)y) : std::min(x, y);
      break;
    default:
      return false;
    }
    return true;
  });
}

std::optional<Tensor> evalWhere(const Tensor &c, const Tensor &x,
                                const Tensor &y, Type elem, Shape shape) {
  auto sc = broadcastStrides(c.shape, shape);
  auto sx = broadcastStrides(x.shape, shape);
  auto sy = broadcastStrides(y.shape, shape);
  if (!sc || !sx || !sy)
    return std::nullopt;
  Tensor out = Tensor::make(shape, elem);
  for (int64_t i = 0, n = out.size(); i < n; ++i) {
    bool cond = c.ints[mapIndex(i, shape, *sc)] != 0;
    if (cond)
      out.copyFrom(x, mapIndex(i, shape, *sx), i);
    else
      out.copyFrom(y, mapIndex(i, shape, *sy), i);
  }
  return out;
}

std::optional<Tensor> evalGather(GatherOp op, const Tensor &data,
                                 const Tensor &indices, Type elem,
                                 Shape shape) {
  auto axis = normalizeAxis(op.getAxis(), data.shape.size());
  if (!axis)
    return std::nullopt;
  int64_t outer = product(ArrayRef<int64_t>(data.shape).take_front(*axis));
  int64_t inner = product(ArrayRef<int64_t>(data.shape).drop_front(*axis + 1));
  int64_t dim = data.shape[*axis];
  int64_t n = indices.size();
  Tensor out = Tensor::make(shape, elem);
  if (out.size() != outer * n * inner)
    return std::nullopt;
  for (int64_t p = 0; p < n; ++p) {
    int64_t idx = indices.ints[p];
    if (idx < 0)
      idx += dim;
    if (idx < 0 || idx >= dim)
      return std::nullopt;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t r = 0; r < inner; ++r)
        out.copyFrom(data, (o * dim + idx) * inner + r,
                     (o * n + p) * inner + r);
  }
  return out;
}

std::optional<Tensor> evalSlice(const Tensor &data, const Tensor &starts,
                                const Tensor &ends, const Tensor &axes,
                                const Tensor &steps, Type elem, Shape shape) {
  int64_t rank = data.shape.size();
  Shape start(rank, 0), step(rank, 1), length(data.shape);
  int64_t n = starts.size();
  if (ends.size() != n || axes.size() != n || steps.size() != n)
    return std::nullopt;
  for (int64_t i = 0; i < n; ++i) {
    auto axis = normalizeAxis(axes.ints[i], rank);
    if (!axis || steps.ints[i] == 0)
      return std::nullopt;
    SliceRange r = computeSliceRange(data.shape[*axis], starts.ints[i],
                                     ends.ints[i], steps.ints[i]);
    start[*axis] = r.start;
    step[*axis] = r.step;
    length[*axis] = r.length;
  }
  if (length != shape)
    return std::nullopt;
  Shape inStrides = rowMajorStrides(data.shape);
  Tensor out = Tensor::make(shape, elem);
  for (int64_t i = 0, e = out.size(); i < e; ++i) {
    Shape idx = unravel(i, shape);
    int64_t off = 0;
    for (int64_t d = 0; d < rank; ++d)
      off += (start[d] + idx[d] * step[d]) * inStrides[d];
    out.copyFrom(data, off, i);
  }
  return out;
}

std::optional<Tensor> evalConcat(ConcatOp op, ArrayRef<Tensor> inputs,
                                 Type elem, Shape shape) {
  auto axis = normalizeAxis(op.getAxis(), shape.size());
  if (!axis)
    return std::nullopt;
  int64_t outer = product(ArrayRef<int64_t>(shape).take_front(*axis));
  int64_t inner = product(ArrayRef<int64_t>(shape).drop_front(*axis + 1));
  Tensor out = Tensor::make(shape, elem);
  int64_t total = 0;
  for (const Tensor &t : inputs) {
    if (t.shape.size() != shape.size())
      return std::nullopt;
    total += t.shape[*axis];
  }
  if (total != shape[*axis])
    return std::nullopt;
  int64_t dst = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor &t : inputs) {
      int64_t chunk = t.shape[*axis] * inner;
      for (int64_t k = 0; k < chunk; ++k)
        out.copyFrom(t, o * chunk + k, dst++);
    }
  return out;
}

std::optional<Tensor> evalTranspose(TransposeOp op, const Tensor &in, Type elem,
                                    Shape shape) {
  ArrayRef<int64_t> perm = op.getPerm();
  if (perm.size() != in.shape.size())
    return std::nullopt;
  Shape inStrides = rowMajorStrides(in.shape);
  Tensor out = Tensor::make(shape, elem);
  for (int64_t i = 0, e = out.size(); i < e; ++i) {
    Shape idx = unravel(i, shape);
    int64_t off = 0;
    for (size_t k = 0; k < perm.size(); ++k)
      off += idx[k] * inStrides[perm[k]];
    out.copyFrom(in, off, i);
  }
  return out;
}

std::optional<Tensor> evalExpand(const Tensor &in, Type elem, Shape shape) {
  auto strides = broadcastStrides(in.shape, shape);
  if (!strides)
    return std::nullopt;
  Tensor out = Tensor::make(shape, elem);
  for (int64_t i = 0, e = out.size(); i < e; ++i)
    out.copyFrom(in, mapIndex(i, shape, *strides), i);
  return out;
}

std::optional<Tensor> evalTile(const Tensor &in, Type elem, Shape shape) {
  if (in.shape.size() != shape.size())
    return std::nullopt;
  Shape inStrides = rowMajorStrides(in.shape);
  Tensor out = Tensor::make(shape, elem);
  for (int64_t i = 0, e = out.size(); i < e; ++i) {
    Shape idx = unravel(i, shape);
    int64_t off = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      off += (idx[d] % in.shape[d]) * inStrides[d];
    out.copyFrom(in, off, i);
  }
  return out;
}

std::optional<Tensor> evalRange(const Tensor &start, const Tensor &delta,
                                Type elem, Shape shape) {
  return generate(shape, elem, [&](int64_t i, double &d, int64_t &v) {
    if (start.isFloat)
      d = start.floats[0] + i * delta.floats[0];
    else
      v = start.ints[0] + i * delta.ints[0];
    return true;
  });
}

std::optional<Tensor> evalTrilu(TriluOp op, const Tensor &in, Type elem,
                                Shape shape) {
  int64_t rank = shape.size();
  if (rank < 2 || in.shape != shape)
    return std::nullopt;
  int64_t rows = shape[rank - 2], cols = shape[rank - 1];
  int64_t k = op.getK();
  bool upper = op.getUpper();
  Tensor out = Tensor::make(shape, elem);
  for (int64_t i = 0, e = out.size(); i < e; ++i) {
    int64_t c = i % cols, r = (i / cols) % rows;
    bool keep = upper ? c - r >= k : c - r <= k;
    if (keep)
      out.copyFrom(in, i, i);
  }
  return out;
}

std::optional<Tensor> evalCumSum(CumSumOp op, const Tensor &in, Type elem,
                                 Shape shape) {
  auto axis = normalizeAxis(op.getAxis(), shape.size());
  if (!axis || in.shape != shape)
    return std::nullopt;
  int64_t outer = product(ArrayRef<int64_t>(shape).take_front(*axis));
  int64_t inner = product(ArrayRef<int64_t>(shape).drop_front(*axis + 1));
  int64_t dim = shape[*axis];
  Tensor out = Tensor::make(shape, elem);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t r = 0; r < inner; ++r) {
      double fs = 0;
      int64_t is = 0;
      for (int64_t j = 0; j < dim; ++j) {
        int64_t jj = op.getReverse() ? dim - 1 - j : j;
        int64_t at = (o * dim + jj) * inner + r;
        if (op.getExclusive()) {
          if (out.isFloat)
            out.floats[at] = fs;
          else
            out.ints[at] = wrap(is, elem);
        }
        if (out.isFloat)
          fs += in.floats[at];
        else
          is = (int64_t)((uint64_t)is + (uint64_t)in.ints[at]);
        if (!op.getExclusive()) {
          if (out.isFloat)
            out.floats[at] = fs;
          else
            out.ints[at] = wrap(is, elem);
        }
      }
    }
  return out;
}

/// Split: result i takes `sizes[i]` entries along the axis.
std::optional<SmallVector<Tensor>> evalSplit(SplitOp op, const Tensor &in,
                                             ArrayRef<Shape> shapes) {
  auto axis = normalizeAxis(op.getAxis(), in.shape.size());
  if (!axis)
    return std::nullopt;
  int64_t outer = product(ArrayRef<int64_t>(in.shape).take_front(*axis));
  int64_t inner = product(ArrayRef<int64_t>(in.shape).drop_front(*axis + 1));
  int64_t dim = in.shape[*axis], offset = 0;
  SmallVector<Tensor> results;
  for (const Shape &shape : shapes) {
    if (shape.size() != in.shape.size())
      return std::nullopt;
    int64_t len = shape[*axis];
    if (offset + len > dim)
      return std::nullopt;
    Tensor t = Tensor::make(shape, in.elem);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < len; ++j)
        for (int64_t r = 0; r < inner; ++r)
          t.copyFrom(in, (o * dim + offset + j) * inner + r,
                     (o * len + j) * inner + r);
    offset += len;
    results.push_back(std::move(t));
  }
  if (offset != dim)
    return std::nullopt;
  return results;
}

} // namespace

bool wse::onnxir::isEvaluable(Operation *op) {
  return isa<ShapeOp, IdentityOp, CastOp, NegOp, AbsOp, ReluOp, NotOp, SqrtOp,
             ReciprocalOp, ExpOp, LogOp, ErfOp, TanhOp, SigmoidOp, SinOp, CosOp,
             AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PowOp, EqualOp, LessOp,
             GreaterOp, AndOp, OrOp, WhereOp, GatherOp, SliceOp, ConcatOp,
             UnsqueezeOp, SqueezeOp, ReshapeOp, ExpandOp, TileOp, TransposeOp,
             RangeOp, ConstantOfShapeOp, TriluOp, CumSumOp, SplitOp>(op);
}

SmallVector<DenseElementsAttr>
wse::onnxir::evaluateConstant(Operation *op, int64_t maxElements) {
  if (!isEvaluable(op) || op->getNumResults() < 1)
    return {};
  // Split, the one multi-result op.
  if (auto split = dyn_cast<SplitOp>(op)) {
    SmallVector<Shape> shapes;
    SmallVector<RankedTensorType> types;
    for (Type t : op->getResultTypes()) {
      auto rt = dyn_cast<RankedTensorType>(t);
      if (!rt || !rt.hasStaticShape() || rt.getNumElements() > maxElements)
        return {};
      shapes.push_back(Shape(rt.getShape()));
      types.push_back(rt);
    }
    DenseElementsAttr attr = getConstantValue(split.getInput());
    std::optional<Tensor> in = attr ? fromAttr(attr) : std::nullopt;
    if (!in)
      return {};
    auto parts = evalSplit(split, *in, shapes);
    if (!parts)
      return {};
    SmallVector<DenseElementsAttr> out;
    for (auto [part, type] : llvm::zip(*parts, types)) {
      DenseElementsAttr a = toAttr(part, type);
      if (!a)
        return {};
      out.push_back(a);
    }
    return out;
  }
  if (op->getNumResults() != 1)
    return {};
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !resultType.hasStaticShape() ||
      resultType.getNumElements() > maxElements)
    return {};
  Type elem = resultType.getElementType();
  if (!isa<FloatType, IntegerType>(elem))
    return {};
  Shape shape(resultType.getShape());

  // Shape reads only the operand's type.
  if (auto shapeOp = dyn_cast<ShapeOp>(op)) {
    auto values = getKnownIntegers(shapeOp.getOutput());
    if (!values || llvm::any_of(*values, ShapedType::isDynamic))
      return {};
    Tensor t = Tensor::make(shape, elem);
    if (t.size() != (int64_t)values->size())
      return {};
    t.ints.assign(values->begin(), values->end());
    if (auto attr = toAttr(t, resultType))
      return {attr};
    return {};
  }
  // ConstantOfShape: a splat, whatever the size of its shape operand.
  if (auto cos = dyn_cast<ConstantOfShapeOp>(op)) {
    auto value = dyn_cast<DenseElementsAttr>(cos.getValue());
    if (!value || value.getElementType() != elem ||
        !getConstantValue(cos.getShape()))
      return {};
    return {
        DenseElementsAttr::get(resultType, value.getValues<Attribute>()[0])};
  }

  SmallVector<Tensor> operands;
  for (Value v : op->getOperands()) {
    DenseElementsAttr attr = getConstantValue(v);
    if (!attr)
      return {};
    auto t = fromAttr(attr);
    if (!t)
      return {};
    operands.push_back(std::move(*t));
  }

  std::optional<Tensor> result =
      llvm::TypeSwitch<Operation *, std::optional<Tensor>>(op)
          .Case([&](CastOp) { return evalCast(operands[0], elem, shape); })
          .Case<NegOp, AbsOp, ReluOp, NotOp, IdentityOp, SqrtOp, ReciprocalOp,
                ExpOp, LogOp, ErfOp, TanhOp, SigmoidOp, SinOp, CosOp>(
              [&](Operation *o) {
                return evalUnary(o, operands[0], elem, shape);
              })
          .Case<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PowOp, EqualOp,
                LessOp, GreaterOp, AndOp, OrOp>([&](Operation *o) {
            if (operands[0].isFloat != operands[1].isFloat && !isa<PowOp>(o))
              return std::optional<Tensor>();
            return evalBinary(o, operands[0], operands[1], elem, shape);
          })
          .Case([&](WhereOp) {
            return evalWhere(operands[0], operands[1], operands[2], elem,
                             shape);
          })
          .Case([&](GatherOp o) {
            return evalGather(o, operands[0], operands[1], elem, shape);
          })
          .Case([&](SliceOp) {
            return evalSlice(operands[0], operands[1], operands[2], operands[3],
                             operands[4], elem, shape);
          })
          .Case(
              [&](ConcatOp o) { return evalConcat(o, operands, elem, shape); })
          .Case<UnsqueezeOp, SqueezeOp, ReshapeOp>(
              [&](Operation *) -> std::optional<Tensor> {
                Tensor t = operands[0];
                if (t.size() != product(shape))
                  return std::nullopt;
                t.shape = shape;
                return t;
              })
          .Case([&](ExpandOp) { return evalExpand(operands[0], elem, shape); })
          .Case([&](TileOp) { return evalTile(operands[0], elem, shape); })
          .Case([&](TransposeOp o) {
            return evalTranspose(o, operands[0], elem, shape);
          })
          .Case([&](RangeOp) {
            return evalRange(operands[0], operands[2], elem, shape);
          })
          .Case(
              [&](TriluOp o) { return evalTrilu(o, operands[0], elem, shape); })
          .Case([&](CumSumOp o) {
            return evalCumSum(o, operands[0], elem, shape);
          })
          .Default([](Operation *) { return std::nullopt; });
  if (!result || result->elem != elem || result->shape != shape)
    return {};
  if (auto attr = toAttr(*result, resultType))
    return {attr};
  return {};
}

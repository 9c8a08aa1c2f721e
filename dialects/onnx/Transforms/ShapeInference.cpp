//===- ShapeInference.cpp - Result shapes of onnx ops ---------------------===//
//
// One function per op family. Each returns the shapes it can infer; dynamic
// (kDynamic) entries mean "not known yet". Integer operands that describe
// shapes (Reshape's shape, Slice's starts, ...) are read with
// getKnownIntegers, which sees through the shape-computation ops exporters
// emit even before they are folded to constants.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/Transforms/ShapeInference.h"

#include "dialects/onnx/IR/ONNXOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace wse::onnxir;

using Shape = SmallVector<int64_t>;
static constexpr int64_t kDyn = ShapedType::kDynamic;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::optional<int64_t> wse::onnxir::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

DenseElementsAttr wse::onnxir::getConstantValue(Value v) {
  if (!v)
    return {};
  if (auto cst = v.getDefiningOp<ConstantOp>())
    return dyn_cast<DenseElementsAttr>(cst.getValue());
  return {};
}

MaybeShape wse::onnxir::getShape(Value v) {
  if (auto type = dyn_cast<RankedTensorType>(v.getType()))
    return Shape(type.getShape());
  return std::nullopt;
}

static bool isStatic(const MaybeShape &s) {
  return s && llvm::none_of(*s, ShapedType::isDynamic);
}

static int64_t product(ArrayRef<int64_t> s) {
  int64_t n = 1;
  for (int64_t d : s)
    n *= d;
  return n;
}

/// Entries of a constant integer tensor (any rank), as int64.
static std::optional<Shape> constantIntegers(DenseElementsAttr attr) {
  if (!attr || !isa<IntegerType>(attr.getElementType()))
    return std::nullopt;
  bool isUnsigned = attr.getElementType().isUnsignedInteger() ||
                    attr.getElementType().isInteger(1);
  Shape out;
  out.reserve(attr.getNumElements());
  for (const APInt &v : attr.getValues<APInt>())
    out.push_back(isUnsigned ? (int64_t)v.getZExtValue() : v.getSExtValue());
  return out;
}

std::optional<Shape> wse::onnxir::getKnownIntegers(Value v) {
  if (!v)
    return std::nullopt;
  // Unranked values are accepted: their producer may still tell.
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if ((type && type.getRank() > 1) ||
      !isa<IntegerType>(getElementTypeOrSelf(v.getType())))
    return std::nullopt;
  if (auto attr = getConstantValue(v))
    return constantIntegers(attr);

  Operation *def = v.getDefiningOp();
  auto unknownOfLength = [&]() -> std::optional<Shape> {
    if (!type || (type.getRank() == 1 && type.isDynamicDim(0)))
      return std::nullopt;
    if (type.getRank() == 0)
      return Shape{kDyn};
    return Shape(type.getDimSize(0), kDyn);
  };
  if (!def)
    return unknownOfLength();

  std::optional<Shape> result =
      llvm::TypeSwitch<Operation *, std::optional<Shape>>(def)
          .Case([&](ShapeOp op) -> std::optional<Shape> {
            MaybeShape data = getShape(op.getData());
            if (!data)
              return std::nullopt;
            int64_t rank = data->size();
            auto clamp = [&](int64_t x) {
              if (x < 0)
                x += rank;
              return std::clamp<int64_t>(x, 0, rank);
            };
            int64_t start = clamp(op.getStart());
            int64_t end = op.getEnd() ? clamp(*op.getEnd()) : rank;
            if (end <= start)
              return Shape{};
            return Shape(data->begin() + start, data->begin() + end);
          })
          .Case([&](ConcatOp op) -> std::optional<Shape> {
            Shape out;
            for (Value in : op.getInputs()) {
              auto part = getKnownIntegers(in);
              if (!part)
                return std::nullopt;
              out.append(*part);
            }
            return out;
          })
          .Case<UnsqueezeOp, SqueezeOp, ReshapeOp, IdentityOp>(
              [&](Operation *op) {
                return getKnownIntegers(op->getOperand(0));
              })
          .Case([&](CastOp op) -> std::optional<Shape> {
            if (!isa<IntegerType>(getElementTypeOrSelf(op.getInput())))
              return std::nullopt;
            return getKnownIntegers(op.getInput());
          })
          .Case([&](GatherOp op) -> std::optional<Shape> {
            auto data = getKnownIntegers(op.getData());
            auto indices = constantIntegers(getConstantValue(op.getIndices()));
            if (!data || !indices)
              return std::nullopt;
            Shape out;
            for (int64_t i : *indices) {
              auto idx = normalizeAxis(i, data->size());
              if (!idx)
                return std::nullopt;
              out.push_back((*data)[*idx]);
            }
            return out;
          })
          .Case([&](SliceOp op) -> std::optional<Shape> {
            auto data = getKnownIntegers(op.getData());
            auto starts = constantIntegers(getConstantValue(op.getStarts()));
            auto ends = constantIntegers(getConstantValue(op.getEnds()));
            auto steps = constantIntegers(getConstantValue(op.getSteps()));
            if (!data || !starts || !ends || !steps || starts->size() != 1 ||
                ends->size() != 1 || steps->size() != 1 || (*steps)[0] == 0)
              return std::nullopt;
            SliceRange r = computeSliceRange(data->size(), (*starts)[0],
                                             (*ends)[0], (*steps)[0]);
            Shape out;
            for (int64_t i = 0; i < r.length; ++i)
              out.push_back((*data)[r.start + i * r.step]);
            return out;
          })
          .Case([&](SplitOp op) -> std::optional<Shape> {
            auto data = getKnownIntegers(op.getInput());
            if (!data)
              return std::nullopt;
            unsigned index = cast<OpResult>(v).getResultNumber();
            unsigned n = op.getNumResults();
            SmallVector<int64_t> sizes;
            if (auto split = op.getSplit())
              sizes.assign(split->begin(), split->end());
            else if (data->size() % n == 0)
              sizes.assign(n, data->size() / n);
            else
              return std::nullopt;
            int64_t offset = 0;
            for (unsigned i = 0; i < index; ++i)
              offset += sizes[i];
            if (offset + sizes[index] > (int64_t)data->size())
              return std::nullopt;
            return Shape(data->begin() + offset,
                         data->begin() + offset + sizes[index]);
          })
          .Default([](Operation *) { return std::nullopt; });
  // The length comes from the type when the producer is opaque.
  if (!result)
    return unknownOfLength();
  int64_t expected = !type                 ? kDyn
                     : type.getRank() == 0 ? 1
                                           : type.getDimSize(0);
  if (!ShapedType::isDynamic(expected) && (int64_t)result->size() != expected)
    return unknownOfLength();
  return result;
}

SliceRange wse::onnxir::computeSliceRange(int64_t dim, int64_t start,
                                          int64_t end, int64_t step) {
  // Clamp in a wide type so INT64_MIN/MAX bounds cannot overflow.
  auto adjust = [&](int64_t x, int64_t lo, int64_t hi) {
    __int128 v = x;
    if (v < 0)
      v += dim;
    if (v < lo)
      v = lo;
    if (v > hi)
      v = hi;
    return (int64_t)v;
  };
  SliceRange r{0, step, 0};
  if (step > 0) {
    int64_t s = adjust(start, 0, dim), e = adjust(end, 0, dim);
    r.start = s;
    r.length = e > s ? (e - s + step - 1) / step : 0;
  } else {
    int64_t s = adjust(start, 0, dim - 1), e = adjust(end, -1, dim - 1);
    r.start = s;
    r.length = s > e ? (s - e + (-step) - 1) / (-step) : 0;
    if (dim == 0)
      r.length = 0;
  }
  return r;
}

std::optional<int64_t> wse::onnxir::rangeLength(double start, double limit,
                                                double delta) {
  if (delta == 0 || !std::isfinite(start) || !std::isfinite(limit) ||
      !std::isfinite(delta))
    return std::nullopt;
  double n = std::ceil((limit - start) / delta);
  return n > 0 ? (int64_t)n : 0;
}

std::optional<int64_t> wse::onnxir::rangeLength(int64_t start, int64_t limit,
                                                int64_t delta) {
  if (delta == 0)
    return std::nullopt;
  __int128 span = (__int128)limit - start;
  __int128 n =
      delta > 0 ? (span + delta - 1) / delta : (span + delta + 1) / delta;
  if (span == 0 || (span > 0) != (delta > 0))
    return 0;
  return n > 0 ? (int64_t)n : 0;
}

//===----------------------------------------------------------------------===//
// Families
//===----------------------------------------------------------------------===//

namespace {

MaybeShape broadcast(ArrayRef<Value> operands) {
  Shape shape;
  bool first = true;
  for (Value v : operands) {
    MaybeShape s = getShape(v);
    if (!s)
      return std::nullopt;
    if (first) {
      shape = *s;
      first = false;
      continue;
    }
    Shape next;
    if (!OpTrait::util::getBroadcastedShape(shape, *s, next))
      return std::nullopt;
    shape = next;
  }
  return shape;
}

MaybeShape inferMatMul(MatMulOp op) {
  MaybeShape a = getShape(op.getA()), b = getShape(op.getB());
  if (!a || !b || a->empty() || b->empty())
    return std::nullopt;
  Shape sa = *a, sb = *b;
  bool vecA = sa.size() == 1, vecB = sb.size() == 1;
  if (vecA)
    sa.insert(sa.begin(), 1);
  if (vecB)
    sb.push_back(1);
  Shape batch;
  if (!OpTrait::util::getBroadcastedShape(ArrayRef<int64_t>(sa).drop_back(2),
                                          ArrayRef<int64_t>(sb).drop_back(2),
                                          batch))
    return std::nullopt;
  if (!vecA)
    batch.push_back(sa[sa.size() - 2]);
  if (!vecB)
    batch.push_back(sb.back());
  return batch;
}

MaybeShape inferGemm(GemmOp op) {
  MaybeShape a = getShape(op.getA()), b = getShape(op.getB());
  Shape out{kDyn, kDyn};
  if (a && a->size() == 2)
    out[0] = (*a)[op.getTransA() ? 1 : 0];
  if (b && b->size() == 2)
    out[1] = (*b)[op.getTransB() ? 0 : 1];
  return out;
}

MaybeShape inferReshape(ReshapeOp op) {
  auto target = getKnownIntegers(op.getShape());
  if (!target)
    return std::nullopt;
  MaybeShape data = getShape(op.getData());
  Shape out;
  int64_t inferIndex = -1;
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d == 0 && !op.getAllowzero()) {
      out.push_back(data && i < data->size() ? (*data)[i] : kDyn);
    } else if (d == -1) {
      if (inferIndex >= 0)
        return std::nullopt; // two -1: invalid
      inferIndex = i;
      out.push_back(kDyn);
    } else if (d < 0) {
      out.push_back(kDyn); // unknown entry (or invalid value)
    } else {
      out.push_back(d);
    }
  }
  if (inferIndex >= 0 && isStatic(data)) {
    int64_t known = 1;
    bool allKnown = true;
    for (auto [i, d] : llvm::enumerate(out)) {
      if ((int64_t)i == inferIndex)
        continue;
      if (ShapedType::isDynamic(d))
        allKnown = false;
      else
        known *= d;
    }
    int64_t total = product(*data);
    if (allKnown && known != 0 && total % known == 0)
      out[inferIndex] = total / known;
  }
  return out;
}

MaybeShape inferTranspose(TransposeOp op) {
  MaybeShape data = getShape(op.getData());
  if (!data || data->size() != op.getPerm().size())
    return std::nullopt;
  Shape out;
  for (int64_t p : op.getPerm()) {
    if (p < 0 || p >= (int64_t)data->size())
      return std::nullopt;
    out.push_back((*data)[p]);
  }
  return out;
}

MaybeShape inferSqueeze(SqueezeOp op) {
  MaybeShape data = getShape(op.getData());
  if (!data)
    return std::nullopt;
  int64_t rank = data->size();
  SmallVector<bool> drop(rank, false);
  if (op.getAxes().empty()) {
    for (int64_t i = 0; i < rank; ++i) {
      if (ShapedType::isDynamic((*data)[i]))
        return std::nullopt; // rank depends on the unknown size
      drop[i] = (*data)[i] == 1;
    }
  } else {
    for (int64_t a : op.getAxes()) {
      auto axis = normalizeAxis(a, rank);
      if (!axis)
        return std::nullopt;
      drop[*axis] = true;
    }
  }
  Shape out;
  for (int64_t i = 0; i < rank; ++i)
    if (!drop[i])
      out.push_back((*data)[i]);
  return out;
}

MaybeShape inferUnsqueeze(UnsqueezeOp op) {
  MaybeShape data = getShape(op.getData());
  if (!data)
    return std::nullopt;
  int64_t rank = data->size() + op.getAxes().size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t a : op.getAxes()) {
    auto axis = normalizeAxis(a, rank);
    if (!axis)
      return std::nullopt;
    inserted[*axis] = true;
  }
  Shape out;
  auto it = data->begin();
  for (int64_t i = 0; i < rank; ++i) {
    if (inserted[i]) {
      out.push_back(1);
    } else {
      if (it == data->end())
        return std::nullopt;
      out.push_back(*it++);
    }
  }
  return out;
}

MaybeShape inferConcat(ConcatOp op) {
  MaybeShape out;
  for (Value in : op.getInputs()) {
    MaybeShape s = getShape(in);
    if (!s)
      continue;
    if (!out) {
      out = *s;
      auto axis = normalizeAxis(op.getAxis(), s->size());
      if (!axis)
        return std::nullopt;
      (*out)[*axis] = 0;
    }
  }
  if (!out)
    return std::nullopt;
  int64_t rank = out->size();
  int64_t axis = *normalizeAxis(op.getAxis(), rank);
  for (Value in : op.getInputs()) {
    MaybeShape s = getShape(in);
    if (!s) {
      (*out)[axis] = kDyn;
      continue;
    }
    if ((int64_t)s->size() != rank)
      return std::nullopt;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis) {
        if (ShapedType::isDynamic((*s)[d]) || ShapedType::isDynamic((*out)[d]))
          (*out)[d] = kDyn;
        else
          (*out)[d] += (*s)[d];
      } else if (ShapedType::isDynamic((*out)[d])) {
        (*out)[d] = (*s)[d];
      }
    }
  }
  return out;
}

void inferSplit(SplitOp op, SmallVectorImpl<MaybeShape> &shapes) {
  MaybeShape data = getShape(op.getInput());
  unsigned n = op.getNumResults();
  if (!data)
    return;
  auto axis = normalizeAxis(op.getAxis(), data->size());
  if (!axis)
    return;
  int64_t dim = (*data)[*axis];
  for (unsigned i = 0; i < n; ++i) {
    Shape s = *data;
    if (auto split = op.getSplit())
      s[*axis] = (*split)[i];
    else if (!ShapedType::isDynamic(dim) && dim % n == 0)
      s[*axis] = dim / n;
    else
      s[*axis] = kDyn;
    shapes[i] = s;
  }
}

MaybeShape inferSlice(SliceOp op) {
  MaybeShape data = getShape(op.getData());
  if (!data)
    return std::nullopt;
  int64_t rank = data->size();
  auto starts = getKnownIntegers(op.getStarts());
  auto ends = getKnownIntegers(op.getEnds());
  auto axes = getKnownIntegers(op.getAxes());
  auto steps = getKnownIntegers(op.getSteps());
  Shape out = *data;
  if (!axes || llvm::any_of(*axes, ShapedType::isDynamic)) {
    // Any dimension may be sliced.
    return Shape(rank, kDyn);
  }
  for (auto [i, a] : llvm::enumerate(*axes)) {
    auto axis = normalizeAxis(a, rank);
    if (!axis)
      return std::nullopt;
    int64_t dim = (*data)[*axis];
    auto entry = [&](const std::optional<Shape> &v) -> int64_t {
      return v && i < v->size() ? (*v)[i] : kDyn;
    };
    int64_t start = entry(starts), end = entry(ends), step = entry(steps);
    if (ShapedType::isDynamic(dim) || ShapedType::isDynamic(start) ||
        ShapedType::isDynamic(end) || ShapedType::isDynamic(step) ||
        step == 0) {
      out[*axis] = kDyn;
      continue;
    }
    out[*axis] = computeSliceRange(dim, start, end, step).length;
  }
  return out;
}

MaybeShape inferGather(GatherOp op) {
  MaybeShape data = getShape(op.getData()), idx = getShape(op.getIndices());
  if (!data || !idx)
    return std::nullopt;
  auto axis = normalizeAxis(op.getAxis(), data->size());
  if (!axis)
    return std::nullopt;
  Shape out(data->begin(), data->begin() + *axis);
  out.append(*idx);
  out.append(data->begin() + *axis + 1, data->end());
  return out;
}

MaybeShape inferExpand(ExpandOp op) {
  MaybeShape in = getShape(op.getInput());
  auto target = getKnownIntegers(op.getShape());
  if (!in || !target)
    return std::nullopt;
  // Unknown entries of the target are dynamic dims for the broadcast.
  Shape out;
  if (!OpTrait::util::getBroadcastedShape(*in, *target, out))
    return std::nullopt;
  return out;
}

MaybeShape inferTile(TileOp op) {
  MaybeShape in = getShape(op.getInput());
  auto repeats = getKnownIntegers(op.getRepeats());
  if (!in)
    return std::nullopt;
  Shape out(in->size(), kDyn);
  if (!repeats || repeats->size() != in->size())
    return out;
  for (size_t i = 0; i < in->size(); ++i)
    if (!ShapedType::isDynamic((*in)[i]) &&
        !ShapedType::isDynamic((*repeats)[i]))
      out[i] = (*in)[i] * (*repeats)[i];
  return out;
}

MaybeShape inferReduce(Value data, std::optional<ArrayRef<int64_t>> axes,
                       int64_t keepdims, int64_t noop) {
  MaybeShape in = getShape(data);
  if (!in)
    return std::nullopt;
  int64_t rank = in->size();
  SmallVector<bool> reduced(rank, false);
  if (axes && !axes->empty()) {
    for (int64_t a : *axes) {
      auto axis = normalizeAxis(a, rank);
      if (!axis)
        return std::nullopt;
      reduced[*axis] = true;
    }
  } else if (!noop) {
    reduced.assign(rank, true);
  }
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      out.push_back((*in)[i]);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

MaybeShape inferShape(ShapeOp op) {
  auto values = getKnownIntegers(op.getOutput());
  if (!values)
    return std::nullopt;
  return Shape{(int64_t)values->size()};
}

MaybeShape inferRange(RangeOp op) {
  DenseElementsAttr s = getConstantValue(op.getStart()),
                    l = getConstantValue(op.getLimit()),
                    d = getConstantValue(op.getDelta());
  if (!s || !l || !d)
    return Shape{kDyn};
  Type elem = s.getElementType();
  std::optional<int64_t> n;
  if (isa<IntegerType>(elem)) {
    n = rangeLength(s.getSplatValue<APInt>().getSExtValue(),
                    l.getSplatValue<APInt>().getSExtValue(),
                    d.getSplatValue<APInt>().getSExtValue());
  } else if (isa<FloatType>(elem)) {
    auto toDouble = [](DenseElementsAttr a) {
      APFloat f = a.getSplatValue<APFloat>();
      bool lost;
      f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      return f.convertToDouble();
    };
    n = rangeLength(toDouble(s), toDouble(l), toDouble(d));
  }
  return Shape{n ? *n : kDyn};
}

MaybeShape inferConstantOfShape(ConstantOfShapeOp op) {
  auto target = getKnownIntegers(op.getShape());
  if (!target)
    return std::nullopt;
  Shape out;
  for (int64_t d : *target)
    out.push_back(d < 0 ? kDyn : d);
  return out;
}

} // namespace

bool wse::onnxir::inferResultShapes(Operation *op,
                                    SmallVectorImpl<MaybeShape> &shapes) {
  shapes.assign(op->getNumResults(), std::nullopt);
  if (op->getNumResults() == 0)
    return false;
  auto first = [&](Value v) { return getShape(v); };
  bool known = true;
  MaybeShape single =
      llvm::TypeSwitch<Operation *, MaybeShape>(op)
          // Same shape as the first operand.
          .Case<SqrtOp, ReciprocalOp, ExpOp, LogOp, ErfOp, TanhOp, SigmoidOp,
                SinOp, CosOp, SiLUOp, GeluOp, NegOp, AbsOp, ReluOp, IdentityOp,
                NotOp, CastOp, SoftmaxOp, LogSoftmaxOp, LayerNormalizationOp,
                RMSNormalizationOp, TriluOp, CumSumOp>(
              [&](Operation *o) { return first(o->getOperand(0)); })
          // Numpy broadcasting.
          .Case<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PowOp, EqualOp,
                LessOp, GreaterOp, AndOp, OrOp, WhereOp>([&](Operation *o) {
            return broadcast(SmallVector<Value>(o->getOperands()));
          })
          .Case([&](MatMulOp o) { return inferMatMul(o); })
          .Case([&](GemmOp o) { return inferGemm(o); })
          .Case([&](ReshapeOp o) { return inferReshape(o); })
          .Case([&](TransposeOp o) { return inferTranspose(o); })
          .Case([&](SqueezeOp o) { return inferSqueeze(o); })
          .Case([&](UnsqueezeOp o) { return inferUnsqueeze(o); })
          .Case([&](ConcatOp o) { return inferConcat(o); })
          .Case([&](SplitOp o) -> MaybeShape {
            inferSplit(o, shapes);
            return shapes[0];
          })
          .Case([&](SliceOp o) { return inferSlice(o); })
          .Case([&](GatherOp o) { return inferGather(o); })
          .Case([&](ExpandOp o) { return inferExpand(o); })
          .Case([&](TileOp o) { return inferTile(o); })
          .Case<ReduceMeanOp, ReduceSumOp, ReduceMaxOp>([&](Operation *o) {
            auto axes = o->getAttrOfType<DenseI64ArrayAttr>("axes");
            auto keep = o->getAttrOfType<IntegerAttr>("keepdims");
            auto noop = o->getAttrOfType<IntegerAttr>("noop_with_empty_axes");
            return inferReduce(
                o->getOperand(0),
                axes ? std::optional<ArrayRef<int64_t>>(axes.asArrayRef())
                     : std::nullopt,
                keep ? keep.getInt() : 1, noop ? noop.getInt() : 0);
          })
          .Case([&](ShapeOp o) { return inferShape(o); })
          .Case([&](RangeOp o) { return inferRange(o); })
          .Case([&](ConstantOfShapeOp o) { return inferConstantOfShape(o); })
          .Case<ConstantOp, ParamRefOp>(
              [&](Operation *o) { return getShape(o->getResult(0)); })
          .Default([&](Operation *) {
            known = false;
            return std::nullopt;
          });
  if (!isa<SplitOp>(op))
    shapes[0] = single;
  return known;
}

Type wse::onnxir::refineType(Type current, const MaybeShape &inferred) {
  if (!inferred)
    return current;
  if (auto ranked = dyn_cast<RankedTensorType>(current)) {
    if (ranked.getRank() != (int64_t)inferred->size())
      return current;
    Shape shape(ranked.getShape());
    bool changed = false;
    for (auto [d, inf] : llvm::zip(shape, *inferred)) {
      if (ShapedType::isDynamic(d) && !ShapedType::isDynamic(inf) && inf >= 0) {
        d = inf;
        changed = true;
      }
    }
    if (!changed)
      return current;
    return RankedTensorType::get(shape, ranked.getElementType(),
                                 ranked.getEncoding());
  }
  if (auto unranked = dyn_cast<UnrankedTensorType>(current)) {
    Shape shape;
    for (int64_t d : *inferred)
      shape.push_back(d < 0 ? kDyn : d);
    return RankedTensorType::get(shape, unranked.getElementType());
  }
  return current;
}

//===----------------------------------------------------------------------===//
// Diagnostics
//===----------------------------------------------------------------------===//

static std::string describeProducer(Value v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    os << "function argument #" << arg.getArgNumber();
    return s;
  }
  Operation *def = v.getDefiningOp();
  os << def->getName().getStringRef();
  if (isa<ParamRefOp>(def))
    os << " (weights are never folded)";
  return s;
}

static bool hasStaticType(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape();
}

std::string wse::onnxir::explainDynamicResult(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    if (!hasStaticType(operand)) {
      os << "operand #" << i << " has the dynamic type " << operand.getType()
         << " (produced by " << describeProducer(operand) << ")";
      return s;
    }
  }
  auto notConstant = [&](StringRef what, Value v) -> bool {
    auto known = getKnownIntegers(v);
    if (known && llvm::none_of(*known, ShapedType::isDynamic))
      return false;
    os << "its " << what << " operand is not a constant (it is computed by "
       << describeProducer(v) << ")";
    return true;
  };
  bool explained =
      llvm::TypeSwitch<Operation *, bool>(op)
          .Case([&](ReshapeOp o) { return notConstant("shape", o.getShape()); })
          .Case([&](ExpandOp o) { return notConstant("shape", o.getShape()); })
          .Case([&](ConstantOfShapeOp o) {
            return notConstant("shape", o.getShape());
          })
          .Case(
              [&](TileOp o) { return notConstant("repeats", o.getRepeats()); })
          .Case([&](SliceOp o) {
            return notConstant("starts", o.getStarts()) ||
                   notConstant("ends", o.getEnds()) ||
                   notConstant("axes", o.getAxes()) ||
                   notConstant("steps", o.getSteps());
          })
          .Case([&](RangeOp o) {
            for (auto [name, v] :
                 {std::pair<StringRef, Value>{"start", o.getStart()},
                  {"limit", o.getLimit()},
                  {"delta", o.getDelta()}}) {
              if (!getConstantValue(v)) {
                os << "its " << name << " operand is not a constant (it is "
                   << "computed by " << describeProducer(v) << ")";
                return true;
              }
            }
            return false;
          })
          .Default([](Operation *) { return false; });
  if (!explained) {
    if (op->getDialect() &&
        op->getDialect()->getNamespace() == ONNXDialect::getDialectNamespace())
      os << "its result shape does not follow from its operands";
    else
      os << "shape inference does not know this op";
  }
  return s;
}

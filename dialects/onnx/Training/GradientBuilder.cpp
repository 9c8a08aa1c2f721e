//===- GradientBuilder.cpp - Building the ops of gradients ----------------===//
#include "dialects/onnx/Training/GradientBuilder.h"
#include "dialects/onnx/IR/ONNXOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace wse::onnxir {

SmallVector<int64_t> GradientBuilder::broadcastShape(ArrayRef<int64_t> a,
                                                     ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Value GradientBuilder::scalarLike(Value v, double value) {
  Type elem = typeOf(v).getElementType();
  auto type = RankedTensorType::get({}, elem);
  Attribute attr = isa<FloatType>(elem)
                       ? Attribute(b.getFloatAttr(elem, value))
                       : Attribute(b.getIntegerAttr(elem, (int64_t)value));
  return ConstantOp::create(
      b, loc, mlir::cast<ElementsAttr>(DenseElementsAttr::get(type, attr)));
}

Value GradientBuilder::zerosLike(RankedTensorType type) {
  Attribute zero = b.getZeroAttr(type.getElementType());
  return ConstantOp::create(
      b, loc, mlir::cast<ElementsAttr>(DenseElementsAttr::get(type, zero)));
}

Value GradientBuilder::i64Vector(ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({(int64_t)values.size()}, b.getI64Type());
  return ConstantOp::create(
      b, loc, mlir::cast<ElementsAttr>(DenseElementsAttr::get(type, values)));
}

Value GradientBuilder::i64Scalar(int64_t value) {
  auto type = RankedTensorType::get({}, b.getI64Type());
  return ConstantOp::create(
      b, loc,
      mlir::cast<ElementsAttr>(DenseElementsAttr::get(type, ArrayRef(value))));
}

template <typename OpTy> Value GradientBuilder::binary(Value x, Value y) {
  auto type = RankedTensorType::get(
      broadcastShape(typeOf(x).getShape(), typeOf(y).getShape()),
      typeOf(x).getElementType());
  return OpTy::create(b, loc, type, x, y).getResult();
}

template <typename OpTy> Value GradientBuilder::unary(Value x) {
  return OpTy::create(b, loc, x.getType(), x).getResult();
}

Value GradientBuilder::add(Value x, Value y) { return binary<AddOp>(x, y); }
Value GradientBuilder::sub(Value x, Value y) { return binary<SubOp>(x, y); }
Value GradientBuilder::mul(Value x, Value y) { return binary<MulOp>(x, y); }
Value GradientBuilder::div(Value x, Value y) { return binary<DivOp>(x, y); }
Value GradientBuilder::neg(Value x) { return unary<NegOp>(x); }
Value GradientBuilder::exp(Value x) { return unary<ExpOp>(x); }
Value GradientBuilder::log(Value x) { return unary<LogOp>(x); }
Value GradientBuilder::tanh(Value x) { return unary<TanhOp>(x); }
Value GradientBuilder::erf(Value x) { return unary<ErfOp>(x); }
Value GradientBuilder::sqrt(Value x) { return unary<SqrtOp>(x); }
Value GradientBuilder::reciprocal(Value x) { return unary<ReciprocalOp>(x); }
Value GradientBuilder::sigmoid(Value x) { return unary<SigmoidOp>(x); }

Value GradientBuilder::equal(Value x, Value y) {
  auto type = RankedTensorType::get(
      broadcastShape(typeOf(x).getShape(), typeOf(y).getShape()),
      b.getI1Type());
  return EqualOp::create(b, loc, type, x, y).getResult();
}

Value GradientBuilder::less(Value x, Value y) {
  auto type = RankedTensorType::get(
      broadcastShape(typeOf(x).getShape(), typeOf(y).getShape()),
      b.getI1Type());
  return LessOp::create(b, loc, type, x, y).getResult();
}

Value GradientBuilder::where(Value cond, Value x, Value y) {
  auto shape = broadcastShape(
      typeOf(cond).getShape(),
      broadcastShape(typeOf(x).getShape(), typeOf(y).getShape()));
  auto type = RankedTensorType::get(shape, typeOf(x).getElementType());
  return WhereOp::create(b, loc, type, cond, x, y).getResult();
}

Value GradientBuilder::cast(Value x, Type elementType) {
  if (typeOf(x).getElementType() == elementType)
    return x;
  return CastOp::create(b, loc, typeOf(x).clone(elementType), x).getResult();
}

static SmallVector<int64_t>
reducedShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes, bool keepdims) {
  SmallVector<int64_t> out;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (!llvm::is_contained(axes, (int64_t)i))
      out.push_back(d);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

template <typename OpTy>
static Value reduce(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes,
                    bool keepdims) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto type = RankedTensorType::get(
      reducedShape(xType.getShape(), axes, keepdims), xType.getElementType());
  return OpTy::create(b, loc, type, x, b.getDenseI64ArrayAttr(axes),
                      b.getI64IntegerAttr(keepdims), b.getI64IntegerAttr(0))
      .getResult();
}

Value GradientBuilder::reduceSum(Value x, ArrayRef<int64_t> axes,
                                 bool keepdims) {
  if (axes.empty())
    return x;
  return reduce<ReduceSumOp>(b, loc, x, axes, keepdims);
}

Value GradientBuilder::reduceMean(Value x, ArrayRef<int64_t> axes,
                                  bool keepdims) {
  return reduce<ReduceMeanOp>(b, loc, x, axes, keepdims);
}

Value GradientBuilder::reshape(Value x, ArrayRef<int64_t> shape) {
  if (typeOf(x).getShape() == shape)
    return x;
  return ReshapeOp::create(b, loc, typeOf(x).clone(shape), x, i64Vector(shape),
                           b.getI64IntegerAttr(0))
      .getResult();
}

Value GradientBuilder::transpose(Value x, ArrayRef<int64_t> perm) {
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return x;
  ArrayRef<int64_t> in = typeOf(x).getShape();
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(in[p]);
  return TransposeOp::create(b, loc, typeOf(x).clone(shape), x,
                             b.getDenseI64ArrayAttr(perm))
      .getResult();
}

Value GradientBuilder::transposeLast2(Value x) {
  int64_t rank = typeOf(x).getRank();
  auto perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(perm[rank - 1], perm[rank - 2]);
  return transpose(x, perm);
}

Value GradientBuilder::unsqueeze(Value x, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> shape(typeOf(x).getShape());
  for (int64_t a : axes)
    shape.insert(shape.begin() + a, 1);
  return UnsqueezeOp::create(b, loc, typeOf(x).clone(shape), x,
                             b.getDenseI64ArrayAttr(axes))
      .getResult();
}

Value GradientBuilder::concat(ArrayRef<Value> parts, int64_t axis) {
  if (parts.size() == 1)
    return parts.front();
  SmallVector<int64_t> shape(typeOf(parts.front()).getShape());
  shape[axis] = 0;
  for (Value p : parts)
    shape[axis] += typeOf(p).getDimSize(axis);
  return ConcatOp::create(b, loc, typeOf(parts.front()).clone(shape), parts,
                          b.getI64IntegerAttr(axis))
      .getResult();
}

Value GradientBuilder::sliceAxis(Value x, int64_t axis, int64_t begin,
                                 int64_t end) {
  SmallVector<int64_t> shape(typeOf(x).getShape());
  if (begin == 0 && end == shape[axis])
    return x;
  shape[axis] = end - begin;
  return SliceOp::create(b, loc, typeOf(x).clone(shape), x, i64Vector(begin),
                         i64Vector(end), i64Vector(axis), i64Vector(1))
      .getResult();
}

Value GradientBuilder::matmul(Value x, Value y) {
  ArrayRef<int64_t> a = typeOf(x).getShape(), c = typeOf(y).getShape();
  SmallVector<int64_t> shape = broadcastShape(a.drop_back(2), c.drop_back(2));
  shape.push_back(a[a.size() - 2]);
  shape.push_back(c.back());
  return MatMulOp::create(b, loc, typeOf(x).clone(shape), x, y).getResult();
}

Value GradientBuilder::softmax(Value x, int64_t axis) {
  return SoftmaxOp::create(b, loc, x.getType(), x, b.getI64IntegerAttr(axis))
      .getResult();
}

Value GradientBuilder::logSoftmax(Value x, int64_t axis) {
  return LogSoftmaxOp::create(b, loc, x.getType(), x, b.getI64IntegerAttr(axis))
      .getResult();
}

Value GradientBuilder::range(int64_t n) {
  auto type = RankedTensorType::get({n}, b.getI64Type());
  return RangeOp::create(b, loc, type, i64Scalar(0), i64Scalar(n), i64Scalar(1))
      .getResult();
}

Value GradientBuilder::reduceToShape(Value grad, RankedTensorType target) {
  ArrayRef<int64_t> g = typeOf(grad).getShape();
  ArrayRef<int64_t> t = target.getShape();
  size_t lead = g.size() - t.size();
  SmallVector<int64_t> axes;
  for (size_t i = 0; i < g.size(); ++i) {
    int64_t dt = i < lead ? 1 : t[i - lead];
    if (dt == 1 && g[i] != 1)
      axes.push_back(i);
  }
  return reshape(reduceSum(grad, axes), t);
}

} // namespace wse::onnxir

//===- ShapeRules.cpp - Gradients of data-movement onnx ops ---------------===//
//
// Data movement is linear, so each gradient moves the result's gradient
// back: reshapes reshape back, transposes invert, split and concat swap,
// slices scatter into zeros, gathers scatter-add (as a one-hot matmul, so
// no scatter op is needed).
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Training/GradientRules.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace wse::onnxir {
namespace {

using Grads = SmallVectorImpl<Value>;

RankedTensorType typeOf(Value v) { return GradientBuilder::typeOf(v); }

// Reshape, Squeeze, Unsqueeze: only the shape changes.
LogicalResult reshapeGrad(const GradientRequest &r, Grads &out,
                          GradientBuilder &gb) {
  out[0] = gb.reshapeLike(r.resultGrads[0], r.op->getOperand(0));
  return success();
}

LogicalResult transposeGrad(const GradientRequest &r, Grads &out,
                            GradientBuilder &gb) {
  ArrayRef<int64_t> perm = cast<TransposeOp>(r.op).getPerm();
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = i;
  out[0] = gb.transpose(r.resultGrads[0], inverse);
  return success();
}

int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

LogicalResult splitGrad(const GradientRequest &r, Grads &out,
                        GradientBuilder &gb) {
  auto split = cast<SplitOp>(r.op);
  int64_t axis =
      normalizeAxis(split.getAxis(), typeOf(split.getInput()).getRank());
  SmallVector<Value> parts;
  for (unsigned i = 0; i < r.op->getNumResults(); ++i)
    parts.push_back(resultGradOrZeros(r, i, gb));
  out[0] = gb.concat(parts, axis);
  return success();
}

LogicalResult concatGrad(const GradientRequest &r, Grads &out,
                         GradientBuilder &gb) {
  auto concat = cast<ConcatOp>(r.op);
  Value g = r.resultGrads[0];
  int64_t axis = normalizeAxis(concat.getAxis(), typeOf(g).getRank());
  int64_t offset = 0;
  for (auto [i, in] : llvm::enumerate(concat.getInputs())) {
    int64_t size = typeOf(in).getDimSize(axis);
    if (r.needed[i])
      out[i] = gb.sliceAxis(g, axis, offset, offset + size);
    offset += size;
  }
  return success();
}

LogicalResult expandGrad(const GradientRequest &r, Grads &out,
                         GradientBuilder &gb) {
  out[0] = gb.reduceToShape(r.resultGrads[0], typeOf(r.op->getOperand(0)));
  return success();
}

FailureOr<SmallVector<int64_t>> constantIndices(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return failure();
  SmallVector<int64_t> out;
  for (const APInt &x : attr.getValues<APInt>())
    out.push_back(x.getSExtValue());
  return out;
}

// The indices a Slice takes along an axis of extent N (ONNX clamping rules).
SmallVector<int64_t> sliceIndices(int64_t start, int64_t end, int64_t step,
                                  int64_t n) {
  if (start < 0)
    start += n;
  if (end < 0)
    end += n;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, n);
    end = std::clamp<int64_t>(end, 0, n);
  } else {
    start = std::clamp<int64_t>(start, 0, n - 1);
    end = std::clamp<int64_t>(end, -1, n - 1);
  }
  SmallVector<int64_t> idx;
  for (int64_t i = start; step > 0 ? i < end : i > end; i += step)
    idx.push_back(i);
  return idx;
}

// Scatters G (extent idx.size() along AXIS) into an extent of N at IDX.
// A contiguous run is padded with zeros; a strided one multiplies by the
// 0/1 selection matrix S[k, n] (exact: one product per output is non-zero).
Value scatterAxis(Value g, int64_t axis, ArrayRef<int64_t> idx, int64_t n,
                  GradientBuilder &gb) {
  RankedTensorType type = typeOf(g);
  bool contiguous = true;
  for (size_t j = 1; j < idx.size(); ++j)
    contiguous &= idx[j] == idx[j - 1] + 1;
  if (contiguous && !idx.empty()) {
    SmallVector<Value> parts;
    auto zeros = [&](int64_t extent) {
      SmallVector<int64_t> shape(type.getShape());
      shape[axis] = extent;
      parts.push_back(gb.zerosLike(type.clone(shape)));
    };
    if (idx.front() > 0)
      zeros(idx.front());
    parts.push_back(g);
    if (idx.back() + 1 < n)
      zeros(n - idx.back() - 1);
    return gb.concat(parts, axis);
  }
  int64_t rank = type.getRank(), k = idx.size();
  SmallVector<Attribute> sel(k * n,
                             gb.builder().getZeroAttr(type.getElementType()));
  for (int64_t j = 0; j < k; ++j)
    sel[j * n + idx[j]] = gb.builder().getFloatAttr(type.getElementType(), 1.0);
  auto selType = RankedTensorType::get({k, n}, type.getElementType());
  Value s = ConstantOp::create(
      gb.builder(), gb.location(),
      cast<ElementsAttr>(DenseElementsAttr::get(selType, sel)));
  SmallVector<int64_t> toLast, fromLast(rank);
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      toLast.push_back(i);
  toLast.push_back(axis);
  for (int64_t i = 0; i < rank; ++i)
    fromLast[toLast[i]] = i;
  return gb.transpose(gb.matmul(gb.transpose(g, toLast), s), fromLast);
}

LogicalResult sliceGrad(const GradientRequest &r, Grads &out,
                        GradientBuilder &gb) {
  auto slice = cast<SliceOp>(r.op);
  auto starts = constantIndices(slice.getStarts());
  auto ends = constantIndices(slice.getEnds());
  auto axes = constantIndices(slice.getAxes());
  auto steps = constantIndices(slice.getSteps());
  if (failed(starts) || failed(ends) || failed(axes) || failed(steps))
    return r.op->emitError("no gradient rule for onnx.Slice with run-time "
                           "starts, ends, axes or steps");
  RankedTensorType in = typeOf(slice.getData());
  Value g = r.resultGrads[0];
  for (size_t i = 0; i < axes->size(); ++i) {
    int64_t axis = normalizeAxis((*axes)[i], in.getRank());
    int64_t n = in.getDimSize(axis);
    SmallVector<int64_t> idx =
        sliceIndices((*starts)[i], (*ends)[i], (*steps)[i], n);
    if ((int64_t)idx.size() != typeOf(g).getDimSize(axis))
      return r.op->emitError("onnx.Slice gradient: the result's extent along "
                             "axis ")
             << axis << " is not the number of sliced indices";
    g = scatterAxis(g, axis, idx, n, gb);
  }
  out[0] = g;
  return success();
}

// Embedding backward: dData[v] = sum of dY rows whose index is v, computed
// as onehot(indices)^T @ dY (negative indices count from the end).
LogicalResult gatherGrad(const GradientRequest &r, Grads &out,
                         GradientBuilder &gb) {
  auto gather = cast<GatherOp>(r.op);
  if (gather.getAxis() != 0)
    return r.op->emitError("no gradient rule for onnx.Gather along axis ")
           << gather.getAxis() << " (only axis 0, embeddings)";
  RankedTensorType data = typeOf(gather.getData());
  RankedTensorType indices = typeOf(gather.getIndices());
  int64_t vocab = data.getDimSize(0);
  int64_t rows = indices.getNumElements();
  int64_t width = data.getNumElements() / vocab;
  Value idx = gb.reshape(
      gb.cast(gather.getIndices(), gb.builder().getI64Type()), {rows});
  Value v = gb.i64Scalar(vocab);
  idx = gb.where(gb.less(idx, gb.i64Scalar(0)), gb.add(idx, v), idx);
  Value onehot = gb.cast(gb.equal(gb.unsqueeze(idx, {1}), gb.range(vocab)),
                         data.getElementType());
  Value g = gb.reshape(r.resultGrads[0], {rows, width});
  out[0] =
      gb.reshapeLike(gb.matmul(gb.transposeLast2(onehot), g), gather.getData());
  return success();
}

} // namespace

void addShapeRules(GradientRuleTable &t) {
  t["onnx.Reshape"] = reshapeGrad;
  t["onnx.Squeeze"] = reshapeGrad;
  t["onnx.Unsqueeze"] = reshapeGrad;
  t["onnx.Transpose"] = transposeGrad;
  t["onnx.Split"] = splitGrad;
  t["onnx.Concat"] = concatGrad;
  t["onnx.Expand"] = expandGrad;
  t["onnx.Slice"] = sliceGrad;
  t["onnx.Gather"] = gatherGrad;
}

} // namespace wse::onnxir

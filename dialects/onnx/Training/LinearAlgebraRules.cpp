//===- LinearAlgebraRules.cpp - Gradients of matmuls, softmax, reductions -===//
#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Training/GradientRules.h"

using namespace mlir;

namespace wse::onnxir {
namespace {

using Grads = SmallVectorImpl<Value>;

// C = A @ B with batch broadcasting: dA = dC @ B^T, dB = A^T @ dC, each
// summed over the batch dimensions its operand was broadcast along.
LogicalResult matmulGrad(const GradientRequest &r, Grads &out,
                         GradientBuilder &gb) {
  Value a = r.op->getOperand(0), b = r.op->getOperand(1), g = r.resultGrads[0];
  if (GradientBuilder::typeOf(a).getRank() < 2 ||
      GradientBuilder::typeOf(b).getRank() < 2)
    return r.op->emitError(
        "no gradient rule for onnx.MatMul with a 1-D operand");
  if (r.needed[0])
    out[0] = gb.reduceToShape(gb.matmul(g, gb.transposeLast2(b)),
                              GradientBuilder::typeOf(a));
  if (r.needed[1])
    out[1] = gb.reduceToShape(gb.matmul(gb.transposeLast2(a), g),
                              GradientBuilder::typeOf(b));
  return success();
}

// Y = alpha op(A) op(B) + beta C. With A' = op(A), B' = op(B):
// dA' = alpha dY B'^T, dB' = alpha A'^T dY, and dA = dA'^T when transA.
LogicalResult gemmGrad(const GradientRequest &r, Grads &out,
                       GradientBuilder &gb) {
  auto gemm = cast<GemmOp>(r.op);
  Value g = r.resultGrads[0];
  Value a = gemm.getTransA() ? gb.transposeLast2(gemm.getA()) : gemm.getA();
  Value b = gemm.getTransB() ? gb.transposeLast2(gemm.getB()) : gemm.getB();
  double alpha = gemm.getAlpha().convertToDouble();
  Value gs = alpha == 1.0 ? g : gb.mul(g, gb.scalarLike(g, alpha));
  if (r.needed[0]) {
    Value da = gb.matmul(gs, gb.transposeLast2(b));
    out[0] = gemm.getTransA() ? gb.transposeLast2(da) : da;
  }
  if (r.needed[1]) {
    Value db = gb.matmul(gb.transposeLast2(a), gs);
    out[1] = gemm.getTransB() ? gb.transposeLast2(db) : db;
  }
  if (r.op->getNumOperands() > 2 && r.needed[2]) {
    double beta = gemm.getBeta().convertToDouble();
    Value gc = beta == 1.0 ? g : gb.mul(g, gb.scalarLike(g, beta));
    out[2] = gb.reduceToShape(gc, GradientBuilder::typeOf(gemm.getC()));
  }
  return success();
}

int64_t normalizedAxis(int64_t axis, Value v) {
  return axis < 0 ? axis + GradientBuilder::typeOf(v).getRank() : axis;
}

// y = softmax(x): dx = y * (g - sum(g * y)) along the axis.
LogicalResult softmaxGrad(const GradientRequest &r, Grads &out,
                          GradientBuilder &gb) {
  auto op = cast<SoftmaxOp>(r.op);
  Value y = op.getOutput(), g = r.resultGrads[0];
  int64_t axis = normalizedAxis(op.getAxis(), y);
  out[0] = gb.mul(y, gb.sub(g, gb.reduceSum(gb.mul(g, y), {axis})));
  return success();
}

// y = log softmax(x): dx = g - exp(y) * sum(g) along the axis.
LogicalResult logSoftmaxGrad(const GradientRequest &r, Grads &out,
                             GradientBuilder &gb) {
  auto op = cast<LogSoftmaxOp>(r.op);
  Value y = op.getOutput(), g = r.resultGrads[0];
  int64_t axis = normalizedAxis(op.getAxis(), y);
  out[0] = gb.sub(g, gb.mul(gb.exp(y), gb.reduceSum(g, {axis})));
  return success();
}

// The reduced axes of a ReduceSum/ReduceMean (all when absent).
template <typename OpTy> SmallVector<int64_t> reducedAxes(OpTy op) {
  int64_t rank = GradientBuilder::typeOf(op.getData()).getRank();
  SmallVector<int64_t> axes;
  // A copy: the accessor returns the optional by value.
  std::optional<ArrayRef<int64_t>> given = op.getAxes();
  if (!given || given->empty()) {
    if (op.getNoopWithEmptyAxes())
      return axes;
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
    return axes;
  }
  for (int64_t a : *given)
    axes.push_back(a < 0 ? a + rank : a);
  return axes;
}

// The gradient of a reduction is the result's gradient broadcast back over
// the reduced axes (divided by their extent for a mean).
template <typename OpTy, bool Mean>
LogicalResult reduceGrad(const GradientRequest &r, Grads &out,
                         GradientBuilder &gb) {
  auto op = cast<OpTy>(r.op);
  auto xType = GradientBuilder::typeOf(op.getData());
  SmallVector<int64_t> axes = reducedAxes(op);
  SmallVector<int64_t> kept(xType.getShape());
  int64_t count = 1;
  for (int64_t a : axes) {
    count *= kept[a];
    kept[a] = 1;
  }
  Value g = gb.reshape(r.resultGrads[0], kept);
  if (Mean)
    g = gb.div(g, gb.scalarLike(g, (double)count));
  out[0] = gb.add(gb.zerosLike(xType), g);
  return success();
}

} // namespace

void addLinearAlgebraRules(GradientRuleTable &t) {
  t["onnx.MatMul"] = matmulGrad;
  t["onnx.Gemm"] = gemmGrad;
  t["onnx.Softmax"] = softmaxGrad;
  t["onnx.LogSoftmax"] = logSoftmaxGrad;
  t["onnx.ReduceSum"] = reduceGrad<ReduceSumOp, false>;
  t["onnx.ReduceMean"] = reduceGrad<ReduceMeanOp, true>;
}

} // namespace wse::onnxir

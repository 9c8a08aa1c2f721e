//===- NormalizationRules.cpp - Gradients of LayerNorm and RMSNorm --------===//
//
// Both rules recompute the normalization statistics from the input (the
// forward op keeps none), then apply the closed forms, with N the number of
// normalized elements, xhat the normalized input and d = g * scale:
//   LayerNorm: dx = rstd * (d - mean(d) - xhat * mean(d * xhat))
//   RMSNorm:   dx = rstd * (d - xhat * mean(d * xhat))
// and dscale = sum(g * xhat), dbias = sum(g) over the leading dimensions.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Training/GradientRules.h"

using namespace mlir;

namespace wse::onnxir {
namespace {

using Grads = SmallVectorImpl<Value>;

SmallVector<int64_t> normalizedAxes(int64_t axis, Value x) {
  int64_t rank = GradientBuilder::typeOf(x).getRank();
  SmallVector<int64_t> axes;
  for (int64_t i = axis < 0 ? axis + rank : axis; i < rank; ++i)
    axes.push_back(i);
  return axes;
}

Value rsqrtPlusEps(Value v, const APFloat &eps, GradientBuilder &gb) {
  return gb.reciprocal(
      gb.sqrt(gb.add(v, gb.scalarLike(v, eps.convertToDouble()))));
}

LogicalResult layerNormGrad(const GradientRequest &r, Grads &out,
                            GradientBuilder &gb) {
  auto ln = cast<LayerNormalizationOp>(r.op);
  Value x = ln.getInput(), g = r.resultGrads[0];
  SmallVector<int64_t> axes = normalizedAxes(ln.getAxis(), x);
  Value xc = gb.sub(x, gb.reduceMean(x, axes));
  Value rstd =
      rsqrtPlusEps(gb.reduceMean(gb.mul(xc, xc), axes), ln.getEpsilon(), gb);
  Value xhat = gb.mul(xc, rstd);
  if (r.needed[0]) {
    Value d = gb.mul(g, ln.getScale());
    Value centered = gb.sub(d, gb.reduceMean(d, axes));
    Value proj = gb.mul(xhat, gb.reduceMean(gb.mul(d, xhat), axes));
    out[0] = gb.mul(rstd, gb.sub(centered, proj));
  }
  if (r.needed[1])
    out[1] = gb.reduceToShape(gb.mul(g, xhat),
                              GradientBuilder::typeOf(ln.getScale()));
  if (ln.getBias() && r.needed[2])
    out[2] = gb.reduceToShape(g, GradientBuilder::typeOf(ln.getBias()));
  return success();
}

LogicalResult rmsNormGrad(const GradientRequest &r, Grads &out,
                          GradientBuilder &gb) {
  auto rms = cast<RMSNormalizationOp>(r.op);
  Value x = rms.getInput(), g = r.resultGrads[0];
  SmallVector<int64_t> axes = normalizedAxes(rms.getAxis(), x);
  Value rstd =
      rsqrtPlusEps(gb.reduceMean(gb.mul(x, x), axes), rms.getEpsilon(), gb);
  Value xhat = gb.mul(x, rstd);
  if (r.needed[0]) {
    Value d = gb.mul(g, rms.getScale());
    Value proj = gb.mul(xhat, gb.reduceMean(gb.mul(d, xhat), axes));
    out[0] = gb.mul(rstd, gb.sub(d, proj));
  }
  if (r.needed[1])
    out[1] = gb.reduceToShape(gb.mul(g, xhat),
                              GradientBuilder::typeOf(rms.getScale()));
  return success();
}

} // namespace

void addNormalizationRules(GradientRuleTable &t) {
  t["onnx.LayerNormalization"] = layerNormGrad;
  t["onnx.RMSNormalization"] = rmsNormGrad;
}

} // namespace wse::onnxir

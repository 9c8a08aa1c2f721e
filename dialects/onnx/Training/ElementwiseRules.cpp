//===- ElementwiseRules.cpp - Gradients of elementwise onnx ops -----------===//
//
// Binary ops broadcast, so each operand's gradient is summed back to its own
// shape (GradientBuilder::reduceToShape). The activation derivatives are
// written out in closed form from the forward formula (ONNXOps.td).
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Training/GradientRules.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;

namespace wse::onnxir {
namespace {

using Grads = SmallVectorImpl<Value>;

RankedTensorType operandType(const GradientRequest &r, unsigned i) {
  return GradientBuilder::typeOf(r.op->getOperand(i));
}

LogicalResult addGrad(const GradientRequest &r, Grads &out,
                      GradientBuilder &gb) {
  Value g = r.resultGrads[0];
  for (unsigned i = 0; i < 2; ++i)
    if (r.needed[i])
      out[i] = gb.reduceToShape(g, operandType(r, i));
  return success();
}

LogicalResult subGrad(const GradientRequest &r, Grads &out,
                      GradientBuilder &gb) {
  Value g = r.resultGrads[0];
  if (r.needed[0])
    out[0] = gb.reduceToShape(g, operandType(r, 0));
  if (r.needed[1])
    out[1] = gb.reduceToShape(gb.neg(g), operandType(r, 1));
  return success();
}

LogicalResult mulGrad(const GradientRequest &r, Grads &out,
                      GradientBuilder &gb) {
  Value g = r.resultGrads[0];
  Value a = r.op->getOperand(0), b = r.op->getOperand(1);
  if (r.needed[0])
    out[0] = gb.reduceToShape(gb.mul(g, b), operandType(r, 0));
  if (r.needed[1])
    out[1] = gb.reduceToShape(gb.mul(g, a), operandType(r, 1));
  return success();
}

// y = a / b: da = g / b, db = -g * a / (b * b) (torch's div backward).
LogicalResult divGrad(const GradientRequest &r, Grads &out,
                      GradientBuilder &gb) {
  Value g = r.resultGrads[0];
  Value a = r.op->getOperand(0), b = r.op->getOperand(1);
  if (r.needed[0])
    out[0] = gb.reduceToShape(gb.div(g, b), operandType(r, 0));
  if (r.needed[1])
    out[1] = gb.reduceToShape(gb.div(gb.neg(gb.mul(g, a)), gb.mul(b, b)),
                              operandType(r, 1));
  return success();
}

// y = a ^ e with a constant exponent e: da = g * e * a^(e-1).
LogicalResult powGrad(const GradientRequest &r, Grads &out,
                      GradientBuilder &gb) {
  if (r.needed[1])
    return r.op->emitError("no gradient rule for onnx.Pow with respect to "
                           "its exponent (only constant exponents)");
  DenseElementsAttr e;
  if (!matchPattern(r.op->getOperand(1), m_Constant(&e)) || !e.isSplat() ||
      !isa<FloatType>(e.getElementType()))
    return r.op->emitError(
        "no gradient rule for onnx.Pow with a non-constant or non-splat "
        "exponent");
  double exponent = e.getSplatValue<APFloat>().convertToDouble();
  Value a = r.op->getOperand(0);
  Value power = PowOp::create(gb.builder(), gb.location(), a.getType(), a,
                              gb.scalarLike(a, exponent - 1))
                    .getResult();
  out[0] = gb.mul(r.resultGrads[0], gb.mul(gb.scalarLike(a, exponent), power));
  return success();
}

LogicalResult negGrad(const GradientRequest &r, Grads &out,
                      GradientBuilder &gb) {
  out[0] = gb.neg(r.resultGrads[0]);
  return success();
}

LogicalResult identityGrad(const GradientRequest &r, Grads &out,
                           GradientBuilder &gb) {
  out[0] = r.resultGrads[0];
  return success();
}

// Float-to-float casts only: an integer operand is never differentiated.
LogicalResult castGrad(const GradientRequest &r, Grads &out,
                       GradientBuilder &gb) {
  out[0] = gb.cast(r.resultGrads[0], operandType(r, 0).getElementType());
  return success();
}

LogicalResult expGrad(const GradientRequest &r, Grads &out,
                      GradientBuilder &gb) {
  out[0] = gb.mul(r.resultGrads[0], r.op->getResult(0));
  return success();
}

LogicalResult logGrad(const GradientRequest &r, Grads &out,
                      GradientBuilder &gb) {
  out[0] = gb.div(r.resultGrads[0], r.op->getOperand(0));
  return success();
}

LogicalResult sqrtGrad(const GradientRequest &r, Grads &out,
                       GradientBuilder &gb) {
  Value y = r.op->getResult(0);
  out[0] = gb.div(r.resultGrads[0], gb.mul(gb.scalarLike(y, 2.0), y));
  return success();
}

// y = 1/x: dx = -g * y * y.
LogicalResult reciprocalGrad(const GradientRequest &r, Grads &out,
                             GradientBuilder &gb) {
  Value y = r.op->getResult(0);
  out[0] = gb.neg(gb.mul(r.resultGrads[0], gb.mul(y, y)));
  return success();
}

// y = tanh(x): dx = g * (1 - y^2).
LogicalResult tanhGrad(const GradientRequest &r, Grads &out,
                       GradientBuilder &gb) {
  Value y = r.op->getResult(0);
  out[0] =
      gb.mul(r.resultGrads[0], gb.sub(gb.scalarLike(y, 1.0), gb.mul(y, y)));
  return success();
}

// y = sigmoid(x): dx = g * y * (1 - y).
LogicalResult sigmoidGrad(const GradientRequest &r, Grads &out,
                          GradientBuilder &gb) {
  Value y = r.op->getResult(0);
  out[0] =
      gb.mul(r.resultGrads[0], gb.mul(y, gb.sub(gb.scalarLike(y, 1.0), y)));
  return success();
}

// y = erf(x): dx = g * 2/sqrt(pi) * exp(-x^2).
LogicalResult erfGrad(const GradientRequest &r, Grads &out,
                      GradientBuilder &gb) {
  Value x = r.op->getOperand(0);
  Value e = gb.exp(gb.neg(gb.mul(x, x)));
  out[0] = gb.mul(r.resultGrads[0],
                  gb.mul(gb.scalarLike(x, 2.0 / std::sqrt(M_PI)), e));
  return success();
}

LogicalResult reluGrad(const GradientRequest &r, Grads &out,
                       GradientBuilder &gb) {
  Value x = r.op->getOperand(0);
  Value g = r.resultGrads[0];
  out[0] =
      gb.where(gb.less(gb.scalarLike(x, 0.0), x), g, gb.scalarLike(x, 0.0));
  return success();
}

// y = x * sigmoid(x): dx = g * s * (1 + x * (1 - s)).
LogicalResult siluGrad(const GradientRequest &r, Grads &out,
                       GradientBuilder &gb) {
  Value x = r.op->getOperand(0);
  Value s = gb.sigmoid(x);
  Value one = gb.scalarLike(x, 1.0);
  Value d = gb.mul(s, gb.add(one, gb.mul(x, gb.sub(one, s))));
  out[0] = gb.mul(r.resultGrads[0], d);
  return success();
}

// Exact: d/dx [x Phi(x)] = Phi(x) + x phi(x).
// Tanh form: with u = k (x + c x^3), t = tanh(u):
//   d/dx [0.5 x (1 + t)] = 0.5 (1 + t) + 0.5 x (1 - t^2) k (1 + 3 c x^2).
LogicalResult geluGrad(const GradientRequest &r, Grads &out,
                       GradientBuilder &gb) {
  auto gelu = cast<GeluOp>(r.op);
  Value x = gelu.getInput();
  auto c = [&](double v) { return gb.scalarLike(x, v); };
  Value d;
  if (gelu.getApproximate() == "tanh") {
    const double k = std::sqrt(2.0 / M_PI), cubic = 0.044715;
    Value x2 = gb.mul(x, x);
    Value u = gb.mul(c(k), gb.add(x, gb.mul(c(cubic), gb.mul(x2, x))));
    Value t = gb.tanh(u);
    Value left = gb.mul(c(0.5), gb.add(c(1.0), t));
    Value sech2 = gb.sub(c(1.0), gb.mul(t, t));
    Value du = gb.mul(c(k), gb.add(c(1.0), gb.mul(c(3.0 * cubic), x2)));
    d = gb.add(left, gb.mul(gb.mul(c(0.5), x), gb.mul(sech2, du)));
  } else if (gelu.getApproximate() == "none") {
    Value cdf = gb.mul(c(0.5), gb.add(c(1.0), gb.erf(gb.mul(x, c(M_SQRT1_2)))));
    Value pdf = gb.mul(c(1.0 / std::sqrt(2.0 * M_PI)),
                       gb.exp(gb.mul(c(-0.5), gb.mul(x, x))));
    d = gb.add(cdf, gb.mul(x, pdf));
  } else {
    return r.op->emitError("no gradient rule for onnx.Gelu approximate = \"")
           << gelu.getApproximate() << "\"";
  }
  out[0] = gb.mul(r.resultGrads[0], d);
  return success();
}

// The condition is never differentiated; x and y get the gradient where
// they were selected.
LogicalResult whereGrad(const GradientRequest &r, Grads &out,
                        GradientBuilder &gb) {
  Value cond = r.op->getOperand(0), g = r.resultGrads[0];
  Value zero = gb.scalarLike(g, 0.0);
  if (r.needed[1])
    out[1] = gb.reduceToShape(gb.where(cond, g, zero), operandType(r, 1));
  if (r.needed[2])
    out[2] = gb.reduceToShape(gb.where(cond, zero, g), operandType(r, 2));
  return success();
}

} // namespace

void addElementwiseRules(GradientRuleTable &t) {
  t["onnx.Add"] = addGrad;
  t["onnx.Sub"] = subGrad;
  t["onnx.Mul"] = mulGrad;
  t["onnx.Div"] = divGrad;
  t["onnx.Pow"] = powGrad;
  t["onnx.Neg"] = negGrad;
  t["onnx.Identity"] = identityGrad;
  t["onnx.Cast"] = castGrad;
  t["onnx.Exp"] = expGrad;
  t["onnx.Log"] = logGrad;
  t["onnx.Sqrt"] = sqrtGrad;
  t["onnx.Reciprocal"] = reciprocalGrad;
  t["onnx.Tanh"] = tanhGrad;
  t["onnx.Sigmoid"] = sigmoidGrad;
  t["onnx.Erf"] = erfGrad;
  t["onnx.Relu"] = reluGrad;
  t["onnx.SiLU"] = siluGrad;
  t["onnx.Gelu"] = geluGrad;
  t["onnx.Where"] = whereGrad;
}

} // namespace wse::onnxir

//===- ElementwiseLowering.cpp - onnx elementwise ops to bodies -----------===//
//
// Every unary, binary, Where and Cast op becomes a wafer.elementwise whose
// scalar body is arith/math. The formulas follow the reference interpreter's
// kernels (lib/Reference/Elementwise.cpp) operation by operation, since a
// wafer-level interpreter compares against them numerically: Sigmoid is
// 1/(1+exp(-x)), SiLU x/(1+exp(-x)), Gelu 0.5*x*(1+erf(x/sqrt(2))) or
// 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x*x*x))), integer Div truncates, i1
// compares unsigned, Cast from float to a narrow integer goes through i64.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

#include <functional>

using namespace mlir;
using namespace wse;
using namespace wse::onnxtowafer;

namespace {
/// A scalar formula over the body's arguments.
using Scalar = std::function<Value(OpBuilder &, Location, ValueRange)>;
} // namespace

static bool isBool(Type type) { return type.isInteger(1); }

/// Converts a scalar between element types the way the reference Cast does.
static Value castScalar(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat) {
    // Between two 16-bit formats (f16 <-> bf16) go through f32.
    if (fromFloat.getWidth() == toFloat.getWidth()) {
      x = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
      return arith::TruncFOp::create(b, loc, to, x);
    }
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, x);
    return arith::TruncFOp::create(b, loc, to, x);
  }
  if (fromInt && toFloat) {
    // i1 holds 0/1; a signed conversion would make true -1.
    if (isBool(fromInt))
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  if (fromFloat && toInt) {
    if (isBool(toInt)) {
      Value zero = scalarFloat(b, loc, from, 0.0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    }
    // Through i64 and then wrap, as the reference: a direct fptosi to i8 of
    // 300.0 would be poison.
    Value wide = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
    return castScalar(b, loc, wide, to);
  }
  // Integer to integer.
  if (isBool(toInt)) {
    Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(from, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (fromInt.getWidth() < toInt.getWidth()) {
    if (isBool(fromInt))
      return arith::ExtUIOp::create(b, loc, to, x);
    return arith::ExtSIOp::create(b, loc, to, x);
  }
  return arith::TruncIOp::create(b, loc, to, x);
}

static Value compare(OpBuilder &b, Location loc, Value x, Value y,
                     arith::CmpFPredicate fp, arith::CmpIPredicate sp,
                     arith::CmpIPredicate up) {
  if (isa<FloatType>(x.getType()))
    return arith::CmpFOp::create(b, loc, fp, x, y);
  // i1 values are 0 and 1: compare unsigned so that true > false.
  return arith::CmpIOp::create(b, loc, isBool(x.getType()) ? up : sp, x, y);
}

/// Pow with the reference's operand handling: a float base takes the
/// exponent converted to its type; an integer base with an integer exponent
/// is computed in i64 and wrapped; with a float exponent it is computed in
/// f64 and truncated toward zero.
static Value power(OpBuilder &b, Location loc, Value x, Value y) {
  Type base = x.getType();
  if (isa<FloatType>(base)) {
    y = castScalar(b, loc, y, base);
    return math::PowFOp::create(b, loc, x, y);
  }
  // Operands are converted one statement at a time: argument evaluation
  // order is unspecified and the printed IR must be deterministic.
  Type i64 = b.getI64Type();
  if (isa<IntegerType>(y.getType())) {
    Value wideX = castScalar(b, loc, x, i64);
    Value wideY = castScalar(b, loc, y, i64);
    Value p = math::IPowIOp::create(b, loc, wideX, wideY);
    return castScalar(b, loc, p, base);
  }
  Type f64 = b.getF64Type();
  Value wideX = castScalar(b, loc, x, f64);
  Value wideY = castScalar(b, loc, y, f64);
  Value p = math::PowFOp::create(b, loc, wideX, wideY);
  return castScalar(b, loc, arith::FPToSIOp::create(b, loc, i64, p), base);
}

/// 1 / (1 + exp(-x)) with the numerator `num` (1 for Sigmoid, x for SiLU).
static Value logistic(OpBuilder &b, Location loc, Value num, Value x) {
  Value neg = arith::NegFOp::create(b, loc, x);
  Value e = math::ExpOp::create(b, loc, neg);
  Value one = scalarFloat(b, loc, x.getType(), 1.0);
  Value den = arith::AddFOp::create(b, loc, one, e);
  return arith::DivFOp::create(b, loc, num, den);
}

static Value gelu(OpBuilder &b, Location loc, Value x, bool tanhForm) {
  Type t = x.getType();
  Value half = arith::MulFOp::create(b, loc, scalarFloat(b, loc, t, 0.5), x);
  Value inner;
  if (tanhForm) {
    // sqrt(2/pi) * (x + 0.044715 * x * x * x), left to right.
    Value cube =
        arith::MulFOp::create(b, loc, scalarFloat(b, loc, t, 0.044715), x);
    cube = arith::MulFOp::create(b, loc, cube, x);
    cube = arith::MulFOp::create(b, loc, cube, x);
    Value sum = arith::AddFOp::create(b, loc, x, cube);
    Value scaled = arith::MulFOp::create(
        b, loc, scalarFloat(b, loc, t, 0.79788456080286535588), sum);
    inner = math::TanhOp::create(b, loc, scaled);
  } else {
    Value scaled = arith::DivFOp::create(
        b, loc, x, scalarFloat(b, loc, t, 1.41421356237309504880));
    inner = math::ErfOp::create(b, loc, scaled);
  }
  Value onePlus =
      arith::AddFOp::create(b, loc, scalarFloat(b, loc, t, 1.0), inner);
  return arith::MulFOp::create(b, loc, half, onePlus);
}

/// A binary formula with a float and an integer variant.
template <typename FloatOp, typename IntOp> static Scalar binary() {
  return [](OpBuilder &b, Location loc, ValueRange v) -> Value {
    if (isa<FloatType>(v[0].getType()))
      return FloatOp::create(b, loc, v[0], v[1]);
    return IntOp::create(b, loc, v[0], v[1]);
  };
}

/// Max/Min: NaN-propagating for floats (ONNX), signed for integers, unsigned
/// for i1.
template <typename FloatOp, typename SignedOp, typename UnsignedOp>
static Scalar extremum() {
  return [](OpBuilder &b, Location loc, ValueRange v) -> Value {
    if (isa<FloatType>(v[0].getType()))
      return FloatOp::create(b, loc, v[0], v[1]);
    if (isBool(v[0].getType()))
      return UnsignedOp::create(b, loc, v[0], v[1]);
    return SignedOp::create(b, loc, v[0], v[1]);
  };
}

template <typename MathOp> static Scalar unaryMath() {
  return [](OpBuilder &b, Location loc, ValueRange v) -> Value {
    return MathOp::create(b, loc, v[0]);
  };
}

static Scalar comparison(arith::CmpFPredicate fp, arith::CmpIPredicate sp,
                         arith::CmpIPredicate up) {
  return [=](OpBuilder &b, Location loc, ValueRange v) -> Value {
    return compare(b, loc, v[0], v[1], fp, sp, up);
  };
}

/// The scalar formula of an elementwise onnx op; null when `op` is not one.
static Scalar scalarFormula(Operation *op, Type resultElement) {
  using namespace onnxir;
  using P = arith::CmpFPredicate;
  using I = arith::CmpIPredicate;
  return llvm::TypeSwitch<Operation *, Scalar>(op)
      .Case([](AddOp) { return binary<arith::AddFOp, arith::AddIOp>(); })
      .Case([](SubOp) { return binary<arith::SubFOp, arith::SubIOp>(); })
      .Case([](MulOp) { return binary<arith::MulFOp, arith::MulIOp>(); })
      .Case([](DivOp) { return binary<arith::DivFOp, arith::DivSIOp>(); })
      .Case([](MaxOp) {
        return extremum<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>();
      })
      .Case([](MinOp) {
        return extremum<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>();
      })
      .Case([](AndOp) { return binary<arith::AndIOp, arith::AndIOp>(); })
      .Case([](OrOp) { return binary<arith::OrIOp, arith::OrIOp>(); })
      .Case([](EqualOp) { return comparison(P::OEQ, I::eq, I::eq); })
      .Case([](LessOp) { return comparison(P::OLT, I::slt, I::ult); })
      .Case([](GreaterOp) { return comparison(P::OGT, I::sgt, I::ugt); })
      .Case([](PowOp) {
        return Scalar([](OpBuilder &b, Location loc, ValueRange v) {
          return power(b, loc, v[0], v[1]);
        });
      })
      .Case([](WhereOp) {
        return Scalar([](OpBuilder &b, Location loc, ValueRange v) -> Value {
          return arith::SelectOp::create(b, loc, v[0], v[1], v[2]);
        });
      })
      .Case([](NegOp) {
        return Scalar([](OpBuilder &b, Location loc, ValueRange v) -> Value {
          Type t = v[0].getType();
          if (isa<FloatType>(t))
            return arith::NegFOp::create(b, loc, v[0]);
          Value zero =
              arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, 0));
          return arith::SubIOp::create(b, loc, zero, v[0]);
        });
      })
      .Case([](AbsOp) {
        return Scalar([](OpBuilder &b, Location loc, ValueRange v) -> Value {
          if (isa<FloatType>(v[0].getType()))
            return math::AbsFOp::create(b, loc, v[0]);
          if (isBool(v[0].getType()))
            return v[0];
          return math::AbsIOp::create(b, loc, v[0]);
        });
      })
      .Case([](ReluOp) {
        return Scalar([](OpBuilder &b, Location loc, ValueRange v) -> Value {
          Type t = v[0].getType();
          if (isa<FloatType>(t))
            return arith::MaximumFOp::create(b, loc, v[0],
                                             scalarFloat(b, loc, t, 0.0));
          if (isBool(t))
            return v[0];
          Value zero =
              arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, 0));
          return arith::MaxSIOp::create(b, loc, v[0], zero);
        });
      })
      .Case([](NotOp) {
        return Scalar([](OpBuilder &b, Location loc, ValueRange v) -> Value {
          Value one = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
          return arith::XOrIOp::create(b, loc, v[0], one);
        });
      })
      .Case([](SqrtOp) { return unaryMath<math::SqrtOp>(); })
      .Case([](ExpOp) { return unaryMath<math::ExpOp>(); })
      .Case([](LogOp) { return unaryMath<math::LogOp>(); })
      .Case([](ErfOp) { return unaryMath<math::ErfOp>(); })
      .Case([](TanhOp) { return unaryMath<math::TanhOp>(); })
      .Case([](SinOp) { return unaryMath<math::SinOp>(); })
      .Case([](CosOp) { return unaryMath<math::CosOp>(); })
      .Case([](ReciprocalOp) {
        return Scalar([](OpBuilder &b, Location loc, ValueRange v) -> Value {
          Value one = scalarFloat(b, loc, v[0].getType(), 1.0);
          return arith::DivFOp::create(b, loc, one, v[0]);
        });
      })
      .Case([](SigmoidOp) {
        return Scalar([](OpBuilder &b, Location loc, ValueRange v) {
          return logistic(b, loc, scalarFloat(b, loc, v[0].getType(), 1.0),
                          v[0]);
        });
      })
      .Case([](SiLUOp) {
        return Scalar([](OpBuilder &b, Location loc, ValueRange v) {
          return logistic(b, loc, v[0], v[0]);
        });
      })
      .Case([](GeluOp gelu) {
        bool tanhForm = gelu.getApproximate() == "tanh";
        return Scalar([=](OpBuilder &b, Location loc, ValueRange v) {
          return ::gelu(b, loc, v[0], tanhForm);
        });
      })
      .Case([=](CastOp) {
        return Scalar([=](OpBuilder &b, Location loc, ValueRange v) {
          return castScalar(b, loc, v[0], resultElement);
        });
      })
      .Default([](Operation *) { return Scalar(); });
}

/// arith computes on signless integers and floats only.
static bool isArithScalar(Type type) {
  if (auto i = dyn_cast<IntegerType>(type))
    return i.isSignless();
  return isa<FloatType>(type);
}

Lowered onnxtowafer::lowerElementwiseOp(Operation *op, OpBuilder &b) {
  // Identity is no computation: its users read the operand.
  if (auto identity = dyn_cast<onnxir::IdentityOp>(op)) {
    if (identity.getInput().getType() != identity.getType())
      return fail(cannotLower(op, "result type differs from the operand"));
    return done(identity.getInput());
  }
  auto resultType = tensorType(op->getResult(0));
  Scalar formula = scalarFormula(op, resultType.getElementType());
  if (!formula)
    return std::nullopt;
  SmallVector<Type> types(op->getOperandTypes());
  types.push_back(resultType);
  for (Type type : types) {
    Type element = cast<RankedTensorType>(type).getElementType();
    if (!isArithScalar(element))
      return fail(cannotLower(op) << "element type " << element
                                  << " is not a signless integer or float");
  }
  if (auto cast = dyn_cast<onnxir::CastOp>(op);
      cast && cast.getInput().getType() == cast.getType())
    return done(cast.getInput());
  return done(buildElementwise(b, op->getLoc(), op->getOperands(), resultType,
                               formula));
}

//===- RecomposePatterns.cpp - Patterns recomposing exporter idioms -------===//
//
// Each pattern matches one decomposed idiom exactly as torch.onnx emits it
// (commutative operands in either order, constants compared with a 1e-4
// relative tolerance) and only rewrites when that cannot change semantics:
//   - every intermediate value of the idiom has no use outside it (so the
//     whole chain dies; a shared intermediate blocks the rewrite),
//   - the result type equals the type of the idiom's input (constants of a
//     higher rank would otherwise broadcast the result to a bigger shape),
//   - reductions run over trailing axes with keepdims = 1.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/Transforms/RecomposePatterns.h"

#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Transforms/ShapeInference.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace wse::onnxir;

namespace {

//===----------------------------------------------------------------------===//
// Matching helpers
//===----------------------------------------------------------------------===//

/// The value of a constant whose elements are all equal.
std::optional<double> getSplat(Value v) {
  DenseElementsAttr attr = getConstantValue(v);
  if (!attr || attr.getNumElements() < 1 || !attr.isSplat())
    return std::nullopt;
  Type elem = attr.getElementType();
  if (isa<FloatType>(elem)) {
    APFloat f = attr.getSplatValue<APFloat>();
    bool lost;
    f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    return f.convertToDouble();
  }
  if (auto it = dyn_cast<IntegerType>(elem); it && it.getWidth() > 1)
    return (double)attr.getSplatValue<APInt>().getSExtValue();
  return std::nullopt;
}

bool isConst(Value v, double expected) {
  auto value = getSplat(v);
  if (!value)
    return false;
  return std::fabs(*value - expected) <= 1e-4 * std::fabs(expected);
}

bool oneUse(Value v) { return v && v.hasOneUse(); }

/// If `op` is a binary op of type OpTy, binds (a, b) to its operands in the
/// order for which `pred(a, b)` holds (trying both orders).
template <typename OpTy, typename Pred>
OpTy matchCommutative(Value v, Value &a, Value &b, Pred pred) {
  auto op = v ? v.getDefiningOp<OpTy>() : OpTy();
  if (!op)
    return {};
  for (int swap = 0; swap < 2; ++swap) {
    Value x = op->getOperand(swap), y = op->getOperand(1 - swap);
    if (pred(x, y)) {
      a = x;
      b = y;
      return op;
    }
  }
  return {};
}

bool isFloatTensor(Value v) {
  return isa<RankedTensorType>(v.getType()) &&
         isa<FloatType>(getElementTypeOrSelf(v));
}

/// For a ReduceMean over trailing axes of a rank-r input with keepdims,
/// the number k of reduced axes (they are r-k .. r-1).
std::optional<int64_t> trailingReduction(ReduceMeanOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getData().getType());
  auto axes = op.getAxes();
  if (!type || !axes || axes->empty() || op.getKeepdims() != 1)
    return std::nullopt;
  int64_t rank = type.getRank();
  SmallVector<bool> seen(rank, false);
  for (int64_t a : *axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis || seen[*axis])
      return std::nullopt;
    seen[*axis] = true;
  }
  int64_t k = axes->size();
  for (int64_t i = rank - k; i < rank; ++i)
    if (!seen[i])
      return std::nullopt;
  return k;
}

/// Whether `w` can serve as scale/bias of a normalization of `x` over its k
/// trailing dimensions: same element type and exactly the normalized shape.
bool isNormParam(Value w, Value x, int64_t k) {
  auto wt = dyn_cast<RankedTensorType>(w.getType());
  auto xt = cast<RankedTensorType>(x.getType());
  if (!wt || wt.getElementType() != xt.getElementType() || wt.getRank() != k ||
      !wt.hasStaticShape())
    return false;
  return wt.getShape() == xt.getShape().take_back(k);
}

/// A splat constant of the normalized shape (O(1) storage whatever its size).
Value splatParam(PatternRewriter &rewriter, Location loc, Value x, int64_t k,
                 double value) {
  auto xt = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> shape = xt.getShape().take_back(k);
  if (llvm::any_of(shape, ShapedType::isDynamic))
    return {};
  auto type = RankedTensorType::get(shape, xt.getElementType());
  auto elem = cast<FloatType>(xt.getElementType());
  APFloat f(value);
  bool lost;
  f.convert(elem.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
  return ConstantOp::create(rewriter, loc,
                            cast<ElementsAttr>(DenseElementsAttr::get(type, f)))
      .getResult();
}

/// Matches `Sqrt(Add(ReduceMean(Pow(base, 2)), eps))` with single-use
/// intermediates; binds the reduction's axis count and epsilon. `powUses` is
/// the number of uses the Pow's base may have inside the idiom (checked by
/// the caller).
bool matchRootMeanSquare(Value s, Value &base, int64_t &k, double &eps) {
  auto sqrt = s.getDefiningOp<SqrtOp>();
  if (!sqrt || !oneUse(s))
    return false;
  Value v, epsValue;
  auto add = matchCommutative<AddOp>(
      sqrt.getInput(), v, epsValue, [](Value a, Value b) {
        return a.getDefiningOp<ReduceMeanOp>() && getSplat(b).has_value();
      });
  if (!add || !oneUse(add.getResult()) || !oneUse(v))
    return false;
  // eps must be a scalar (or single-element) constant: broadcasting a bigger
  // one would change shapes.
  auto epsType = dyn_cast<RankedTensorType>(epsValue.getType());
  if (!epsType || epsType.getNumElements() != 1 || *getSplat(epsValue) < 0 ||
      add.getType() != v.getType())
    return false;
  auto mean = v.getDefiningOp<ReduceMeanOp>();
  auto kk = trailingReduction(mean);
  if (!kk)
    return false;
  auto pow = mean.getData().getDefiningOp<PowOp>();
  if (!pow || !oneUse(pow.getResult()) || !isConst(pow.getRhs(), 2.0) ||
      pow.getType() != pow.getLhs().getType())
    return false;
  base = pow.getLhs();
  k = *kk;
  eps = *getSplat(epsValue);
  return true;
}

/// Follows a normalized value forward into `Mul(., scale)` and
/// `Add(., bias)` when they are its only users and keep its type.
void extendAffine(Value &result, Value x, int64_t k, Value &scale,
                  Value *bias) {
  auto follow = [&](auto opTag, Value &param) {
    using OpTy = decltype(opTag);
    if (!oneUse(result))
      return false;
    auto user = dyn_cast<OpTy>(*result.getUsers().begin());
    if (!user || user.getType() != x.getType())
      return false;
    Value other = user.getLhs() == result ? user.getRhs() : user.getLhs();
    if (other == result || !isNormParam(other, x, k))
      return false;
    param = other;
    result = user.getResult();
    return true;
  };
  follow(MulOp(), scale);
  if (bias)
    follow(AddOp(), *bias);
}

//===----------------------------------------------------------------------===//
// Cleanup
//===----------------------------------------------------------------------===//

struct DropIdentity : OpRewritePattern<IdentityOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IdentityOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInput().getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

struct DropNoopCast : OpRewritePattern<CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInput().getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

/// Reshape or Expand whose (static) result type is its input's type.
template <typename OpTy> struct DropNoopReshape : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value input = op->getOperand(0);
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!type || !type.hasStaticShape() || input.getType() != type)
      return failure();
    rewriter.replaceOp(op, input);
    return success();
  }
};

/// Reshape(Reshape(x, s1), s2) with a single-use inner Reshape and a static
/// result: one Reshape to the explicit result shape.
struct FoldReshapeChain : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getData().getDefiningOp<ReshapeOp>();
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!inner || !oneUse(inner.getResult()) || !type ||
        !type.hasStaticShape() || llvm::is_contained(type.getShape(), 0))
      return failure();
    auto shapeType =
        RankedTensorType::get({type.getRank()}, rewriter.getI64Type());
    Value shape = ConstantOp::create(
        rewriter, op.getLoc(),
        cast<ElementsAttr>(DenseElementsAttr::get(shapeType, type.getShape())));
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, type, inner.getData(), shape,
                                           rewriter.getI64IntegerAttr(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// SiLU: Mul(x, Sigmoid(x))
//===----------------------------------------------------------------------===//

struct RecomposeSiLU : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    Value x, sig;
    if (!matchCommutative<MulOp>(op.getResult(), x, sig, [](Value a, Value b) {
          auto s = b.getDefiningOp<SigmoidOp>();
          return s && s.getInput() == a;
        }))
      return rewriter.notifyMatchFailure(op, "not x * Sigmoid(x)");
    if (!oneUse(sig) || !isFloatTensor(x) || op.getType() != x.getType())
      return rewriter.notifyMatchFailure(op, "shared Sigmoid or type change");
    rewriter.replaceOpWithNewOp<SiLUOp>(op, op.getType(), x);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// GELU
//===----------------------------------------------------------------------===//

/// The factors of a product rooted at `root`, looking through single-use
/// Muls (up to two levels).
void collectFactors(Value v, int depth, SmallVectorImpl<Value> &factors) {
  auto mul = v.getDefiningOp<MulOp>();
  if (mul && depth < 3 && (depth == 0 || oneUse(v))) {
    collectFactors(mul.getLhs(), depth + 1, factors);
    collectFactors(mul.getRhs(), depth + 1, factors);
    return;
  }
  factors.push_back(v);
}

/// 1 + erf(x / sqrt(2)) (or erf(x * 1/sqrt(2))).
bool matchErfBranch(Value branch, Value x) {
  Value erfValue, one;
  if (!matchCommutative<AddOp>(branch, erfValue, one, [](Value a, Value b) {
        return a.getDefiningOp<ErfOp>() && isConst(b, 1.0);
      }))
    return false;
  if (!oneUse(branch) || !oneUse(erfValue))
    return false;
  Value scaled = erfValue.getDefiningOp<ErfOp>().getInput();
  if (!oneUse(scaled))
    return false;
  if (auto div = scaled.getDefiningOp<DivOp>())
    return div.getLhs() == x && isConst(div.getRhs(), M_SQRT2);
  Value a, c;
  return matchCommutative<MulOp>(scaled, a, c, [&](Value p, Value q) {
    return p == x && isConst(q, M_SQRT1_2);
  });
}

/// 1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)).
bool matchTanhBranch(Value branch, Value x) {
  Value tanhValue, one;
  if (!matchCommutative<AddOp>(branch, tanhValue, one, [](Value a, Value b) {
        return a.getDefiningOp<TanhOp>() && isConst(b, 1.0);
      }))
    return false;
  if (!oneUse(branch) || !oneUse(tanhValue))
    return false;
  Value scaled = tanhValue.getDefiningOp<TanhOp>().getInput();
  Value inner, c;
  const double sqrt2OverPi = std::sqrt(2.0 / M_PI);
  if (!oneUse(scaled) ||
      !matchCommutative<MulOp>(scaled, inner, c, [&](Value p, Value q) {
        return isConst(q, sqrt2OverPi) && !isConst(p, sqrt2OverPi);
      }))
    return false;
  Value xx, cubic;
  if (!oneUse(inner) ||
      !matchCommutative<AddOp>(inner, xx, cubic,
                               [&](Value p, Value) { return p == x; }))
    return false;
  Value pow, c2;
  if (!oneUse(cubic) ||
      !matchCommutative<MulOp>(cubic, pow, c2, [](Value p, Value q) {
        return p.getDefiningOp<PowOp>() && isConst(q, 0.044715);
      }))
    return false;
  auto powOp = pow.getDefiningOp<PowOp>();
  return oneUse(pow) && powOp.getLhs() == x && isConst(powOp.getRhs(), 3.0);
}

struct RecomposeGelu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> factors;
    collectFactors(op.getResult(), 0, factors);
    if (factors.size() != 3)
      return rewriter.notifyMatchFailure(op, "not a product of 3 factors");
    for (int half = 0; half < 3; ++half) {
      if (!isConst(factors[half], 0.5))
        continue;
      Value p = factors[(half + 1) % 3], q = factors[(half + 2) % 3];
      for (int swap = 0; swap < 2; ++swap) {
        Value x = swap ? q : p, branch = swap ? p : q;
        if (!isFloatTensor(x) || op.getType() != x.getType())
          continue;
        StringRef approximate;
        if (matchErfBranch(branch, x))
          approximate = "none";
        else if (matchTanhBranch(branch, x))
          approximate = "tanh";
        else
          continue;
        rewriter.replaceOpWithNewOp<GeluOp>(
            op, op.getType(), x, rewriter.getStringAttr(approximate));
        return success();
      }
    }
    return rewriter.notifyMatchFailure(op, "not a GELU product");
  }
};

//===----------------------------------------------------------------------===//
// LayerNorm: (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) [* w] [+ b]
//===----------------------------------------------------------------------===//

struct RecomposeLayerNorm : OpRewritePattern<DivOp> {
  RecomposeLayerNorm(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(DivOp op,
                                PatternRewriter &rewriter) const override {
    Value d = op.getLhs();
    auto sub = d.getDefiningOp<SubOp>();
    if (!sub)
      return rewriter.notifyMatchFailure(op, "numerator is not a Sub");
    Value x = sub.getLhs();
    auto mean = sub.getRhs().getDefiningOp<ReduceMeanOp>();
    if (!mean || mean.getData() != x || !oneUse(sub.getRhs()) ||
        !isFloatTensor(x) || sub.getType() != x.getType() ||
        op.getType() != x.getType())
      return rewriter.notifyMatchFailure(op, "not x - ReduceMean(x)");
    auto k = trailingReduction(mean);
    Value base;
    int64_t k2;
    double eps;
    if (!k || !matchRootMeanSquare(op.getRhs(), base, k2, eps) || base != d ||
        k2 != *k)
      return rewriter.notifyMatchFailure(op, "denominator is not the stddev");
    // d feeds exactly the Pow and this Div.
    if (std::distance(d.getUses().begin(), d.getUses().end()) != 2)
      return rewriter.notifyMatchFailure(op, "centered value used elsewhere");

    Value result = op.getResult(), scale, bias;
    extendAffine(result, x, *k, scale, &bias);
    Operation *last = result.getDefiningOp();
    rewriter.setInsertionPoint(last);
    if (!scale)
      scale = splatParam(rewriter, op.getLoc(), x, *k, 1.0);
    if (!scale)
      return rewriter.notifyMatchFailure(op, "dynamic normalized shape");
    auto ln = LayerNormalizationOp::create(
        rewriter, last->getLoc(), x.getType(), x, scale, bias,
        rewriter.getI64IntegerAttr(-*k), rewriter.getF32FloatAttr(eps),
        rewriter.getI64IntegerAttr(1));
    rewriter.replaceOp(last, ln.getResult());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// RMSNorm: x * Reciprocal(Sqrt(mean(x^2) + eps)) [* w]
//===----------------------------------------------------------------------===//

struct RecomposeRMSNorm : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    // x * r with r = Reciprocal(s) or Div(1, s).
    Value x, r;
    if (!matchCommutative<MulOp>(op.getResult(), x, r, [](Value, Value b) {
          if (b.getDefiningOp<ReciprocalOp>())
            return true;
          auto div = b.getDefiningOp<DivOp>();
          return div && isConst(div.getLhs(), 1.0);
        }))
      return rewriter.notifyMatchFailure(op, "not x * 1/s");
    if (!oneUse(r))
      return rewriter.notifyMatchFailure(op, "reciprocal used elsewhere");
    Value s;
    if (auto recip = r.getDefiningOp<ReciprocalOp>()) {
      s = recip.getInput();
    } else {
      auto div = r.getDefiningOp<DivOp>();
      auto oneType = dyn_cast<RankedTensorType>(div.getLhs().getType());
      if (!oneType || oneType.getNumElements() != 1 ||
          div.getType() != div.getRhs().getType())
        return rewriter.notifyMatchFailure(op, "1 broadcasts");
      s = div.getRhs();
    }
    return rewrite(op, x, s, rewriter);
  }

  static LogicalResult rewrite(Operation *op, Value x, Value s,
                               PatternRewriter &rewriter) {
    Value base;
    int64_t k;
    double eps;
    if (!isFloatTensor(x) || op->getResult(0).getType() != x.getType() ||
        !matchRootMeanSquare(s, base, k, eps) || base != x)
      return rewriter.notifyMatchFailure(op, "not x / rms(x)");
    Value result = op->getResult(0), scale;
    extendAffine(result, x, k, scale, nullptr);
    Operation *last = result.getDefiningOp();
    rewriter.setInsertionPoint(last);
    if (!scale)
      scale = splatParam(rewriter, op->getLoc(), x, k, 1.0);
    if (!scale)
      return rewriter.notifyMatchFailure(op, "dynamic normalized shape");
    auto rms = RMSNormalizationOp::create(
        rewriter, last->getLoc(), x.getType(), x, scale,
        rewriter.getI64IntegerAttr(-k), rewriter.getF32FloatAttr(eps));
    rewriter.replaceOp(last, rms.getResult());
    return success();
  }
};

/// x / Sqrt(mean(x^2) + eps) [* w]. LayerNorm's core has the same form with
/// x = d - mean(d); the LayerNorm pattern has a higher benefit and wins.
struct RecomposeRMSNormDiv : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp op,
                                PatternRewriter &rewriter) const override {
    return RecomposeRMSNorm::rewrite(op, op.getLhs(), op.getRhs(), rewriter);
  }
};

} // namespace

void wse::onnxir::populateONNXCleanupPatterns(RewritePatternSet &patterns) {
  patterns.add<DropIdentity, DropNoopCast, DropNoopReshape<ReshapeOp>,
               DropNoopReshape<ExpandOp>, FoldReshapeChain>(
      patterns.getContext());
}

void wse::onnxir::populateONNXRecomposePatterns(RewritePatternSet &patterns) {
  patterns.add<RecomposeSiLU, RecomposeGelu, RecomposeLayerNorm,
               RecomposeRMSNorm, RecomposeRMSNormDiv>(patterns.getContext());
}

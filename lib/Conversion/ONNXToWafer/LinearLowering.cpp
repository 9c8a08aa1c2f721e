//===- LinearLowering.cpp - MatMul and Gemm to linear/matmul --------------===//
//
// A product with a weight (a streamed parameter or a small constant, maybe
// transposed) is a wafer.linear: the weight streams in and meets resident
// activations. A product of two activations is a wafer.matmul. Gemm's
// alpha, beta and a C that is not a plain bias become one elementwise
// epilogue computing alpha * y + beta * c like the reference kernel.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Traits.h"

using namespace mlir;
using namespace wse;
using namespace wse::onnxtowafer;

/// Weights stored inline are fine as linear operands when they are small.
static constexpr int64_t kMaxConstantWeight = 1024;

namespace {
struct Weight {
  Value value;
  bool transposed;
};
} // namespace

static bool isWeightValue(Value value) {
  auto type = tensorType(value);
  if (type.getRank() != 2 || !isa<FloatType>(type.getElementType()))
    return false;
  if (value.getDefiningOp<wafer::StreamOp>())
    return true;
  return value.getDefiningOp<wafer::ConstantOp>() &&
         type.getNumElements() < kMaxConstantWeight;
}

/// The weight `value` reads, if it is one: directly, or through a [1, 0]
/// transpose, which then becomes the linear's `transpose_weight` (the
/// transpose and its stream are erased once unused).
static std::optional<Weight> asWeight(OpBuilder &b, Value value) {
  if (isWeightValue(value))
    return Weight{value, false};
  auto transpose = value.getDefiningOp<wafer::TransposeOp>();
  if (!transpose || transpose.getPerm() != ArrayRef<int64_t>{1, 0} ||
      !isWeightValue(transpose.getInput()))
    return std::nullopt;
  Value weight = transpose.getInput();
  // The stream belonged to the transpose; the linear gets its own.
  if (auto stream = weight.getDefiningOp<wafer::StreamOp>())
    weight = b.clone(*stream)->getResult(0);
  return Weight{weight, true};
}

static Value transpose2D(OpBuilder &b, Location loc, Value value) {
  auto type = tensorType(value);
  SmallVector<int64_t> shape{type.getDimSize(1), type.getDimSize(0)};
  return wafer::TransposeOp::create(b, loc, type.clone(shape), value,
                                    b.getDenseI64ArrayAttr({1, 0}),
                                    mesh::RectAttr());
}

/// ONNX MatMul of two activations: rank-1 operands become matrices (a row
/// for the lhs, a column for the rhs) and the result is reshaped back.
static Value matmulActivations(OpBuilder &b, Location loc, Value lhs, Value rhs,
                               RankedTensorType resultType) {
  auto lshape = tensorType(lhs).getShape();
  auto rshape = tensorType(rhs).getShape();
  if (lshape.size() == 1)
    lhs = reshapeTo(b, loc, lhs, {1, lshape[0]});
  if (rshape.size() == 1)
    rhs = reshapeTo(b, loc, rhs, {rshape[0], 1});
  lshape = tensorType(lhs).getShape();
  rshape = tensorType(rhs).getShape();
  SmallVector<int64_t> shape;
  OpTrait::util::getBroadcastedShape(lshape.drop_back(2), rshape.drop_back(2),
                                     shape);
  shape.push_back(lshape[lshape.size() - 2]);
  shape.push_back(rshape.back());
  Value product = wafer::MatmulOp::create(b, loc, resultType.clone(shape), lhs,
                                          rhs, mesh::RectAttr());
  return reshapeTo(b, loc, product, resultType.getShape());
}

static LogicalResult checkFloat(Operation *op) {
  for (Type type :
       llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes()))
    if (!isa<FloatType>(cast<RankedTensorType>(type).getElementType()))
      return cannotLower(op)
             << "wafer products compute on floats, got " << type;
  return success();
}

static Lowered lowerMatMul(onnxir::MatMulOp op, OpBuilder &b) {
  if (failed(checkFloat(op)))
    return fail(failure());
  Location loc = op.getLoc();
  auto resultType = tensorType(op.getOutput());
  if (auto weight = asWeight(b, op.getB()))
    return done(wafer::LinearOp::create(b, loc, resultType, op.getA(),
                                        weight->value, Value(),
                                        weight->transposed, mesh::RectAttr())
                    .getOutput());
  return done(matmulActivations(b, loc, op.getA(), op.getB(), resultType));
}

static Lowered lowerGemm(onnxir::GemmOp op, OpBuilder &b) {
  if (failed(checkFloat(op)))
    return fail(failure());
  Location loc = op.getLoc();
  auto resultType = tensorType(op.getOutput());
  int64_t n = resultType.getDimSize(1);
  float alpha = op.getAlpha().convertToFloat();
  float beta = op.getBeta().convertToFloat();
  Value a = op.getTransA() ? transpose2D(b, loc, op.getA()) : op.getA();
  Value c = op.getC();

  Value product;
  if (auto weight = asWeight(b, op.getB())) {
    // A [N] or [1, N] C added once per row is the linear's bias.
    Value bias;
    auto cShape = c ? tensorType(c).getShape() : ArrayRef<int64_t>();
    if (c && alpha == 1.0f && beta == 1.0f &&
        (cShape == ArrayRef<int64_t>{n} || cShape == ArrayRef<int64_t>{1, n})) {
      bias = reshapeTo(b, loc, c, {n});
      c = Value();
    }
    bool transposed = weight->transposed != bool(op.getTransB());
    product = wafer::LinearOp::create(b, loc, resultType, a, weight->value,
                                      bias, transposed, mesh::RectAttr());
  } else {
    Value rhs = op.getTransB() ? transpose2D(b, loc, op.getB()) : op.getB();
    product =
        wafer::MatmulOp::create(b, loc, resultType, a, rhs, mesh::RectAttr());
  }
  if (alpha == 1.0f && !c)
    return done(product);

  // alpha * y + beta * c, leaving out multiplications by one (exact).
  SmallVector<Value> inputs{product};
  if (c)
    inputs.push_back(c);
  Value result = buildElementwise(
      b, loc, inputs, resultType,
      [&](OpBuilder &b, Location loc, ValueRange v) -> Value {
        Type t = v[0].getType();
        Value y = v[0];
        if (alpha != 1.0f)
          y = arith::MulFOp::create(b, loc, scalarFloat(b, loc, t, alpha), y);
        if (v.size() < 2)
          return y;
        Value z = v[1];
        if (beta != 1.0f)
          z = arith::MulFOp::create(b, loc, scalarFloat(b, loc, t, beta), z);
        return arith::AddFOp::create(b, loc, y, z);
      });
  return done(result);
}

Lowered onnxtowafer::lowerLinearOp(Operation *op, OpBuilder &b) {
  if (auto matmul = dyn_cast<onnxir::MatMulOp>(op))
    return lowerMatMul(matmul, b);
  if (auto gemm = dyn_cast<onnxir::GemmOp>(op))
    return lowerGemm(gemm, b);
  return std::nullopt;
}

//===- ONNXToWafer.cpp - The convert-onnx-to-wafer pass driver ------------===//
//
// A walk and rewrite, not a dialect conversion: ops are lowered one by one in
// program order, so a lowering sees its operands already in wafer form and can
// match on them (a weight is a wafer.stream, a shape is a wafer.constant).
// Steps: parameters, one stream per weight use, every onnx op, dead-op
// cleanup, then a check that no onnx op is left.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "wse/Conversion/Passes.h"
#include "wse/Support/TrainingTags.h"

#include "dialects/wafer/IR/WaferDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/RegionUtils.h"

namespace wse {
#define GEN_PASS_DEF_CONVERTONNXTOWAFER
#include "wse/Conversion/Passes.h.inc"
} // namespace wse

using namespace mlir;
using namespace wse;
using namespace wse::onnxtowafer;

static bool isONNX(Operation *op) {
  return op->getDialect() && op->getDialect()->getNamespace() == "onnx";
}

static bool isStatic(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape();
}

/// Wafer ops need static shapes; say which value is not.
static LogicalResult checkStatic(Operation *op) {
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (!isStatic(type))
      return cannotLower(op, "operand #" + Twine(i) +
                                 " does not have a static shape (run "
                                 "--onnx-prepare with static input shapes)");
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (!isStatic(type))
      return cannotLower(op, "result #" + Twine(i) +
                                 " does not have a static shape (run "
                                 "--onnx-prepare with static input shapes)");
  return success();
}

/// onnx.parameter becomes wafer.parameter with the same attributes (name,
/// type, file, offset, length and any provenance).
static LogicalResult lowerParameter(onnxir::ParameterOp param) {
  auto type = dyn_cast<RankedTensorType>(param.getType());
  if (!type || !type.hasStaticShape())
    return cannotLower(param, "parameter type is not static");
  OpBuilder b(param);
  OperationState state(param.getLoc(), wafer::ParameterOp::getOperationName());
  state.addAttributes(param->getAttrs());
  b.create(state);
  param.erase();
  return success();
}

/// Each use of a weight gets its own wafer.stream, just before the user:
/// weights are consumed on arrival, so a tied embedding and LM head read the
/// same parameter at two different times.
static void streamParamRefs(ModuleOp module) {
  SmallVector<onnxir::ParamRefOp> refs;
  module.walk([&](onnxir::ParamRefOp ref) { refs.push_back(ref); });
  for (onnxir::ParamRefOp ref : refs) {
    for (OpOperand &use : llvm::make_early_inc_range(ref->getUses())) {
      OpBuilder b(use.getOwner());
      auto stream = wafer::StreamOp::create(
          b, ref.getLoc(), ref.getType(), ref.getNameAttr(), mesh::RectAttr(),
          UnitAttr(), IntegerAttr(), IntegerAttr(), IntegerAttr(),
          IntegerAttr(), IntegerAttr());
      use.set(stream);
    }
    ref.erase();
  }
}

/// Ops with no lowering get a reason a user can act on.
static LogicalResult noLowering(Operation *op) {
  StringRef name = op->getName().stripDialect();
  if (name == "Shape" || name == "Range" || name == "ConstantOfShape")
    return cannotLower(op, "shape computations must be folded away first "
                           "(run --onnx-prepare with static input shapes)");
  if (name == "Trilu" || name == "CumSum")
    return cannotLower(op, "no wafer op computes it; it must be constant "
                           "(run --onnx-prepare to fold masks)");
  return cannotLower(op, "no lowering exists for this op");
}

/// The training tags of `op` (wse/Support/TrainingTags.h) go to the ops its
/// lowering made, which sit between `prev` and `op`.
static void copyTrainingTags(Operation *op, Operation *prev) {
  SmallVector<NamedAttribute> tags;
  for (NamedAttribute attr : op->getDiscardableAttrs())
    if (training::isTrainingTag(attr.getName()))
      tags.push_back(attr);
  if (tags.empty())
    return;
  Operation *made = prev ? prev->getNextNode() : &op->getBlock()->front();
  for (; made != op; made = made->getNextNode())
    for (NamedAttribute tag : tags)
      made->setAttr(tag.getName(), tag.getValue());
}

static LogicalResult lowerOp(Operation *op) {
  if (failed(checkStatic(op)))
    return failure();
  Operation *prev = op->getPrevNode();
  OpBuilder b(op);
  Lowered lowered;
  for (auto group :
       {lowerElementwiseOp, lowerLinearOp, lowerLayerOp, lowerShapeOp}) {
    lowered = group(op, b);
    if (lowered)
      break;
  }
  if (!lowered)
    return noLowering(op);
  if (failed(*lowered))
    return failure();
  SmallVector<Value> &values = **lowered;
  if (values.size() != op->getNumResults())
    return op->emitOpError("internal error: lowering produced ")
           << values.size() << " values for " << op->getNumResults()
           << " results";
  for (auto [old, value] : llvm::zip(op->getResults(), values))
    if (old.getType() != value.getType())
      return op->emitOpError("internal error: lowering produced ")
             << value.getType() << " for a result of type " << old.getType();
  copyTrainingTags(op, prev);
  op->replaceAllUsesWith(values);
  op->erase();
  return success();
}

/// Removes wafer ops left without users (a transpose folded into a linear,
/// the stream it read, a constant only a shape operand used).
static void eraseDeadWaferOps(ModuleOp module) {
  SmallVector<Operation *> ops;
  module.walk([&](Operation *op) {
    if (isa<wafer::WaferDialect>(op->getDialect()) &&
        !isa<wafer::ParameterOp, wafer::YieldOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : llvm::reverse(ops))
    if (op->use_empty() && op->getNumResults() > 0 &&
        (isa<wafer::StreamOp>(op) || isMemoryEffectFree(op)))
      op->erase();
}

namespace {
struct ConvertONNXToWafer
    : wse::impl::ConvertONNXToWaferBase<ConvertONNXToWafer> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool ok = true;
    SmallVector<onnxir::ParameterOp> params;
    module.walk([&](onnxir::ParameterOp p) { params.push_back(p); });
    for (onnxir::ParameterOp param : params)
      ok &= succeeded(lowerParameter(param));

    streamParamRefs(module);

    // Program order: producers are lowered before their consumers. Ops
    // nested in onnx ops are not expected (the dialect has no regions).
    SmallVector<Operation *> ops;
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isONNX(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      ok &= succeeded(lowerOp(op));
    if (!ok)
      return signalPassFailure();

    eraseDeadWaferOps(module);
    module.walk([&](Operation *op) {
      if (isONNX(op)) {
        op->emitOpError("remains after convert-onnx-to-wafer");
        ok = false;
      }
    });
    if (!ok)
      signalPassFailure();
  }
};
} // namespace

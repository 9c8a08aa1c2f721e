//===- Staticize.cpp - Fold shape computations to static types ------------===//
//
// Drives shape inference (ShapeInference.cpp) and constant evaluation
// (ConstantEval.cpp) to a fixpoint over every function of the module:
//
//   repeat until nothing changes:
//     for each op in program order:
//       refine its result types from its operands;
//       if its result is fully determined and small, replace it by an
//       onnx.Constant.
//
// Then the function signature takes the refined result types, dead pure ops
// (the folded shape computations) are erased, and the first op whose result
// is still dynamic is reported.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Transforms/ConstantEval.h"
#include "dialects/onnx/Transforms/Passes.h"
#include "dialects/onnx/Transforms/ShapeChecks.h"
#include "dialects/onnx/Transforms/ShapeInference.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/Support/FormatVariadic.h"

namespace wse::onnxir {
#define GEN_PASS_DEF_ONNXSTATICIZE
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace wse::onnxir

using namespace mlir;
using namespace wse::onnxir;

namespace {

bool isStaticType(Type t) {
  auto shaped = dyn_cast<ShapedType>(t);
  return !shaped || (shaped.hasRank() && shaped.hasStaticShape());
}

bool isONNXOp(Operation *op) {
  return isa_and_nonnull<ONNXDialect>(op->getDialect());
}

struct ONNXStaticizePass
    : wse::onnxir::impl::ONNXStaticizeBase<ONNXStaticizePass> {
  using Base::Base;

  /// Set when a model error was reported; the pass then fails.
  bool invalid = false;

  /// One sweep over `func` in program order. Returns whether anything
  /// changed.
  bool sweep(func::FuncOp func) {
    bool changed = false;
    OpBuilder builder(func.getContext());
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (isONNXOp(op) && !isa<ConstantOp, ParamRefOp>(op))
        ops.push_back(op);
    });
    SmallVector<MaybeShape> shapes;
    for (Operation *op : ops) {
      if (invalid)
        return false;
      // An invalid shape operand is a model error: stop and report it.
      if (std::optional<std::string> why = findInvalidShape(op)) {
        op->emitError() << "invalid " << op->getName() << ": " << *why;
        invalid = true;
        return false;
      }
      // (a) Refine the result types.
      if (inferResultShapes(op, shapes)) {
        for (auto [result, shape] : llvm::zip(op->getResults(), shapes)) {
          Type refined = refineType(result.getType(), shape);
          if (refined != result.getType()) {
            if (std::optional<std::string> why = checkElementCount(refined)) {
              op->emitError()
                  << "invalid " << op->getName() << ": its inferred " << *why;
              invalid = true;
              return false;
            }
            result.setType(refined);
            changed = true;
          }
        }
      }
      // (b) Evaluate what is fully determined. Weights (param_ref) are
      // never constants, so nothing computed from them is folded here.
      if (!llvm::all_of(op->getResultTypes(), isStaticType))
        continue;
      SmallVector<DenseElementsAttr> values =
          evaluateConstant(op, maxFoldElements);
      if (values.empty())
        continue;
      builder.setInsertionPoint(op);
      for (auto [result, value] : llvm::zip(op->getResults(), values)) {
        auto cst = ConstantOp::create(builder, op->getLoc(),
                                      cast<ElementsAttr>(value));
        result.replaceAllUsesWith(cst.getResult());
      }
      op->erase();
      changed = true;
    }
    return changed;
  }

  /// The results' refined types become the function's result types.
  void updateSignature(func::FuncOp func) {
    if (func.isExternal())
      return;
    auto ret = dyn_cast<func::ReturnOp>(func.getBody().back().getTerminator());
    if (!ret)
      return;
    SmallVector<Type> results(ret.getOperandTypes());
    SmallVector<Type> args(func.getBody().front().getArgumentTypes());
    auto type = FunctionType::get(func.getContext(), args, results);
    if (type != func.getFunctionType())
      func.setFunctionType(type);
  }

  /// A Reshape with a static result gets an explicit shape vector (no 0
  /// or -1 entries), so later passes read the shape off the operand or
  /// the type alike.
  void makeReshapesExplicit(func::FuncOp func) {
    OpBuilder builder(func.getContext());
    func.walk([&](ReshapeOp op) {
      auto type = dyn_cast<RankedTensorType>(op.getType());
      auto known = getKnownIntegers(op.getShape());
      if (!type || !type.hasStaticShape() || !known ||
          (llvm::is_contained(type.getShape(), 0) && !op.getAllowzero()) ||
          llvm::equal(*known, type.getShape()))
        return;
      builder.setInsertionPoint(op);
      auto shapeType =
          RankedTensorType::get({type.getRank()}, builder.getI64Type());
      auto cst = ConstantOp::create(builder, op.getLoc(),
                                    cast<ElementsAttr>(DenseElementsAttr::get(
                                        shapeType, type.getShape())));
      op.getShapeMutable().assign(cst.getResult());
    });
  }

  void eraseDeadOps(func::FuncOp func) {
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) { ops.push_back(op); });
    for (Operation *op : llvm::reverse(ops))
      if (op != func && isOpTriviallyDead(op))
        op->erase();
  }

  /// Reports the first value that is still dynamic. Returns failure if it
  /// is an error.
  LogicalResult reportDynamic(func::FuncOp func) {
    auto report = [&](Operation *at, const Twine &msg) -> LogicalResult {
      if (allowDynamic) {
        at->emitWarning(msg);
        return success();
      }
      at->emitError(msg);
      return failure();
    };
    if (!func.isExternal()) {
      for (BlockArgument arg : func.getArguments())
        if (!isStaticType(arg.getType()))
          return report(func, "cannot make argument #" +
                                  Twine(arg.getArgNumber()) + " of @" +
                                  func.getSymName() + " static: its type " +
                                  llvm::formatv("{0}", arg.getType()).str() +
                                  " has dynamic dimensions (pin them at "
                                  "import with --input-shape)");
    }
    LogicalResult result = success();
    func.walk([&](Operation *op) {
      if (llvm::all_of(op->getResultTypes(), isStaticType))
        return WalkResult::advance();
      result = report(op, "cannot make the result of " +
                              op->getName().getStringRef() +
                              " static: " + explainDynamicResult(op));
      return WalkResult::interrupt();
    });
    return result;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool failedAny = false;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      // Each sweep either changes a type (a dimension becomes static, and
      // there are finitely many) or folds an op, so this terminates; the
      // bound is a safety net.
      for (int iter = 0; iter < 1000 && sweep(func); ++iter) {
      }
      if (invalid) {
        signalPassFailure();
        return;
      }
      updateSignature(func);
      makeReshapesExplicit(func);
      eraseDeadOps(func);
      if (failed(reportDynamic(func)))
        failedAny = true;
    }
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace

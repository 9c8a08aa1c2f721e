//===- TrainingStep.cpp - The loss and gradients of a forward function ----===//
//
// Clones the forward function into @train_step with the trainable
// parameters as arguments, appends the loss, then walks the cloned ops in
// reverse, asking each op's gradient rule for its operands' gradients.
// Only "active" values (float values computed from a trainable parameter)
// get gradients, so shape arithmetic, masks and constant tables need no
// rules; an active op without a rule is an error that names it.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Training/GradientRules.h"
#include "dialects/onnx/Training/Loss.h"
#include "dialects/onnx/Training/Passes.h"
#include "wse/Support/TrainingTags.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

namespace wse::onnxir {
#define GEN_PASS_DEF_ONNXTRAININGSTEP
#include "dialects/onnx/Training/Passes.h.inc"
} // namespace wse::onnxir

using namespace mlir;
using namespace wse::onnxir;

namespace {

constexpr StringLiteral kStepName = "train_step";

bool isFloatTensor(Type t) {
  auto ranked = dyn_cast<RankedTensorType>(t);
  return ranked && isa<FloatType>(ranked.getElementType());
}

struct TrainingStepPass
    : wse::onnxir::impl::ONNXTrainingStepBase<TrainingStepPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp forward = findForward(module);
    if (!forward)
      return signalPassFailure();
    SmallVector<ParameterOp> trainable;
    if (failed(collectTrainable(module, trainable)) ||
        failed(checkSignature(forward)))
      return signalPassFailure();
    if (failed(buildStep(module, forward, trainable)))
      return signalPassFailure();
  }

  func::FuncOp findForward(ModuleOp module) {
    if (module.lookupSymbol(kStepName)) {
      module.emitError("the module already has a function named '")
          << kStepName << "'";
      return {};
    }
    for (auto f : module.getOps<func::FuncOp>())
      if (!f.isExternal() && (entry.empty() || f.getSymName() == entry))
        return f;
    module.emitError(entry.empty() ? std::string("no function with a body")
                                   : "no function named '" + entry + "'");
    return {};
  }

  LogicalResult collectTrainable(ModuleOp module,
                                 SmallVectorImpl<ParameterOp> &out) {
    if (params.empty()) {
      for (auto p : module.getOps<ParameterOp>())
        if (isFloatTensor(p.getType()))
          out.push_back(p);
      return success();
    }
    for (const std::string &name : params) {
      auto p = module.lookupSymbol<ParameterOp>(name);
      if (!p)
        return module.emitError("no parameter named '") << name << "' to train";
      if (!isFloatTensor(p.getType()))
        return p.emitError("parameter '")
               << name << "' is not a float tensor and cannot be trained";
      out.push_back(p);
    }
    return success();
  }

  LogicalResult checkSignature(func::FuncOp f) {
    FunctionType type = f.getFunctionType();
    auto ids = type.getNumInputs() == 1
                   ? dyn_cast<RankedTensorType>(type.getInput(0))
                   : RankedTensorType();
    if (!ids || ids.getRank() != 2 || !ids.hasStaticShape() ||
        !isa<IntegerType>(ids.getElementType()))
      return f.emitError("the forward function must take one static integer "
                         "tensor of token ids [batch, sequence]");
    auto logits = type.getNumResults() >= 1
                      ? dyn_cast<RankedTensorType>(type.getResult(0))
                      : RankedTensorType();
    if (!logits || !isFloatTensor(logits) || logits.getRank() != 3 ||
        !logits.hasStaticShape() ||
        logits.getShape().take_front(2) != ids.getShape())
      return f.emitError("the forward function's first result must be static "
                         "float logits [batch, sequence, vocab] matching the "
                         "ids");
    if (ids.getDimSize(1) < 2)
      return f.emitError("next-token loss needs a sequence of at least 2 "
                         "tokens");
    return success();
  }

  LogicalResult buildStep(ModuleOp module, func::FuncOp forward,
                          ArrayRef<ParameterOp> trainable) {
    MLIRContext *ctx = module.getContext();
    Type ids = forward.getFunctionType().getInput(0);
    SmallVector<Type> inputs{ids, ids},
        results{RankedTensorType::get({}, Float32Type::get(ctx))};
    for (ParameterOp p : trainable) {
      inputs.push_back(p.getType());
      results.push_back(p.getType());
    }
    SmallVector<ParameterOp> params(trainable);
    OpBuilder b(ctx);
    b.setInsertionPointAfter(forward);
    auto step = func::FuncOp::create(b, forward.getLoc(), kStepName,
                                     b.getFunctionType(inputs, results));
    auto name = [&](StringRef n) {
      return b.getNamedAttr("onnx.name", b.getStringAttr(n));
    };
    step.setArgAttrs(0, {name("input_ids")});
    step.setArgAttrs(1, {name("labels")});
    step.setResultAttrs(0, {name("loss")});
    for (auto [i, p] : llvm::enumerate(params)) {
      step.setArgAttrs(2 + i, {name(p.getSymName())});
      step.setResultAttrs(1 + i, {name(("grad." + p.getSymName()).str())});
    }
    Block *body = step.addEntryBlock();
    b.setInsertionPointToStart(body);

    // Forward, with trainable param_refs replaced by the arguments.
    llvm::StringMap<Value> paramArg;
    for (auto [i, p] : llvm::enumerate(params))
      paramArg[p.getSymName()] = body->getArgument(2 + i);
    IRMapping map;
    map.map(forward.getArgument(0), body->getArgument(0));
    SmallVector<Operation *> ops;
    Block &fwdBody = forward.getBody().front();
    for (Operation &op : fwdBody.without_terminator()) {
      if (auto ref = dyn_cast<ParamRefOp>(op)) {
        auto it = paramArg.find(ref.getName());
        if (it != paramArg.end()) {
          map.map(ref.getResult(), it->second);
          continue;
        }
      }
      Operation *clone = b.clone(op, map);
      clone->setAttr(wse::training::kForwardTag,
                     b.getI64IntegerAttr(ops.size()));
      ops.push_back(clone);
    }
    Value logits = map.lookup(fwdBody.getTerminator()->getOperand(0));

    // Activity: float values computed from a trainable parameter.
    DenseSet<Value> active(body->args_begin() + 2, body->args_end());
    for (Operation *op : ops)
      if (llvm::any_of(op->getOperands(),
                       [&](Value v) { return active.contains(v); }))
        for (Value r : op->getResults())
          if (isFloatTensor(r.getType()))
            active.insert(r);
    if (!active.contains(logits))
      return forward.emitError(
          "the logits do not depend on any trainable parameter");

    GradientBuilder gb(b, forward.getLoc());
    Operation *lastForward = &body->back();
    LossWithGradient loss =
        buildNextTokenLoss(logits, body->getArgument(1), gb);
    tagSince(lastForward, wse::training::kLossTag, b.getUnitAttr());
    DenseMap<Value, Value> grads;
    grads[logits] = loss.logitsGrad;
    if (failed(backward(ops, active, grads, gb)))
      return failure();

    SmallVector<Value> returned{loss.loss};
    for (BlockArgument arg : body->getArguments().drop_front(2)) {
      Value g = grads.lookup(arg);
      returned.push_back(g ? g : gb.zerosLike(GradientBuilder::typeOf(arg)));
    }
    func::ReturnOp::create(b, forward.getLoc(), returned);
    return success();
  }

  LogicalResult backward(ArrayRef<Operation *> ops,
                         const DenseSet<Value> &active,
                         DenseMap<Value, Value> &grads, GradientBuilder &gb) {
    const GradientRuleTable &rules = gradientRules();
    for (int64_t index = int64_t(ops.size()) - 1; index >= 0; --index) {
      Operation *op = ops[index];
      SmallVector<Value> resultGrads;
      for (Value r : op->getResults())
        resultGrads.push_back(grads.lookup(r));
      if (llvm::all_of(resultGrads, [](Value g) { return !g; }))
        continue;
      auto rule = rules.find(op->getName().getStringRef());
      if (rule == rules.end())
        return op->emitError("no gradient rule for '")
               << op->getName()
               << "' (it is on a path from a trainable parameter to the loss)";
      SmallVector<bool> needed;
      for (Value v : op->getOperands())
        needed.push_back(active.contains(v));
      SmallVector<Value> operandGrads(op->getNumOperands());
      gb.setLocation(op->getLoc());
      Operation *last = &op->getBlock()->back();
      if (failed(rule->second({op, resultGrads, needed}, operandGrads, gb)))
        return failure();
      for (auto [v, g, need] :
           llvm::zip(op->getOperands(), operandGrads, needed)) {
        if (!need || !g)
          continue;
        if (g.getType() != v.getType())
          return op->emitError("internal error: the gradient rule of '")
                 << op->getName() << "' built " << g.getType()
                 << " for an operand of type " << v.getType();
        Value &acc = grads[v];
        acc = acc ? gb.add(acc, g) : g;
      }
      tagSince(last, wse::training::kGradientOfTag,
               gb.builder().getI64IntegerAttr(index));
    }
    return success();
  }

  /// Tags the ops appended to the block after `last` (wafer-training-step
  /// reads the tags back after the lowering).
  static void tagSince(Operation *last, StringRef tag, Attribute value) {
    for (Operation *op = last->getNextNode(); op; op = op->getNextNode())
      op->setAttr(tag, value);
  }
};

} // namespace

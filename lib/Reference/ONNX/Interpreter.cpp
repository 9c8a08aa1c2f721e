//===- Interpreter.cpp - The op-by-op driver ------------------------------===//
//
// Walks the function body in program order, maps each onnx op to its kernel
// (Kernels.h), checks every result against the type the IR declares (so a
// wrong shape inference is reported at the op that has it) and frees each
// value after its last use. evaluateOp is the same per-op step on its own,
// for the constant folder.
//
//===----------------------------------------------------------------------===//

#include "wse/Reference/ONNXInterpreter.h"

#include "dialects/onnx/IR/ONNXOps.h"
#include "wse/Reference/Driver.h"
#include "wse/Reference/Kernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/DebugStringHelper.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse::ref;
namespace onnx = wse::onnxir;

std::string wse::ref::locString(Location loc) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    os << file.getFilename().getValue() << ":" << file.getLine() << ":"
       << file.getColumn();
  } else if (auto name = dyn_cast<NameLoc>(loc)) {
    os << "'" << name.getName().getValue() << "'";
    if (!isa<UnknownLoc>(name.getChildLoc()))
      os << " (" << locString(name.getChildLoc()) << ")";
  } else if (auto fused = dyn_cast<FusedLoc>(loc)) {
    llvm::interleave(
        fused.getLocations(), os, [&](Location l) { os << locString(l); },
        ", ");
  } else {
    loc.print(os);
  }
  return s;
}

llvm::Error wse::ref::opError(Operation *op, const llvm::Twine &msg) {
  return makeError(locString(op->getLoc()) + ": " +
                   op->getName().getStringRef() + ": " + msg);
}

namespace {
/// Evaluates one op given its operand values.
class OpEvaluator {
public:
  /// `interp` reads parameters; it is null for a lone op (evaluateOp), which
  /// then cannot evaluate onnx.param_ref.
  OpEvaluator(ONNXInterpreter *interp, llvm::ArrayRef<const Tensor *> in)
      : interp(interp), in(in) {}

  llvm::Expected<Results> eval(Operation *op);

private:
  const Tensor &arg(unsigned k) { return *in[k]; }
  llvm::Expected<Results> unaryOp(UnaryKind k) {
    return wrap(unary(k, arg(0)));
  }
  llvm::Expected<Results> binaryOp(BinaryKind k) {
    return wrap(binary(k, arg(0), arg(1)));
  }
  llvm::Expected<Results> reduceOp(ReduceKind k, Operation *op);

  ONNXInterpreter *interp;
  llvm::ArrayRef<const Tensor *> in;
};
} // namespace

llvm::Expected<Results> OpEvaluator::reduceOp(ReduceKind k, Operation *op) {
  auto run = [&](auto r) {
    return wrap(reduce(k, arg(0), r.getAxes(), r.getKeepdims() != 0,
                       r.getNoopWithEmptyAxes() != 0));
  };
  if (auto r = dyn_cast<onnx::ReduceMeanOp>(op))
    return run(r);
  if (auto r = dyn_cast<onnx::ReduceSumOp>(op))
    return run(r);
  return run(cast<onnx::ReduceMaxOp>(op));
}

llvm::Expected<Results> OpEvaluator::eval(Operation *op) {
  using R = llvm::Expected<Results>;
  return llvm::TypeSwitch<Operation *, R>(op)
      // Elementwise.
      .Case([&](onnx::SqrtOp) { return unaryOp(UnaryKind::Sqrt); })
      .Case([&](onnx::ReciprocalOp) { return unaryOp(UnaryKind::Reciprocal); })
      .Case([&](onnx::ExpOp) { return unaryOp(UnaryKind::Exp); })
      .Case([&](onnx::LogOp) { return unaryOp(UnaryKind::Log); })
      .Case([&](onnx::ErfOp) { return unaryOp(UnaryKind::Erf); })
      .Case([&](onnx::TanhOp) { return unaryOp(UnaryKind::Tanh); })
      .Case([&](onnx::SigmoidOp) { return unaryOp(UnaryKind::Sigmoid); })
      .Case([&](onnx::SinOp) { return unaryOp(UnaryKind::Sin); })
      .Case([&](onnx::CosOp) { return unaryOp(UnaryKind::Cos); })
      .Case([&](onnx::SiLUOp) { return unaryOp(UnaryKind::SiLU); })
      .Case([&](onnx::GeluOp g) -> R {
        if (g.getApproximate() == "none")
          return unaryOp(UnaryKind::GeluNone);
        if (g.getApproximate() == "tanh")
          return unaryOp(UnaryKind::GeluTanh);
        return makeError("unknown approximate \"" + g.getApproximate() + "\"");
      })
      .Case([&](onnx::NegOp) { return unaryOp(UnaryKind::Neg); })
      .Case([&](onnx::AbsOp) { return unaryOp(UnaryKind::Abs); })
      .Case([&](onnx::ReluOp) { return unaryOp(UnaryKind::Relu); })
      .Case([&](onnx::IdentityOp) { return unaryOp(UnaryKind::Identity); })
      .Case([&](onnx::NotOp) { return unaryOp(UnaryKind::Not); })
      .Case([&](onnx::AddOp) { return binaryOp(BinaryKind::Add); })
      .Case([&](onnx::SubOp) { return binaryOp(BinaryKind::Sub); })
      .Case([&](onnx::MulOp) { return binaryOp(BinaryKind::Mul); })
      .Case([&](onnx::DivOp) { return binaryOp(BinaryKind::Div); })
      .Case([&](onnx::MaxOp) { return binaryOp(BinaryKind::Max); })
      .Case([&](onnx::MinOp) { return binaryOp(BinaryKind::Min); })
      .Case([&](onnx::PowOp) { return binaryOp(BinaryKind::Pow); })
      .Case([&](onnx::EqualOp) { return binaryOp(BinaryKind::Equal); })
      .Case([&](onnx::LessOp) { return binaryOp(BinaryKind::Less); })
      .Case([&](onnx::GreaterOp) { return binaryOp(BinaryKind::Greater); })
      .Case([&](onnx::AndOp) { return binaryOp(BinaryKind::And); })
      .Case([&](onnx::OrOp) { return binaryOp(BinaryKind::Or); })
      .Case([&](onnx::WhereOp) { return wrap(where(arg(0), arg(1), arg(2))); })
      .Case([&](onnx::CastOp c) -> R {
        auto to = dtypeOf(getElementTypeOrSelf(c.getType()));
        if (!to)
          return to.takeError();
        return wrap(cast(arg(0), *to));
      })
      // Linear algebra.
      .Case([&](onnx::MatMulOp) { return wrap(matmul(arg(0), arg(1))); })
      .Case([&](onnx::GemmOp g) {
        return wrap(gemm(arg(0), arg(1), g.getC() ? in[2] : nullptr,
                         g.getAlpha().convertToFloat(),
                         g.getBeta().convertToFloat(), g.getTransA() != 0,
                         g.getTransB() != 0));
      })
      // Shape and data movement.
      .Case([&](onnx::ReshapeOp r) {
        return wrap(reshape(arg(0), arg(1), r.getAllowzero() != 0));
      })
      .Case([&](onnx::TransposeOp t) {
        return wrap(transpose(arg(0), t.getPerm()));
      })
      .Case(
          [&](onnx::SqueezeOp s) { return wrap(squeeze(arg(0), s.getAxes())); })
      .Case([&](onnx::UnsqueezeOp u) {
        return wrap(unsqueeze(arg(0), u.getAxes()));
      })
      .Case([&](onnx::ConcatOp c) { return wrap(concat(in, c.getAxis())); })
      .Case([&](onnx::SplitOp s) {
        llvm::ArrayRef<int64_t> sizes;
        if (auto sp = s.getSplit())
          sizes = *sp;
        return wrap(split(arg(0), s.getAxis(), sizes, s.getNumResults()));
      })
      .Case([&](onnx::SliceOp) {
        return wrap(slice(arg(0), arg(1), arg(2), arg(3), arg(4)));
      })
      .Case([&](onnx::GatherOp g) {
        return wrap(gather(arg(0), arg(1), g.getAxis()));
      })
      .Case([&](onnx::ExpandOp) { return wrap(expand(arg(0), arg(1))); })
      .Case([&](onnx::TileOp) { return wrap(tile(arg(0), arg(1))); })
      // Reductions and normalizations.
      .Case([&](onnx::ReduceMeanOp r) { return reduceOp(ReduceKind::Mean, r); })
      .Case([&](onnx::ReduceSumOp r) { return reduceOp(ReduceKind::Sum, r); })
      .Case([&](onnx::ReduceMaxOp r) { return reduceOp(ReduceKind::Max, r); })
      .Case([&](onnx::SoftmaxOp s) {
        return wrap(softmax(arg(0), s.getAxis(), /*log=*/false));
      })
      .Case([&](onnx::LogSoftmaxOp s) {
        return wrap(softmax(arg(0), s.getAxis(), /*log=*/true));
      })
      .Case([&](onnx::LayerNormalizationOp l) {
        return wrap(layerNorm(arg(0), arg(1), l.getBias() ? in[2] : nullptr,
                              l.getAxis(), l.getEpsilon().convertToFloat()));
      })
      .Case([&](onnx::RMSNormalizationOp r) {
        return wrap(rmsNorm(arg(0), arg(1), r.getAxis(),
                            r.getEpsilon().convertToFloat()));
      })
      .Case([&](onnx::TriluOp t) {
        return wrap(trilu(arg(0), t.getK(), t.getUpper() != 0));
      })
      .Case([&](onnx::CumSumOp c) {
        return wrap(cumsum(arg(0), c.getAxis(), c.getExclusive() != 0,
                           c.getReverse() != 0));
      })
      // Constants, shapes and parameters.
      .Case([&](onnx::ConstantOp c) {
        return wrap(tensorFromAttr(c.getValue()));
      })
      .Case([&](onnx::ConstantOfShapeOp c) -> R {
        auto value = tensorFromAttr(c.getValue());
        if (!value)
          return value.takeError();
        return wrap(constantOfShape(arg(0), *value));
      })
      .Case([&](onnx::ShapeOp s) {
        return wrap(shapeOf(arg(0), s.getStart(), s.getEnd()));
      })
      .Case([&](onnx::RangeOp) { return wrap(range(arg(0), arg(1), arg(2))); })
      .Case([&](onnx::ParamRefOp p) -> R {
        // A weight is never a compile-time constant: folding it would copy
        // the parameter into the IR.
        if (!interp)
          return makeError("a parameter is only read by a function run");
        return wrap(interp->loadParameter(p.getName()));
      })
      .Default([&](Operation *) -> R {
        return makeError("unsupported op (the reference interpreter knows the "
                         "onnx dialect only)");
      });
}

llvm::Error wse::ref::checkType(const Tensor &t, Type declared,
                                const llvm::Twine &what) {
  auto shaped = dyn_cast<ShapedType>(declared);
  if (!shaped)
    return makeError(what + " has non-tensor type " + debugString(declared));
  auto dtype = dtypeOf(shaped.getElementType());
  if (!dtype)
    return dtype.takeError();
  bool ok = *dtype == t.dtype;
  if (ok && shaped.hasRank()) {
    ok = shaped.getRank() == t.rank();
    for (int64_t k = 0; ok && k < t.rank(); ++k)
      ok = shaped.isDynamicDim(k) || shaped.getDimSize(k) == t.shape[k];
  }
  if (ok)
    return llvm::Error::success();
  return makeError(what + " is " + shapeString(t.shape) + "x" +
                   dtypeName(t.dtype) + " but the IR declares " +
                   debugString(declared));
}

llvm::Error wse::ref::checkResults(Operation *op, const Results &results) {
  if (results.size() != op->getNumResults())
    return opError(op, "computed " + llvm::Twine(results.size()) +
                           " results for " + llvm::Twine(op->getNumResults()));
  for (auto [k, t] : llvm::enumerate(results))
    if (auto err = checkType(t, op->getResult(k).getType(),
                             "result #" + llvm::Twine(k)))
      return opError(op, llvm::toString(std::move(err)));
  return llvm::Error::success();
}

/// Evaluates `op` and checks its results against the IR: the one step that
/// ONNXInterpreter::run and evaluateOp share. Errors name the op.
llvm::Expected<Results>
wse::ref::evaluateONNXOp(Operation *op, llvm::ArrayRef<const Tensor *> in,
                         ONNXInterpreter *interp) {
  if (op->getNumRegions() != 0 ||
      op->getDialect() !=
          op->getContext()->getLoadedDialect<onnx::ONNXDialect>())
    return opError(op, "unsupported op (the reference interpreter knows "
                       "the onnx dialect only)");
  // Kernels index their operands without checking.
  if (in.size() != op->getNumOperands())
    return opError(op, "given " + llvm::Twine(in.size()) + " operands for " +
                           llvm::Twine(op->getNumOperands()));
  auto results = OpEvaluator(interp, in).eval(op);
  if (!results)
    return opError(op, llvm::toString(results.takeError()));
  if (auto err = checkResults(op, *results))
    return std::move(err);
  return results;
}

llvm::Expected<Results> wse::ref::evaluateOp(Operation *op,
                                             llvm::ArrayRef<Tensor> operands) {
  std::vector<const Tensor *> in;
  for (const Tensor &t : operands)
    in.push_back(&t);
  return evaluateONNXOp(op, in, /*interp=*/nullptr);
}

/// Brings a caller's input to the argument's element type. Inputs usually
/// come from .npy files read as fp32, so float → integer is allowed for
/// integral values only.
static llvm::Expected<Tensor> convertInput(const Tensor &t, DType to) {
  if (t.dtype == to)
    return t;
  if (t.isFloat() && !isFloat(to))
    for (float v : t.f)
      if (v != static_cast<float>(static_cast<int64_t>(v)))
        return makeError("value " + std::to_string(v) +
                         " is not an integer but the argument is " +
                         dtypeName(to));
  return cast(t, to);
}

llvm::Expected<Results> wse::ref::runFunction(func::FuncOp func,
                                              llvm::ArrayRef<Tensor> inputs,
                                              const InterpreterOptions &options,
                                              OpStep step) {
  if (func.isExternal())
    return makeError("function @" + func.getSymName() + " has no body");
  if (inputs.size() != func.getNumArguments())
    return makeError("function @" + func.getSymName() + " takes " +
                     llvm::Twine(func.getNumArguments()) + " arguments, got " +
                     llvm::Twine(inputs.size()) + " inputs");
  Block &body = func.getBody().front();

  llvm::DenseMap<Value, Tensor> values;
  for (auto [k, argValue] : llvm::enumerate(body.getArguments())) {
    auto dtype = dtypeOf(getElementTypeOrSelf(argValue.getType()));
    if (!dtype)
      return dtype.takeError();
    auto converted = convertInput(inputs[k], *dtype);
    if (!converted)
      return makeError("input #" + llvm::Twine(k) + ": " +
                       llvm::toString(converted.takeError()));
    if (auto err = checkType(*converted, argValue.getType(),
                             "input #" + llvm::Twine(k)))
      return std::move(err);
    values[argValue] = std::move(*converted);
  }

  // Last use of each value, so intermediates are freed as soon as possible:
  // a model's activations then peak at a few layers' worth, not all of them.
  llvm::DenseMap<Value, Operation *> lastUse;
  for (Operation &op : body)
    for (Value v : op.getOperands())
      lastUse[v] = &op;

  for (Operation &op : body) {
    std::vector<const Tensor *> operands;
    for (Value v : op.getOperands()) {
      auto it = values.find(v);
      if (it == values.end())
        return opError(&op, "operand is not computed (defined outside the "
                            "function body?)");
      operands.push_back(&it->second);
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      Results out;
      for (auto [k, t] : llvm::enumerate(operands)) {
        if (auto err = checkType(*t, func.getResultTypes()[k],
                                 "result #" + llvm::Twine(k)))
          return opError(&op, llvm::toString(std::move(err)));
        out.push_back(*t);
      }
      return out;
    }
    auto results = step(&op, operands);
    if (!results)
      return results.takeError();
    if (options.onOpEvaluated)
      if (auto err = options.onOpEvaluated(&op, *results))
        return std::move(err);

    for (Value v : op.getOperands())
      if (lastUse.lookup(v) == &op)
        values.erase(v);
    for (auto [k, t] : llvm::enumerate(*results))
      if (!op.getResult(k).use_empty())
        values[op.getResult(k)] = std::move(t);
  }
  return makeError("function @" + func.getSymName() + " has no func.return");
}

llvm::Expected<Results> ONNXInterpreter::run(func::FuncOp func,
                                             llvm::ArrayRef<Tensor> inputs) {
  return runFunction(func, inputs, options,
                     [&](Operation *op, llvm::ArrayRef<const Tensor *> in) {
                       return evaluateONNXOp(op, in, this);
                     });
}

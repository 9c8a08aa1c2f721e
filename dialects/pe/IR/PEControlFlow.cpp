//===- PEControlFlow.cpp - Verifiers of pe.loop, pe.if and subroutines ----===//
//
// What emission relies on when it lays structured code out as labels and
// branches: loop registers that only the loop writes, comparisons with the
// operands they need, calls that reach a subroutine of their own task with
// one value per parameter, and subroutines that do not call (one return id
// register per task).
//
//===----------------------------------------------------------------------===//

#include "dialects/pe/IR/PEOps.h"

#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace wse::pe;

static LogicalResult verifyCode(Block &block) {
  for (Operation &op : block)
    if (failed(verifyCodeOp(&op)))
      return failure();
  return success();
}

/// Registers listed once each.
static LogicalResult checkDistinct(Operation *op, ArrayAttr regs,
                                   StringRef what) {
  llvm::DenseSet<unsigned> seen;
  for (Attribute a : regs)
    if (!seen.insert(cast<RegAttr>(a).getIndex()).second)
      return op->emitOpError() << what << " " << a << " is listed twice";
  return success();
}

/// The register an instruction writes, if it writes one (mov, iadd, ...).
static RegAttr writtenRegister(InstructionOp instr) {
  StringRef sig = instr.getSignature();
  if (sig.empty() || sig[0] != 'R')
    return nullptr;
  return dyn_cast_or_null<RegAttr>(instr.getInstrOperands().front());
}

LogicalResult LoopOp::verify() {
  if (getInits().size() != getIters().size() ||
      size_t(getSteps().size()) != getIters().size())
    return emitOpError() << "has " << getIters().size() << " iter registers, "
                         << getInits().size() << " initial values and "
                         << getSteps().size() << " steps";
  for (Attribute init : getInits())
    if (!isValueAttr(init))
      return emitOpError() << "initial value " << init
                           << " is not a value (integer, #pe.reg, @const or "
                              "#pe.addr)";
  SmallVector<Attribute> owned(getIters().begin(), getIters().end());
  owned.push_back(getCounter());
  if (failed(checkDistinct(*this, ArrayAttr::get(getContext(), owned),
                           "loop register")))
    return failure();
  if (getLayers()) {
    std::optional<int64_t> n = getImmediate(getCount());
    if (!n || *n <= 0)
      return emitOpError("over layers needs a positive integer count, got ")
             << getCount();
  }
  // The loop steps its registers itself; code inside that wrote them would
  // change the trip count or the addresses of later iterations.
  llvm::DenseSet<Attribute> ownedSet(owned.begin(), owned.end());
  WalkResult r = getBody().walk([&](InstructionOp instr) {
    if (RegAttr w = writtenRegister(instr); w && ownedSet.count(w)) {
      instr->emitOpError() << "writes " << w
                           << ", which its enclosing pe.loop steps";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (r.wasInterrupted())
    return failure();
  return verifyCode(getBody().front());
}

LogicalResult LoopOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (failed(verifyValueSymbols(*this, getCount(), 1, tables)))
    return failure();
  for (auto [i, init] : llvm::enumerate(getInits()))
    if (failed(verifyValueSymbols(*this, init, i + 2, tables)))
      return failure();
  return success();
}

LogicalResult IfOp::verify() {
  bool range = getPredicate() == Predicate::in;
  if (range != bool(getUpperAttr()))
    return emitOpError(range ? "'in' needs an upper bound"
                             : "only 'in' has an upper bound");
  if (failed(verifyCode(getThenBlock())))
    return failure();
  if (hasElse())
    return verifyCode(getElseRegion().front());
  return success();
}

LogicalResult IfOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (failed(verifyValueSymbols(*this, getLhs(), 1, tables)) ||
      failed(verifyValueSymbols(*this, getRhs(), 2, tables)))
    return failure();
  if (Attribute upper = getUpperAttr())
    return verifyValueSymbols(*this, upper, 3, tables);
  return success();
}

LogicalResult SubroutineOp::verify() {
  if (failed(checkDistinct(*this, getParams(), "parameter")))
    return failure();
  WalkResult r = getBody().walk([&](CallOp call) {
    call.emitOpError("inside a subroutine: the return id register holds one "
                     "call site at a time, so subroutines do not call");
    return WalkResult::interrupt();
  });
  if (r.wasInterrupted())
    return failure();
  return verifyCode(getBody().front());
}

LogicalResult CallOp::verify() {
  for (auto [i, a] : llvm::enumerate(getArgs()))
    if (!isValueAttr(a))
      return emitOpError() << "argument " << i + 1 << ": " << a
                           << " is not a value (integer, #pe.reg, @const or "
                              "#pe.addr)";
  return success();
}

LogicalResult CallOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto task = (*this)->getParentOfType<TaskOp>();
  auto sub = dyn_cast_or_null<SubroutineOp>(
      task ? tables.lookupSymbolIn(task, getCalleeAttr()) : nullptr);
  if (!sub)
    return emitOpError() << getCalleeAttr()
                         << " is not a pe.subroutine of this task";
  if (sub.getParams().size() != getArgs().size())
    return emitOpError() << "passes " << getArgs().size() << " values to "
                         << getCalleeAttr() << ", which takes "
                         << sub.getParams().size();
  for (auto [i, a] : llvm::enumerate(getArgs()))
    if (failed(verifyValueSymbols(*this, a, i + 1, tables)))
      return failure();
  return success();
}

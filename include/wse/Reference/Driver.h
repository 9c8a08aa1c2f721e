//===- Driver.h - The function-evaluation loop shared by levels -*- C++ -*-===//
//
// The pieces of the reference interpreter that do not depend on which
// dialect is evaluated: error prefixes, the check of a value against its IR
// type, the program-order loop over a function (input conversion, freeing
// values after their last use, func.return) and the lazy read of a weight's
// bytes. The onnx interpreter (lib/Reference/ONNX) and the wafer interpreter
// (lib/Reference/Wafer) differ only in the per-op step they pass in.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_REFERENCE_DRIVER_H
#define WSE_REFERENCE_DRIVER_H

#include "wse/Reference/ONNXInterpreter.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace wse::ref {

using Results = std::vector<Tensor>;

/// A kernel's single result as a result list.
inline Results one(Tensor t) {
  Results r;
  r.push_back(std::move(t));
  return r;
}

/// A kernel's Expected result (one tensor or a list) as a result list.
template <typename T> llvm::Expected<Results> wrap(llvm::Expected<T> t) {
  if (!t)
    return t.takeError();
  if constexpr (std::is_same_v<T, Results>)
    return std::move(*t);
  else
    return one(std::move(*t));
}

/// "file:line:col" (or the name of a NameLoc) of `loc`.
std::string locString(mlir::Location loc);

/// `msg` prefixed with the op's location and name.
llvm::Error opError(mlir::Operation *op, const llvm::Twine &msg);

/// A value against the type the IR declares for it: same element type, and
/// for a ranked type the same rank and static dimensions. Encodings (e.g.
/// #wafer.dist) are ignored: they never change a value.
llvm::Error checkType(const Tensor &t, mlir::Type declared,
                      const llvm::Twine &what);

/// An op's computed results against its result types (count and checkType);
/// errors name the op.
llvm::Error checkResults(mlir::Operation *op, const Results &results);

/// Evaluates one onnx op and checks its results; `interp` reads parameters
/// (null refuses onnx.param_ref).
llvm::Expected<Results> evaluateONNXOp(mlir::Operation *op,
                                       llvm::ArrayRef<const Tensor *> in,
                                       ONNXInterpreter *interp);

/// Evaluates one op of the function body given its operand values; returns
/// its results, already checked against the IR.
using OpStep = llvm::function_ref<llvm::Expected<Results>(
    mlir::Operation *, llvm::ArrayRef<const Tensor *>)>;

/// Runs `func` with one input per argument (converted to the argument's
/// element type), evaluating its ops in program order with `step` and
/// calling options.onOpEvaluated after each op.
llvm::Expected<Results> runFunction(mlir::func::FuncOp func,
                                    llvm::ArrayRef<Tensor> inputs,
                                    const InterpreterOptions &options,
                                    OpStep step);

/// The bytes [offset, offset + length) of `file` (relative to `weightsDir`)
/// as a tensor of `type`, for parameter `name` (used in messages).
llvm::Expected<Tensor> readParameter(llvm::StringRef weightsDir,
                                     llvm::StringRef name, mlir::Type type,
                                     llvm::StringRef file, int64_t offset,
                                     int64_t length);

} // namespace wse::ref

#endif // WSE_REFERENCE_DRIVER_H

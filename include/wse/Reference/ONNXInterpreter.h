//===- ONNXInterpreter.h - onnx reference interpreter -----------*- C++ -*-===//
//
// Evaluates a func.func of the `onnx` dialect on host tensors, op by op in
// program order, with the full ONNX semantics of each op as canonicalized in
// the dialect. It is the numerical oracle of the project: it checks that the
// importer and the onnx passes preserve a model's semantics (against torch
// references) and serves as the golden reference for lower IR levels.
//
// The same per-op evaluation (evaluateOp) is the constant folder of the onnx
// passes, so a folded constant is what the program computes at run time.
//
// Every failure (unsupported op, bad input, a result whose shape disagrees
// with the type the IR declares, an unreadable weight) is an llvm::Error
// naming the op and its location; the interpreter never aborts.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_REFERENCE_ONNXINTERPRETER_H
#define WSE_REFERENCE_ONNXINTERPRETER_H

#include "wse/Reference/Tensor.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

#include <functional>
#include <string>

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace wse::ref {

/// The host dtype of an MLIR element type (error for unsupported types).
llvm::Expected<DType> dtypeOf(mlir::Type elementType);

/// A constant's value (dense or splat elements of any supported type).
llvm::Expected<Tensor> tensorFromAttr(mlir::Attribute attr);

/// The inverse of tensorFromAttr: `t` as a dense attribute of `type`, whose
/// shape must be `t`'s. Integers and bools must fit the element type (exact,
/// never wrapped here); floats are rounded to it (fp32 -> f16/bf16 as the
/// kernels round). Equal elements give a splat.
llvm::Expected<mlir::DenseElementsAttr>
tensorToAttr(const Tensor &t, mlir::RankedTensorType type);

/// Evaluates one onnx op on its operand values (one per operand, in order),
/// with the kernels and the result checks of ONNXInterpreter::run: a result
/// whose shape or element type disagrees with the IR's is an error. Ops whose
/// value is not a function of their operands (onnx.param_ref) are refused.
llvm::Expected<std::vector<Tensor>> evaluateOp(mlir::Operation *op,
                                               llvm::ArrayRef<Tensor> operands);

struct InterpreterOptions {
  /// `onnx.parameter` files are relative to this directory (the model's
  /// folder at import time).
  std::string weightsDir = ".";
  /// Called after each op with its results (e.g. to dump or compare
  /// intermediate values); evaluation stops with an error if it returns one.
  std::function<llvm::Error(mlir::Operation *, llvm::ArrayRef<Tensor>)>
      onOpEvaluated;
};

class ONNXInterpreter {
public:
  explicit ONNXInterpreter(mlir::ModuleOp module,
                           InterpreterOptions options = {})
      : module(module), options(std::move(options)) {}

  /// Evaluates `func` with one tensor per argument. Inputs are converted to
  /// the argument's element type (float → integer only for integral values)
  /// and their shape checked against the argument type's static dimensions.
  llvm::Expected<std::vector<Tensor>> run(mlir::func::FuncOp func,
                                          llvm::ArrayRef<Tensor> inputs);

  /// The bytes of parameter `name`, read from its file now (parameters are
  /// read lazily, only when a param_ref is evaluated).
  llvm::Expected<Tensor> loadParameter(llvm::StringRef name);

private:
  mlir::ModuleOp module;
  InterpreterOptions options;
};

} // namespace wse::ref

#endif // WSE_REFERENCE_ONNXINTERPRETER_H

//===- WaferInterpreter.h - wafer reference interpreter ---------*- C++ -*-===//
//
// Evaluates a func.func of the `wafer` dialect on host tensors, op by op in
// program order: the numerical oracle of the wafer level. Each wafer op maps
// onto the onnx interpreter's kernels (wafer.linear is Gemm, wafer.matmul is
// MatMul, wafer.softmax is Softmax, ...), so an op's semantics exist once and
// an onnx -> wafer conversion that maps ops one to one is bit-exact.
// wafer.elementwise bodies (arith and math scalar ops) are compiled once per
// op into a flat list of scalar instructions (WaferScalar.cpp) and run per
// element, with the same fp32 std:: functions as the onnx elementwise kernels.
//
// A training step's wafer.stream_out gradients are collected (gradients()).
// Placement attributes, stream schedules and #wafer.dist encodings are
// ignored: none of them changes a value. onnx ops left in a wafer function
// are evaluated by the onnx kernels, so a partially converted function runs.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_REFERENCE_WAFERINTERPRETER_H
#define WSE_REFERENCE_WAFERINTERPRETER_H

#include "wse/Reference/ONNXInterpreter.h"

namespace wse::ref {

/// True if `func`'s body holds an op of the wafer dialect (wse-ref then runs
/// it with the WaferInterpreter).
bool holdsWaferOps(mlir::func::FuncOp func);

class WaferInterpreter {
public:
  explicit WaferInterpreter(mlir::ModuleOp module,
                            InterpreterOptions options = {})
      : module(module), options(options), onnx(module, options) {}

  /// Evaluates `func` with one tensor per argument (converted to the
  /// argument's element type, as ONNXInterpreter::run does).
  llvm::Expected<std::vector<Tensor>> run(mlir::func::FuncOp func,
                                          llvm::ArrayRef<Tensor> inputs);

  /// The bytes of wafer.parameter `name`, read from its file now (a
  /// parameter is read when a wafer.stream of it is evaluated).
  llvm::Expected<Tensor> loadParameter(llvm::StringRef name);

  /// The gradients a training step streamed out (wafer.stream_out), by
  /// parameter name, in the order they left.
  const std::vector<std::pair<std::string, Tensor>> &gradients() const {
    return egress;
  }

private:
  llvm::Expected<std::vector<Tensor>>
  evaluate(mlir::Operation *op, llvm::ArrayRef<const Tensor *> in);

  mlir::ModuleOp module;
  InterpreterOptions options;
  /// For onnx ops (and onnx.param_ref) left in a wafer function.
  ONNXInterpreter onnx;
  std::vector<std::pair<std::string, Tensor>> egress;
};

} // namespace wse::ref

#endif // WSE_REFERENCE_WAFERINTERPRETER_H

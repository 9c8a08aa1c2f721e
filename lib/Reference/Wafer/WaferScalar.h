//===- WaferScalar.h - Compiled wafer.elementwise bodies --------*- C++ -*-===//
//
// A wafer.elementwise body (arith and math ops on scalars) compiled once into
// a flat list of register-to-register instructions, then run per element of
// the broadcast operands. Values live in the interpreter's two domains:
// floats in fp32 (rounded to f16/bf16 after each op whose type says so),
// integers in int64 wrapped to their width (i1 as 0/1), as in Tensor.h.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_LIB_REFERENCE_WAFERSCALAR_H
#define WSE_LIB_REFERENCE_WAFERSCALAR_H

#include "wse/Reference/Tensor.h"

#include "mlir/IR/Block.h"

namespace wse::ref {

class ScalarProgram {
public:
  /// Compiles `body` (block arguments are the operands' elements, the
  /// terminator yields the result). An op outside the supported arith/math
  /// set is an error naming it.
  static llvm::Expected<ScalarProgram> compile(mlir::Block &body);

  /// Evaluates the body for every element of `outShape`, each input
  /// broadcast to it (numpy rules); the result has element type `outType`.
  /// Undefined integer results (division by zero, a float out of int64
  /// range) are errors naming the body op and the element.
  llvm::Expected<Tensor> run(llvm::ArrayRef<const Tensor *> inputs,
                             llvm::ArrayRef<int64_t> outShape,
                             DType outType) const;

  /// One register: a float or an integer, by the value's type.
  union Reg {
    float f;
    int64_t i;
  };
  struct Inst;

private:
  std::vector<Inst> insts;
  /// Initial register file: constants are set once here; arguments occupy
  /// registers [0, numArgs).
  std::vector<Reg> initial;
  std::vector<DType> argTypes;
  /// The op each instruction comes from, for error messages.
  std::vector<std::string> opNames;
  uint32_t yieldReg = 0;
};

/// The opcodes of compiled bodies (WaferScalar.cpp).
enum class ScalarOpc : uint8_t;

struct ScalarProgram::Inst {
  ScalarOpc opc;
  /// cmpf/cmpi predicate.
  uint8_t pred = 0;
  /// Round float results to `type` (f16/bf16) after computing in fp32.
  bool round = false;
  /// Result type, and the operand type of conversions and comparisons.
  DType type = DType::F32, src = DType::F32;
  uint32_t dst = 0, a = 0, b = 0, c = 0;
};

} // namespace wse::ref

#endif // WSE_LIB_REFERENCE_WAFERSCALAR_H

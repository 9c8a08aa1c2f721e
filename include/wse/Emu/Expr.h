//===- Expr.h - Per-PE constant expressions ---------------------*- C++ -*-===//

#ifndef WSE_EMU_EXPR_H
#define WSE_EMU_EXPR_H

#include "wse/Emu/Program.h"

#include "llvm/Support/Error.h"

namespace wse::emu {

/// Operations in one expression (reverse Polish); longer ones are refused.
constexpr size_t kMaxExprOps = 4096;
/// Parentheses, calls, table subscripts and unary minuses nested in one
/// expression of the text form; deeper ones are refused while parsing, before
/// the recursive parser can exhaust the stack.
constexpr unsigned kMaxExprNesting = 256;

struct ExprEnv {
  int64_t vars[kNumExprVars] = {};
  const int64_t *consts = nullptr; ///< constants evaluated so far
  const std::vector<TableDef> *tables = nullptr;
};

/// The operands an operation pops (each pushes one value).
unsigned exprOperandCount(ExprOpKind k);

/// Evaluates an expression checked by verifyExpr. Division by zero and table
/// indices out of range are errors (the caller names the PE).
llvm::Expected<int64_t> evalExpr(const Expr &e, const ExprEnv &env);

/// Structural check: stack discipline, references to earlier constants
/// (`numConsts` visible) and existing tables.
llvm::Error verifyExpr(const Expr &e, size_t numConsts, size_t numTables);

/// Canonical text with minimal parentheses; names come from the kernel.
std::string printExpr(const Expr &e, const Kernel &k);

} // namespace wse::emu

#endif // WSE_EMU_EXPR_H

//===- Expr.cpp - Evaluate, verify and print per-PE expressions -----------===//

#include "wse/Emu/Expr.h"

#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace wse::emu {

static Error exprError(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

unsigned exprOperandCount(ExprOpKind k) {
  switch (k) {
  case ExprOpKind::Int:
  case ExprOpKind::Var:
  case ExprOpKind::Const:
    return 0;
  case ExprOpKind::Table:
  case ExprOpKind::Neg:
    return 1;
  case ExprOpKind::Select:
    return 3;
  default:
    return 2;
  }
}

Error verifyExpr(const Expr &e, size_t numConsts, size_t numTables) {
  if (e.ops.empty())
    return exprError("empty expression");
  if (e.ops.size() > kMaxExprOps)
    return exprError(
        formatv("expression longer than {0} operations", kMaxExprOps));
  int depth = 0;
  for (const ExprOp &op : e.ops) {
    if (unsigned(op.kind) > unsigned(ExprOpKind::Select))
      return exprError(formatv("invalid expression opcode {0}", int(op.kind)));
    if (op.kind == ExprOpKind::Var &&
        (op.arg < 0 || op.arg >= int64_t(kNumExprVars)))
      return exprError(formatv("invalid expression variable {0}", op.arg));
    if (op.kind == ExprOpKind::Const &&
        (op.arg < 0 || uint64_t(op.arg) >= numConsts))
      return exprError(formatv("expression refers to constant #{0}, but only "
                               "{1} earlier constants exist",
                               op.arg, numConsts));
    if (op.kind == ExprOpKind::Table &&
        (op.arg < 0 || uint64_t(op.arg) >= numTables))
      return exprError(formatv("expression refers to table #{0}, but the "
                               "kernel has {1} tables",
                               op.arg, numTables));
    int pops = int(exprOperandCount(op.kind));
    if (depth < pops)
      return exprError("malformed expression (stack underflow)");
    depth += 1 - pops;
  }
  if (depth != 1)
    return exprError("malformed expression (leaves more than one value)");
  return Error::success();
}

Expected<int64_t> evalExpr(const Expr &e, const ExprEnv &env) {
  // Fixed small stack: verifyExpr bounds the length, depth never exceeds it.
  SmallVector<int64_t, 16> st;
  auto pop = [&]() {
    int64_t v = st.back();
    st.pop_back();
    return v;
  };
  for (const ExprOp &op : e.ops) {
    switch (op.kind) {
    case ExprOpKind::Int:
      st.push_back(op.arg);
      continue;
    case ExprOpKind::Var:
      st.push_back(env.vars[op.arg]);
      continue;
    case ExprOpKind::Const:
      st.push_back(env.consts[op.arg]);
      continue;
    case ExprOpKind::Table: {
      int64_t i = pop();
      const TableDef &t = (*env.tables)[op.arg];
      if (i < 0 || uint64_t(i) >= t.values.size())
        return exprError(formatv("index {0} is outside table '{1}' of {2} "
                                 "entries",
                                 i, t.name, t.values.size()));
      st.push_back(t.values[i]);
      continue;
    }
    case ExprOpKind::Neg:
      st.back() = int64_t(0ull - uint64_t(st.back()));
      continue;
    case ExprOpKind::Select: {
      int64_t b = pop(), a = pop(), c = pop();
      st.push_back(c ? a : b);
      continue;
    }
    default:
      break;
    }
    int64_t b = pop(), a = pop();
    // Wrapping arithmetic through uint64 avoids undefined behaviour on
    // hostile inputs.
    uint64_t ua = uint64_t(a), ub = uint64_t(b);
    int64_t r = 0;
    switch (op.kind) {
    case ExprOpKind::Add:
      r = int64_t(ua + ub);
      break;
    case ExprOpKind::Sub:
      r = int64_t(ua - ub);
      break;
    case ExprOpKind::Mul:
      r = int64_t(ua * ub);
      break;
    case ExprOpKind::Div:
    case ExprOpKind::Rem:
      if (b == 0)
        return exprError("division by zero");
      if (a == INT64_MIN && b == -1)
        r = op.kind == ExprOpKind::Div ? a : 0;
      else
        r = op.kind == ExprOpKind::Div ? a / b : a % b;
      break;
    case ExprOpKind::Lt:
      r = a < b;
      break;
    case ExprOpKind::Le:
      r = a <= b;
      break;
    case ExprOpKind::Gt:
      r = a > b;
      break;
    case ExprOpKind::Ge:
      r = a >= b;
      break;
    case ExprOpKind::Eq:
      r = a == b;
      break;
    case ExprOpKind::Ne:
      r = a != b;
      break;
    case ExprOpKind::Min:
      r = std::min(a, b);
      break;
    case ExprOpKind::Max:
      r = std::max(a, b);
      break;
    default:
      return exprError("invalid expression opcode");
    }
    st.push_back(r);
  }
  return st.back();
}

namespace {
struct Printed {
  std::string text;
  int prec; // 100 atom, 90 unary, 80 mul, 70 add, 60 compare
};
} // namespace

static int binaryPrec(ExprOpKind k) {
  switch (k) {
  case ExprOpKind::Mul:
  case ExprOpKind::Div:
  case ExprOpKind::Rem:
    return 80;
  case ExprOpKind::Add:
  case ExprOpKind::Sub:
    return 70;
  default:
    return 60;
  }
}

static const char *binarySymbol(ExprOpKind k) {
  switch (k) {
  case ExprOpKind::Add:
    return "+";
  case ExprOpKind::Sub:
    return "-";
  case ExprOpKind::Mul:
    return "*";
  case ExprOpKind::Div:
    return "/";
  case ExprOpKind::Rem:
    return "%";
  case ExprOpKind::Lt:
    return "<";
  case ExprOpKind::Le:
    return "<=";
  case ExprOpKind::Gt:
    return ">";
  case ExprOpKind::Ge:
    return ">=";
  case ExprOpKind::Eq:
    return "==";
  case ExprOpKind::Ne:
    return "!=";
  default:
    return "?";
  }
}

std::string printExpr(const Expr &e, const Kernel &k) {
  std::vector<Printed> st;
  auto pop = [&]() {
    Printed p = std::move(st.back());
    st.pop_back();
    return p;
  };
  for (const ExprOp &op : e.ops) {
    switch (op.kind) {
    case ExprOpKind::Int:
      st.push_back({std::to_string(op.arg), op.arg < 0 ? 90 : 100});
      break;
    case ExprOpKind::Var:
      st.push_back({exprVarName(ExprVar(op.arg)).str(), 100});
      break;
    case ExprOpKind::Const:
      st.push_back({k.consts[op.arg].name, 100});
      break;
    case ExprOpKind::Table: {
      Printed i = pop();
      st.push_back({k.tables[op.arg].name + "[" + i.text + "]", 100});
      break;
    }
    case ExprOpKind::Neg: {
      Printed a = pop();
      // A literal right after '-' would be read back as a negative literal,
      // and "--" is not a token: parenthesize those to keep the same RPN.
      bool paren = a.prec < 100 || (!a.text.empty() &&
                                    (a.text[0] == '-' || isdigit(a.text[0])));
      st.push_back({"-" + (paren ? "(" + a.text + ")" : a.text), 90});
      break;
    }
    case ExprOpKind::Min:
    case ExprOpKind::Max: {
      Printed b = pop(), a = pop();
      st.push_back({std::string(op.kind == ExprOpKind::Min ? "min" : "max") +
                        "(" + a.text + ", " + b.text + ")",
                    100});
      break;
    }
    case ExprOpKind::Select: {
      Printed b = pop(), a = pop(), c = pop();
      st.push_back(
          {"select(" + c.text + ", " + a.text + ", " + b.text + ")", 100});
      break;
    }
    default: {
      Printed b = pop(), a = pop();
      int p = binaryPrec(op.kind);
      std::string lhs = a.prec < p ? "(" + a.text + ")" : a.text;
      std::string rhs = b.prec <= p ? "(" + b.text + ")" : b.text;
      st.push_back({lhs + " " + binarySymbol(op.kind) + " " + rhs, p});
      break;
    }
    }
  }
  return st.empty() ? std::string() : st.back().text;
}

} // namespace wse::emu

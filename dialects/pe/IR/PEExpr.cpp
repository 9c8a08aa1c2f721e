//===- PEExpr.cpp - Per-PE constant expressions as trees ------------------===//
//
// #pe.expr is the emulator's constant-expression language as a tree. It
// prints infix with the emulator's precedence (so `pe.const` reads like the
// program text) and parses back to the same tree; the translation turns it
// into the emulator's reverse Polish form directly, with no text between.
//
//===----------------------------------------------------------------------===//

#include "dialects/pe/IR/PEOps.h"
#include "wse/Emu/Expr.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace wse::pe;
namespace emu = wse::emu;
using Kind = emu::ExprOpKind;

//===----------------------------------------------------------------------===//
// Construction and verification.
//===----------------------------------------------------------------------===//

static unsigned arity(Kind k) { return emu::exprOperandCount(k); }

ExprAttr ExprAttr::getInt(MLIRContext *ctx, int64_t v) {
  return get(ctx, Kind::Int, v, nullptr, {});
}
ExprAttr ExprAttr::getVar(MLIRContext *ctx, emu::ExprVar v) {
  return get(ctx, Kind::Var, int64_t(v), nullptr, {});
}
ExprAttr ExprAttr::getOp(MLIRContext *ctx, Kind k,
                         ArrayRef<Attribute> operands) {
  return get(ctx, k, 0, nullptr, operands);
}

LogicalResult ExprAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               Kind kind, int64_t value, FlatSymbolRefAttr ref,
                               ArrayRef<Attribute> operands) {
  if (unsigned(kind) > unsigned(Kind::Select))
    return emitError() << "invalid expression node " << int(kind);
  if (operands.size() != arity(kind))
    return emitError() << "expression node " << int(kind) << " takes "
                       << arity(kind) << " operands, got " << operands.size();
  for (Attribute a : operands)
    if (!isa<ExprAttr>(a))
      return emitError() << "expression operand " << a << " is not a #pe.expr";
  if (kind == Kind::Var && (value < 0 || value >= int64_t(emu::kNumExprVars)))
    return emitError() << "invalid expression variable " << value;
  bool needsRef = kind == Kind::Const || kind == Kind::Table;
  if (needsRef != bool(ref))
    return emitError() << (needsRef ? "a constant or table reference needs "
                                      "its symbol"
                                    : "only constant and table references "
                                      "name a symbol");
  // The printed form writes a negated integer as a negative literal.
  if (kind == Kind::Neg && cast<ExprAttr>(operands[0]).getKind() == Kind::Int)
    return emitError() << "negate an integer by writing a negative integer";
  return success();
}

//===----------------------------------------------------------------------===//
// Printing: infix, minimal parentheses.
//===----------------------------------------------------------------------===//

static StringRef callName(Kind k) {
  switch (k) {
  case Kind::Lt:
    return "lt";
  case Kind::Le:
    return "le";
  case Kind::Gt:
    return "gt";
  case Kind::Ge:
    return "ge";
  case Kind::Eq:
    return "eq";
  case Kind::Ne:
    return "ne";
  case Kind::Min:
    return "min";
  case Kind::Max:
    return "max";
  case Kind::Select:
    return "select";
  default:
    return "";
  }
}

static StringRef infixName(Kind k) {
  switch (k) {
  case Kind::Add:
    return "+";
  case Kind::Sub:
    return "-";
  case Kind::Mul:
    return "*";
  case Kind::Div:
    return "/";
  case Kind::Rem:
    return "mod";
  default:
    return "";
  }
}

/// 1: + -, 2: * / mod, 3: unary minus (and negative literals), 4: atoms.
static int precedence(ExprAttr e) {
  switch (e.getKind()) {
  case Kind::Add:
  case Kind::Sub:
    return 1;
  case Kind::Mul:
  case Kind::Div:
  case Kind::Rem:
    return 2;
  case Kind::Neg:
    return 3;
  case Kind::Int:
    return e.getValue() < 0 ? 3 : 4;
  default:
    return 4;
  }
}

static void printExpr(AsmPrinter &p, ExprAttr e, int minPrec) {
  bool paren = precedence(e) < minPrec;
  if (paren)
    p << "(";
  auto sub = [&](unsigned i) { return cast<ExprAttr>(e.getOperands()[i]); };
  switch (e.getKind()) {
  case Kind::Int:
    p << e.getValue();
    break;
  case Kind::Var:
    p << emu::exprVarName(emu::ExprVar(e.getValue()));
    break;
  case Kind::Const:
    p.printSymbolName(e.getRef().getValue());
    break;
  case Kind::Table:
    p.printSymbolName(e.getRef().getValue());
    p << "[";
    printExpr(p, sub(0), 0);
    p << "]";
    break;
  case Kind::Neg:
    p << "-";
    printExpr(p, sub(0), 3);
    break;
  case Kind::Add:
  case Kind::Sub:
  case Kind::Mul:
  case Kind::Div:
  case Kind::Rem: {
    int prec = precedence(e);
    printExpr(p, sub(0), prec);
    p << " " << infixName(e.getKind()) << " ";
    printExpr(p, sub(1), prec + 1);
    break;
  }
  default:
    p << callName(e.getKind()) << "(";
    for (unsigned i = 0; i < e.getOperands().size(); ++i) {
      if (i)
        p << ", ";
      printExpr(p, sub(i), 0);
    }
    p << ")";
    break;
  }
  if (paren)
    p << ")";
}

void ExprAttr::printBare(AsmPrinter &printer) const {
  printExpr(printer, *this, 0);
}

void ExprAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printBare(printer);
  printer << ">";
}

//===----------------------------------------------------------------------===//
// Parsing: recursive descent, bounded like the emulator's assembler.
//===----------------------------------------------------------------------===//

namespace {

class ExprParser {
public:
  explicit ExprParser(AsmParser &p) : p(p), ctx(p.getContext()) {}

  FailureOr<ExprAttr> parse() {
    FailureOr<ExprAttr> e = sum();
    if (succeeded(e) && nodes > emu::kMaxExprOps)
      return p.emitError(start, "expression longer than ")
             << emu::kMaxExprOps << " operations";
    return e;
  }

private:
  AsmParser &p;
  MLIRContext *ctx;
  SMLoc start = p.getCurrentLocation();
  unsigned depth = 0;
  size_t nodes = 0;

  ExprAttr node(Kind k, ArrayRef<Attribute> ops) {
    ++nodes;
    return ExprAttr::getOp(ctx, k, ops);
  }

  /// Guards every recursion, before it can exhaust the stack.
  FailureOr<ExprAttr> nested(function_ref<FailureOr<ExprAttr>()> fn) {
    if (++depth > emu::kMaxExprNesting)
      return p.emitError(p.getCurrentLocation(), "expression nested deeper "
                                                 "than ")
             << emu::kMaxExprNesting << " levels";
    FailureOr<ExprAttr> e = fn();
    --depth;
    return e;
  }

  FailureOr<ExprAttr> sum() {
    FailureOr<ExprAttr> lhs = product();
    while (succeeded(lhs)) {
      Kind k;
      if (succeeded(p.parseOptionalPlus()))
        k = Kind::Add;
      else if (succeeded(p.parseOptionalMinus()))
        k = Kind::Sub;
      else
        break;
      FailureOr<ExprAttr> rhs = product();
      if (failed(rhs))
        return failure();
      lhs = node(k, {*lhs, *rhs});
    }
    return lhs;
  }

  FailureOr<ExprAttr> product() {
    FailureOr<ExprAttr> lhs = unary();
    while (succeeded(lhs)) {
      Kind k;
      if (succeeded(p.parseOptionalStar()))
        k = Kind::Mul;
      else if (succeeded(p.parseOptionalSlash()))
        k = Kind::Div;
      else if (succeeded(p.parseOptionalKeyword("mod")))
        k = Kind::Rem;
      else
        break;
      FailureOr<ExprAttr> rhs = unary();
      if (failed(rhs))
        return failure();
      lhs = node(k, {*lhs, *rhs});
    }
    return lhs;
  }

  FailureOr<ExprAttr> unary() {
    if (failed(p.parseOptionalMinus()))
      return atom();
    return nested([&]() -> FailureOr<ExprAttr> {
      // `-5` is a negative literal (the tree never negates an integer).
      uint64_t magnitude;
      OptionalParseResult isInt = p.parseOptionalInteger(magnitude);
      if (isInt.has_value()) {
        if (failed(*isInt))
          return failure();
        if (magnitude > uint64_t(INT64_MAX) + 1)
          return p.emitError(p.getCurrentLocation(),
                             "integer out of the i64 range");
        ++nodes;
        return ExprAttr::getInt(ctx, int64_t(0 - magnitude));
      }
      FailureOr<ExprAttr> e = unary();
      if (failed(e))
        return failure();
      return node(Kind::Neg, {*e});
    });
  }

  FailureOr<ExprAttr> atom() {
    SMLoc at = p.getCurrentLocation();
    uint64_t magnitude;
    OptionalParseResult isInt = p.parseOptionalInteger(magnitude);
    if (isInt.has_value()) {
      if (failed(*isInt))
        return failure();
      if (magnitude > uint64_t(INT64_MAX))
        return p.emitError(at, "integer out of the i64 range");
      ++nodes;
      return ExprAttr::getInt(ctx, int64_t(magnitude));
    }
    if (succeeded(p.parseOptionalLParen()))
      return nested([&]() -> FailureOr<ExprAttr> {
        FailureOr<ExprAttr> e = sum();
        if (failed(e) || p.parseRParen())
          return failure();
        return e;
      });
    StringAttr sym;
    if (succeeded(p.parseOptionalSymbolName(sym))) {
      auto ref = FlatSymbolRefAttr::get(sym);
      ++nodes;
      if (failed(p.parseOptionalLSquare()))
        return ExprAttr::get(ctx, Kind::Const, 0, ref, {});
      return nested([&]() -> FailureOr<ExprAttr> {
        FailureOr<ExprAttr> index = sum();
        if (failed(index) || p.parseRSquare())
          return failure();
        return ExprAttr::get(ctx, Kind::Table, 0, ref, {*index});
      });
    }
    StringRef word;
    if (failed(p.parseOptionalKeyword(&word)))
      return p.emitError(at, "expected an expression: an integer, a "
                             "variable, @const, @table[...], (...) or a call");
    for (unsigned v = 0; v < emu::kNumExprVars; ++v)
      if (emu::exprVarName(emu::ExprVar(v)) == word) {
        ++nodes;
        return ExprAttr::getVar(ctx, emu::ExprVar(v));
      }
    std::optional<Kind> call = llvm::StringSwitch<std::optional<Kind>>(word)
                                   .Case("lt", Kind::Lt)
                                   .Case("le", Kind::Le)
                                   .Case("gt", Kind::Gt)
                                   .Case("ge", Kind::Ge)
                                   .Case("eq", Kind::Eq)
                                   .Case("ne", Kind::Ne)
                                   .Case("min", Kind::Min)
                                   .Case("max", Kind::Max)
                                   .Case("select", Kind::Select)
                                   .Default(std::nullopt);
    if (!call)
      return p.emitError(at, "'")
             << word
             << "' is neither a variable (x y rx ry pw ph mw mh) nor a "
                "function (lt le gt ge eq ne min max select)";
    return nested([&]() -> FailureOr<ExprAttr> {
      SmallVector<Attribute> args;
      if (p.parseCommaSeparatedList(AsmParser::Delimiter::Paren, [&] {
            FailureOr<ExprAttr> a = sum();
            if (failed(a))
              return failure();
            args.push_back(*a);
            return success();
          }))
        return failure();
      if (args.size() != arity(*call))
        return p.emitError(at, "'") << word << "' takes " << arity(*call)
                                    << " arguments, got " << args.size();
      return node(*call, args);
    });
  }
};

} // namespace

FailureOr<ExprAttr> ExprAttr::parseBare(AsmParser &parser) {
  return ExprParser(parser).parse();
}

Attribute ExprAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  FailureOr<ExprAttr> e = parseBare(parser);
  if (failed(e) || parser.parseGreater())
    return {};
  return *e;
}

//===----------------------------------------------------------------------===//
// Kernel constants: checked references, and the emulator's form.
//===----------------------------------------------------------------------===//

namespace {

/// Symbols a kernel's constants may refer to, by position.
struct ConstantScope {
  llvm::StringMap<int64_t> tables, consts;
};

LogicalResult checkRefs(ConstOp c, ExprAttr e, const ConstantScope &scope,
                        size_t &nodes) {
  if (++nodes > emu::kMaxExprOps)
    return c.emitOpError("expression longer than ")
           << emu::kMaxExprOps << " operations";
  if (e.getKind() == Kind::Const && !scope.consts.count(e.getRef().getValue()))
    return c.emitOpError("expression refers to ")
           << e.getRef() << ", which is not an earlier pe.const of the kernel";
  if (e.getKind() == Kind::Table && !scope.tables.count(e.getRef().getValue()))
    return c.emitOpError("expression indexes ")
           << e.getRef() << ", which is not a pe.table of the kernel";
  for (Attribute a : e.getOperands())
    if (failed(checkRefs(c, cast<ExprAttr>(a), scope, nodes)))
      return failure();
  return success();
}

void toReversePolish(ExprAttr e, const ConstantScope &scope, emu::Expr &out) {
  for (Attribute a : e.getOperands())
    toReversePolish(cast<ExprAttr>(a), scope, out);
  emu::ExprOp op;
  op.kind = e.getKind();
  op.arg = e.getValue();
  if (e.getKind() == Kind::Const)
    op.arg = scope.consts.lookup(e.getRef().getValue());
  if (e.getKind() == Kind::Table)
    op.arg = scope.tables.lookup(e.getRef().getValue());
  out.ops.push_back(op);
}

} // namespace

LogicalResult wse::pe::buildKernelConstants(KernelOp kernel, emu::Kernel *out) {
  ConstantScope scope;
  Block &body = kernel.getBody().front();
  for (TableOp t : body.getOps<TableOp>()) {
    scope.tables[t.getSymName()] = int64_t(scope.tables.size());
    if (out)
      out->tables.push_back(
          {t.getSymName().str(),
           std::vector<int64_t>(t.getValues().begin(), t.getValues().end())});
  }
  for (ConstOp c : body.getOps<ConstOp>()) {
    size_t nodes = 0;
    if (failed(checkRefs(c, c.getExpr(), scope, nodes)))
      return failure();
    if (out) {
      emu::ConstDef def;
      def.name = c.getSymName().str();
      toReversePolish(c.getExpr(), scope, def.expr);
      out->consts.push_back(std::move(def));
    }
    scope.consts[c.getSymName()] = int64_t(scope.consts.size());
  }
  return success();
}

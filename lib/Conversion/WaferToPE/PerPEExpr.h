//===- PerPEExpr.h - Integers that may differ from PE to PE -----*- C++ -*-===//
//
// Block offsets and extents depend on a PE's position in its rectangle. They
// are trees of the emulator's constant-expression language (evaluated once
// per PE at load; a pe.const holds one as #pe.expr) and fold to plain
// integers whenever the value is the same on every PE, so uniform cases
// become immediates. The text is the key that deduplicates constants.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_CONVERSION_WAFERTOPE_PERPEEXPR_H
#define WSE_CONVERSION_WAFERTOPE_PERPEEXPR_H

#include "wse/Emu/Program.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wse::pe::lowering {

class PerPEExpr {
public:
  /// A node of the tree: `value` is the integer or the variable.
  struct Node {
    emu::ExprOpKind kind;
    int64_t value = 0;
    std::vector<PerPEExpr> operands;
    std::string constant; ///< Const: the kernel constant's name
  };

  PerPEExpr(int64_t v = 0)
      : known(v), text(std::to_string(v)),
        node(std::make_shared<Node>(Node{emu::ExprOpKind::Int, v, {}})) {}
  static PerPEExpr var(emu::ExprVar v) {
    return PerPEExpr(emu::exprVarName(v).str(),
                     Node{emu::ExprOpKind::Var, int64_t(v), {}});
  }

  /// The value of kernel constant `name` (defined before its first use):
  /// lets a large subexpression be evaluated once and named.
  static PerPEExpr constant(llvm::StringRef name) {
    return PerPEExpr("@" + name.str(),
                     Node{emu::ExprOpKind::Const, 0, {}, name.str()});
  }

  bool isKnown() const { return known.has_value(); }
  int64_t value() const { return *known; }
  const std::string &str() const { return text; }
  const Node &tree() const { return *node; }

  friend PerPEExpr operator+(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return a.value() + b.value();
    if (a.isKnown() && a.value() == 0)
      return b;
    if (b.isKnown() && b.value() == 0)
      return a;
    return bin(a, "+", emu::ExprOpKind::Add, b);
  }
  friend PerPEExpr operator-(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return a.value() - b.value();
    if (b.isKnown() && b.value() == 0)
      return a;
    return bin(a, "-", emu::ExprOpKind::Sub, b);
  }
  friend PerPEExpr operator*(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return a.value() * b.value();
    if ((a.isKnown() && a.value() == 0) || (b.isKnown() && b.value() == 0))
      return 0;
    if (a.isKnown() && a.value() == 1)
      return b;
    if (b.isKnown() && b.value() == 1)
      return a;
    return bin(a, "*", emu::ExprOpKind::Mul, b);
  }
  friend PerPEExpr operator/(const PerPEExpr &a, int64_t b) {
    if (a.isKnown())
      return a.value() / b;
    return b == 1 ? a : bin(a, "/", emu::ExprOpKind::Div, b);
  }
  friend PerPEExpr operator%(const PerPEExpr &a, int64_t b) {
    if (a.isKnown())
      return a.value() % b;
    return bin(a, "%", emu::ExprOpKind::Rem, b);
  }
  friend PerPEExpr operator<(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return int64_t(a.value() < b.value());
    return bin(a, "<", emu::ExprOpKind::Lt, b);
  }
  friend PerPEExpr operator>=(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return int64_t(a.value() >= b.value());
    return bin(a, ">=", emu::ExprOpKind::Ge, b);
  }
  friend PerPEExpr operator==(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return int64_t(a.value() == b.value());
    return bin(a, "==", emu::ExprOpKind::Eq, b);
  }
  /// Logical and of two 0/1 values.
  friend PerPEExpr operator&&(const PerPEExpr &a, const PerPEExpr &b) {
    return a * b;
  }
  friend PerPEExpr min(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return std::min(a.value(), b.value());
    return call("min", emu::ExprOpKind::Min, a, b);
  }
  friend PerPEExpr max(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return std::max(a.value(), b.value());
    return call("max", emu::ExprOpKind::Max, a, b);
  }
  friend PerPEExpr select(const PerPEExpr &c, const PerPEExpr &a,
                          const PerPEExpr &b) {
    if (c.isKnown())
      return c.value() ? a : b;
    return PerPEExpr("select(" + c.text + ", " + a.text + ", " + b.text + ")",
                     Node{emu::ExprOpKind::Select, 0, {c, a, b}});
  }

private:
  PerPEExpr(std::string t, Node n)
      : text(std::move(t)), node(std::make_shared<Node>(std::move(n))) {}
  static PerPEExpr bin(const PerPEExpr &a, const char *op, emu::ExprOpKind k,
                       const PerPEExpr &b) {
    return PerPEExpr("(" + a.text + " " + op + " " + b.text + ")",
                     Node{k, 0, {a, b}});
  }
  static PerPEExpr call(const char *f, emu::ExprOpKind k, const PerPEExpr &a,
                        const PerPEExpr &b) {
    return PerPEExpr(std::string(f) + "(" + a.text + ", " + b.text + ")",
                     Node{k, 0, {a, b}});
  }

  std::optional<int64_t> known;
  std::string text;
  std::shared_ptr<const Node> node;
};

} // namespace wse::pe::lowering

#endif

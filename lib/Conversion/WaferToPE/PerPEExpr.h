//===- PerPEExpr.h - Integers that may differ from PE to PE -----*- C++ -*-===//
//
// Block offsets and extents depend on a PE's position in its rectangle. They
// are written in the emulator's constant-expression language (evaluated once
// per PE at load) and folded to plain integers whenever the value is the same
// on every PE, so uniform cases become immediates.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_CONVERSION_WAFERTOPE_PERPEEXPR_H
#define WSE_CONVERSION_WAFERTOPE_PERPEEXPR_H

#include <cstdint>
#include <optional>
#include <string>

namespace wse::pe::lowering {

class PerPEExpr {
public:
  PerPEExpr(int64_t v = 0) : known(v), text(std::to_string(v)) {}
  static PerPEExpr var(const std::string &name) { return PerPEExpr(name); }

  bool isKnown() const { return known.has_value(); }
  int64_t value() const { return *known; }
  const std::string &str() const { return text; }

  friend PerPEExpr operator+(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return a.value() + b.value();
    if (a.isKnown() && a.value() == 0)
      return b;
    if (b.isKnown() && b.value() == 0)
      return a;
    return bin(a, "+", b);
  }
  friend PerPEExpr operator-(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return a.value() - b.value();
    if (b.isKnown() && b.value() == 0)
      return a;
    return bin(a, "-", b);
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
    return bin(a, "*", b);
  }
  friend PerPEExpr operator/(const PerPEExpr &a, int64_t b) {
    if (a.isKnown())
      return a.value() / b;
    return b == 1 ? a : bin(a, "/", b);
  }
  friend PerPEExpr operator%(const PerPEExpr &a, int64_t b) {
    if (a.isKnown())
      return a.value() % b;
    return bin(a, "%", b);
  }
  friend PerPEExpr operator<(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return int64_t(a.value() < b.value());
    return bin(a, "<", b);
  }
  friend PerPEExpr operator>=(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return int64_t(a.value() >= b.value());
    return bin(a, ">=", b);
  }
  friend PerPEExpr operator==(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return int64_t(a.value() == b.value());
    return bin(a, "==", b);
  }
  /// Logical and of two 0/1 values.
  friend PerPEExpr operator&&(const PerPEExpr &a, const PerPEExpr &b) {
    return a * b;
  }
  friend PerPEExpr min(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return std::min(a.value(), b.value());
    return call("min", a, b);
  }
  friend PerPEExpr max(const PerPEExpr &a, const PerPEExpr &b) {
    if (a.isKnown() && b.isKnown())
      return std::max(a.value(), b.value());
    return call("max", a, b);
  }
  friend PerPEExpr select(const PerPEExpr &c, const PerPEExpr &a,
                          const PerPEExpr &b) {
    if (c.isKnown())
      return c.value() ? a : b;
    PerPEExpr r("select(" + c.text + ", " + a.text + ", " + b.text + ")");
    return r;
  }

private:
  explicit PerPEExpr(const std::string &t) : text(t) {}
  static PerPEExpr bin(const PerPEExpr &a, const char *op, const PerPEExpr &b) {
    return PerPEExpr("(" + a.text + " " + op + " " + b.text + ")");
  }
  static PerPEExpr call(const char *f, const PerPEExpr &a, const PerPEExpr &b) {
    return PerPEExpr(std::string(f) + "(" + a.text + ", " + b.text + ")");
  }

  std::optional<int64_t> known;
  std::string text;
};

} // namespace wse::pe::lowering

#endif

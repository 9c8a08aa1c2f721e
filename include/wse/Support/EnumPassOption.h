//===- EnumPassOption.h - Enum pass options listing values ------*- C++ -*-===//
//
// llvm::cl refuses an unknown enum value with "Cannot find option named
// 'x'!", which does not help someone who mistyped `mode=pipelind`. For an
// enum E used as a pass or pipeline option, WSE_ENUM_PASS_OPTION(E) makes
// MLIR's option parser say instead which values are valid:
//
//   for the --mode option: 'pipelind' is not one of: stream, pipelined
//
// Header-only; use the macro at global scope, after E is declared and before
// any pass option of type E is instantiated.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_SUPPORT_ENUMPASSOPTION_H
#define WSE_SUPPORT_ENUMPASSOPTION_H

#include "mlir/Pass/PassOptions.h"
#include "llvm/Support/CommandLine.h"

#include <optional>
#include <string>

namespace wse {

template <typename E> struct EnumOptionParser : public llvm::cl::parser<E> {
  using llvm::cl::parser<E>::parser;

  bool parse(llvm::cl::Option &option, llvm::StringRef, llvm::StringRef arg,
             E &value) {
    for (const auto &entry : this->Values)
      if (entry.Name == arg) {
        value = entry.V.getValue();
        return false;
      }
    std::string valid;
    for (const auto &entry : this->Values)
      valid += (valid.empty() ? "" : ", ") + entry.Name.str();
    return option.error("'" + arg + "' is not one of: " + valid);
  }

  /// What MLIR's pass-option printer needs (as GenericOptionParser has it).
  std::optional<llvm::StringRef> findArgStrForValue(const E &value) {
    for (const auto &entry : this->Values)
      if (entry.V.compare(value))
        return entry.Name;
    return std::nullopt;
  }
};

} // namespace wse

#define WSE_ENUM_PASS_OPTION(E)                                                \
  template <>                                                                  \
  struct mlir::detail::PassOptions::GenericOptionParser<E>                     \
      : public wse::EnumOptionParser<E> {                                      \
    using wse::EnumOptionParser<E>::EnumOptionParser;                          \
  };

#endif // WSE_SUPPORT_ENUMPASSOPTION_H

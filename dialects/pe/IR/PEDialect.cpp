//===- PEDialect.cpp - The per-PE program dialect -------------------------===//

#include "dialects/pe/IR/PEDialect.h"
#include "dialects/pe/IR/PEOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse::pe;

std::string PortAttr::getName() const {
  return (Twine(getEast() ? 'E' : 'W') + Twine(getIndex())).str();
}

bool wse::pe::isValueAttr(Attribute a) {
  auto i = dyn_cast<IntegerAttr>(a);
  return (i && i.getType().isSignlessInteger(64)) ||
         isa<RegAttr, FlatSymbolRefAttr, AddrAttr>(a);
}

FailureOr<Attribute> wse::pe::parseValueAttr(AsmParser &parser) {
  int64_t value = 0;
  OptionalParseResult isInt = parser.parseOptionalInteger(value);
  if (isInt.has_value()) {
    if (failed(*isInt))
      return failure();
    Type i64 = parser.getBuilder().getI64Type();
    if (succeeded(parser.parseOptionalColon())) {
      Type type;
      if (parser.parseType(type))
        return failure();
      if (type != i64)
        return parser.emitError(parser.getCurrentLocation(),
                                "integer values are i64, got ")
               << type;
    }
    return Attribute(parser.getBuilder().getI64IntegerAttr(value));
  }
  Attribute attr;
  if (parser.parseAttribute(attr))
    return failure();
  return attr;
}

void wse::pe::printValueAttr(AsmPrinter &printer, Attribute value) {
  if (auto i = dyn_cast<IntegerAttr>(value);
      i && i.getType().isSignlessInteger(64)) {
    printer << i.getInt();
    return;
  }
  printer.printAttribute(value);
}

#include "dialects/pe/IR/PEDialect.cpp.inc"
#include "dialects/pe/IR/PEEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "dialects/pe/IR/PEAttrs.cpp.inc"

void PEDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "dialects/pe/IR/PEOps.cpp.inc"
      >();
}

void PEDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/pe/IR/PEAttrs.cpp.inc"
      >();
}

LogicalResult RegAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                              unsigned index) {
  // Virtual registers: emission maps them onto the PE's 16. The bound only
  // keeps numbers sane.
  if (index >= (1u << 24))
    return emitError() << "register " << index
                       << " is past the 2^24 virtual "
                          "registers a task may use";
  return success();
}

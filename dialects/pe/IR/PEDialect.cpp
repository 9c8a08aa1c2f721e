//===- PEDialect.cpp - The per-PE program dialect -------------------------===//

#include "dialects/pe/IR/PEDialect.h"
#include "dialects/pe/IR/PEOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse::pe;

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
  if (index >= 16)
    return emitError() << "register r" << index << " does not exist (r0-r15)";
  return success();
}

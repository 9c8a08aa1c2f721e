//===- WaferDialect.cpp - The wafer dialect -------------------------------===//

#include "dialects/wafer/IR/WaferDialect.h"
#include "dialects/wafer/IR/WaferOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse::wafer;

#include "dialects/wafer/IR/WaferDialect.cpp.inc"
#include "dialects/wafer/IR/WaferInterfaces.cpp.inc"

void WaferDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "dialects/wafer/IR/WaferOps.cpp.inc"
      >();
}

Operation *WaferDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!elements || !tensorType ||
      cast<ShapedType>(elements.getType()).getShape() !=
          tensorType.getShape() ||
      elements.getElementType() != tensorType.getElementType())
    return nullptr;
  return ConstantOp::create(builder, loc, tensorType, elements,
                            /*placement=*/nullptr);
}

//===- WaferAttrs.cpp - Distribution attributes ---------------------------===//
//
// Custom syntax of #wafer.dist ([*, x, y]) and the helpers passes use to
// read distributions.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/IR/WaferAttrs.h"
#include "dialects/wafer/IR/WaferDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace wse::wafer;

#include "dialects/wafer/IR/WaferEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/wafer/IR/WaferAttrs.cpp.inc"

void WaferDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/wafer/IR/WaferAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// #wafer.dist
//===----------------------------------------------------------------------===//

void DistAttr::print(AsmPrinter &printer) const {
  printer << "<[";
  llvm::interleaveComma(getAxes(), printer, [&](MeshAxis axis) {
    printer << (axis == MeshAxis::X ? "x" : axis == MeshAxis::Y ? "y" : "*");
  });
  printer << "]>";
}

Attribute DistAttr::parse(AsmParser &parser, Type) {
  SmallVector<MeshAxis> axes;
  auto parseAxis = [&]() -> ParseResult {
    if (succeeded(parser.parseOptionalStar())) {
      axes.push_back(MeshAxis::None);
      return success();
    }
    StringRef keyword;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseKeyword(&keyword))
      return failure();
    if (keyword == "x")
      axes.push_back(MeshAxis::X);
    else if (keyword == "y")
      axes.push_back(MeshAxis::Y);
    else
      return parser.emitError(loc)
             << "expected '*', 'x' or 'y', got '" << keyword << "'";
    return success();
  };
  if (parser.parseLess() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, parseAxis) ||
      parser.parseGreater())
    return {};
  return DistAttr::getChecked(
      [&] { return parser.emitError(parser.getNameLoc()); },
      parser.getContext(), axes);
}

LogicalResult DistAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<MeshAxis> axes) {
  for (MeshAxis axis : {MeshAxis::X, MeshAxis::Y})
    if (llvm::count(axes, axis) > 1)
      return emitError() << "mesh axis '" << (axis == MeshAxis::X ? "x" : "y")
                         << "' distributes more than one dimension";
  return success();
}

int64_t DistAttr::dimOf(MeshAxis axis) const {
  auto axes = getAxes();
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] == axis)
      return i;
  return -1;
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

DistAttr wse::wafer::getDist(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor ? dyn_cast_or_null<DistAttr>(tensor.getEncoding()) : DistAttr();
}

RankedTensorType wse::wafer::withDist(Type type, DistAttr dist) {
  auto tensor = cast<RankedTensorType>(type);
  return RankedTensorType::get(tensor.getShape(), tensor.getElementType(),
                               dist);
}

int64_t wse::wafer::elementsPerPE(RankedTensorType type, DistAttr dist,
                                  int64_t width, int64_t height) {
  int64_t count = 1;
  for (auto [i, size] : llvm::enumerate(type.getShape())) {
    MeshAxis axis =
        dist && i < dist.getAxes().size() ? dist.getAxes()[i] : MeshAxis::None;
    int64_t extent = axis == MeshAxis::X   ? width
                     : axis == MeshAxis::Y ? height
                                           : 1;
    count *= (size + extent - 1) / extent;
  }
  return count;
}

int64_t wse::wafer::elementBytes(Type elementType) {
  unsigned bits = elementType.getIntOrFloatBitWidth();
  return std::max<int64_t>(1, (bits + 7) / 8);
}

//===- WaferAttrs.cpp - Target, placement and distribution attributes -----===//
//
// Custom syntax of #wafer.target (machine description keys) and #wafer.dist
// ([*, x, y]), and the helpers passes use to read them.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/IR/WaferAttrs.h"
#include "dialects/wafer/IR/WaferDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace wse::wafer;
namespace json = llvm::json;

#include "dialects/wafer/IR/WaferEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/wafer/IR/WaferAttrs.cpp.inc"

static std::string machineJSONText(const wse::machine::MachineDescription &m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << toJSON(m);
  return text;
}

bool wse::machine::operator==(const MachineDescription &a,
                              const MachineDescription &b) {
  return machineJSONText(a) == machineJSONText(b);
}

llvm::hash_code wse::machine::hash_value(const MachineDescription &m) {
  return llvm::hash_value(machineJSONText(m));
}

void WaferDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/wafer/IR/WaferAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// #wafer.target
//===----------------------------------------------------------------------===//

static void printJSONScalar(AsmPrinter &printer, const json::Value &value) {
  if (auto s = value.getAsString())
    printer << '"' << *s << '"';
  else if (auto b = value.getAsBoolean())
    printer << (*b ? "true" : "false");
  else if (auto i = value.getAsInteger())
    printer << *i;
  else if (auto d = value.getAsNumber()) {
    // The shortest form that reads back as the same double: a target must
    // survive printing exactly (clock rates, fractional port bandwidths).
    char buffer[32];
    for (int digits : {6, 15, 17}) {
      snprintf(buffer, sizeof(buffer), "%.*g", digits, *d);
      if (strtod(buffer, nullptr) == *d)
        break;
    }
    printer << buffer;
  }
}

/// The description as flat `key = value` pairs: the machine JSON keys, with
/// the "ports" object spelled port_sides ("west,east"), port_first_row and
/// port_spacing_rows.
static json::Object flatMachineKeys(const wse::machine::MachineDescription &m) {
  json::Value value = toJSON(m);
  json::Object flat = std::move(*value.getAsObject());
  flat.erase("format");
  flat.erase("version");
  flat.erase("name");
  json::Object ports = std::move(*flat.getObject("ports"));
  flat.erase("ports");
  std::string sides;
  for (const json::Value &side : *ports.getArray("sides"))
    sides += (sides.empty() ? "" : ",") + side.getAsString()->str();
  flat["port_sides"] = sides;
  flat["port_first_row"] = std::move(*ports.get("first_row"));
  flat["port_spacing_rows"] = std::move(*ports.get("spacing_rows"));
  return flat;
}

void TargetAttr::print(AsmPrinter &printer) const {
  const auto &m = getMachine();
  printer << "<\"" << m.name << '"';
  auto preset = wse::machine::lookupPreset(m.name);
  if (!preset || !(*preset == m)) {
    json::Object flat = flatMachineKeys(m);
    std::vector<std::string> keys;
    for (auto &entry : flat)
      keys.push_back(entry.first.str());
    llvm::sort(keys);
    for (const std::string &key : keys) {
      printer << ", " << key << " = ";
      printJSONScalar(printer, *flat.get(key));
    }
  }
  printer << '>';
}

Attribute TargetAttr::parse(AsmParser &parser, Type) {
  std::string name;
  if (parser.parseLess() || parser.parseString(&name))
    return {};
  auto preset = wse::machine::lookupPreset(name);
  json::Object flat;
  if (preset)
    flat = flatMachineKeys(*preset);
  while (succeeded(parser.parseOptionalComma())) {
    std::string key;
    if (parser.parseKeywordOrString(&key) || parser.parseEqual())
      return {};
    std::string text;
    int64_t integer;
    double number;
    if (succeeded(parser.parseOptionalString(&text))) {
      flat[key] = text;
    } else if (succeeded(parser.parseOptionalKeyword("true"))) {
      flat[key] = true;
    } else if (succeeded(parser.parseOptionalKeyword("false"))) {
      flat[key] = false;
    } else {
      auto intResult = parser.parseOptionalInteger(integer);
      if (intResult.has_value()) {
        if (failed(*intResult))
          return {};
        flat[key] = integer;
      } else if (parser.parseFloat(number)) {
        return {};
      } else {
        flat[key] = number;
      }
    }
  }
  if (parser.parseGreater())
    return {};
  // Back to the JSON layout lib/Machine reads.
  json::Object object = std::move(flat);
  object["name"] = name;
  json::Object ports;
  if (json::Value *sides = object.get("port_sides")) {
    json::Array list;
    if (auto text = sides->getAsString()) {
      SmallVector<StringRef> parts;
      text->split(parts, ',', -1, /*KeepEmpty=*/false);
      for (StringRef part : parts)
        list.push_back(part.trim().str());
    }
    ports["sides"] = std::move(list);
    object.erase("port_sides");
  }
  for (StringRef key : {"first_row", "spacing_rows"}) {
    std::string flatKey = ("port_" + key).str();
    if (json::Value *v = object.get(flatKey)) {
      ports[key] = std::move(*v);
      object.erase(flatKey);
    }
  }
  if (!ports.empty())
    object["ports"] = std::move(ports);
  auto machine = wse::machine::fromJSON(json::Value(std::move(object)));
  if (!machine) {
    parser.emitError(parser.getNameLoc())
        << "invalid target '" << name
        << "': " << llvm::toString(machine.takeError())
        << (preset ? ""
                   : " (a name that is not a preset needs every key; "
                     "presets: wse2, wse3, 4x4, 8x8, 32x32, 64x64)");
    return {};
  }
  return TargetAttr::get(parser.getContext(), *machine);
}

RectAttr TargetAttr::getWholeMesh() const {
  const auto &m = getMachine();
  return RectAttr::get(getContext(), 0, 0, m.width, m.height);
}

//===----------------------------------------------------------------------===//
// #wafer.rect
//===----------------------------------------------------------------------===//

LogicalResult RectAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               int64_t x, int64_t y, int64_t width,
                               int64_t height) {
  if (x < 0 || y < 0)
    return emitError() << "rectangle corner (" << x << ", " << y
                       << ") is negative";
  if (width <= 0 || height <= 0)
    return emitError() << "rectangle size " << width << "x" << height
                       << " is empty";
  return success();
}

bool RectAttr::contains(RectAttr other) const {
  return other.getX() >= getX() && other.getY() >= getY() &&
         other.getX() + other.getWidth() <= getX() + getWidth() &&
         other.getY() + other.getHeight() <= getY() + getHeight();
}

bool RectAttr::overlaps(RectAttr other) const {
  return other.getX() < getX() + getWidth() &&
         getX() < other.getX() + other.getWidth() &&
         other.getY() < getY() + getHeight() &&
         getY() < other.getY() + other.getHeight();
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

TargetAttr wse::wafer::getTarget(Operation *op) {
  auto module =
      isa<ModuleOp>(op) ? cast<ModuleOp>(op) : op->getParentOfType<ModuleOp>();
  if (!module)
    return {};
  return module->getAttrOfType<TargetAttr>(kTargetAttrName);
}

TargetAttr wse::wafer::requireTarget(Operation *module, StringRef passName) {
  TargetAttr target = getTarget(module);
  if (!target)
    emitError(module->getLoc())
        << passName << " needs the module attribute '" << kTargetAttrName
        << "': run wafer-target first";
  return target;
}

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

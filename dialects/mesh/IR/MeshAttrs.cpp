//===- MeshAttrs.cpp - Target and rectangle attributes --------------------===//
//
// Custom syntax of #mesh.target (machine description keys) and the helpers
// passes of every level use to read the target and combine rectangles.
//
//===----------------------------------------------------------------------===//

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/mesh/IR/MeshDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace wse::mesh;
namespace json = llvm::json;

#define GET_ATTRDEF_CLASSES
#include "dialects/mesh/IR/MeshAttrs.cpp.inc"

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

void MeshDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/mesh/IR/MeshAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// #mesh.target
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
// #mesh.rect
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

bool RectAttr::contains(int64_t x, int64_t y) const {
  return x >= getX() && x < getEndX() && y >= getY() && y < getEndY();
}

RectAttr RectAttr::unite(RectAttr other) const {
  int64_t x0 = std::min(getX(), other.getX());
  int64_t y0 = std::min(getY(), other.getY());
  int64_t x1 = std::max(getEndX(), other.getEndX());
  int64_t y1 = std::max(getEndY(), other.getEndY());
  return RectAttr::get(getContext(), x0, y0, x1 - x0, y1 - y0);
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

TargetAttr wse::mesh::getTarget(Operation *op) {
  auto module =
      isa<ModuleOp>(op) ? cast<ModuleOp>(op) : op->getParentOfType<ModuleOp>();
  if (!module)
    return {};
  return module->getAttrOfType<TargetAttr>(kTargetAttrName);
}

TargetAttr wse::mesh::requireTarget(Operation *module, StringRef passName) {
  TargetAttr target = getTarget(module);
  if (!target)
    emitError(module->getLoc())
        << passName << " needs the module attribute '" << kTargetAttrName
        << "': run wafer-target first";
  return target;
}

RectAttr wse::mesh::boundingBox(ArrayRef<RectAttr> rects) {
  RectAttr box;
  for (RectAttr rect : rects)
    if (rect)
      box = box ? box.unite(rect) : rect;
  return box;
}

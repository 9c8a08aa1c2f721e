//===- NodeContext.h - What a node handler sees -----------------*- C++ -*-===//
//
// Internal to lib/Import. The node being imported, its operands and the
// attributes of the op being built, shared by the handler files
// (NodeImporter.cpp, SequenceImporter.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_LIB_IMPORT_NODECONTEXT_H
#define WSE_LIB_IMPORT_NODECONTEXT_H

#include "GraphImporter.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringMap.h"

#include <functional>

namespace wse::import {

using mlir::APInt;
using mlir::ArrayRef;
using mlir::FailureOr;
using mlir::InFlightDiagnostic;
using mlir::Location;
using mlir::LogicalResult;
using mlir::NamedAttribute;
using mlir::OpBuilder;
using mlir::SmallVector;
using mlir::StringRef;
using mlir::Type;
using mlir::Value;

inline const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                            llvm::StringRef name) {
  for (const auto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

/// Everything a handler needs about the node being imported.
struct NodeContext {
  GraphImporter &importer;
  const onnx::NodeProto &node;
  Location loc;
  SmallVector<Value> operands; // null where an optional input is absent
  SmallVector<NamedAttribute> attrs;

  OpBuilder &b() { return importer.builder(); }

  InFlightDiagnostic error() {
    return mlir::emitError(loc) << node.op_type() << ": ";
  }

  bool has(unsigned i) const { return i < operands.size() && operands[i]; }

  int64_t intAttr(StringRef name, int64_t dflt) {
    const auto *a = findAttr(node, name);
    return a ? a->i() : dflt;
  }
  float floatAttr(StringRef name, float dflt) {
    const auto *a = findAttr(node, name);
    return a ? a->f() : dflt;
  }
  std::optional<SmallVector<int64_t>> intsAttr(StringRef name) {
    const auto *a = findAttr(node, name);
    if (!a)
      return std::nullopt;
    return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
  }

  void setInt(StringRef name, int64_t v) {
    attrs.emplace_back(b().getStringAttr(name), b().getI64IntegerAttr(v));
  }
  void setF32(StringRef name, float v) {
    attrs.emplace_back(b().getStringAttr(name), b().getF32FloatAttr(v));
  }
  void setArray(StringRef name, ArrayRef<int64_t> v) {
    attrs.emplace_back(b().getStringAttr(name), b().getDenseI64ArrayAttr(v));
  }
  /// Copies an integer attribute when the node sets it (defaults live in ODS).
  void copyInt(StringRef name) {
    if (const auto *a = findAttr(node, name))
      setInt(name, a->i());
  }

  /// Integer values of a constant input (initializer or Constant output).
  FailureOr<SmallVector<int64_t>> constInts(unsigned i, StringRef what) {
    auto data = importer.constantData(node.input(i));
    if (!data) {
      error() << "input '" << what << "' (" << node.input(i)
              << ") must be a constant";
      return mlir::failure();
    }
    // Reading another element type as integers is undefined (a float
    // `axes` read as APInt walked off its buffer: found by wse-fuzz-import).
    if (!data->getElementType().isSignlessInteger() ||
        data->getElementType().getIntOrFloatBitWidth() > 64) {
      error() << "input '" << what << "' (" << node.input(i)
              << ") must hold integers, not " << data->getElementType();
      return mlir::failure();
    }
    SmallVector<int64_t> out;
    for (const APInt &v : data->getValues<APInt>())
      out.push_back(v.getSExtValue());
    return out;
  }

  /// The tensors of the sequence input `i`; null (with an error naming the
  /// node) when input `i` is absent or not a sequence.
  const SmallVector<Value> *sequenceInput(unsigned i) {
    if ((int)i >= node.input_size() || node.input(i).empty()) {
      error() << "input " << i << " (a sequence) is missing";
      return nullptr;
    }
    const SmallVector<Value> *items = importer.sequence(node.input(i));
    if (!items)
      error() << "input '" << node.input(i) << "' is not a sequence";
    return items;
  }

  Type elementOf(unsigned i) { return mlir::getElementTypeOrSelf(operands[i]); }
};

/// Creates the op `onnx.<name>` with results typed by shape inference and
/// defines the node's outputs as its results.
LogicalResult emit(NodeContext &ctx, StringRef name, ArrayRef<Value> operands,
                   ArrayRef<Type> fallbackElements);

/// A 1-D i64 onnx.Constant holding `values`.
Value i64Vector(NodeContext &ctx, ArrayRef<int64_t> values);

using Handler = std::function<LogicalResult(NodeContext &)>;

/// Adds the handlers of the sequence operators (SequenceImporter.cpp).
void addSequenceHandlers(llvm::StringMap<Handler> &table);

} // namespace wse::import

#endif

//===- GraphImporter.h - State of one ONNX graph import ---------*- C++ -*-===//
//
// Internal to lib/Import (it includes the ONNX protobuf headers). The graph
// importer owns the value table and the conversions of types and tensors;
// NodeImporter.cpp turns each node into its canonical onnx dialect op.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_LIB_IMPORT_GRAPHIMPORTER_H
#define WSE_LIB_IMPORT_GRAPHIMPORTER_H

#include "NewOpsetRewrite.h"
#include "WireScanner.h"
#include "wse/Import/ONNXImporter.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <optional>

namespace wse::import {

/// Converts an ONNX element type code; null when unsupported.
mlir::Type convertElementType(mlir::MLIRContext *context, int32_t onnxType);

/// The ONNX name of an element type code, for messages.
std::string onnxTypeName(int32_t onnxType);

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext *context, const ImportOptions &options,
                llvm::StringRef modelPath, llvm::StringRef bytes,
                bool textModel, const onnx::ModelProto &model,
                int64_t modelOpset, int64_t schemaOpset,
                const NewOpsetNotes &notes);

  mlir::OwningOpRef<mlir::ModuleOp> run();

  // --- Services for NodeImporter -------------------------------------------
  mlir::OpBuilder &builder() { return b; }
  mlir::MLIRContext *context() { return ctx; }
  /// The opset whose operator forms the nodes now have: the model's, or 17
  /// for models at 18-21 (rewritten by NewOpsetRewrite).
  int64_t opset() const { return schemaOpset; }
  const NewOpsetNotes &opsetNotes() const { return notes; }

  /// The value named `name`, materializing initializers on first use; null
  /// (with an error emitted at `loc`) when no such value exists.
  mlir::Value lookup(llvm::StringRef name, mlir::Location loc);

  /// The constant data behind `name` when it is an initializer or the output
  /// of a Constant node (used for axes-like inputs).
  std::optional<mlir::DenseElementsAttr> constantData(llvm::StringRef name);

  /// The type shape inference gave `name`; falls back to an unranked tensor of
  /// `fallbackElement`.
  mlir::Type typeOf(llvm::StringRef name, mlir::Type fallbackElement);

  void define(llvm::StringRef name, mlir::Value value) { values[name] = value; }

  /// Sequence values (SequenceImporter.cpp) exist only at import: each is
  /// the list of its tensors, which must be known statically.
  void defineSequence(llvm::StringRef name, llvm::ArrayRef<mlir::Value> items) {
    sequences[name].assign(items.begin(), items.end());
  }
  /// The tensors of sequence `name`; null when `name` is no sequence.
  const llvm::SmallVector<mlir::Value> *sequence(llvm::StringRef name) const {
    auto it = sequences.find(name);
    return it == sequences.end() ? nullptr : &it->second;
  }

  /// Converts a TensorProto held in the model (a Constant's value) to an
  /// attribute or, above the inline threshold, to a parameter reference.
  mlir::Value importTensor(const onnx::TensorProto &tensor, llvm::StringRef key,
                           mlir::Location loc);

  /// Converts tensor data to an attribute (never used for large weights).
  mlir::FailureOr<mlir::DenseElementsAttr>
  tensorToAttr(const onnx::TensorProto &tensor, mlir::Location loc);

  mlir::Location nodeLoc(const onnx::NodeProto &node, size_t index);

private:
  mlir::LogicalResult collectTypes();
  mlir::FailureOr<mlir::Type> importValueType(const onnx::ValueInfoProto &info,
                                              bool isGraphInput);
  mlir::FailureOr<std::vector<const onnx::NodeProto *>> sortNodes();
  mlir::FailureOr<mlir::Value> makeParameter(const onnx::TensorProto &tensor,
                                             llvm::StringRef key,
                                             mlir::Location loc);
  mlir::FailureOr<ByteRange> externalRange(const onnx::TensorProto &tensor,
                                           int64_t expectedBytes,
                                           std::string &file,
                                           mlir::Location loc);

  mlir::MLIRContext *ctx;
  const ImportOptions &options;
  std::string modelPath;
  llvm::StringRef bytes;
  bool textModel;
  const onnx::ModelProto &model;
  int64_t modelOpset, schemaOpset;
  const NewOpsetNotes &notes;
  mlir::OpBuilder b;
  mlir::ModuleOp module;
  mlir::Operation *funcOp = nullptr;
  mlir::Operation *lastInitializer = nullptr;
  llvm::StringMap<ByteRange> payloads;
  llvm::StringMap<mlir::Value> values;
  llvm::StringMap<llvm::SmallVector<mlir::Value>> sequences;
  llvm::StringMap<const onnx::TensorProto *> initializers;
  llvm::StringMap<const onnx::ValueInfoProto *> valueInfos;
  llvm::StringMap<mlir::DenseElementsAttr> constants;
};

/// Imports one node (already in topological order) into the current block.
mlir::LogicalResult importNode(GraphImporter &importer,
                               const onnx::NodeProto &node, size_t index);

} // namespace wse::import

#endif

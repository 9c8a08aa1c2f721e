//===- ONNXImporter.cpp - Entry point of the ONNX importer ----------------===//
//
// Parses the model (binary protobuf or ONNX text syntax), checks the opset,
// pins input shapes, runs ONNX shape inference and hands the graph to the
// GraphImporter. libonnx throws: everything is caught here and turned into a
// diagnostic.
//
//===----------------------------------------------------------------------===//

#include "wse/Import/ONNXImporter.h"
#include "GraphImporter.h"
#include "GraphValidation.h"
#include "IsolatedShapeInference.h"
#include "NewOpsetRewrite.h"

#include "dialects/onnx/IR/ONNXDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"

#include <onnx/defs/parser.h>

#include <algorithm>
#include <climits>

using namespace mlir;
using namespace wse::import;

llvm::Error wse::import::parseInputShape(llvm::StringRef spec,
                                         ImportOptions &options) {
  auto [name, dimsText] = spec.rsplit('=');
  if (name.empty() || dimsText.empty() || !spec.contains('='))
    return llvm::createStringError(
        "--input-shape '%s' is not of the form NAME=DIMS (e.g. "
        "input_ids=1x128)",
        spec.str().c_str());
  std::vector<int64_t> dims;
  SmallVector<StringRef> parts;
  dimsText.split(parts, 'x');
  for (StringRef part : parts) {
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim <= 0)
      return llvm::createStringError(
          "--input-shape '%s': dimension '%s' is not a positive integer",
          spec.str().c_str(), part.str().c_str());
    dims.push_back(dim);
  }
  if (options.inputShapes.count(name.str()))
    return llvm::createStringError("--input-shape names '%s' twice",
                                   name.str().c_str());
  options.inputShapes[name.str()] = std::move(dims);
  return llvm::Error::success();
}

namespace {

/// Opset 7 is where the operators decoders use took their broadcasting
/// forms; 18-21 are rewritten to 17 (NewOpsetRewrite.h).
constexpr int64_t kMinOpset = 7, kMaxOpset = 21;

LogicalResult parseModel(StringRef path, StringRef bytes, bool text,
                         onnx::ModelProto &model, Location loc) {
  if (text) {
    std::string source = bytes.str();
    onnx::OnnxParser parser(source.c_str());
    auto status = parser.Parse(model);
    if (!status.IsOK())
      return emitError(loc) << "cannot parse ONNX text model '" << path
                            << "': " << status.ErrorMessage();
    return success();
  }
  if (bytes.size() > size_t(INT_MAX))
    return emitError(loc) << "model file '" << path
                          << "' is larger than 2 GiB; store the weights as "
                             "external data";
  if (!model.ParseFromArray(bytes.data(), int(bytes.size())))
    return emitError(loc) << "'" << path
                          << "' is not a valid ONNX model (malformed or "
                             "truncated protobuf)";
  if (!model.has_graph())
    return emitError(loc) << "'" << path << "' has no graph";
  return success();
}

FailureOr<int64_t> defaultOpset(const onnx::ModelProto &model, StringRef path,
                                Location loc) {
  std::optional<int64_t> opset;
  for (const auto &entry : model.opset_import())
    if (entry.domain().empty() || entry.domain() == "ai.onnx")
      opset = entry.version();
  if (!opset)
    return emitError(loc) << "'" << path
                          << "' does not import the default ONNX opset";
  if (*opset < kMinOpset || *opset > kMaxOpset)
    return emitError(loc) << "'" << path << "' uses opset " << *opset
                          << "; supported opsets are " << kMinOpset << " to "
                          << kMaxOpset
                          << " (re-export with opset_version in "
                             "that range)";
  return *opset;
}

/// Writes pinned input dimensions into the graph so shape inference
/// propagates them.
void pinInputShapes(onnx::ModelProto &model, const ImportOptions &options) {
  for (auto &input : *model.mutable_graph()->mutable_input()) {
    auto it = options.inputShapes.find(input.name());
    if (it == options.inputShapes.end() || !input.type().has_tensor_type())
      continue;
    auto *shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
    // Conflicts are left in place for GraphImporter to report.
    if (shape->dim_size() != 0 && shape->dim_size() != (int)it->second.size())
      continue;
    bool conflict = false;
    for (int i = 0; i < shape->dim_size(); ++i)
      conflict |= shape->dim(i).has_dim_value() &&
                  shape->dim(i).dim_value() != it->second[i];
    if (conflict)
      continue;
    shape->clear_dim();
    for (int64_t d : it->second)
      shape->add_dim()->set_dim_value(d);
  }
}

} // namespace

OwningOpRef<ModuleOp>
wse::import::importONNXModel(StringRef path, StringRef bytes,
                             MLIRContext *context,
                             const ImportOptions &options) {
  context->loadDialect<wse::onnxir::ONNXDialect, func::FuncDialect>();
  Location loc = FileLineColLoc::get(context, path, 0, 0);
  bool text =
      path.ends_with(".onnxtext") || (!bytes.empty() && bytes.front() == '<');
  // Ops carry the node (or initializer) name as their location. Report such
  // diagnostics against the model file, naming the node.
  ScopedDiagnosticHandler nodeNames(context, [&](Diagnostic &diag) {
    auto name = dyn_cast<NameLoc>(diag.getLocation());
    if (!name)
      return failure();
    Diagnostic renamed(loc, diag.getSeverity());
    renamed << "node '" << name.getName().getValue() << "': " << diag.str();
    for (Diagnostic &note : diag.getNotes())
      renamed.attachNote(loc) << note.str();
    context->getDiagEngine().emit(std::move(renamed));
    return success();
  });
  try {
    onnx::ModelProto model;
    if (failed(parseModel(path, bytes, text, model, loc)))
      return nullptr;
    auto opset = defaultOpset(model, path, loc);
    if (failed(opset))
      return nullptr;
    // libonnx reads only the opset-17 form of newer models.
    NewOpsetNotes notes;
    int64_t schemaOpset = std::min<int64_t>(*opset, kLibOnnxMaxOpset);
    if (*opset > kLibOnnxMaxOpset &&
        failed(rewriteToOpset17(model, notes, loc)))
      return nullptr;
    if (failed(validateGraph(model, schemaOpset, loc)))
      return nullptr;
    pinInputShapes(model, options);
    InferenceOutcome inference = inferShapesIsolated(model);
    if (inference.kind == InferenceOutcome::Crashed) {
      emitError(loc) << "'" << path << "' is malformed: " << inference.message
                     << " on it; check that every node's inputs have the "
                        "ranks and types its operator needs";
      return nullptr;
    }
    // Inference is an aid: the staticize pass refines types itself.
    if (inference.kind == InferenceOutcome::Failed)
      emitWarning(loc) << "ONNX shape inference failed, continuing with the "
                          "declared types: "
                       << inference.message;
    GraphImporter importer(context, options, path, bytes, text, model, *opset,
                           schemaOpset, notes);
    OwningOpRef<ModuleOp> module = importer.run();
    if (!module || failed(verify(*module)))
      return nullptr;
    return module;
  } catch (const std::exception &e) {
    emitError(loc) << "importing '" << path << "' failed: " << e.what();
  } catch (...) {
    emitError(loc) << "importing '" << path << "' failed with an unknown error";
  }
  return nullptr;
}

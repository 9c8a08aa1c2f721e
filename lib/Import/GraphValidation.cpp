//===- GraphValidation.cpp - Structural checks before shape inference -----===//
#include "GraphValidation.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/checker.h>

using namespace mlir;

std::string wse::import::nodeName(const onnx::NodeProto &node, size_t index) {
  return node.name().empty() ? node.op_type() + "#" + std::to_string(index)
                             : node.name();
}

LogicalResult wse::import::validateGraph(const onnx::ModelProto &model,
                                         int64_t opset, Location fileLoc) {
  const onnx::GraphProto &graph = model.graph();
  llvm::StringSet<> defined, initializers;
  for (const auto &input : graph.input())
    defined.insert(input.name());
  for (const auto &init : graph.initializer()) {
    if (!initializers.insert(init.name()).second)
      return emitError(fileLoc)
             << "initializer '" << init.name() << "' is defined twice";
    defined.insert(init.name());
  }
  for (int i = 0; i < graph.node_size(); ++i)
    for (const std::string &out : graph.node(i).output())
      if (!out.empty() && !defined.insert(out).second)
        return emitError(fileLoc)
               << "node '" << nodeName(graph.node(i), i) << "': value '" << out
               << "' is defined more than once";

  onnx::checker::CheckerContext ctx;
  ctx.set_ir_version(model.ir_version());
  std::unordered_map<std::string, int> opsets;
  for (const auto &entry : model.opset_import())
    opsets[entry.domain()] = entry.version();
  ctx.set_opset_imports(opsets);
  onnx::checker::LexicalScopeContext scope;

  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto &node = graph.node(i);
    auto error = [&]() {
      return emitError(fileLoc) << "node '" << nodeName(node, i) << "': ";
    };
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return error() << node.op_type() << " is in domain '" << node.domain()
                     << "'; only the default ONNX domain is supported";
    for (const auto &attr : node.attribute())
      if (attr.has_g() || attr.graphs_size())
        return error() << node.op_type()
                       << " node has a subgraph; control flow is not supported";
    if (!isSupportedOperator(node.op_type()))
      return error() << "unsupported ONNX operator '" << node.op_type() << "'";
    for (const std::string &in : node.input())
      if (!in.empty() && !defined.contains(in))
        return error() << node.op_type() << " node reads '" << in
                       << "', which no node, input or initializer defines";
    try {
      onnx::checker::check_node(node, ctx, scope);
    } catch (const std::exception &e) {
      std::string what = e.what();
      return error() << "does not match the ONNX schema of " << node.op_type()
                     << " (opset " << opset
                     << "): " << what.substr(0, what.find('\n'));
    }
  }
  for (const auto &output : graph.output())
    if (!defined.contains(output.name()))
      return emitError(fileLoc) << "graph output '" << output.name()
                                << "' is not defined by any node, input or "
                                   "initializer";
  return success();
}

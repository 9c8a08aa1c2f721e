//===- NewOpsetRewrite.cpp - Opsets 18-21 rewritten to opset 17 -----------===//
//
// Which default-domain operators changed after opset 17, and what the rewrite
// does about each (operators the importer does not support are left alone:
// validation refuses them by name):
//
//   18  ReduceMean/Max/Min/Prod/L1/L2/LogSum/LogSumExp/SumSquare take axes as
//       an optional input (ReduceSum since 13)  -> `axes` attribute; with
//       noop_with_empty_axes=1 and no axes     -> Identity
//   18  Split gains num_outputs                -> dropped, recorded in
//                                                NewOpsetNotes
//   19  Cast gains saturate (float8 only)      -> dropped
//   20  Gelu                                   -> its erf or tanh formula,
//                                                which recomposition fuses
//   19-21 Constant, ConstantOfShape, Equal, Identity, Reshape, Shape, Squeeze,
//       Unsqueeze, Transpose: new element types (float8, int4) only; the
//       importer refuses those types by name
//
//===----------------------------------------------------------------------===//

#include "NewOpsetRewrite.h"
#include "GraphValidation.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/defs/tensor_proto_util.h>

#include <cmath>
#include <optional>

using namespace mlir;
using namespace wse::import;

namespace {

const llvm::StringSet<> &axesInputReductions() {
  static const llvm::StringSet<> names = {
      "ReduceMean",   "ReduceMax",       "ReduceMin",
      "ReduceProd",   "ReduceL1",        "ReduceL2",
      "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"};
  return names;
}

onnx::AttributeProto *findAttr(onnx::NodeProto &node, llvm::StringRef name) {
  for (auto &attr : *node.mutable_attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

void removeAttr(onnx::NodeProto &node, llvm::StringRef name) {
  auto *attrs = node.mutable_attribute();
  for (int i = 0; i < attrs->size(); ++i)
    if (attrs->Get(i).name() == name) {
      attrs->DeleteSubrange(i, 1);
      return;
    }
}

/// The graph's constant values by name: initializers and Constant nodes.
struct Constants {
  llvm::StringMap<const onnx::TensorProto *> tensors;
  llvm::StringMap<std::vector<int64_t>> ints; // Constant value_int(s)

  explicit Constants(const onnx::GraphProto &graph) {
    for (const auto &init : graph.initializer())
      tensors[init.name()] = &init;
    for (const auto &node : graph.node()) {
      if (node.op_type() != "Constant" || node.output_size() != 1 ||
          node.attribute_size() != 1)
        continue;
      const auto &attr = node.attribute(0);
      if (attr.name() == "value")
        tensors[node.output(0)] = &attr.t();
      else if (attr.name() == "value_ints")
        ints[node.output(0)] = {attr.ints().begin(), attr.ints().end()};
      else if (attr.name() == "value_int")
        ints[node.output(0)] = {attr.i()};
    }
  }

  /// The integers held by `name`, when it is a constant int64/int32 tensor
  /// stored in the model.
  std::optional<std::vector<int64_t>> integers(const std::string &name) {
    if (auto it = ints.find(name); it != ints.end())
      return it->second;
    auto it = tensors.find(name);
    if (it == tensors.end() ||
        it->second->data_location() == onnx::TensorProto::EXTERNAL)
      return std::nullopt;
    const onnx::TensorProto &t = *it->second;
    if (t.data_type() == onnx::TensorProto::INT64)
      return onnx::ParseData<int64_t>(&t);
    if (t.data_type() == onnx::TensorProto::INT32) {
      std::vector<int32_t> narrow = onnx::ParseData<int32_t>(&t);
      return std::vector<int64_t>(narrow.begin(), narrow.end());
    }
    return std::nullopt;
  }
};

/// The declared element type of `name` (graph input, value info, output or
/// initializer) before shape inference; FLOAT when nothing declares it.
int32_t declaredElementType(const onnx::GraphProto &graph,
                            const std::string &name) {
  for (const auto *infos :
       {&graph.input(), &graph.value_info(), &graph.output()})
    for (const auto &info : *infos)
      if (info.name() == name && info.type().has_tensor_type())
        return info.type().tensor_type().elem_type();
  for (const auto &init : graph.initializer())
    if (init.name() == name)
      return init.data_type();
  return onnx::TensorProto::FLOAT;
}

/// Emits the nodes of `node`'s replacement into `out`.
class Rewriter {
public:
  Rewriter(onnx::GraphProto &graph, NewOpsetNotes &notes, Location fileLoc)
      : graph(graph), constants(graph), notes(notes), fileLoc(fileLoc) {}

  /// Appends the opset-17 form of `node` (one node or several) to `out`.
  LogicalResult rewrite(onnx::NodeProto node, size_t index,
                        std::vector<onnx::NodeProto> &out) {
    // The node is moved into the rewrite: the message keeps copies.
    std::string name = nodeName(node, index), opType = node.op_type();
    auto error = [this, name, opType]() {
      return emitError(fileLoc)
             << "node '" << name << "': " << opType << " (opset 18+): ";
    };
    if (!node.domain().empty() && node.domain() != "ai.onnx") {
      out.push_back(std::move(node));
      return success();
    }
    const std::string &op = node.op_type();
    if (axesInputReductions().contains(op))
      return rewriteReduction(std::move(node), error, out);
    if (op == "Split")
      return rewriteSplit(std::move(node), error, out);
    if (op == "Cast")
      removeAttr(node, "saturate");
    if (op == "Gelu")
      return rewriteGelu(node, index, error, out);
    out.push_back(std::move(node));
    return success();
  }

private:
  template <typename ErrorFn>
  LogicalResult rewriteReduction(onnx::NodeProto node, ErrorFn error,
                                 std::vector<onnx::NodeProto> &out) {
    std::vector<int64_t> axes;
    if (node.input_size() >= 2 && !node.input(1).empty()) {
      auto values = constants.integers(node.input(1));
      if (!values)
        return error() << "input 'axes' (" << node.input(1)
                       << ") must be a constant";
      axes = *values;
    }
    const auto *noop = findAttr(node, "noop_with_empty_axes");
    bool identity = noop && noop->i() != 0 && axes.empty();
    removeAttr(node, "noop_with_empty_axes");
    while (node.input_size() > 1)
      node.mutable_input()->RemoveLast();
    if (identity) {
      node.set_op_type("Identity");
      node.clear_attribute();
    } else if (!axes.empty()) {
      auto *attr = node.add_attribute();
      attr->set_name("axes");
      attr->set_type(onnx::AttributeProto::INTS);
      for (int64_t a : axes)
        attr->add_ints(a);
    }
    out.push_back(std::move(node));
    return success();
  }

  template <typename ErrorFn>
  LogicalResult rewriteSplit(onnx::NodeProto node, ErrorFn error,
                             std::vector<onnx::NodeProto> &out) {
    if (const auto *n = findAttr(node, "num_outputs")) {
      if (node.input_size() >= 2 && !node.input(1).empty())
        return error() << "gives both num_outputs and a 'split' input";
      if (n->i() != node.output_size())
        return error() << "num_outputs is " << n->i() << " but the node has "
                       << node.output_size() << " outputs";
      notes.splitNumOutputs[node.output(0)] = n->i();
      removeAttr(node, "num_outputs");
    }
    out.push_back(std::move(node));
    return success();
  }

  /// A scalar Constant node of `elemType` holding `value`; returns its name.
  std::string scalar(const std::string &prefix, const char *what, double value,
                     int32_t elemType, std::vector<onnx::NodeProto> &out) {
    onnx::NodeProto c;
    c.set_op_type("Constant");
    c.set_name(prefix + "/" + what);
    c.add_output(prefix + "/" + what);
    auto *attr = c.add_attribute();
    attr->set_name("value");
    attr->set_type(onnx::AttributeProto::TENSOR);
    onnx::TensorProto *t = attr->mutable_t();
    t->set_data_type(elemType);
    if (elemType == onnx::TensorProto::DOUBLE)
      t->add_double_data(value);
    else
      t->add_float_data(float(value));
    out.push_back(std::move(c));
    return prefix + "/" + what;
  }

  std::string binary(const std::string &prefix, const char *opType,
                     const char *what, const std::string &a,
                     const std::string &b, std::vector<onnx::NodeProto> &out,
                     const std::string &result = "") {
    onnx::NodeProto n;
    n.set_op_type(opType);
    n.set_name(prefix + "/" + what);
    n.add_input(a);
    if (!b.empty())
      n.add_input(b);
    n.add_output(result.empty() ? prefix + "/" + what : result);
    out.push_back(n);
    return n.output(0);
  }

  /// Gelu(x) = x * 0.5 * (1 + erf(x / sqrt 2)), or with approximate="tanh"
  /// x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))): the forms torch
  /// exports, which RecomposeGelu turns back into one onnx.Gelu.
  template <typename ErrorFn>
  LogicalResult rewriteGelu(const onnx::NodeProto &node, size_t index,
                            ErrorFn error, std::vector<onnx::NodeProto> &out) {
    if (node.input_size() != 1 || node.output_size() != 1)
      return error() << "needs one input and one output";
    std::string approximate = "none";
    for (const auto &attr : node.attribute()) {
      if (attr.name() != "approximate")
        return error() << "unknown attribute '" << attr.name() << "'";
      approximate = attr.s();
    }
    if (approximate != "none" && approximate != "tanh")
      return error() << "approximate must be \"none\" or \"tanh\", not \""
                     << approximate << "\"";
    const std::string &x = node.input(0);
    int32_t type = declaredElementType(graph, x);
    if (type != onnx::TensorProto::FLOAT && type != onnx::TensorProto::DOUBLE)
      return error() << "is supported on float and double inputs only";
    std::string p = nodeName(node, index);
    std::string branch;
    if (approximate == "none") {
      std::string scaled = binary(p, "Div", "scaled", x,
                                  scalar(p, "sqrt2", M_SQRT2, type, out), out);
      branch = binary(p, "Erf", "erf", scaled, "", out);
    } else {
      std::string cube =
          binary(p, "Pow", "cube", x, scalar(p, "three", 3.0, type, out), out);
      std::string cubic =
          binary(p, "Mul", "cubic", cube,
                 scalar(p, "c0044715", 0.044715, type, out), out);
      std::string inner = binary(p, "Add", "inner", x, cubic, out);
      std::string scaled = binary(
          p, "Mul", "scaled", inner,
          scalar(p, "sqrt2_over_pi", std::sqrt(2.0 / M_PI), type, out), out);
      branch = binary(p, "Tanh", "tanh", scaled, "", out);
    }
    std::string onePlus = binary(p, "Add", "one_plus", branch,
                                 scalar(p, "one", 1.0, type, out), out);
    std::string product = binary(p, "Mul", "x_times", x, onePlus, out);
    binary(p, "Mul", "half", product, scalar(p, "half_c", 0.5, type, out), out,
           node.output(0));
    return success();
  }

  onnx::GraphProto &graph;
  Constants constants;
  NewOpsetNotes &notes;
  Location fileLoc;
};

} // namespace

LogicalResult wse::import::rewriteToOpset17(onnx::ModelProto &model,
                                            NewOpsetNotes &notes,
                                            Location fileLoc) {
  onnx::GraphProto &graph = *model.mutable_graph();
  Rewriter rewriter(graph, notes, fileLoc);
  std::vector<onnx::NodeProto> nodes;
  nodes.reserve(graph.node_size());
  for (int i = 0; i < graph.node_size(); ++i)
    if (failed(rewriter.rewrite(graph.node(i), i, nodes)))
      return failure();
  graph.clear_node();
  for (auto &node : nodes)
    *graph.add_node() = std::move(node);
  for (auto &entry : *model.mutable_opset_import())
    if (entry.domain().empty() || entry.domain() == "ai.onnx")
      entry.set_version(kLibOnnxMaxOpset);
  return success();
}

//===- ModelMutator.cpp - Structure-aware ONNX model mutations ------------===//
//
// Byte mutations of a protobuf mostly break its framing, so the importer's
// graph logic is rarely reached. These edits keep the model well-formed
// protobuf and change what the importer's checks are about: which values a
// node reads (rewired, omitted), which nodes exist and in what order, which
// operator a node is, its attributes, and the shapes and element types of
// initializers and graph inputs, with values at the edges of int64.
//
//===----------------------------------------------------------------------===//

#include "ModelMutator.h"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace {

using Rng = std::minstd_rand;

size_t pick(Rng &rng, size_t n) { return n == 0 ? 0 : rng() % n; }

int64_t interestingInt(Rng &rng) {
  static const int64_t values[] = {0,
                                   1,
                                   -1,
                                   2,
                                   3,
                                   -2,
                                   7,
                                   64,
                                   16384,
                                   1 << 20,
                                   int64_t(1) << 31,
                                   int64_t(1) << 48,
                                   (int64_t(1) << 50) + 1,
                                   int64_t(1) << 62,
                                   std::numeric_limits<int64_t>::max(),
                                   std::numeric_limits<int64_t>::min()};
  return values[pick(rng, std::size(values))];
}

/// Operators of the decoders and of the importer's rewrites.
const char *const kOps[] = {"Add",
                            "Sub",
                            "Mul",
                            "Div",
                            "MatMul",
                            "Gemm",
                            "Transpose",
                            "Reshape",
                            "Concat",
                            "Slice",
                            "Gather",
                            "Shape",
                            "Unsqueeze",
                            "Squeeze",
                            "Softmax",
                            "Where",
                            "Expand",
                            "Cast",
                            "Constant",
                            "Split",
                            "ReduceMean",
                            "Pow",
                            "Sqrt",
                            "Tanh",
                            "Erf",
                            "LayerNormalization",
                            "Range",
                            "Equal",
                            "ConstantOfShape",
                            "Trilu",
                            "Neg",
                            "Identity",
                            "SplitToSequence",
                            "SequenceAt",
                            "Flatten",
                            "Max",
                            "Sigmoid"};

/// Every value name in the graph: inputs, initializers, node outputs, and
/// the omitted input ''.
std::vector<std::string> valueNames(const onnx::GraphProto &g) {
  std::vector<std::string> names{""};
  for (const auto &in : g.input())
    names.push_back(in.name());
  for (const auto &init : g.initializer())
    names.push_back(init.name());
  for (const auto &node : g.node())
    for (const auto &out : node.output())
      names.push_back(out);
  return names;
}

onnx::TensorShapeProto *someShape(onnx::GraphProto &g, Rng &rng) {
  std::vector<onnx::ValueInfoProto *> infos;
  for (auto &v : *g.mutable_input())
    infos.push_back(&v);
  for (auto &v : *g.mutable_output())
    infos.push_back(&v);
  for (auto &v : *g.mutable_value_info())
    infos.push_back(&v);
  if (infos.empty())
    return nullptr;
  auto *type = infos[pick(rng, infos.size())]->mutable_type();
  return type->mutable_tensor_type()->mutable_shape();
}

void editDims(google::protobuf::RepeatedField<int64_t> &dims, Rng &rng) {
  switch (rng() % 3) {
  case 0:
    if (!dims.empty()) {
      dims.Set(int(pick(rng, dims.size())), interestingInt(rng));
      return;
    }
    [[fallthrough]];
  case 1:
    dims.Add(interestingInt(rng));
    return;
  default:
    if (!dims.empty())
      dims.RemoveLast();
  }
}

void mutateAttribute(onnx::NodeProto &node, Rng &rng) {
  if (node.attribute_size() == 0 || rng() % 4 == 0) {
    static const char *const names[] = {"axis", "perm",  "axes",  "keepdims",
                                        "to",   "value", "split", "epsilon"};
    auto *a = node.add_attribute();
    a->set_name(names[pick(rng, std::size(names))]);
    a->set_type(rng() % 2 ? onnx::AttributeProto::INT
                          : onnx::AttributeProto::INTS);
    a->set_i(interestingInt(rng));
    for (size_t n = pick(rng, 5); n > 0; --n)
      a->add_ints(interestingInt(rng));
    return;
  }
  auto *a = node.mutable_attribute(int(pick(rng, node.attribute_size())));
  switch (rng() % 4) {
  case 0:
    a->set_i(interestingInt(rng));
    return;
  case 1:
    if (a->ints_size() > 0) {
      a->set_ints(int(pick(rng, a->ints_size())), interestingInt(rng));
      return;
    }
    a->add_ints(interestingInt(rng));
    return;
  case 2:
    a->set_f(rng() % 2 ? std::numeric_limits<float>::quiet_NaN() : 1e30f);
    return;
  default:
    if (a->ints_size() > 0)
      a->mutable_ints()->RemoveLast();
    else
      a->add_ints(interestingInt(rng));
  }
}

/// One structural edit; false when the model has nothing it applies to.
bool mutateOnce(onnx::ModelProto &model, Rng &rng) {
  onnx::GraphProto &g = *model.mutable_graph();
  int nodes = g.node_size();
  switch (rng() % 11) {
  case 0: { // rewire a node input (finding 5), or omit it (finding 4)
    if (nodes == 0)
      return false;
    auto &node = *g.mutable_node(int(pick(rng, nodes)));
    std::vector<std::string> names = valueNames(g);
    std::string name = names[pick(rng, names.size())];
    if (node.input_size() == 0 || rng() % 4 == 0)
      node.add_input(name);
    else
      node.set_input(int(pick(rng, node.input_size())), name);
    return true;
  }
  case 1: // drop a node
    if (nodes == 0)
      return false;
    g.mutable_node()->DeleteSubrange(int(pick(rng, nodes)), 1);
    return true;
  case 2: { // copy a node (values defined twice, or a second reader)
    if (nodes == 0)
      return false;
    onnx::NodeProto copy = g.node(int(pick(rng, nodes)));
    if (rng() % 2)
      for (auto &out : *copy.mutable_output())
        out += "_copy";
    *g.add_node() = copy;
    return true;
  }
  case 3: // another operator
    if (nodes == 0)
      return false;
    g.mutable_node(int(pick(rng, nodes)))
        ->set_op_type(kOps[pick(rng, std::size(kOps))]);
    return true;
  case 4: // an attribute
    if (nodes == 0)
      return false;
    mutateAttribute(*g.mutable_node(int(pick(rng, nodes))), rng);
    return true;
  case 5: { // initializer dims (findings 1, 2)
    if (g.initializer_size() == 0)
      return false;
    editDims(*g.mutable_initializer(int(pick(rng, g.initializer_size())))
                  ->mutable_dims(),
             rng);
    return true;
  }
  case 6: { // initializer element type
    if (g.initializer_size() == 0)
      return false;
    g.mutable_initializer(int(pick(rng, g.initializer_size())))
        ->set_data_type(int32_t(pick(rng, 20)));
    return true;
  }
  case 7: { // a declared shape: graph input, output or value info
    onnx::TensorShapeProto *shape = someShape(g, rng);
    if (!shape)
      return false;
    if (shape->dim_size() == 0 || rng() % 3 == 0)
      shape->add_dim()->set_dim_value(interestingInt(rng));
    else if (rng() % 2)
      shape->mutable_dim(int(pick(rng, shape->dim_size())))
          ->set_dim_value(interestingInt(rng));
    else
      shape->mutable_dim(int(pick(rng, shape->dim_size())))->set_dim_param("d");
    return true;
  }
  case 8: { // swap two nodes (topological order)
    if (nodes < 2)
      return false;
    g.mutable_node()->SwapElements(int(pick(rng, nodes)),
                                   int(pick(rng, nodes)));
    return true;
  }
  case 9: { // opset
    static const int64_t versions[] = {1, 7, 11, 13, 14, 17, 18, 21, 22, 99};
    if (model.opset_import_size() == 0)
      model.add_opset_import()->set_version(17);
    model.mutable_opset_import(0)->set_version(
        versions[pick(rng, std::size(versions))]);
    return true;
  }
  default: { // a graph output names another value
    std::vector<std::string> names = valueNames(g);
    if (g.output_size() == 0)
      g.add_output()->set_name(names[pick(rng, names.size())]);
    else
      g.mutable_output(int(pick(rng, g.output_size())))
          ->set_name(names[pick(rng, names.size())]);
    return true;
  }
  }
}

} // namespace

size_t wse::fuzz::mutateModel(uint8_t *data, size_t size, size_t maxSize,
                              unsigned seed) {
  Rng rng(seed);
  onnx::ModelProto model;
  // A quarter of the time, and for text or bytes that do not parse, plain
  // byte mutations: they reach the protobuf and text parsers.
  if (rng() % 4 == 0 || size == 0 || data[0] == '<' ||
      !model.ParseFromArray(data, int(size)))
    return LLVMFuzzerMutate(data, size, maxSize);
  bool changed = false;
  for (size_t edits = 1 + pick(rng, 3); edits > 0; --edits)
    changed |= mutateOnce(model, rng);
  std::string out;
  if (!changed || !model.SerializeToString(&out) || out.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

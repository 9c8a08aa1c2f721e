//===- GraphImporter.cpp - One ONNX graph to a func.func ------------------===//
#include "GraphImporter.h"
#include "GraphValidation.h"
#include "TensorConversion.h"

#include "dialects/onnx/IR/ONNXOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace wse::import;
namespace onnxir = wse::onnxir;

GraphImporter::GraphImporter(MLIRContext *context, const ImportOptions &options,
                             StringRef modelPath, StringRef bytes,
                             bool textModel, const onnx::ModelProto &model,
                             int64_t modelOpset, int64_t schemaOpset,
                             const NewOpsetNotes &notes)
    : ctx(context), options(options), modelPath(modelPath.str()), bytes(bytes),
      textModel(textModel), model(model), modelOpset(modelOpset),
      schemaOpset(schemaOpset), notes(notes), b(context) {}

Location GraphImporter::nodeLoc(const onnx::NodeProto &node, size_t index) {
  return NameLoc::get(StringAttr::get(ctx, nodeName(node, index)));
}

Type GraphImporter::typeOf(StringRef name, Type fallbackElement) {
  auto it = valueInfos.find(name);
  if (it != valueInfos.end() && it->second->type().has_tensor_type()) {
    const auto &tensor = it->second->type().tensor_type();
    Type element = convertElementType(ctx, tensor.elem_type());
    if (!element)
      element = fallbackElement;
    if (element && tensor.has_shape()) {
      SmallVector<int64_t> dims;
      for (const auto &dim : tensor.shape().dim())
        dims.push_back(dim.has_dim_value() ? dim.dim_value()
                                           : ShapedType::kDynamic);
      return RankedTensorType::get(dims, element);
    }
    if (element)
      return UnrankedTensorType::get(element);
  }
  return fallbackElement ? UnrankedTensorType::get(fallbackElement) : Type();
}

FailureOr<Type> GraphImporter::importValueType(const onnx::ValueInfoProto &info,
                                               bool isGraphInput) {
  Location loc = NameLoc::get(StringAttr::get(ctx, info.name()));
  if (!info.type().has_tensor_type())
    return emitError(loc) << "graph value '" << info.name()
                          << "' is not a tensor (sequences, maps and optionals "
                             "are not supported)";
  const auto &tensor = info.type().tensor_type();
  Type element = convertElementType(ctx, tensor.elem_type());
  if (!element)
    return emitError(loc) << "graph value '" << info.name()
                          << "' has unsupported element type "
                          << onnxTypeName(tensor.elem_type());
  auto pinned = options.inputShapes.find(info.name());
  if (isGraphInput && pinned != options.inputShapes.end()) {
    const std::vector<int64_t> &dims = pinned->second;
    if (tensor.has_shape() && tensor.shape().dim_size() != (int)dims.size())
      return emitError(loc)
             << "--input-shape gives " << dims.size()
             << " dimensions for input '" << info.name() << "', which has rank "
             << tensor.shape().dim_size();
    if (tensor.has_shape())
      for (int i = 0; i < tensor.shape().dim_size(); ++i) {
        const auto &dim = tensor.shape().dim(i);
        if (dim.has_dim_value() && dim.dim_value() != dims[i])
          return emitError(loc)
                 << "--input-shape sets dimension " << i << " of input '"
                 << info.name() << "' to " << dims[i]
                 << " but the model fixes it to " << dim.dim_value();
      }
    std::string problem = shapeProblem(dims, /*allowDynamic=*/false);
    if (!problem.empty())
      return emitError(loc)
             << "--input-shape for input '" << info.name() << "' " << problem;
    return Type(RankedTensorType::get(dims, element));
  }
  if (!tensor.has_shape())
    return Type(UnrankedTensorType::get(element));
  SmallVector<int64_t> dims;
  for (const auto &dim : tensor.shape().dim())
    dims.push_back(dim.has_dim_value() ? dim.dim_value()
                                       : ShapedType::kDynamic);
  std::string problem = shapeProblem(dims, /*allowDynamic=*/true);
  if (!problem.empty())
    return emitError(loc) << "graph value '" << info.name() << "' " << problem;
  return Type(RankedTensorType::get(dims, element));
}

LogicalResult GraphImporter::collectTypes() {
  const onnx::GraphProto &graph = model.graph();
  for (const auto &info : graph.value_info())
    valueInfos[info.name()] = &info;
  for (const auto &info : graph.output())
    valueInfos[info.name()] = &info;
  // typeOf builds result types from these shapes: refuse impossible ones
  // here, where the value can be named (in file order).
  auto checkShape = [&](const onnx::ValueInfoProto &info) -> LogicalResult {
    if (!info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      return success();
    SmallVector<int64_t> dims;
    for (const auto &dim : info.type().tensor_type().shape().dim())
      dims.push_back(dim.has_dim_value() ? dim.dim_value()
                                         : ShapedType::kDynamic);
    std::string problem = shapeProblem(dims, /*allowDynamic=*/true);
    if (problem.empty())
      return success();
    return emitError(NameLoc::get(StringAttr::get(ctx, info.name())))
           << "value '" << info.name() << "' " << problem;
  };
  for (const auto &info : graph.value_info())
    if (failed(checkShape(info)))
      return failure();
  for (const auto &info : graph.output())
    if (failed(checkShape(info)))
      return failure();
  for (const auto &init : graph.initializer())
    initializers[init.name()] = &init;
  if (graph.sparse_initializer_size())
    return emitError(UnknownLoc::get(ctx))
           << "sparse initializers are not supported";
  return success();
}

FailureOr<std::vector<const onnx::NodeProto *>> GraphImporter::sortNodes() {
  // Real exporters emit nodes out of topological order. validateGraph has
  // already checked that every value is defined exactly once.
  const onnx::GraphProto &graph = model.graph();
  llvm::StringMap<size_t> producer;
  for (int i = 0; i < graph.node_size(); ++i)
    for (const std::string &out : graph.node(i).output())
      if (!out.empty())
        producer[out] = i;
  // Depth-first from each node in file order: a graph already in order keeps
  // its order, and a node is emitted only after its producers.
  std::vector<const onnx::NodeProto *> order;
  std::vector<uint8_t> state(graph.node_size(), 0); // 0 new, 1 open, 2 done
  for (int root = 0; root < graph.node_size(); ++root) {
    SmallVector<std::pair<size_t, size_t>> stack; // node, next input index
    if (state[root] == 0) {
      stack.push_back({root, 0});
      state[root] = 1;
    }
    while (!stack.empty()) {
      auto &[node, next] = stack.back();
      const auto &inputs = graph.node(node).input();
      if (next < (size_t)inputs.size()) {
        const std::string &in = inputs[next++];
        auto it = producer.find(in);
        if (in.empty() || it == producer.end())
          continue;
        size_t p = it->second;
        if (state[p] == 1)
          return emitError(nodeLoc(graph.node(p), p))
                 << "the graph has a cycle through this "
                 << graph.node(p).op_type() << " node";
        if (state[p] == 0) {
          state[p] = 1;
          stack.push_back({p, 0});
        }
        continue;
      }
      state[node] = 2;
      order.push_back(&graph.node(node));
      stack.pop_back();
    }
  }
  return order;
}

FailureOr<ByteRange>
GraphImporter::externalRange(const onnx::TensorProto &tensor,
                             int64_t expectedBytes, std::string &file,
                             Location loc) {
  std::string location;
  std::optional<uint64_t> offset, length;
  for (const auto &entry : tensor.external_data()) {
    StringRef value = entry.value();
    uint64_t number;
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset" || entry.key() == "length") {
      if (value.getAsInteger(10, number))
        return emitError(loc)
               << "external data of '" << tensor.name() << "' has a malformed "
               << entry.key() << " '" << value << "'";
      (entry.key() == "offset" ? offset : length) = number;
    }
  }
  if (location.empty())
    return emitError(loc) << "external data of '" << tensor.name()
                          << "' has no location";
  namespace path = llvm::sys::path;
  if (path::is_absolute(location) ||
      llvm::is_contained(
          llvm::make_range(path::begin(location), path::end(location)), ".."))
    return emitError(loc) << "external data of '" << tensor.name()
                          << "' points to '" << location
                          << "': only paths inside the model's folder are "
                             "allowed (no absolute paths, no '..')";
  SmallString<256> modelDir(modelPath);
  path::remove_filename(modelDir);
  if (modelDir.empty())
    modelDir = ".";
  SmallString<256> full(modelDir);
  path::append(full, location);
  SmallString<256> realDir, realFile;
  if (llvm::sys::fs::real_path(full, realFile))
    return emitError(loc) << "external data file '" << full.str() << "' of '"
                          << tensor.name()
                          << "' does not exist or cannot be read";
  if (!llvm::sys::fs::real_path(modelDir, realDir) &&
      !StringRef(realFile).starts_with(realDir.str().str() + "/"))
    return emitError(loc) << "external data file '" << location
                          << "' resolves outside the model's folder";
  uint64_t fileSize = 0;
  if (llvm::sys::fs::file_size(realFile, fileSize))
    return emitError(loc) << "cannot stat external data file '" << full.str()
                          << "'";
  ByteRange range;
  range.offset = offset.value_or(0);
  range.length = length.value_or(expectedBytes);
  if ((int64_t)range.length != expectedBytes)
    return emitError(loc) << "external data of '" << tensor.name()
                          << "' has length " << range.length << " but its "
                          << "type needs " << expectedBytes << " bytes";
  if (range.offset > fileSize || fileSize - range.offset < range.length)
    return emitError(loc) << "external data of '" << tensor.name()
                          << "' (offset " << range.offset << ", length "
                          << range.length << ") runs past the end of '"
                          << full.str() << "' (" << fileSize << " bytes)";
  file = location;
  return range;
}

FailureOr<Value> GraphImporter::makeParameter(const onnx::TensorProto &tensor,
                                              StringRef key, Location loc) {
  Type element = convertElementType(ctx, tensor.data_type());
  if (!element)
    return emitError(loc) << "tensor '" << key << "' has unsupported element "
                          << "type " << onnxTypeName(tensor.data_type());
  // importTensor checked the dimensions (shapeProblem).
  SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  auto type = RankedTensorType::get(dims, element);
  int64_t bytesNeeded =
      type.getNumElements() * ((element.getIntOrFloatBitWidth() + 7) / 8);

  std::string file;
  ByteRange range;
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    auto external = externalRange(tensor, bytesNeeded, file, loc);
    if (failed(external))
      return failure();
    range = *external;
  } else {
    auto it = payloads.find(key);
    bool contiguous =
        it != payloads.end() && (!it->second.packedFloats || element.isF32());
    if (!contiguous)
      return emitError(loc)
             << "tensor '" << key << "' (" << type.getNumElements()
             << " elements) stores its data in a form that has no contiguous "
                "byte range in the file; only raw_data, packed float_data and "
                "external data are supported for large tensors";
    range = it->second;
    if ((int64_t)range.length != bytesNeeded)
      return emitError(loc) << "tensor '" << key << "' holds " << range.length
                            << " bytes but its type needs " << bytesNeeded;
    file = llvm::sys::path::filename(modelPath).str();
  }

  // Parameters precede the function so the IR reads top-down.
  OpBuilder declare(ctx);
  declare.setInsertionPoint(funcOp);
  onnxir::ParameterOp::create(declare, loc, b.getStringAttr(key),
                              TypeAttr::get(type), b.getStringAttr(file),
                              b.getI64IntegerAttr(range.offset),
                              b.getI64IntegerAttr(range.length));
  return Value(onnxir::ParamRefOp::create(b, loc, type,
                                          FlatSymbolRefAttr::get(ctx, key)));
}

Value GraphImporter::importTensor(const onnx::TensorProto &tensor,
                                  StringRef key, Location loc) {
  // Checked before multiplying: [16384, 2^50+1] overflowed int64 here.
  SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  std::string problem = shapeProblem(dims, /*allowDynamic=*/false);
  if (!problem.empty()) {
    emitError(loc) << "tensor '" << key << "' " << problem;
    return {};
  }
  int64_t count = 1;
  for (int64_t d : dims)
    count *= d;
  // Text models (tests) have no byte ranges: their tensors stay inline.
  // External data is weight data by definition: it is never read here.
  bool external = tensor.data_location() == onnx::TensorProto::EXTERNAL;
  if (external || (count > options.inlineThreshold && !textModel)) {
    auto value = makeParameter(tensor, key, loc);
    return succeeded(value) ? *value : Value();
  }
  auto attr = tensorToAttr(tensor, loc);
  if (failed(attr))
    return {};
  constants[key] = *attr;
  return onnxir::ConstantOp::create(b, loc, *attr);
}

FailureOr<DenseElementsAttr>
GraphImporter::tensorToAttr(const onnx::TensorProto &tensor, Location loc) {
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL)
    return emitError(loc) << "tensor '" << tensor.name()
                          << "' is external data; small constants must be "
                             "stored in the model (raise --param-threshold "
                             "no further than the largest inline constant)";
  return convertTensor(ctx, tensor, loc);
}

Value GraphImporter::lookup(StringRef name, Location loc) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  auto init = initializers.find(name);
  if (init == initializers.end()) {
    emitError(loc) << "no value named '" << name << "'";
    return {};
  }
  // Initializers are materialized at the top of the function so that tied
  // weights, used far apart, share one value.
  OpBuilder::InsertionGuard guard(b);
  if (lastInitializer)
    b.setInsertionPointAfter(lastInitializer);
  else
    b.setInsertionPointToStart(b.getInsertionBlock());
  Value value = importTensor(*init->second, name,
                             NameLoc::get(StringAttr::get(ctx, name)));
  if (value) {
    values[name] = value;
    lastInitializer = value.getDefiningOp();
  }
  return value;
}

std::optional<DenseElementsAttr> GraphImporter::constantData(StringRef name) {
  auto it = constants.find(name);
  if (it != constants.end())
    return it->second;
  auto init = initializers.find(name);
  if (init == initializers.end() ||
      init->second->data_location() == onnx::TensorProto::EXTERNAL)
    return std::nullopt;
  auto attr = convertTensor(ctx, *init->second, UnknownLoc::get(ctx));
  if (failed(attr))
    return std::nullopt;
  return *attr;
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  const onnx::GraphProto &graph = model.graph();
  Location fileLoc = FileLineColLoc::get(ctx, modelPath, 0, 0);
  OwningOpRef<ModuleOp> owned = ModuleOp::create(fileLoc);
  module = *owned;
  module->setAttr("onnx.opset", b.getI64IntegerAttr(modelOpset));
  module->setAttr("onnx.ir_version", b.getI64IntegerAttr(model.ir_version()));
  std::string producer = model.producer_name();
  if (!model.producer_version().empty())
    producer += " " + model.producer_version();
  module->setAttr("onnx.producer", b.getStringAttr(producer));
  module->setAttr("onnx.model_file",
                  b.getStringAttr(llvm::sys::path::filename(modelPath)));

  if (!textModel)
    payloads = scanTensorPayloads(bytes);
  if (failed(collectTypes()))
    return nullptr;

  // Graph inputs that are also initializers (IR version < 4) are weights.
  SmallVector<const onnx::ValueInfoProto *> inputs;
  SmallVector<Type> inputTypes;
  for (const auto &input : graph.input()) {
    if (initializers.count(input.name()))
      continue;
    auto type = importValueType(input, /*isGraphInput=*/true);
    if (failed(type))
      return nullptr;
    inputs.push_back(&input);
    inputTypes.push_back(*type);
  }
  for (const auto &entry : options.inputShapes)
    if (llvm::none_of(inputs, [&](const onnx::ValueInfoProto *input) {
          return input->name() == entry.first;
        }))
      return emitError(fileLoc) << "--input-shape names '" << entry.first
                                << "', which is not an input of the graph",
             nullptr;

  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(b, fileLoc, "main_graph",
                                   b.getFunctionType(inputTypes, {}));
  funcOp = func;
  Block *entry = func.addEntryBlock();
  for (auto [i, input] : llvm::enumerate(inputs)) {
    values[input->name()] = entry->getArgument(i);
    func.setArgAttr(i, "onnx.name", b.getStringAttr(input->name()));
  }
  b.setInsertionPointToEnd(entry);

  auto order = sortNodes();
  if (failed(order))
    return nullptr;
  for (auto [i, node] : llvm::enumerate(*order))
    if (failed(importNode(*this, *node, i)))
      return nullptr;

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const auto &output : graph.output()) {
    if (sequence(output.name()))
      return emitError(fileLoc) << "graph output '" << output.name()
                                << "' is a sequence; only tensors can be "
                                   "outputs",
             nullptr;
    Value value = lookup(output.name(), fileLoc);
    if (!value)
      return nullptr;
    results.push_back(value);
    resultTypes.push_back(value.getType());
  }
  func::ReturnOp::create(b, fileLoc, results);
  func.setFunctionType(b.getFunctionType(inputTypes, resultTypes));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "onnx.name", b.getStringAttr(output.name()));
  func->setAttr("onnx.graph_name", b.getStringAttr(graph.name()));
  return owned;
}

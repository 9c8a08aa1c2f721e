//===- NodeImporter.cpp - ONNX nodes to canonical onnx dialect ops --------===//
//
// Each handler normalizes one ONNX operator across opsets 7-17 into the
// dialect's single canonical form: axes-like inputs become attributes, absent
// optional operands are made explicit, defaults are spelled out. (Models at
// opsets 18-21 arrive rewritten to opset 17 by NewOpsetRewrite.)
//
//===----------------------------------------------------------------------===//

#include "GraphValidation.h"
#include "NodeContext.h"

#include "dialects/onnx/IR/ONNXOps.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringSet.h"

#include <functional>

using namespace mlir;
using namespace wse::import;
namespace onnxir = wse::onnxir;

/// Creates the op `onnx.<name>` with results typed by shape inference.
LogicalResult wse::import::emit(NodeContext &ctx, StringRef name,
                                ArrayRef<Value> operands,
                                ArrayRef<Type> fallbackElements) {
  OperationState state(ctx.loc, ("onnx." + name).str());
  state.addOperands(operands);
  state.addAttributes(ctx.attrs);
  for (auto [i, element] : llvm::enumerate(fallbackElements)) {
    Type type = ctx.importer.typeOf(ctx.node.output(i), element);
    state.addTypes(type);
  }
  Operation *op = ctx.b().create(state);
  for (auto [i, result] : llvm::enumerate(op->getResults()))
    if (!ctx.node.output(i).empty())
      ctx.importer.define(ctx.node.output(i), result);
  return success();
}

/// Makes a 1-D i64 constant for defaulted Slice operands.
Value wse::import::i64Vector(NodeContext &ctx, ArrayRef<int64_t> values) {
  auto type =
      RankedTensorType::get({(int64_t)values.size()}, ctx.b().getI64Type());
  return onnxir::ConstantOp::create(ctx.b(), ctx.loc,
                                    DenseElementsAttr::get(type, values));
}

namespace {

Handler same(StringRef name) {
  std::string opName = name.str();
  return [opName](NodeContext &ctx) {
    return emit(ctx, opName, ctx.operands, {ctx.elementOf(0)});
  };
}

Handler predicate(StringRef name) {
  std::string opName = name.str();
  return [opName](NodeContext &ctx) {
    return emit(ctx, opName, ctx.operands, {ctx.b().getI1Type()});
  };
}

/// Max and Min take one or more inputs: a left-leaning chain of binary ops
/// (one input is the identity).
LogicalResult importVariadic(NodeContext &ctx, StringRef name) {
  if (llvm::any_of(ctx.operands, [](Value v) { return !v; }))
    return ctx.error() << "inputs must not be omitted";
  if (ctx.operands.size() <= 2)
    return emit(ctx, ctx.operands.size() == 1 ? "Identity" : name, ctx.operands,
                {ctx.elementOf(0)});
  Value acc = ctx.operands[0];
  for (Value next : llvm::drop_begin(ctx.operands)) {
    OperationState state(ctx.loc, ("onnx." + name).str());
    state.addOperands({acc, next});
    bool last = next == ctx.operands.back();
    state.addTypes(
        last ? ctx.importer.typeOf(ctx.node.output(0), ctx.elementOf(0))
             : UnrankedTensorType::get(ctx.elementOf(0)));
    acc = ctx.b().create(state)->getResult(0);
  }
  ctx.importer.define(ctx.node.output(0), acc);
  return success();
}

/// Squeeze, Unsqueeze and ReduceSum take axes as an input from opset 13.
FailureOr<std::optional<SmallVector<int64_t>>> axesOf(NodeContext &ctx,
                                                      bool inputForm) {
  if (!inputForm)
    return ctx.intsAttr("axes");
  if (!ctx.has(1))
    return std::optional<SmallVector<int64_t>>();
  auto axes = ctx.constInts(1, "axes");
  if (failed(axes))
    return failure();
  return std::optional<SmallVector<int64_t>>(*axes);
}

LogicalResult importReduce(NodeContext &ctx, StringRef name) {
  // Opsets 13-17 pass ReduceSum's axes as an input, the others' as an
  // attribute (all moved to inputs in opset 18).
  bool inputForm = name == "ReduceSum" ? ctx.importer.opset() >= 13
                                       : ctx.importer.opset() >= 18;
  auto axes = axesOf(ctx, inputForm);
  if (failed(axes))
    return failure();
  if (*axes)
    ctx.setArray("axes", **axes);
  ctx.copyInt("keepdims");
  ctx.copyInt("noop_with_empty_axes");
  return emit(ctx, name, {ctx.operands[0]}, {ctx.elementOf(0)});
}

LogicalResult importSqueeze(NodeContext &ctx, StringRef name) {
  auto axes = axesOf(ctx, ctx.importer.opset() >= 13);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> list = *axes ? **axes : SmallVector<int64_t>();
  if (list.empty() && name == "Squeeze") {
    // No axes: squeeze every size-1 dimension, which needs a known shape.
    auto type = dyn_cast<RankedTensorType>(ctx.operands[0].getType());
    if (!type || !type.hasStaticShape())
      return ctx.error() << "Squeeze without axes needs a static input shape";
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.getDimSize(d) == 1)
        list.push_back(d);
  }
  ctx.setArray("axes", list);
  return emit(ctx, name, {ctx.operands[0]}, {ctx.elementOf(0)});
}

LogicalResult importSplit(NodeContext &ctx) {
  ctx.setInt("axis", ctx.intAttr("axis", 0));
  if (ctx.importer.opset() >= 13 && ctx.has(1)) {
    auto split = ctx.constInts(1, "split");
    if (failed(split))
      return failure();
    ctx.setArray("split", *split);
  } else if (auto split = ctx.intsAttr("split")) {
    ctx.setArray("split", *split);
  } else if (ctx.importer.opsetNotes().splitNumOutputs.count(
                 ctx.node.output(0))) {
    // Opset 18's num_outputs: pieces of ceil(dim / n), the last shorter.
    // Without a known dimension the canonical form's equal pieces are
    // assumed, which staticize checks against the dimension it finds.
    int64_t n = ctx.node.output_size();
    auto type = dyn_cast<RankedTensorType>(ctx.operands[0].getType());
    int64_t axis = ctx.intAttr("axis", 0);
    if (type && axis < 0)
      axis += type.getRank();
    if (type && axis >= 0 && axis < type.getRank() &&
        !type.isDynamicDim(axis) && type.getDimSize(axis) % n != 0) {
      int64_t dim = type.getDimSize(axis), piece = (dim + n - 1) / n;
      if (piece * (n - 1) >= dim)
        return ctx.error() << "num_outputs " << n << " leaves an empty piece "
                           << "of a dimension of size " << dim;
      SmallVector<int64_t> sizes(n - 1, piece);
      sizes.push_back(dim - piece * (n - 1));
      ctx.setArray("split", sizes);
    }
  }
  SmallVector<Type> elements(ctx.node.output_size(), ctx.elementOf(0));
  return emit(ctx, "Split", {ctx.operands[0]}, elements);
}

/// Opsets 1-9 give Slice's starts, ends and axes as attributes.
LogicalResult importSliceAttributes(NodeContext &ctx) {
  auto starts = ctx.intsAttr("starts"), ends = ctx.intsAttr("ends");
  if (!starts || !ends || starts->size() != ends->size())
    return ctx.error() << "needs starts and ends attributes of equal length";
  auto axes = ctx.intsAttr("axes");
  if (!axes)
    axes = llvm::to_vector(llvm::seq<int64_t>(0, starts->size()));
  if (axes->size() != starts->size())
    return ctx.error() << "axes and starts differ in length";
  return emit(ctx, "Slice",
              {ctx.operands[0], i64Vector(ctx, *starts), i64Vector(ctx, *ends),
               i64Vector(ctx, *axes),
               i64Vector(ctx, SmallVector<int64_t>(starts->size(), 1))},
              {ctx.elementOf(0)});
}

LogicalResult importSlice(NodeContext &ctx) {
  if (ctx.importer.opset() < 10)
    return importSliceAttributes(ctx);
  auto starts = dyn_cast<RankedTensorType>(ctx.operands[1].getType());
  int64_t n = starts && starts.getRank() == 1 ? starts.getDimSize(0)
                                              : ShapedType::kDynamic;
  if ((!ctx.has(3) || !ctx.has(4)) && ShapedType::isDynamic(n))
    return ctx.error() << "cannot fill in default axes/steps: the length of "
                          "starts is unknown";
  Value axes = ctx.has(3)
                   ? ctx.operands[3]
                   : i64Vector(ctx, llvm::to_vector(llvm::seq<int64_t>(0, n)));
  Value steps =
      ctx.has(4) ? ctx.operands[4] : i64Vector(ctx, SmallVector<int64_t>(n, 1));
  return emit(ctx, "Slice",
              {ctx.operands[0], ctx.operands[1], ctx.operands[2], axes, steps},
              {ctx.elementOf(0)});
}

LogicalResult importTranspose(NodeContext &ctx) {
  auto perm = ctx.intsAttr("perm");
  if (!perm) {
    auto type = dyn_cast<RankedTensorType>(ctx.operands[0].getType());
    if (!type)
      return ctx.error() << "Transpose without perm needs a ranked input";
    perm =
        llvm::to_vector(llvm::reverse(llvm::seq<int64_t>(0, type.getRank())));
  }
  ctx.setArray("perm", *perm);
  return emit(ctx, "Transpose", ctx.operands, {ctx.elementOf(0)});
}

LogicalResult importConstant(NodeContext &ctx) {
  const onnx::NodeProto &node = ctx.node;
  if (node.attribute_size() != 1)
    return ctx.error() << "Constant needs exactly one value attribute";
  const onnx::AttributeProto &attr = node.attribute(0);
  OpBuilder &b = ctx.b();
  Value value;
  auto vector = [&](auto values, Type element) {
    auto type = RankedTensorType::get({(int64_t)values.size()}, element);
    return onnxir::ConstantOp::create(
        b, ctx.loc, DenseElementsAttr::get(type, llvm::ArrayRef(values)));
  };
  auto scalar = [&](auto v, Type element) {
    auto type = RankedTensorType::get({}, element);
    return onnxir::ConstantOp::create(b, ctx.loc,
                                      DenseElementsAttr::get(type, v));
  };
  if (attr.name() == "value") {
    value = ctx.importer.importTensor(attr.t(), node.output(0), ctx.loc);
    if (!value)
      return failure();
  } else if (attr.name() == "value_float") {
    value = scalar(attr.f(), b.getF32Type());
  } else if (attr.name() == "value_int") {
    value = scalar(int64_t(attr.i()), b.getI64Type());
  } else if (attr.name() == "value_floats") {
    value =
        vector(SmallVector<float>(attr.floats().begin(), attr.floats().end()),
               b.getF32Type());
  } else if (attr.name() == "value_ints") {
    value = vector(SmallVector<int64_t>(attr.ints().begin(), attr.ints().end()),
                   b.getI64Type());
  } else {
    return ctx.error() << "Constant attribute '" << attr.name()
                       << "' is not supported (sparse and string constants)";
  }
  ctx.importer.define(node.output(0), value);
  return success();
}

LogicalResult importConstantOfShape(NodeContext &ctx) {
  DenseElementsAttr value;
  if (const auto *attr = findAttr(ctx.node, "value")) {
    auto converted = ctx.importer.tensorToAttr(attr->t(), ctx.loc);
    if (failed(converted))
      return failure();
    value = *converted;
  } else {
    value = DenseElementsAttr::get(
        RankedTensorType::get({1}, ctx.b().getF32Type()), 0.0f);
  }
  ctx.attrs.emplace_back(ctx.b().getStringAttr("value"), value);
  return emit(ctx, "ConstantOfShape", ctx.operands, {value.getElementType()});
}

LogicalResult importCast(NodeContext &ctx) {
  int64_t to = ctx.intAttr("to", 0);
  Type element = convertElementType(ctx.importer.context(), to);
  if (!element)
    return ctx.error() << "Cast to unsupported type " << onnxTypeName(to);
  return emit(ctx, "Cast", ctx.operands, {element});
}

/// Before opset 13 Softmax and LogSoftmax (default axis 1) normalize over
/// the input flattened to 2-D at `axis`: over dims axis..rank-1 together.
/// That is the canonical per-axis op when axis is the last dimension;
/// otherwise the input is reshaped to its leading dims plus one flattened
/// dim, normalized over that, and reshaped back. With an unknown shape (or
/// rank: libonnx's inference may not give one) the shapes are computed by
/// Shape ops, which staticize folds once the input shapes are pinned.
LogicalResult importCoercedSoftmax(NodeContext &ctx, StringRef name) {
  auto type = dyn_cast<RankedTensorType>(ctx.operands[0].getType());
  Type element = ctx.elementOf(0);
  int64_t axis = ctx.intAttr("axis", 1);
  if (type) {
    int64_t rank = type.getRank();
    if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
      return ctx.error() << "axis " << axis << " is out of range for rank "
                         << rank;
    if (axis < 0)
      axis += rank;
    if (rank == 0 || axis == rank - 1) {
      ctx.setInt("axis", rank == 0 ? 0 : rank - 1);
      return emit(ctx, name, ctx.operands, {element});
    }
  }
  OpBuilder &b = ctx.b();
  Value flatShape, backShape;
  Type flatType, backType;
  if (type && type.hasStaticShape()) {
    SmallVector<int64_t> flat(type.getShape().take_front(axis));
    int64_t inner = 1;
    for (int64_t d : type.getShape().drop_front(axis))
      inner *= d;
    flat.push_back(inner);
    flatShape = i64Vector(ctx, flat);
    backShape = i64Vector(ctx, type.getShape());
    flatType = RankedTensorType::get(flat, element);
    backType = type;
  } else {
    auto vector = RankedTensorType::get({ShapedType::kDynamic}, b.getI64Type());
    Value leading = onnxir::ShapeOp::create(b, ctx.loc, vector, ctx.operands[0],
                                            b.getI64IntegerAttr(0),
                                            b.getI64IntegerAttr(axis));
    flatShape = onnxir::ConcatOp::create(
        b, ctx.loc, vector, ValueRange{leading, i64Vector(ctx, {-1})},
        b.getI64IntegerAttr(0));
    backShape = onnxir::ShapeOp::create(b, ctx.loc, vector, ctx.operands[0],
                                        b.getI64IntegerAttr(0), IntegerAttr());
    flatType = UnrankedTensorType::get(element);
    backType = ctx.importer.typeOf(ctx.node.output(0), element);
  }
  Value flat = onnxir::ReshapeOp::create(b, ctx.loc, flatType, ctx.operands[0],
                                         flatShape);
  OperationState state(ctx.loc, ("onnx." + name).str());
  state.addOperands(flat);
  state.addAttribute("axis", b.getI64IntegerAttr(-1));
  state.addTypes(flatType);
  Value normalized = b.create(state)->getResult(0);
  ctx.importer.define(
      ctx.node.output(0),
      onnxir::ReshapeOp::create(b, ctx.loc, backType, normalized, backShape));
  return success();
}

LogicalResult importLayerNorm(NodeContext &ctx) {
  for (int i = 1; i < ctx.node.output_size(); ++i)
    if (!ctx.node.output(i).empty())
      return ctx.error() << "the Mean and InvStdDev outputs of "
                            "LayerNormalization are not supported";
  ctx.copyInt("axis");
  ctx.copyInt("stash_type");
  if (findAttr(ctx.node, "epsilon"))
    ctx.setF32("epsilon", ctx.floatAttr("epsilon", 1e-5f));
  SmallVector<Value> operands{ctx.operands[0], ctx.operands[1]};
  if (ctx.has(2))
    operands.push_back(ctx.operands[2]);
  OperationState state(ctx.loc, "onnx.LayerNormalization");
  state.addOperands(operands);
  state.addAttributes(ctx.attrs);
  state.addTypes(ctx.importer.typeOf(ctx.node.output(0), ctx.elementOf(0)));
  ctx.importer.define(ctx.node.output(0), ctx.b().create(state)->getResult(0));
  return success();
}

const llvm::StringMap<Handler> &handlers() {
  static const llvm::StringMap<Handler> table = [] {
    llvm::StringMap<Handler> t;
    for (StringRef name :
         {"Add",        "Sub",     "Mul",   "Div",    "Pow",  "Sqrt",
          "Reciprocal", "Neg",     "Abs",   "Exp",    "Log",  "Erf",
          "Tanh",       "Sigmoid", "Relu",  "Sin",    "Cos",  "Identity",
          "Not",        "MatMul",  "Where", "Expand", "Tile", "Range"})
      t[name] = same(name);
    for (StringRef name : {"Max", "Min"}) {
      std::string opName = name.str();
      t[name] = [opName](NodeContext &ctx) {
        return importVariadic(ctx, opName);
      };
    }
    for (StringRef name : {"Equal", "Less", "Greater", "And", "Or"})
      t[name] = predicate(name);
    t["Gemm"] = [](NodeContext &ctx) {
      ctx.copyInt("transA");
      ctx.copyInt("transB");
      if (findAttr(ctx.node, "alpha"))
        ctx.setF32("alpha", ctx.floatAttr("alpha", 1));
      if (findAttr(ctx.node, "beta"))
        ctx.setF32("beta", ctx.floatAttr("beta", 1));
      SmallVector<Value> operands{ctx.operands[0], ctx.operands[1]};
      if (ctx.has(2))
        operands.push_back(ctx.operands[2]);
      return emit(ctx, "Gemm", operands, {ctx.elementOf(0)});
    };
    t["Reshape"] = [](NodeContext &ctx) {
      ctx.copyInt("allowzero");
      return emit(ctx, "Reshape", ctx.operands, {ctx.elementOf(0)});
    };
    t["Transpose"] = importTranspose;
    t["Squeeze"] = [](NodeContext &ctx) {
      return importSqueeze(ctx, "Squeeze");
    };
    t["Unsqueeze"] = [](NodeContext &ctx) {
      return importSqueeze(ctx, "Unsqueeze");
    };
    t["Concat"] = [](NodeContext &ctx) {
      if (!findAttr(ctx.node, "axis"))
        return LogicalResult(ctx.error() << "Concat needs an axis attribute");
      ctx.copyInt("axis");
      return emit(ctx, "Concat", ctx.operands, {ctx.elementOf(0)});
    };
    t["Split"] = importSplit;
    t["Slice"] = importSlice;
    t["Gather"] = [](NodeContext &ctx) {
      ctx.copyInt("axis");
      return emit(ctx, "Gather", ctx.operands, {ctx.elementOf(0)});
    };
    t["Cast"] = importCast;
    for (StringRef name : {"ReduceMean", "ReduceSum", "ReduceMax"}) {
      std::string opName = name.str();
      t[name] = [opName](NodeContext &ctx) {
        return importReduce(ctx, opName);
      };
    }
    for (StringRef name : {"Softmax", "LogSoftmax"}) {
      std::string opName = name.str();
      t[name] = [opName](NodeContext &ctx) {
        if (ctx.importer.opset() < 13)
          return importCoercedSoftmax(ctx, opName);
        ctx.copyInt("axis");
        return emit(ctx, opName, ctx.operands, {ctx.elementOf(0)});
      };
    }
    t["LayerNormalization"] = importLayerNorm;
    t["Trilu"] = [](NodeContext &ctx) {
      if (ctx.has(1)) {
        auto k = ctx.constInts(1, "k");
        if (failed(k))
          return failure();
        if (k->size() != 1)
          return LogicalResult(ctx.error() << "k must hold one value");
        ctx.setInt("k", (*k)[0]);
      }
      ctx.copyInt("upper");
      return emit(ctx, "Trilu", {ctx.operands[0]}, {ctx.elementOf(0)});
    };
    t["CumSum"] = [](NodeContext &ctx) {
      auto axis = ctx.constInts(1, "axis");
      if (failed(axis))
        return failure();
      if (axis->size() != 1)
        return LogicalResult(ctx.error() << "axis must hold one value");
      ctx.setInt("axis", (*axis)[0]);
      ctx.copyInt("exclusive");
      ctx.copyInt("reverse");
      return emit(ctx, "CumSum", {ctx.operands[0]}, {ctx.elementOf(0)});
    };
    t["Constant"] = importConstant;
    t["ConstantOfShape"] = importConstantOfShape;
    addSequenceHandlers(t);
    t["Shape"] = [](NodeContext &ctx) {
      ctx.copyInt("start");
      ctx.copyInt("end");
      return emit(ctx, "Shape", ctx.operands, {ctx.b().getI64Type()});
    };
    return t;
  }();
  return table;
}

} // namespace

bool wse::import::isSupportedOperator(StringRef opType) {
  return handlers().count(opType) != 0;
}

LogicalResult wse::import::importNode(GraphImporter &importer,
                                      const onnx::NodeProto &node,
                                      size_t index) {
  Location loc = importer.nodeLoc(node, index);
  // validateGraph has refused other domains and unknown operators.
  const auto &table = handlers();
  auto it = table.find(node.op_type());
  if (it == table.end())
    return emitError(loc) << "unsupported ONNX operator '" << node.op_type()
                          << "'";
  NodeContext ctx{importer, node, loc, {}, {}};
  bool sequenceOp = StringRef(node.op_type()).contains("Sequence");
  // The operators that read a sequence take it as input 0; every other
  // input (SplitToSequence's and SequenceConstruct's included) is a tensor.
  bool readsSequence =
      llvm::is_contained({"SequenceAt", "SequenceInsert", "SequenceErase",
                          "SequenceLength", "ConcatFromSequence"},
                         node.op_type());
  for (const std::string &input : node.input()) {
    if (input.empty()) {
      ctx.operands.push_back(Value());
      continue;
    }
    // Sequence operands are read by name (NodeContext::sequenceInput);
    // their operand slot stays null.
    if (importer.sequence(input)) {
      if (!readsSequence || !ctx.operands.empty())
        return ctx.error() << "reads the sequence '" << input << "' as input "
                           << ctx.operands.size() << ", which must be a tensor";
      ctx.operands.push_back(Value());
      continue;
    }
    Value value = importer.lookup(input, loc);
    if (!value)
      return failure();
    ctx.operands.push_back(value);
  }
  // Trailing absent optionals are dropped. An interior one is an optional
  // input skipped before a later one; among the operators imported only
  // Slice has such an input (axes before steps): anywhere else a handler
  // would read the missing value.
  while (!sequenceOp && !ctx.operands.empty() && !ctx.operands.back())
    ctx.operands.pop_back();
  for (auto [i, operand] : llvm::enumerate(ctx.operands))
    if (!operand && !sequenceOp && !(node.op_type() == "Slice" && i == 3))
      return ctx.error() << "input " << i
                         << " is omitted (empty name) before a given input; "
                            "only trailing optional inputs may be omitted";
  if (ctx.operands.empty() && node.op_type() != "Constant" &&
      node.op_type() != "SequenceEmpty")
    return ctx.error() << "node has no inputs";
  return it->second(ctx);
}

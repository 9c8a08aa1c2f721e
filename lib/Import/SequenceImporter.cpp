//===- SequenceImporter.cpp - Static sequences to tensor ops --------------===//
//
// Exporters emit sequence operators for torch.chunk/unbind/split when the
// number of pieces is not visible to the tracer (dynamic axes). The dialect
// has no sequence type: a sequence is kept, during import only, as the list
// of its tensors. That needs its length and each position known at import:
// SplitToSequence along a dimension of known size with a constant `split`,
// and constant positions. Anything else is refused naming the node. A
// sequence never reaches the IR: SplitToSequence becomes onnx.Split (plus
// onnx.Squeeze for keepdims=0), ConcatFromSequence onnx.Concat (plus
// onnx.Unsqueeze for new_axis=1), SequenceLength a constant, and SequenceAt,
// SequenceConstruct, SequenceInsert, SequenceErase and SequenceEmpty only
// rearrange the list.
//
//===----------------------------------------------------------------------===//

#include "NodeContext.h"

#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Transforms/ConstantEval.h"

using namespace mlir;
using namespace wse::import;
namespace onnxir = wse::onnxir;

namespace {

/// Folds `v` to a constant when every value it is computed from is known at
/// import: scripted torch code computes split sizes from Shape (static once
/// the input shapes are pinned). Operands folded on the way are replaced by
/// their onnx.Constant, which evaluateConstant needs. Null otherwise.
DenseElementsAttr foldAtImport(OpBuilder &b, Value v, int depth = 0) {
  if (auto constant = v.getDefiningOp<onnxir::ConstantOp>())
    return dyn_cast<DenseElementsAttr>(constant.getValue());
  Operation *op = v.getDefiningOp();
  if (!op || depth > 32 || !onnxir::isEvaluable(op))
    return {};
  for (OpOperand &operand : op->getOpOperands()) {
    if (operand.get().getDefiningOp<onnxir::ConstantOp>())
      continue;
    DenseElementsAttr folded = foldAtImport(b, operand.get(), depth + 1);
    if (!folded && !isa<onnxir::ShapeOp>(op))
      return {};
    if (folded) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(op);
      operand.set(onnxir::ConstantOp::create(b, op->getLoc(), folded));
    }
  }
  auto values = onnxir::evaluateConstant(op, /*maxElements=*/1024);
  if (values.empty())
    return {};
  return values[cast<OpResult>(v).getResultNumber()];
}

/// The integers of input `i`: a constant, or computed from static shapes.
FailureOr<SmallVector<int64_t>> knownInts(NodeContext &ctx, unsigned i,
                                          StringRef what) {
  if (ctx.importer.constantData(ctx.node.input(i)))
    return ctx.constInts(i, what);
  DenseElementsAttr folded = foldAtImport(ctx.b(), ctx.operands[i]);
  if (!folded || !folded.getElementType().isInteger())
    return ctx.error() << "input '" << what << "' (" << ctx.node.input(i)
                       << ") must be a constant or computed from static "
                          "shapes; pin the graph's input shapes "
                          "(--input-shape)";
  SmallVector<int64_t> out;
  for (const APInt &value : folded.getValues<APInt>())
    out.push_back(value.getSExtValue());
  return out;
}

/// A constant scalar position input `i`, normalized against a sequence of
/// `length` (positions may be negative, counting from the end). `slots` is
/// the number of valid positions: length for reads, length + 1 for inserts.
FailureOr<int64_t> position(NodeContext &ctx, unsigned i, int64_t length,
                            int64_t slots) {
  auto values = knownInts(ctx, i, "position");
  if (failed(values))
    return failure();
  if (values->size() != 1)
    return ctx.error() << "position must hold one value";
  int64_t pos = (*values)[0];
  if (pos < -length || pos >= slots)
    return ctx.error() << "position " << pos << " is out of range for a "
                       << "sequence of length " << length;
  return pos < 0 ? pos + length : pos;
}

/// The piece sizes SplitToSequence cuts a dimension of size `dim` into.
/// Items a sequence may hold (each becomes a value of the imported IR): a
/// SplitToSequence of a huge dimension into pieces of one would otherwise
/// allocate a piece list the dimension's size (found by the import fuzzer).
constexpr int64_t kMaxSequenceItems = 65536;

FailureOr<SmallVector<int64_t>> pieceSizes(NodeContext &ctx, int64_t dim) {
  auto tooMany = [&](int64_t pieces) {
    return ctx.error() << "splits dimension " << dim << " into " << pieces
                       << " pieces; a sequence holds at most "
                       << kMaxSequenceItems << " (kMaxSequenceItems)";
  };
  if (!ctx.has(1)) {
    if (dim > kMaxSequenceItems)
      return tooMany(dim);
    return SmallVector<int64_t>(dim, 1);
  }
  auto split = knownInts(ctx, 1, "split");
  if (failed(split))
    return failure();
  auto splitType = dyn_cast<RankedTensorType>(ctx.operands[1].getType());
  if (splitType && splitType.getRank() == 0) {
    // A scalar: pieces of that size, the last one shorter.
    int64_t size = (*split)[0];
    if (size <= 0)
      return ctx.error() << "split size " << size << " is not positive";
    if (dim / size + (dim % size != 0) > kMaxSequenceItems)
      return tooMany(dim / size + (dim % size != 0));
    SmallVector<int64_t> sizes;
    for (int64_t done = 0; done < dim; done += size)
      sizes.push_back(std::min(size, dim - done));
    return sizes;
  }
  if (int64_t(split->size()) > kMaxSequenceItems)
    return tooMany(split->size());
  int64_t total = 0;
  for (int64_t s : *split) {
    if (s < 0)
      return ctx.error() << "split sizes must be non-negative";
    // Sizes past the dimension cannot sum to it (and must not overflow).
    if (s > dim - total)
      return ctx.error() << "split sizes sum to more than the dimension's "
                         << dim;
    total += s;
  }
  if (total != dim)
    return ctx.error() << "split sizes sum to " << total
                       << " but the dimension has size " << dim;
  return *split;
}

LogicalResult importSplitToSequence(NodeContext &ctx) {
  auto type = dyn_cast<RankedTensorType>(ctx.operands[0].getType());
  int64_t axis = ctx.intAttr("axis", 0);
  if (!type)
    return ctx.error() << "needs an input of known rank";
  int64_t rank = type.getRank();
  if (axis < -rank || axis >= rank)
    return ctx.error() << "axis " << axis << " is out of range for rank "
                       << rank;
  if (axis < 0)
    axis += rank;
  if (type.isDynamicDim(axis))
    return ctx.error() << "the sequence's length depends on dimension " << axis
                       << " of the input, whose size is unknown at import; "
                          "pin the graph's input shapes (--input-shape)";
  auto sizes = pieceSizes(ctx, type.getDimSize(axis));
  if (failed(sizes))
    return failure();
  OpBuilder &b = ctx.b();
  SmallVector<Type> pieceTypes;
  for (int64_t s : *sizes) {
    SmallVector<int64_t> shape(type.getShape());
    shape[axis] = s;
    pieceTypes.push_back(RankedTensorType::get(shape, type.getElementType()));
  }
  SmallVector<Value> items;
  if (!sizes->empty()) {
    auto split =
        onnxir::SplitOp::create(b, ctx.loc, pieceTypes, ctx.operands[0], axis,
                                b.getDenseI64ArrayAttr(*sizes));
    items.assign(split.getResults().begin(), split.getResults().end());
  }
  // keepdims=0 removes the split dimension (only without a split input,
  // where every piece has size 1).
  if (!ctx.has(1) && ctx.intAttr("keepdims", 1) == 0)
    for (Value &item : items) {
      auto pieceType = cast<RankedTensorType>(item.getType());
      SmallVector<int64_t> shape(pieceType.getShape());
      shape.erase(shape.begin() + axis);
      item = onnxir::SqueezeOp::create(
          b, ctx.loc, RankedTensorType::get(shape, type.getElementType()), item,
          b.getDenseI64ArrayAttr({axis}));
    }
  ctx.importer.defineSequence(ctx.node.output(0), items);
  return success();
}

LogicalResult importSequenceAt(NodeContext &ctx) {
  const auto *items = ctx.sequenceInput(0);
  if (!items)
    return failure();
  int64_t n = items->size();
  auto pos = position(ctx, 1, n, n);
  if (failed(pos))
    return failure();
  ctx.importer.define(ctx.node.output(0), (*items)[*pos]);
  return success();
}

LogicalResult importSequenceConstruct(NodeContext &ctx) {
  SmallVector<Value> items;
  for (auto [i, v] : llvm::enumerate(ctx.operands)) {
    if (!v)
      return ctx.error() << "input " << i << " is missing or a sequence";
    items.push_back(v);
  }
  ctx.importer.defineSequence(ctx.node.output(0), items);
  return success();
}

LogicalResult importSequenceEmpty(NodeContext &ctx) {
  ctx.importer.defineSequence(ctx.node.output(0), {});
  return success();
}

LogicalResult importSequenceInsert(NodeContext &ctx) {
  const auto *items = ctx.sequenceInput(0);
  if (!items)
    return failure();
  if (!ctx.has(1))
    return ctx.error() << "input 1 (the tensor to insert) is missing";
  int64_t n = items->size(), pos = n;
  if (ctx.has(2)) {
    auto given = position(ctx, 2, n, n + 1);
    if (failed(given))
      return failure();
    pos = *given;
  }
  SmallVector<Value> result(*items);
  result.insert(result.begin() + pos, ctx.operands[1]);
  ctx.importer.defineSequence(ctx.node.output(0), result);
  return success();
}

LogicalResult importSequenceErase(NodeContext &ctx) {
  const auto *items = ctx.sequenceInput(0);
  if (!items)
    return failure();
  int64_t n = items->size();
  if (n == 0)
    return ctx.error() << "erases from an empty sequence";
  int64_t pos = n - 1;
  if (ctx.has(1)) {
    auto given = position(ctx, 1, n, n);
    if (failed(given))
      return failure();
    pos = *given;
  }
  SmallVector<Value> result(*items);
  result.erase(result.begin() + pos);
  ctx.importer.defineSequence(ctx.node.output(0), result);
  return success();
}

LogicalResult importSequenceLength(NodeContext &ctx) {
  const auto *items = ctx.sequenceInput(0);
  if (!items)
    return failure();
  auto type = RankedTensorType::get({}, ctx.b().getI64Type());
  Value length = onnxir::ConstantOp::create(
      ctx.b(), ctx.loc,
      DenseElementsAttr::get(type, ArrayRef<int64_t>{(int64_t)items->size()}));
  ctx.importer.define(ctx.node.output(0), length);
  return success();
}

LogicalResult importConcatFromSequence(NodeContext &ctx) {
  const auto *items = ctx.sequenceInput(0);
  if (!items)
    return failure();
  if (items->empty())
    return ctx.error() << "concatenates an empty sequence";
  if (!findAttr(ctx.node, "axis"))
    return ctx.error() << "needs an axis attribute";
  int64_t axis = ctx.intAttr("axis", 0);
  bool newAxis = ctx.intAttr("new_axis", 0) != 0;
  SmallVector<Value> inputs(*items);
  OpBuilder &b = ctx.b();
  if (newAxis) {
    // Stacking: every tensor gains a size-1 dimension at `axis`, which may
    // be one past the last (-rank-1 <= axis <= rank).
    for (Value &v : inputs) {
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (!type)
        return ctx.error() << "new_axis=1 needs tensors of known rank";
      int64_t rank = type.getRank();
      if (axis < -rank - 1 || axis > rank)
        return ctx.error() << "axis " << axis << " is out of range for "
                           << "stacking tensors of rank " << rank;
      int64_t at = axis < 0 ? axis + rank + 1 : axis;
      SmallVector<int64_t> shape(type.getShape());
      shape.insert(shape.begin() + at, 1);
      v = onnxir::UnsqueezeOp::create(
          b, ctx.loc, RankedTensorType::get(shape, type.getElementType()), v,
          b.getDenseI64ArrayAttr({at}));
    }
    auto first = cast<RankedTensorType>(inputs[0].getType());
    if (axis < 0)
      axis += first.getRank();
  }
  ctx.setInt("axis", axis);
  // Concat's own verifier checks that the pieces agree off the axis.
  return emit(ctx, "Concat", inputs, {getElementTypeOrSelf(inputs[0])});
}

} // namespace

void wse::import::addSequenceHandlers(llvm::StringMap<Handler> &table) {
  table["SplitToSequence"] = importSplitToSequence;
  table["SequenceAt"] = importSequenceAt;
  table["SequenceConstruct"] = importSequenceConstruct;
  table["SequenceEmpty"] = importSequenceEmpty;
  table["SequenceInsert"] = importSequenceInsert;
  table["SequenceErase"] = importSequenceErase;
  table["SequenceLength"] = importSequenceLength;
  table["ConcatFromSequence"] = importConcatFromSequence;
}

//===- LayoutRules.cpp - Which distribution each op wants -----------------===//
//
// Canonical layout: tokens (the second-to-last dimension) across columns,
// features (the last) across rows. A linear then multicasts its weight rows
// along x and reduces partial sums along y; results come back canonical, so
// consecutive layers need no data movement between them.
//
//===----------------------------------------------------------------------===//

#include "dialects/wafer/Transforms/LayoutRules.h"
#include "dialects/wafer/IR/WaferOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse::wafer;

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

static int64_t rankOf(Value value) { return shapeOf(value).size(); }

DistAttr layout::canonicalDist(MLIRContext *ctx, int64_t rank) {
  SmallVector<MeshAxis> axes(rank, MeshAxis::None);
  if (rank >= 1)
    axes[rank - 1] = MeshAxis::Y;
  if (rank >= 2)
    axes[rank - 2] = MeshAxis::X;
  return DistAttr::get(ctx, axes);
}

DistAttr layout::alignedDist(DistAttr dist, ArrayRef<int64_t> full,
                             ArrayRef<int64_t> operand) {
  size_t lead = full.size() - operand.size();
  SmallVector<MeshAxis> axes;
  for (size_t i = 0; i < operand.size(); ++i) {
    bool broadcast = operand[i] == 1 && full[lead + i] != 1;
    axes.push_back(broadcast ? MeshAxis::None : dist.getAxes()[lead + i]);
  }
  return DistAttr::get(dist.getContext(), axes);
}

/// A rank-`rank` distribution with `axis` on dimension `dim`, the rest whole.
static DistAttr oneAxis(MLIRContext *ctx, int64_t rank, int64_t dim,
                        MeshAxis axis) {
  SmallVector<MeshAxis> axes(rank, MeshAxis::None);
  axes[dim] = axis;
  return DistAttr::get(ctx, axes);
}

/// Operand `value` aligned against the canonical distribution of `full`.
static DistAttr alignedCanonical(Value value, Value full) {
  DistAttr dist = layout::canonicalDist(value.getContext(), rankOf(full));
  return layout::alignedDist(dist, shapeOf(full), shapeOf(value));
}

bool layout::isResidentWeight(Value value) {
  auto stream = value.getDefiningOp<StreamOp>();
  return stream && stream.getResident();
}

/// A rank-2 distribution with `first` on dimension 0 and `second` on 1.
static DistAttr twoAxes(MLIRContext *ctx, MeshAxis first, MeshAxis second) {
  return DistAttr::get(ctx, {first, second});
}

DistAttr layout::requiredOperandDist(Operation *op, unsigned index) {
  MLIRContext *ctx = op->getContext();
  Value operand = op->getOperand(index);
  if (!isa<RankedTensorType>(operand.getType()))
    return {};
  auto canonical = [&] { return canonicalDist(ctx, rankOf(operand)); };
  return TypeSwitch<Operation *, DistAttr>(op)
      .Case([&](LinearOp linear) -> DistAttr {
        if (index == 0)
          return canonical();
        bool transposed = linear.getTransposeWeight();
        // A resident W[K, N] stays in SRAM for the whole program: 2D
        // weight-stationary blocks, K over rows and N over columns ([N, K]
        // with transpose_weight: [x, y]), so the rectangle holds one copy.
        if (index == 1 && isResidentWeight(operand))
          return transposed ? twoAxes(ctx, MeshAxis::X, MeshAxis::Y)
                            : twoAxes(ctx, MeshAxis::Y, MeshAxis::X);
        if (index == 1) // streamed W[K, N]: K over rows, N whole on every PE
          return oneAxis(ctx, 2, transposed ? 1 : 0, MeshAxis::Y);
        return canonical(); // bias [N]: [y], like the result's last dim
      })
      .Case([&](MatmulOp matmul) -> DistAttr {
        if (index == 0)
          return canonical();
        // rhs [..., K, N], broadcast along x: K over rows and N whole when
        // partial sums are reduced down the columns, else N over rows like
        // the result and K whole.
        int64_t rank = rankOf(operand);
        return oneAxis(ctx, rank,
                       matmulReducesColumns(matmul) ? rank - 2 : rank - 1,
                       MeshAxis::Y);
      })
      .Case([&](ElementwiseOp ew) {
        return alignedCanonical(operand, ew.getOutput());
      })
      .Case<LayerNormOp, RMSNormOp>([&](Operation *norm) {
        if (index == 0)
          return canonical();
        return alignedCanonical(operand, norm->getOperand(0));
      })
      .Case<SoftmaxOp, ReduceOp>([&](Operation *) { return canonical(); })
      .Case([&](EmbeddingOp embedding) -> DistAttr {
        // A resident table [rows, width]: rows over columns, width over
        // rows, one copy spread over the rectangle.
        if (index == 0 && isResidentWeight(operand))
          return twoAxes(ctx, MeshAxis::X, MeshAxis::Y);
        if (index == 0) // streamed table [rows, width]: width over rows
          return oneAxis(ctx, 2, 1, MeshAxis::Y);
        // indices: the result's distribution without the feature dimension.
        DistAttr result = canonicalDist(ctx, rankOf(embedding.getOutput()));
        return DistAttr::get(ctx, result.getAxes().drop_back());
      })
      .Case([&](func::ReturnOp) { return canonical(); })
      .Default([](Operation *) { return DistAttr(); });
}

bool layout::matmulReducesColumns(MatmulOp matmul) {
  auto rect = cast<PlacedOp>(matmul.getOperation()).getPlacementRect();
  ArrayRef<int64_t> a = shapeOf(matmul.getLhs()), b = shapeOf(matmul.getRhs()),
                    c = shapeOf(matmul.getResult());
  int64_t w = rect ? rect.getWidth() : 1, h = rect ? rect.getHeight() : 1;
  auto ceilDiv = [](int64_t n, int64_t d) { return (n + d - 1) / d; };
  int64_t batch = 1, batchB = 1;
  for (int64_t d : c.drop_back(2))
    batch *= d;
  for (int64_t d : b.drop_back(2))
    batchB *= d;
  int64_t m = c[c.size() - 2], n = c.back(), k = a.back();
  // Words per PE: the lhs rows of the PE's column and the rhs columns of
  // its row, or the partial result rows of its column and the rhs rows of
  // its row.
  int64_t outputStationary =
      batch * ceilDiv(m, w) * k + batchB * k * ceilDiv(n, h);
  int64_t partialSums = batch * ceilDiv(m, w) * n + batchB * ceilDiv(k, h) * n;
  return partialSums < outputStationary;
}

/// The distribution `dist` of a value seen through a reshape to `to` from
/// `from`: the dimensions up to and including the one on x keep their
/// sizes, so its blocks stay where they are; y moves to the last
/// dimension after it that is larger than one (a head split [T, H * hd] ->
/// [T, H, hd] keeps head_dim over rows, so the transposed [H, T, hd] is
/// canonical).
static DistAttr reshapedDist(DistAttr dist, ArrayRef<int64_t> from,
                             ArrayRef<int64_t> to) {
  ArrayRef<MeshAxis> axes = dist.getAxes();
  auto x = llvm::find(axes, MeshAxis::X);
  if (x == axes.end())
    return {};
  size_t dx = x - axes.begin();
  if (to.size() <= dx || from.take_front(dx + 1) != to.take_front(dx + 1))
    return {};
  for (size_t d = 0; d < dx; ++d)
    if (axes[d] != MeshAxis::None)
      return {};
  SmallVector<MeshAxis> result(to.size(), MeshAxis::None);
  result[dx] = MeshAxis::X;
  for (size_t d = to.size(); d-- > dx + 1;)
    if (to[d] > 1) {
      result[d] = MeshAxis::Y;
      break;
    }
  return DistAttr::get(dist.getContext(), result);
}

DistAttr layout::resultDist(Operation *op, unsigned index) {
  Value result = op->getResult(index);
  if (isa<RelayoutOp>(op))
    if (DistAttr existing = getDist(result.getType()))
      return existing;
  // Data movement keeps the blocks where they are when it can, so that
  // tokens stay over the columns through head splits and merges: a
  // transpose permutes its operand's distribution (a local copy), a
  // reshape that keeps the dimensions up to the token one keeps them there.
  if (DistAttr in = op->getNumOperands() ? getDist(op->getOperand(0).getType())
                                         : DistAttr()) {
    if (auto transpose = dyn_cast<TransposeOp>(op)) {
      SmallVector<MeshAxis> axes;
      for (int64_t p : transpose.getPerm())
        axes.push_back(in.getAxes()[p]);
      return DistAttr::get(op->getContext(), axes);
    }
    if (isa<ReshapeOp>(op))
      if (DistAttr kept =
              reshapedDist(in, shapeOf(op->getOperand(0)), shapeOf(result)))
        return kept;
    // Slices, splits and concatenations keep their (first) operand's
    // distribution: tokens stay over columns through a fused QKV split or
    // a rotary half.
    if (isa<SliceOp, SplitOp, ConcatOp>(op) &&
        in.getAxes().size() == size_t(rankOf(result)))
      return in;
  }
  return canonicalDist(op->getContext(), rankOf(result));
}

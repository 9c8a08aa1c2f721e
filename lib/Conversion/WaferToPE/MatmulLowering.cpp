//===- MatmulLowering.cpp - Products of two activations, wafer -> pe ------===//
//
// A matmul whose operands both live on the wafer (attention's Q K^T and
// P V), by one of two algorithms, chosen by words per PE:
//  - output-stationary: each PE computes its block of the result from the
//    lhs rows of its column (gathered down the column) and the rhs columns
//    of its row (a transposed gather where the rhs has them along x);
//  - partial sums: where the lhs is blocked over K along y and the rhs has
//    K over rows, each PE multiplies its lhs block by the rhs rows of its K
//    block into partial rows, summed down the column.
// When the gathered operands of every batch entry together would take over
// half of SRAM (the 20B graph: 64 heads x 96 words per token for each of Q,
// K and V), the product runs over ranges of its largest undistributed batch
// dimension (the heads), gathering one range's operands at a time. A
// relayout that feeds only such a product is then never made whole: the
// product reads its input range by range.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

using namespace mlir;
using namespace wse;
using namespace wse::pe;
using namespace wse::pe::lowering;

template <typename T> static SmallVector<T> take(ArrayRef<T> v, size_t n) {
  return SmallVector<T>(v.begin(), v.begin() + n);
}

/// Strides of a block (or view) of an operand of rank `rank` per result
/// dimension [0, r - 2): batch dimensions right-aligned, broadcast ones 0.
static SmallVector<int64_t>
batchStridesOf(ArrayRef<int64_t> shape, ArrayRef<int64_t> strides, int64_t r) {
  SmallVector<int64_t> st(r - 1, 0);
  int64_t shift = r - int64_t(shape.size());
  for (int64_t d = 0; d < r - 2; ++d) {
    int64_t s = d - shift;
    if (s >= 0 && shape[s] != 1)
      st[d] = strides[s];
  }
  return st;
}

/// Operand dimension -> result dimension (batch dims right-aligned; the
/// lhs's K and the rhs's K map to none).
static SmallVector<int64_t> operandMap(RankedTensorType t, bool isLhs,
                                       const TensorLayout &lo) {
  SmallVector<int64_t> m;
  int64_t r = lo.rank();
  int64_t shift = r - t.getRank();
  for (int64_t d = 0; d < t.getRank(); ++d) {
    if (d < t.getRank() - 2)
      m.push_back(t.getShape()[d] == lo.shape[d + shift] ? d + shift : -1);
    else if (d == t.getRank() - 2)
      m.push_back(isLhs ? r - 2 : -1);
    else
      m.push_back(isLhs ? -1 : r - 1);
  }
  return m;
}

/// The extents of `l`'s block, where it is held: a dimension whose blocks
/// have one index has extent 1 on every PE that holds a block. Used inside
/// a guard on `l.holds`, it saves a loop level (and its registers) in the
/// chunk loops.
static SmallVector<PerPEExpr> heldExtents(const TensorLayout &l) {
  SmallVector<PerPEExpr> ext = l.extent;
  for (auto [e, b] : llvm::zip(ext, l.block))
    if (b == 1)
      e = 1;
  return ext;
}

static RankedTensorType typeOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Whether the partial-sums algorithm applies, given that the rhs will have
/// its blocks in its own layout. An lhs not computed yet (asked for a
/// relayout before the product) is taken to get its blocks, as computed
/// values do; the product itself decides on what exists.
static bool partialSumsApply(Lowering &L, wafer::MatmulOp op) {
  const TensorLayout &lo = L.layoutOf(op.getResult());
  const TensorLayout &al = L.layoutOf(op.getLhs());
  const TensorLayout &bl = L.layoutOf(op.getRhs());
  int64_t r = lo.rank();
  return bl.axes[bl.rank() - 2] == wafer::MeshAxis::Y &&
         al.axes[al.rank() - 2] == wafer::MeshAxis::X &&
         al.axes[al.rank() - 1] == wafer::MeshAxis::Y &&
         lo.axes[r - 2] == wafer::MeshAxis::X && al.sameRectAs(lo) &&
         bl.sameRectAs(lo) &&
         (L.hasBlockIn(op.getLhs(), al) || !L.hasData(op.getLhs()));
}

/// Result block `out` (+)= lhs rows x rhs columns, one fmac per K step and
/// row, over the batch `chunk` (the operand views indexed from its start)
/// or the whole batch; `zeroFirst` clears the block first.
static void emitOutputStationary(Lowering &L, wafer::MatmulOp op,
                                 FlatSymbolRefAttr out, const View &av,
                                 const View &bv, std::optional<Chunk> chunk,
                                 bool zeroFirst) {
  Emitter &E = L.E;
  Value res = op.getResult();
  TensorLayout lo = L.layoutOf(res);
  RankedTensorType aType = typeOf(op.getLhs()), bType = typeOf(op.getRhs());
  int64_t r = lo.rank();
  int64_t K = aType.getShape().back();

  // Walk (batch..., m) of the result; per dimension the strides of A and B
  // (batch dimensions broadcast, B ignores m).
  SmallVector<int64_t> as = batchStridesOf(aType.getShape(), av.strides, r),
                       bsr = batchStridesOf(bType.getShape(), bv.strides, r);
  as[r - 2] = av.strides[aType.getRank() - 2];
  int64_t aK = av.strides[aType.getRank() - 1];
  int64_t bK = bv.strides[bType.getRank() - 2];
  int64_t bN = bv.strides[bType.getRank() - 1];
  SmallVector<PerPEExpr> lead = take<PerPEExpr>(lo.offset, r - 1);
  SmallVector<PerPEExpr> ext = take<PerPEExpr>(lo.extent, r - 1);
  SmallVector<int64_t> bsLead = take<int64_t>(lo.blockStrides(), r - 1);
  if (chunk) {
    lead[chunk->dim] = 0;
    ext = take<PerPEExpr>(heldExtents(lo), r - 1);
    ext[chunk->dim] = chunk->count;
  }
  PerPEExpr n0 = lo.offset[r - 1];
  Attribute env = E.val(lo.extent[r - 1]);

  Emitter::Guard skip = L.guard(lo.holds);
  if (zeroFirst)
    E.emit<FillOp>(E.mem(out, 0, E.imm(lo.blockWords())), E.f32(0.0f));
  Attribute outBase = chunk ? L.offsetAt(PerPEExpr(0) - lo.offset[chunk->dim] *
                                                            bsLead[chunk->dim],
                                         chunk->start, bsLead[chunk->dim])
                            : E.imm(0);
  E.nest(
      ext,
      {Pointer{outBase, bsLead},
       Pointer{E.val(av.base + dotOffsets(lead, as)), as},
       Pointer{E.val(bv.base + dotOffsets(lead, bsr) + n0 * bN), bsr}},
      [&](ArrayRef<Attribute> off, Attribute, ArrayRef<int64_t>) {
        unsigned ra = E.allocReg(), rb = E.allocReg();
        E.emit<MovOp>(E.reg(ra), off[1]);
        E.emit<MovOp>(E.reg(rb), off[2]);
        E.loop(E.imm(K), [&](unsigned) {
          E.emit<FmacOp>(E.mem(out, off[0], env, E.imm(1)),
                         E.mem(bv.buffer, E.reg(rb), env, E.imm(bN)),
                         E.mem(av.buffer, E.reg(ra), env, E.imm(0)));
          E.emit<IAddOp>(E.reg(ra), E.reg(ra), E.imm(aK));
          E.emit<IAddOp>(E.reg(rb), E.reg(rb), E.imm(bK));
        });
      },
      /*vectorInner=*/false);
  E.end(skip);
}

/// rhs [..., K, N] with K over rows: each PE multiplies its lhs block
/// (rows of its column, K of its row) by the rhs rows of its K block into
/// partial rows [..., m, N], summed down the column; the PE keeps its N
/// block. Bounded by the partial rows instead of whole lhs rows. `av` holds
/// the lhs's own block, `bv` the rhs's block in its layout (for a batch
/// chunk, from the chunk's start), each walked from word `aStart` /
/// `bStart` (the PE's first m row and K index, and the chunk's first batch
/// entry). The result goes to `out`, defined after the sums when null.
static void emitPartialSums(Lowering &L, wafer::MatmulOp op,
                            FlatSymbolRefAttr out, const View &av,
                            Attribute aStart, const View &bv, Attribute bStart,
                            std::optional<Chunk> chunk) {
  Emitter &E = L.E;
  Value res = op.getResult();
  TensorLayout lo = L.layoutOf(res);
  int64_t r = lo.rank();
  TensorLayout al = L.layoutOf(op.getLhs()), bl = L.layoutOf(op.getRhs());
  int64_t ar = al.rank(), br = bl.rank();
  int64_t N = lo.shape.back();
  SmallVector<int64_t> pShape(lo.shape.begin(), lo.shape.end());
  pShape[r - 2] = lo.block[r - 2];
  if (chunk)
    pShape[chunk->dim] = chunk->count;
  SmallVector<int64_t> ps = denseStrides(pShape);
  int64_t words = product(pShape);
  FlatSymbolRefAttr part = L.zeroedBuffer("partial", words);

  SmallVector<int64_t> as = batchStridesOf(al.shape, av.strides, r),
                       bs = batchStridesOf(bl.shape, bv.strides, r);
  as[r - 2] = av.strides[ar - 2];
  int64_t aK = av.strides[ar - 1];
  int64_t bK = bv.strides[br - 2];
  int64_t bN = bv.strides[br - 1];
  SmallVector<PerPEExpr> ext;
  for (int64_t d = 0; d < r - 2; ++d)
    ext.push_back(lo.shape[d]);
  if (chunk)
    ext[chunk->dim] = chunk->count;
  ext.push_back(chunk ? heldExtents(al)[ar - 2] : al.extent[ar - 2]);
  Emitter::Guard skip = L.guard(al.holds && bl.holds);
  E.nest(
      ext,
      {Pointer{E.imm(0), take<int64_t>(ps, r - 1)}, Pointer{aStart, as},
       Pointer{bStart, bs}},
      [&](ArrayRef<Attribute> off, Attribute, ArrayRef<int64_t>) {
        unsigned ra = E.allocReg(), rb = E.allocReg();
        E.emit<MovOp>(E.reg(ra), off[1]);
        E.emit<MovOp>(E.reg(rb), off[2]);
        E.loop(E.val(al.extent[ar - 1]), [&](unsigned) {
          E.emit<FmacOp>(E.mem(part, off[0], E.imm(N), E.imm(1)),
                         E.mem(bv.buffer, E.reg(rb), E.imm(N), E.imm(bN)),
                         E.mem(av.buffer, E.reg(ra), E.imm(N), E.imm(0)));
          E.emit<IAddOp>(E.reg(ra), E.reg(ra), E.imm(aK));
          E.emit<IAddOp>(E.reg(rb), E.reg(rb), E.imm(bK));
        });
      },
      /*vectorInner=*/false);
  E.end(skip);
  L.callAllReduce(/*columns=*/true, /*rows=*/false, E.addr(part), E.imm(words));

  if (!out)
    out = L.defineBlock(res);
  SmallVector<int64_t> obs = lo.blockStrides();
  SmallVector<PerPEExpr> pOff(r, PerPEExpr(0)), oext = lo.extent;
  pOff[r - 1] = lo.offset[r - 1];
  if (chunk) {
    oext = heldExtents(lo);
    oext[chunk->dim] = chunk->count;
  }
  Emitter::Guard keep = L.guard(lo.holds);
  Attribute outBase =
      chunk ? L.offsetAt(PerPEExpr(0) - lo.offset[chunk->dim] * obs[chunk->dim],
                         chunk->start, obs[chunk->dim])
            : E.imm(0);
  E.nest(oext,
         {Pointer{outBase, obs}, Pointer{E.val(dotOffsets(pOff, ps)), ps}},
         [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
           E.emit<CopyOp>(E.mem(out, off[0], len, E.imm(st[0])),
                          E.mem(part, off[1], len, E.imm(st[1])));
         });
  E.end(keep);
}

namespace {
/// How a product runs over ranges of one batch dimension.
struct BatchChunks {
  int64_t dim, len;
  bool partialSums;
  /// What is read per range: the operand, or the input of a relayout that
  /// feeds only this product and is not made.
  Value lhs, rhs;
};
} // namespace

/// The value read for operand `v` when the product runs in batch ranges.
static Value chunkSource(Lowering &L, Value v) {
  auto relayout = v.getDefiningOp<wafer::RelayoutOp>();
  if (relayout && v.hasOneUse() && !L.hasData(v))
    return relayout.getInput();
  return v;
}

/// v's block in its own layout, indexed by global indices.
static View ownBlock(Lowering &L, Value v) {
  const TensorLayout &l = L.layoutOf(v);
  return View{L.needBlock(v, l), l.blockStrides(),
              PerPEExpr(0) - dotOffsets(l.offset, l.blockStrides())};
}

static SmallVector<int64_t> identityMap(int64_t rank) {
  SmallVector<int64_t> m;
  for (int64_t d = 0; d < rank; ++d)
    m.push_back(d);
  return m;
}

/// Whether (and how) `op` runs over ranges of a batch dimension: its
/// gathered operands for the whole batch would take over half of SRAM, and
/// each can be read one range at a time. Ranges hold at most a quarter of
/// SRAM.
static std::optional<BatchChunks> batchChunks(Lowering &L, wafer::MatmulOp op) {
  Value res = op.getResult();
  const TensorLayout &lo = L.layoutOf(res);
  RankedTensorType aType = typeOf(op.getLhs()), bType = typeOf(op.getRhs());
  int64_t r = lo.rank();
  if (r < 3 || aType.getRank() != r || bType.getRank() != r)
    return std::nullopt;
  int64_t dim = -1;
  for (int64_t d = 0; d < r - 2; ++d)
    if (lo.axes[d] == wafer::MeshAxis::None && lo.shape[d] > 1 &&
        aType.getDimSize(d) == lo.shape[d] &&
        bType.getDimSize(d) == lo.shape[d] &&
        (dim < 0 || lo.shape[d] > lo.shape[dim]))
      dim = d;
  if (dim < 0)
    return std::nullopt;
  BatchChunks c{dim, 0, partialSumsApply(L, op), chunkSource(L, op.getLhs()),
                chunkSource(L, op.getRhs())};
  int64_t perIndex = 0;
  if (c.partialSums) {
    // The lhs block is read as it is; the rhs block and the partial rows
    // are held per range.
    const TensorLayout &al = L.layoutOf(op.getLhs());
    if (al.axes[dim] != wafer::MeshAxis::None)
      return std::nullopt;
    std::optional<int64_t> b =
        L.chunkWords(c.rhs, L.layoutOf(op.getRhs()), identityMap(r), dim);
    if (!b)
      return std::nullopt;
    SmallVector<int64_t> partialRows = lo.shape;
    partialRows[r - 2] = lo.block[r - 2];
    partialRows[dim] = 1;
    perIndex = *b + product(partialRows);
  } else {
    std::optional<int64_t> a =
        L.chunkWords(c.lhs, lo, operandMap(aType, true, lo), dim);
    std::optional<int64_t> b =
        L.chunkWords(c.rhs, lo, operandMap(bType, false, lo), dim);
    if (!a || !b)
      return std::nullopt;
    perIndex = *a + *b;
  }
  // Over half of SRAM (at exactly half the operands are gathered whole:
  // fewer collectives, and the d=256 model fits that way).
  if (!L.overHalfOfSRAM(perIndex * lo.shape[dim]))
    return std::nullopt;
  // The longest equal chunks within a quarter of SRAM: they run as one
  // loop.
  c.len = equalChunkLength(lo.shape[dim], 2 * L.slabBudget() / perIndex);
  return c;
}

bool wse::pe::lowering::readsRelayoutInRanges(Lowering &L,
                                              wafer::RelayoutOp relayout) {
  Value v = relayout.getResult();
  if (!v.hasOneUse())
    return false;
  auto product = dyn_cast<wafer::MatmulOp>(*v.getUsers().begin());
  if (!product)
    return false;
  std::optional<BatchChunks> c = batchChunks(L, product);
  // With partial sums only the right operand is read in ranges; the left is
  // walked in its own blocks, so a relayout feeding it must be made.
  Value in = relayout.getInput();
  return c && (c->rhs == in || (!c->partialSums && c->lhs == in));
}

LogicalResult wse::pe::lowering::lowerMatmul(Lowering &L, wafer::MatmulOp op) {
  Value res = op.getResult();
  TensorLayout lo = L.layoutOf(res);
  int64_t r = lo.rank();
  if (r < 2 || typeOf(op.getLhs()).getRank() < 2 ||
      typeOf(op.getRhs()).getRank() < 2)
    return L.emitError(op) << "operands must have rank >= 2";

  if (std::optional<BatchChunks> c = batchChunks(L, op)) {
    FlatSymbolRefAttr out = L.defineBlock(res);
    if (!c->partialSums) {
      Emitter::Guard skip = L.guard(lo.holds);
      L.E.emit<FillOp>(L.E.mem(out, 0, L.E.imm(lo.blockWords())),
                       L.E.f32(0.0f));
      L.E.end(skip);
    }
    L.forEachChunk(lo.shape[c->dim], c->len, [&](const ChunkStart &start) {
      Chunk chunk{c->dim, start, c->len};
      if (c->partialSums) {
        const TensorLayout &al = L.layoutOf(op.getLhs());
        const TensorLayout &bl = L.layoutOf(op.getRhs());
        View av = ownBlock(L, op.getLhs());
        View bv = L.readChunk(c->rhs, bl, identityMap(r), chunk);
        SmallVector<PerPEExpr> aOff = al.offset, bOff = bl.offset;
        aOff[c->dim] = 0;
        bOff[c->dim] = 0;
        Attribute aStart = L.offsetAt(av.at(aOff), start, av.strides[c->dim]);
        emitPartialSums(L, op, out, av, aStart, bv, L.E.val(bv.at(bOff)),
                        chunk);
      } else {
        View av = L.readChunk(c->lhs, lo,
                              operandMap(typeOf(op.getLhs()), true, lo), chunk);
        View bv = L.readChunk(
            c->rhs, lo, operandMap(typeOf(op.getRhs()), false, lo), chunk);
        emitOutputStationary(L, op, out, av, bv, chunk, /*zeroFirst=*/false);
      }
    });
    return success();
  }

  // Relayouts left for this product to read in ranges are made now.
  for (Value operand : op.getOperands())
    if (auto relayout = operand.getDefiningOp<wafer::RelayoutOp>();
        relayout && !L.hasData(operand) && failed(lowerRelayout(L, relayout)))
      return failure();

  if (partialSumsApply(L, op) &&
      L.hasBlockIn(op.getLhs(), L.layoutOf(op.getLhs())) &&
      L.hasBlockIn(op.getRhs(), L.layoutOf(op.getRhs()))) {
    // Both walked from the start of the PE's block.
    View av = ownBlock(L, op.getLhs()), bv = ownBlock(L, op.getRhs());
    emitPartialSums(L, op, nullptr, av, L.E.imm(0), bv, L.E.imm(0),
                    std::nullopt);
    return success();
  }
  View av =
      L.readView(op.getLhs(), lo, operandMap(typeOf(op.getLhs()), true, lo));
  View bv =
      L.readView(op.getRhs(), lo, operandMap(typeOf(op.getRhs()), false, lo));
  emitOutputStationary(L, op, L.defineBlock(res), av, bv, std::nullopt,
                       /*zeroFirst=*/true);
  return success();
}

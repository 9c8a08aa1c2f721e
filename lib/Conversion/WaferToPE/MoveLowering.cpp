//===- MoveLowering.cpp - Data movement of wafer -> pe --------------------===//
//
// Reshape, transpose, slice, concat, split, broadcast, relayout and gather
// with constant indices: every PE copies its block of the result out of a
// view of the operand that covers it (its own block, a slab or a transposed
// gather: Lowering::readView), with strided copies; only where no axis
// lines up (and for gathers) is the operand gathered whole.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse;
using namespace wse::pe;
using namespace wse::pe::lowering;

/// out block[i] = src[base + sum_d (offset_d + i_d) * strides_d] over the
/// box `extents` (defaults to the PE's block), written at `outBase` inside
/// the block.
static void copyBoxAt(Lowering &L, FlatSymbolRefAttr out, Attribute outAt,
                      ArrayRef<int64_t> outStrides, FlatSymbolRefAttr src,
                      Attribute srcAt, ArrayRef<int64_t> strides,
                      ArrayRef<PerPEExpr> extents) {
  Emitter &E = L.E;
  E.nest(extents,
         {Pointer{outAt, SmallVector<int64_t>(outStrides)},
          Pointer{srcAt, SmallVector<int64_t>(strides)}},
         [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
           E.emit<CopyOp>(E.mem(out, off[0], len, E.imm(st[0])),
                          E.mem(src, off[1], len, E.imm(st[1])));
         });
}

static void copyBox(Lowering &L, FlatSymbolRefAttr out, const TensorLayout &lo,
                    FlatSymbolRefAttr src, PerPEExpr srcBase,
                    ArrayRef<int64_t> strides, ArrayRef<PerPEExpr> extents,
                    PerPEExpr outBase) {
  Attribute outAt = L.E.val(outBase);
  Attribute srcAt = L.E.val(srcBase);
  copyBoxAt(L, out, outAt, lo.blockStrides(), src, srcAt, strides, extents);
}

/// Result element j reads input element g with g[src[i]] = offs[src[i]] +
/// j[i] * steps[i] (src[i] = -1: a broadcast dimension) and g[d] = offs[d]
/// for input dimensions no result dimension walks.
struct AffineRead {
  SmallVector<int64_t> src, steps, offs;
};

/// copyAffine where `in`'s column slab is too large to hold (a split or
/// slice along the dimension `in` has on y, e.g. the 20B graph's QKV split:
/// 64 heads x 288 words per token): the slab is gathered in chunks of
/// input dimension `d` (columnChunk), and each PE copies from every chunk
/// the part of its block the chunk holds. Result dimension `i` walks `d`
/// with step 1.
static LogicalResult copyAffineInChunks(Lowering &L, Value res, Value in,
                                        const AffineRead &map, int64_t d,
                                        int64_t i) {
  TensorLayout lo = L.layoutOf(res);
  const TensorLayout &il = L.layoutOf(in);
  int64_t dx = -1;
  for (auto [k, axis] : llvm::enumerate(il.axes))
    if (axis == wafer::MeshAxis::X)
      dx = k;
  SmallVector<int64_t> slab = il.shape;
  slab[dx] = il.block[dx];
  int64_t wordsPerIndex = 1;
  for (auto [k, n] : llvm::enumerate(slab))
    if (int64_t(k) != d)
      wordsPerIndex *= n;
  int64_t len = std::max<int64_t>(1, L.slabBudget() / wordsPerIndex);
  int64_t first = map.offs[d],
          last = first + cast<RankedTensorType>(res.getType()).getDimSize(i);
  FlatSymbolRefAttr out = L.defineBlock(res);
  SmallVector<int64_t> bs = lo.blockStrides();
  for (int64_t c0 = first; c0 < last; c0 += len) {
    int64_t c1 = std::min(c0 + len, last);
    // Every PE of the column takes part in the gather.
    View chunk = L.columnChunk(in, d, c0, c1);
    SmallVector<int64_t> strides;
    for (auto [src, step] : llvm::zip(map.src, map.steps))
      strides.push_back(src >= 0 ? step * chunk.strides[src] : 0);
    // The PE's result indices along i whose input index lies in [c0, c1).
    PerPEExpr from = max(lo.offset[i] + first, PerPEExpr(c0));
    PerPEExpr to = min(lo.offset[i] + lo.extent[i] + first, PerPEExpr(c1));
    SmallVector<PerPEExpr> extents = lo.extent, at = lo.offset;
    extents[i] = max(PerPEExpr(0), to - from);
    at[i] = from - first;
    PerPEExpr start = chunk.base;
    for (auto [k, off] : llvm::enumerate(map.offs))
      start = start + off * chunk.strides[k];
    Emitter::Guard skip = L.guard(lo.holds);
    copyBox(L, out, lo, chunk.buffer, start + dotOffsets(at, strides), strides,
            extents, (at[i] - lo.offset[i]) * bs[i]);
    L.E.end(skip);
  }
  return success();
}

/// copyAffine where `in`'s column slab would take half of SRAM or more, by
/// equal chunks of a dimension `u` that is whole in every block of `in` and
/// of the result (the heads of [1, heads, tokens, head_dim]) and that the
/// result walks whole: one loop at run time (Lowering::forEachChunk), so the
/// code does not grow with the chunks. Where the result reads a range of
/// `in`'s y dimension with step 1 (a slice or a split of head_dim), the
/// chunks hold only that range. Returns false, having emitted nothing, where
/// it does not apply.
static bool copyAffineInEqualChunks(Lowering &L, Value res, Value in,
                                    const AffineRead &map,
                                    ArrayRef<int64_t> dimMap) {
  TensorLayout lo = L.layoutOf(res);
  const TensorLayout &il = L.layoutOf(in);
  std::optional<int64_t> gathered = L.columnGatherWords(in, lo, dimMap);
  if (!gathered || !L.atLeastHalfOfSRAM(*gathered))
    return false;
  int64_t dy = llvm::find(il.axes, wafer::MeshAxis::Y) - il.axes.begin();
  int64_t dx = llvm::find(il.axes, wafer::MeshAxis::X) - il.axes.begin();
  std::optional<Range> within;
  for (auto [i, d] : llvm::enumerate(map.src))
    if (d == dy && map.steps[i] == 1)
      within = Range{dy, map.offs[dy], map.offs[dy] + lo.shape[i]};
  for (auto [i, u] : llvm::enumerate(map.src)) {
    if (u < 0 || u == dy || u == dx || map.steps[i] != 1 || map.offs[u] != 0 ||
        il.axes[u] != wafer::MeshAxis::None ||
        lo.axes[i] != wafer::MeshAxis::None || lo.shape[i] != il.shape[u] ||
        il.shape[u] == 1)
      continue;
    SmallVector<int64_t> slab = il.shape;
    slab[dx] = il.block[dx];
    slab[u] = 1;
    if (within)
      slab[dy] = within->hi - within->lo;
    int64_t len = equalChunkLength(il.shape[u], L.slabBudget() / product(slab));
    if (len * product(slab) > L.slabBudget())
      continue;
    // Offsets into the chunk, indexed from its start along u and y.
    SmallVector<int64_t> offs = map.offs;
    if (within)
      offs[dy] = 0;
    FlatSymbolRefAttr out = L.defineBlock(res);
    SmallVector<int64_t> bs = lo.blockStrides();
    L.forEachChunk(il.shape[u], len, [&](const ChunkStart &start) {
      // Every PE of the column takes part in the gather.
      View chunk = L.columnChunkAt(in, u, start, len, within);
      SmallVector<int64_t> strides;
      for (auto [src, step] : llvm::zip(map.src, map.steps))
        strides.push_back(src >= 0 ? step * chunk.strides[src] : 0);
      // The chunk's indices of the result's dimension i, from its start.
      SmallVector<PerPEExpr> extents = lo.extent, at = lo.offset;
      extents[i] = len;
      at[i] = 0;
      PerPEExpr from = chunk.base;
      for (auto [k, off] : llvm::enumerate(offs))
        from = from + off * chunk.strides[k];
      Emitter::Guard skip = L.guard(lo.holds);
      Attribute outBase = L.offsetAt(0, start, bs[i]);
      L.E.nest(extents,
               {Pointer{outBase, bs},
                Pointer{L.E.val(from + dotOffsets(at, strides)), strides}},
               [&](ArrayRef<Attribute> off, Attribute n, ArrayRef<int64_t> st) {
                 L.E.emit<CopyOp>(
                     L.E.mem(out, off[0], n, L.E.imm(st[0])),
                     L.E.mem(chunk.buffer, off[1], n, L.E.imm(st[1])));
               });
      L.E.end(skip);
    });
    return true;
  }
  return false;
}

/// The result's block read through a view of `in` covering what the PE
/// needs (its own block, a gather along one axis, chunks of a column slab
/// too large to hold, or the full copy).
static LogicalResult copyAffine(Lowering &L, Value res, Value in,
                                const AffineRead &map) {
  TensorLayout lo = L.layoutOf(res);
  int64_t inRank = map.offs.size();
  SmallVector<int64_t> dimMap(inRank, -1);
  for (auto [i, d] : llvm::enumerate(map.src))
    if (d >= 0 && map.steps[i] == 1 && map.offs[d] == 0)
      dimMap[d] = i;
  if (copyAffineInEqualChunks(L, res, in, map, dimMap))
    return success();
  if (std::optional<int64_t> d = L.chunkedColumnRead(in, lo, dimMap)) {
    for (auto [i, src] : llvm::enumerate(map.src))
      if (src == *d && map.steps[i] == 1)
        return copyAffineInChunks(L, res, in, map, *d, i);
  }
  View v = L.readView(in, lo, dimMap);
  SmallVector<int64_t> strides;
  for (auto [d, step] : llvm::zip(map.src, map.steps))
    strides.push_back(d >= 0 ? step * v.strides[d] : 0);
  PerPEExpr start = v.base;
  for (int64_t d = 0; d < inRank; ++d)
    start = start + map.offs[d] * v.strides[d];
  FlatSymbolRefAttr out = L.defineBlock(res);
  Emitter::Guard skip = L.guard(lo.holds);
  copyBox(L, out, lo, v.buffer, start + dotOffsets(lo.offset, strides), strides,
          lo.extent, 0);
  L.E.end(skip);
  return success();
}

/// The identity map of a rank-`rank` tensor.
static AffineRead identityRead(int64_t rank) {
  AffineRead m;
  for (int64_t d = 0; d < rank; ++d) {
    m.src.push_back(d);
    m.steps.push_back(1);
    m.offs.push_back(0);
  }
  return m;
}

/// Copies the part of the PE's block of `lo` whose dimension `a` lies in
/// [first, last) from `src`, where result element g is at
/// base + sum_d g_d * strides[d].
static void copyBlockRange(Lowering &L, FlatSymbolRefAttr out,
                           const TensorLayout &lo, int64_t a, int64_t first,
                           int64_t last, FlatSymbolRefAttr src, PerPEExpr base,
                           ArrayRef<int64_t> strides) {
  PerPEExpr from = max(lo.offset[a], PerPEExpr(first));
  PerPEExpr to = min(lo.offset[a] + lo.extent[a], PerPEExpr(last));
  SmallVector<PerPEExpr> extents = lo.extent, at = lo.offset;
  extents[a] = max(PerPEExpr(0), to - from);
  at[a] = from;
  Emitter::Guard skip = L.guard(lo.holds);
  copyBox(L, out, lo, src, base + dotOffsets(at, strides), strides, extents,
          (from - lo.offset[a]) * lo.blockStrides()[a]);
  L.E.end(skip);
}

/// Whole indices per chunk of a column slab when each takes `inner` words
/// per index of the slab's x block: at most slabBudget() words, at least one
/// index.
static int64_t indicesPerChunk(Lowering &L, const TensorLayout &il, int64_t dx,
                               int64_t inner) {
  return std::max<int64_t>(1, L.slabBudget() / (il.block[dx] * inner));
}

/// copyReshapeFromColumn for a column slab larger than slabBudget(): the
/// input [1.., x, F] (F on y) becomes [1.., x, A, ...]; the slab is gathered
/// in chunks of whole indices of A and each PE copies the part of its block
/// every chunk holds.
static void copyReshapeInChunks(Lowering &L, Value res, Value in, int64_t dx,
                                int64_t df, int64_t rdx) {
  const TensorLayout &il = L.layoutOf(in);
  TensorLayout lo = L.layoutOf(res);
  // Result dimension `a` (the first after x) splits the input's last
  // dimension `df` into indices of `inner` elements: a chunk of whole
  // indices of `a` is a contiguous range of `df`.
  int64_t a = rdx + 1;
  int64_t inner = product(ArrayRef<int64_t>(lo.shape).drop_front(a + 1));
  int64_t len = indicesPerChunk(L, il, dx, inner);
  FlatSymbolRefAttr out = L.defineBlock(res);
  for (int64_t a0 = 0; a0 < lo.shape[a]; a0 += len) {
    int64_t a1 = std::min(a0 + len, lo.shape[a]);
    // Every PE of the column takes part in the gather.
    View chunk = L.columnChunk(in, df, a0 * inner, a1 * inner);
    // Input element (x, f) is at base + x * sx + f * sf; f walks the
    // result's dimensions after x densely.
    SmallVector<int64_t> strides(lo.rank(), 0);
    strides[rdx] = chunk.strides[dx];
    int64_t step = chunk.strides[df];
    for (int64_t d = lo.rank() - 1; d > rdx; --d) {
      strides[d] = step;
      step *= lo.shape[d];
    }
    copyBlockRange(L, out, lo, a, a0, a1, chunk.buffer, chunk.base, strides);
  }
}

/// The reverse of copyReshapeInChunks, a head merge: the input
/// [1.., x, A, B..] becomes [1.., x, F] (F on y). The slab is gathered in
/// chunks of whole indices of A (columnChunk), which are contiguous ranges
/// of F, and each PE copies the part of its block every chunk holds.
static void copyMergeInChunks(Lowering &L, Value res, Value in, int64_t dx,
                              int64_t rdx) {
  const TensorLayout &il = L.layoutOf(in);
  TensorLayout lo = L.layoutOf(res);
  int64_t a = dx + 1, rf = rdx + 1;
  int64_t inner = product(ArrayRef<int64_t>(il.shape).drop_front(a + 1));
  int64_t len = indicesPerChunk(L, il, dx, inner);
  FlatSymbolRefAttr out = L.defineBlock(res);
  for (int64_t a0 = 0; a0 < il.shape[a]; a0 += len) {
    int64_t a1 = std::min(a0 + len, il.shape[a]);
    // Every PE of the column takes part in the gather.
    View chunk = L.columnChunk(in, a, a0, a1);
    // Input element (x, a, b..) is at base + x * sx + (a * inner + b..):
    // the chunk's dimensions after x are dense, so f walks them with
    // stride 1.
    SmallVector<int64_t> strides(lo.rank(), 0);
    strides[rdx] = chunk.strides[dx];
    strides[rf] = 1;
    copyBlockRange(L, out, lo, rf, a0 * inner, a1 * inner, chunk.buffer,
                   chunk.base, strides);
  }
}

/// A reshape that keeps the token (column) dimension and only regroups the
/// dimensions after it (leading unit dimensions may come and go): the
/// result's block is read from the column's slab, whose trailing
/// dimensions are whole and dense like the result's. A slab too large to
/// hold is read in chunks of whole indices of the result's first dimension
/// after x (copyReshapeInChunks; a head split: whole heads), or, for a head
/// merge, of whole heads of the input (copyMergeInChunks).
static bool copyReshapeFromColumn(Lowering &L, Value res, Value in) {
  const TensorLayout &il = L.layoutOf(in);
  TensorLayout lo = L.layoutOf(res);
  auto x = llvm::find(il.axes, wafer::MeshAxis::X);
  auto rx = llvm::find(lo.axes, wafer::MeshAxis::X);
  if (x == il.axes.end() || rx == lo.axes.end())
    return false;
  int64_t dx = x - il.axes.begin(), rdx = rx - lo.axes.begin();
  if (!lo.sameRectAs(il) || lo.shape[rdx] != il.shape[dx] ||
      lo.block[rdx] != il.block[dx])
    return false;
  for (int64_t d = 0; d < dx; ++d)
    if (il.shape[d] != 1)
      return false;
  for (int64_t d = 0; d < rdx; ++d)
    if (lo.shape[d] != 1)
      return false;
  SmallVector<int64_t> dimMap(il.rank(), -1);
  dimMap[dx] = rdx;
  if (il.rank() == dx + 2 && lo.rank() > rdx + 1)
    if (std::optional<int64_t> df = L.chunkedColumnRead(in, lo, dimMap)) {
      copyReshapeInChunks(L, res, in, dx, *df, rdx);
      return true;
    }
  std::optional<int64_t> gathered = L.columnGatherWords(in, lo, dimMap);
  if (il.rank() > dx + 2 && lo.rank() == rdx + 2 && gathered &&
      L.atLeastHalfOfSRAM(*gathered)) {
    copyMergeInChunks(L, res, in, dx, rdx);
    return true;
  }
  std::optional<View> slab = L.columnSlab(in);
  if (!slab)
    return false;
  SmallVector<int64_t> strides = denseStrides(lo.shape);
  for (int64_t d = 0; d < rdx; ++d)
    strides[d] = 0;
  strides[rdx] = slab->strides[dx];
  FlatSymbolRefAttr out = L.defineBlock(res);
  Emitter::Guard skip = L.guard(lo.holds);
  copyBox(L, out, lo, slab->buffer, slab->base + dotOffsets(lo.offset, strides),
          strides, lo.extent, 0);
  L.E.end(skip);
  return true;
}

/// The result's block read from `in`'s full copy with per-result-dimension
/// strides.
static LogicalResult copyFromFull(Lowering &L, Value res, Value in,
                                  ArrayRef<int64_t> strides) {
  TensorLayout lo = L.layoutOf(res);
  FlatSymbolRefAttr src = L.needFull(in).buffer;
  FlatSymbolRefAttr out = L.defineBlock(res);
  Emitter::Guard skip = L.guard(lo.holds);
  copyBox(L, out, lo, src, dotOffsets(lo.offset, strides), strides, lo.extent,
          0);
  L.E.end(skip);
  return success();
}

static SmallVector<int64_t> shapeOf(Value v) {
  auto s = cast<RankedTensorType>(v.getType()).getShape();
  return SmallVector<int64_t>(s.begin(), s.end());
}

/// Copies each input's part of the PE's block of concat `o` along `axis`
/// from its view in `srcs`; with a chunk, only the chunk's indices of its
/// dimension (the views indexed from the chunk's start).
static void copyConcatParts(Lowering &L, wafer::ConcatOp o, int64_t axis,
                            ArrayRef<View> srcs, FlatSymbolRefAttr out,
                            std::optional<Chunk> chunk) {
  TensorLayout lo = L.layoutOf(o.getResult());
  Emitter::Guard skip = L.guard(lo.holds);
  SmallVector<int64_t> bs = lo.blockStrides();
  int64_t begin = 0;
  for (auto [in, src] : llvm::zip(o.getInputs(), srcs)) {
    int64_t len = shapeOf(in)[axis];
    // The part of this PE's block along `axis` that comes from `in`.
    PerPEExpr lo0 = lo.offset[axis], hi0 = lo.offset[axis] + lo.extent[axis];
    PerPEExpr from = max(lo0, PerPEExpr(begin)),
              to = min(hi0, PerPEExpr(begin + len));
    SmallVector<PerPEExpr> ext = lo.extent;
    ext[axis] = max(PerPEExpr(0), to - from);
    SmallVector<PerPEExpr> srcOff = lo.offset;
    srcOff[axis] = from - begin;
    PerPEExpr outBase = (from - lo0) * bs[axis];
    Attribute outAt;
    if (chunk) {
      ext[chunk->dim] = chunk->count;
      srcOff[chunk->dim] = 0;
      outAt = L.offsetAt(outBase, chunk->start, bs[chunk->dim]);
    } else {
      outAt = L.E.val(outBase);
    }
    Attribute srcAt = L.E.val(src.at(srcOff));
    copyBoxAt(L, out, outAt, bs, src.buffer, srcAt, src.strides, ext);
    begin += len;
  }
  L.E.end(skip);
}

/// A concat whose inputs' gathered column slabs would take half of SRAM or
/// more (the rotary halves of 64 heads x 96 along y): every input is read in
/// equal chunks of a dimension `u` other than the axis that is whole in
/// every block (the heads), one loop at run time, each PE copying the parts
/// of its block. Returns false, having emitted nothing, where it does not
/// apply.
static bool concatInEqualChunks(Lowering &L, wafer::ConcatOp o, int64_t axis,
                                ArrayRef<int64_t> dimMap) {
  Value res = o.getResult();
  TensorLayout lo = L.layoutOf(res);
  int64_t gathered = 0;
  for (Value in : o.getInputs())
    if (std::optional<int64_t> w = L.columnGatherWords(in, lo, dimMap))
      gathered += *w;
  if (!L.atLeastHalfOfSRAM(gathered))
    return false;
  for (int64_t u = 0; u < lo.rank(); ++u) {
    if (u == axis || lo.axes[u] != wafer::MeshAxis::None || lo.shape[u] == 1)
      continue;
    // Every input is read from its blocks in chunks of u.
    bool chunkable = true;
    for (Value in : o.getInputs())
      chunkable &= L.chunkWords(in, lo, dimMap, u).has_value() &&
                   L.layoutOf(in).axes[u] == wafer::MeshAxis::None;
    if (!chunkable)
      continue;
    int64_t len = equalChunkLength(lo.shape[u],
                                   2 * L.slabBudget() * lo.shape[u] / gathered);
    FlatSymbolRefAttr out = L.defineBlock(res);
    L.forEachChunk(lo.shape[u], len, [&](const ChunkStart &start) {
      Chunk chunk{u, start, len};
      SmallVector<View> srcs;
      for (Value in : o.getInputs())
        srcs.push_back(L.readChunk(in, lo, dimMap, chunk));
      copyConcatParts(L, o, axis, srcs, out, chunk);
    });
    return true;
  }
  return false;
}

/// For a reshape whose input is distributed differently from its result
/// (a transposed [*, *, y, x] into [*, *, *, x, y]) but whose dimensions
/// line up with the result's blocks: the input relaid out (a new
/// wafer.relayout before the reshape, lowered here) so that its blocks are
/// the result's, which the reshape then shares. A relayout gathers what a
/// PE reads (a transposed gather here) instead of the whole tensor, at the
/// price of more code: only for a tensor over a slab's budget. Null where
/// the dimensions do not line up or the tensor is smaller.
static Value relayoutForReshape(Lowering &L, wafer::ReshapeOp o) {
  const TensorLayout &il = L.layoutOf(o.getInput());
  const TensorLayout &lo = L.layoutOf(o.getResult());
  auto segments = lo.blockSegments();
  if (!segments || !lo.sameRectAs(il) ||
      cast<RankedTensorType>(o.getType()).getNumElements() <= L.slabBudget())
    return {};
  // The input's axes that make its blockSegments the result's.
  SmallVector<wafer::MeshAxis> axes(il.rank(), wafer::MeshAxis::None);
  int64_t d = 0;
  auto skipUnits = [&] {
    while (d < il.rank() && il.shape[d] == 1)
      ++d;
  };
  for (auto [size, axis] : *segments) {
    skipUnits();
    if (axis != wafer::MeshAxis::None) {
      if (d == il.rank() || il.shape[d] != size)
        return {};
      axes[d++] = axis;
      continue;
    }
    int64_t product = 1;
    while (d < il.rank() && product < size)
      product *= il.shape[d++];
    if (product != size)
      return {};
  }
  skipUnits();
  if (d != il.rank() || axes == il.axes)
    return {};
  OpBuilder b(o);
  auto moved = wafer::RelayoutOp::create(
      b, o.getLoc(),
      wafer::withDist(o.getInput().getType(),
                      wafer::DistAttr::get(o.getContext(), axes)),
      o.getInput());
  moved.setPlacementAttr(
      cast<wafer::PlacedOp>(o.getOperation()).getPlacementRect());
  if (Attribute step = o->getAttr(wafer::kStepAttrName))
    moved->setAttr(wafer::kStepAttrName, step);
  if (failed(lowerRelayout(L, moved)))
    return {};
  return moved.getResult();
}

LogicalResult wse::pe::lowering::lowerRelayout(Lowering &L,
                                               wafer::RelayoutOp op) {
  return lowerCopy(L, op.getResult(), op.getInput());
}

LogicalResult wse::pe::lowering::lowerCopy(Lowering &L, Value res, Value in) {
  if (L.aliasReshape(res, in))
    return success();
  return copyAffine(L, res, in, identityRead(shapeOf(in).size()));
}

LogicalResult wse::pe::lowering::lowerMove(Lowering &L, Operation *op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](wafer::RelayoutOp o) {
        if (readsRelayoutInRanges(L, o))
          return success();
        return lowerRelayout(L, o);
      })
      .Case([&](wafer::ReshapeOp o) {
        Value res = o.getResult(), in = o.getInput();
        if (L.aliasReshape(res, in))
          return success();
        if (copyReshapeFromColumn(L, res, in))
          return success();
        if (Value moved = relayoutForReshape(L, o))
          if (L.aliasReshape(res, moved))
            return success();
        // Gathered, the row-major copy is the result's full copy as well.
        L.needFull(in);
        if (L.aliasReshape(res, in))
          return success();
        // Row-major order is unchanged: read the full copy as the result's
        // shape.
        return copyFromFull(L, res, in, denseStrides(shapeOf(res)));
      })
      .Case([&](wafer::BroadcastOp o) {
        SmallVector<int64_t> inShape = shapeOf(o.getInput()),
                             outShape = shapeOf(o.getResult());
        int64_t shift = int64_t(outShape.size()) - int64_t(inShape.size());
        AffineRead m;
        m.offs.assign(inShape.size(), 0);
        for (int64_t d = 0; d < int64_t(outShape.size()); ++d) {
          bool walks = d - shift >= 0 && inShape[d - shift] != 1;
          m.src.push_back(walks ? d - shift : -1);
          m.steps.push_back(1);
        }
        return copyAffine(L, o.getResult(), o.getInput(), m);
      })
      .Case([&](wafer::TransposeOp o) {
        AffineRead m;
        m.offs.assign(shapeOf(o.getInput()).size(), 0);
        for (int64_t p : o.getPerm()) {
          m.src.push_back(p);
          m.steps.push_back(1);
        }
        return copyAffine(L, o.getResult(), o.getInput(), m);
      })
      .Case([&](wafer::SliceOp o) {
        // Already streamed as a slice of its parameter (Lowering::lowerStream).
        if (L.hasData(o.getResult()))
          return success();
        AffineRead m = identityRead(shapeOf(o.getInput()).size());
        for (auto [d, off, step] :
             llvm::enumerate(o.getOffsets(), o.getStrides())) {
          m.steps[d] = step;
          m.offs[d] = off;
        }
        return copyAffine(L, o.getResult(), o.getInput(), m);
      })
      .Case([&](wafer::SplitOp o) {
        int64_t rank = shapeOf(o.getInput()).size();
        int64_t axis = o.getAxis() < 0 ? o.getAxis() + rank : o.getAxis();
        int64_t begin = 0;
        for (Value res : o.getOutputs()) {
          AffineRead m = identityRead(rank);
          m.offs[axis] = begin;
          if (failed(copyAffine(L, res, o.getInput(), m)))
            return failure();
          begin += shapeOf(res)[axis];
        }
        return success();
      })
      .Case([&](wafer::ConcatOp o) {
        Value res = o.getResult();
        TensorLayout lo = L.layoutOf(res);
        int64_t rank = lo.rank();
        int64_t axis = o.getAxis() < 0 ? o.getAxis() + rank : o.getAxis();
        // Each input read through the cheapest view covering the PE's block
        // (every dimension but the axis lines up with the result's).
        SmallVector<int64_t> dimMap;
        for (int64_t d = 0; d < rank; ++d)
          dimMap.push_back(d == axis ? -1 : d);
        if (concatInEqualChunks(L, o, axis, dimMap))
          return success();
        SmallVector<View> srcs;
        for (Value in : o.getInputs())
          srcs.push_back(L.readView(in, lo, dimMap));
        FlatSymbolRefAttr out = L.defineBlock(res);
        copyConcatParts(L, o, axis, srcs, out, std::nullopt);
        return success();
      })
      .Case([&](wafer::GatherOp o) -> LogicalResult {
        auto idxConst = o.getIndices().getDefiningOp<wafer::ConstantOp>();
        auto values = idxConst
                          ? dyn_cast<DenseIntElementsAttr>(idxConst.getValue())
                          : DenseIntElementsAttr();
        if (!values)
          return L.emitError(o) << "gather indices must be constant on the "
                                   "wafer (the ISA has no indirect load)";
        SmallVector<int64_t> inShape = shapeOf(o.getInput());
        int64_t rank = inShape.size();
        int64_t axis = o.getAxis() < 0 ? o.getAxis() + rank : o.getAxis();
        int64_t q = values.getNumElements();
        if (q > 256)
          return L.emitError(o)
                 << "gathers " << q
                 << " constant indices; at most 256 are unrolled";
        int64_t idxRank =
            cast<RankedTensorType>(o.getIndices().getType()).getRank();
        Value res = o.getResult();
        TensorLayout lo = L.layoutOf(res);
        FlatSymbolRefAttr src = L.needFull(o.getInput()).buffer;
        FlatSymbolRefAttr out = L.defineBlock(res);
        Emitter::Guard skip = L.guard(lo.holds);
        SmallVector<int64_t> full = denseStrides(inShape);
        SmallVector<int64_t> idxShape = shapeOf(o.getIndices());
        SmallVector<int64_t> idxStrides = denseStrides(idxShape);
        SmallVector<int64_t> bs = lo.blockStrides();
        // Result dims: [0, axis) input dims, [axis, axis + idxRank) index
        // dims, then input dims after axis.
        SmallVector<int64_t> st(lo.rank(), 0);
        for (int64_t d = 0; d < axis; ++d)
          st[d] = full[d];
        for (int64_t d = axis + 1; d < rank; ++d)
          st[d - 1 + idxRank] = full[d];
        int64_t k = 0;
        for (APInt v : values.getValues<APInt>()) {
          int64_t idx = v.getSExtValue();
          if (idx < 0)
            idx += inShape[axis];
          if (idx < 0 || idx >= inShape[axis])
            return L.emitError(o)
                   << "index " << v.getSExtValue() << " is out of range";
          // Position k of the index tensor: one result element per index
          // dim, kept only if inside this PE's block.
          SmallVector<PerPEExpr> ext = lo.extent;
          PerPEExpr inside = 1, outBase = 0, srcBase = 0;
          int64_t rem = k;
          for (int64_t j = 0; j < idxRank; ++j) {
            int64_t pos = rem / idxStrides[j];
            rem %= idxStrides[j];
            int64_t d = axis + j;
            inside = inside && (PerPEExpr(pos) >= lo.offset[d]) &&
                     (PerPEExpr(pos) < lo.offset[d] + lo.extent[d]);
            ext[d] = 1;
            outBase = outBase + (PerPEExpr(pos) - lo.offset[d]) * bs[d];
          }
          for (int64_t d = 0; d < lo.rank(); ++d)
            if (d < axis || d >= axis + idxRank)
              srcBase = srcBase + lo.offset[d] * st[d];
          srcBase = srcBase + idx * full[axis];
          Emitter::Guard skipK = L.guard(inside);
          copyBox(L, out, lo, src, srcBase, st, ext, outBase);
          L.E.end(skipK);
          ++k;
        }
        L.E.end(skip);
        return success();
      })
      .Default([&](Operation *o) {
        return o->emitOpError("has no lowering to pe");
      });
}

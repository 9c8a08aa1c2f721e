//===- Lowering.cpp - Tensors, streams and collectives of wafer -> pe -----===//

#include "Lowering.h"
#include "wse/Support/TensorName.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/TypeSwitch.h"

#include <functional>

using namespace mlir;
using namespace wse;
using namespace wse::pe;
using namespace wse::pe::lowering;

Lowering::Lowering(ModuleOp module, func::FuncOp func,
                   mesh::RectAttr kernelRect,
                   const machine::MachineDescription &m, Emitter &emitter,
                   Channels channels, std::string port, OpBuilder &declBuilder,
                   OpBuilder &streamBuilder)
    : E(emitter), ch(channels), module(module), func(func),
      kernelRect(kernelRect), machine(m), port(std::move(port)),
      moduleBuilder(declBuilder), streamBuilder(streamBuilder) {}

InFlightDiagnostic Lowering::emitError(Operation *op) {
  return op->emitOpError("cannot be lowered to pe: ");
}

std::string Lowering::tensorName(StringRef hint) {
  std::string name = programTensorName(hint);
  unsigned n = tensorNames[name]++;
  return n == 0 ? name : name + "_" + std::to_string(n);
}

FlatSymbolRefAttr Lowering::sink() {
  if (!sinkBuffer)
    sinkBuffer = E.buffer("sink", 1);
  return sinkBuffer;
}

void Lowering::scheduleStream(FlatSymbolRefAttr tensor) {
  StreamInOp::create(streamBuilder, E.getLoc(), tensor,
                     getPortByName(streamBuilder.getContext(), port),
                     ch.inbound, IntegerAttr(), DenseI64ArrayAttr(),
                     DenseI64ArrayAttr());
}

void Lowering::drain(Attribute count, FlatSymbolRefAttr channel) {
  if (auto i = dyn_cast<IntegerAttr>(count); i && i.getInt() == 0)
    return;
  // A stride-0 destination keeps only the last wavelet.
  E.emit<CopyOp>(E.mem(sink(), E.imm(0), count, E.imm(0)),
                 E.in(channel ? channel : ch.inbound, count));
}

void Lowering::receive(Attribute dst, Attribute len,
                       FlatSymbolRefAttr channel) {
  E.emit<CopyOp>(dst, E.in(channel ? channel : ch.inbound, len));
}

View Lowering::streamIntoFull(FlatSymbolRefAttr tensor, ArrayRef<int64_t> shape,
                              StringRef hint) {
  scheduleStream(tensor);
  int64_t words = 1;
  for (int64_t d : shape)
    words *= d;
  FlatSymbolRefAttr full = E.buffer(("full_" + hint).str(), words);
  receive(E.mem(full, 0, E.imm(words)), E.imm(words));
  return View{full, denseStrides(shape), 0};
}

FlatSymbolRefAttr Lowering::zeroedBuffer(StringRef hint, int64_t words) {
  FlatSymbolRefAttr buf = E.buffer(hint, words);
  E.emit<FillOp>(E.mem(buf, 0, E.imm(words)), E.f32(0.0f));
  return buf;
}

bool Lowering::streamsIntoBlock(const TensorLayout &l) const {
  bool distributed = llvm::any_of(
      l.axes, [](wafer::MeshAxis a) { return a != wafer::MeshAxis::None; });
  return distributed && l.numElements() > int64_t(machine.sramWords() / 8);
}

FlatSymbolRefAttr Lowering::streamIntoBlock(FlatSymbolRefAttr tensor,
                                            const TensorLayout &l,
                                            StringRef hint) {
  scheduleStream(tensor);
  return receiveIntoBlock(l, hint);
}

FlatSymbolRefAttr Lowering::receiveIntoBlock(const TensorLayout &l,
                                             StringRef hint) {
  FlatSymbolRefAttr blk = E.buffer(("blk_" + hint).str(), l.blockWords());
  SmallVector<int64_t> bs = l.blockStrides();
  int64_t r = l.rank();
  // Every word passes every PE in row-major order: a PE keeps the rows of
  // its box (the part of each row inside its block) and drains the rest.
  std::function<void(int64_t, Attribute)> level = [&](int64_t d, Attribute at) {
    if (d == r - 1) {
      int64_t n = l.shape[d];
      PerPEExpr skip = min(max(l.offset[d], PerPEExpr(0)), PerPEExpr(n));
      PerPEExpr keep = max(PerPEExpr(0), min(l.extent[d], PerPEExpr(n) - skip));
      drain(E.val(skip));
      receive(E.mem(blk, at, E.val(keep), E.imm(1)), E.val(keep));
      drain(E.val(PerPEExpr(n) - skip - keep));
      return;
    }
    int64_t rowWords = 1;
    for (int64_t e = d + 1; e < r; ++e)
      rowWords *= l.shape[e];
    if (l.shape[d] == 1) {
      level(d + 1, at);
      return;
    }
    unsigned p = E.allocReg();
    E.emit<MovOp>(E.reg(p), at);
    E.loop(E.imm(l.shape[d]), [&](unsigned i) {
      E.ifElse(
          Predicate::in, E.reg(i), E.val(l.offset[d]),
          E.val(l.offset[d] + l.extent[d]),
          [&] {
            level(d + 1, E.reg(p));
            E.emit<IAddOp>(E.reg(p), E.reg(p), E.imm(bs[d]));
          },
          [&] { drain(E.imm(rowWords)); });
    });
  };
  level(0, E.imm(0));
  return blk;
}

PerPEExpr View::at(ArrayRef<PerPEExpr> offsets) const {
  return base + dotOffsets(offsets, strides);
}

const TensorLayout &Lowering::layoutOf(Value v) {
  auto it = tensors.find(v);
  if (it != tensors.end())
    return it->second.layout;
  mesh::RectAttr rect;
  if (Operation *def = v.getDefiningOp()) {
    if (auto placed = dyn_cast<wafer::PlacedOp>(def))
      rect = placed.getPlacementRect();
    else if (auto s = dyn_cast<wafer::StreamOp>(def))
      rect = s.getRegionAttr();
  }
  TensorState &s = tensors[v];
  s.layout = makeLayout(cast<RankedTensorType>(v.getType()), rect, kernelRect);
  return s.layout;
}

PerPEExpr Lowering::fullOffset(const TensorLayout &layout,
                               ArrayRef<int64_t> fullStrides) {
  return dotOffsets(layout.offset, fullStrides);
}

void Lowering::receiveRowSegment(const RowStream &rows, FlatSymbolRefAttr dst,
                                 PerPEExpr start, PerPEExpr extent) {
  // Every PE reads all of the row that reaches it; outside its rectangle or
  // past the end of the dimension its segment is empty (the extent may be
  // negative there).
  PerPEExpr skip = min(max(start - rows.base, PerPEExpr(0)), rows.length);
  PerPEExpr keep = max(PerPEExpr(0), min(extent, rows.length - skip));
  drain(E.val(skip), rows.channel);
  receive(E.mem(dst, E.imm(0), E.val(keep), E.imm(1)), E.val(keep),
          rows.channel);
  drain(E.val(rows.length - skip - keep), rows.channel);
}

std::optional<Lowering::RowStream>
Lowering::takeRowStream(Value v, const TensorLayout &consumer, int64_t dim,
                        RowsMeet meet) {
  auto it = tensors.find(v);
  if (it == tensors.end() || !it->second.pendingStream)
    return std::nullopt;
  // `n` indices of the split dimension; the other dimension of the weight
  // seen as a matrix has `k`.
  int64_t n = consumer.shape[dim], bs = consumer.block[dim];
  if (!ch.banded || consumer.axes[dim] != wafer::MeshAxis::Y || bs >= n) {
    takeStream(v);
    return RowStream{ch.inbound, PerPEExpr(0), PerPEExpr(n)};
  }
  wafer::StreamOp s = it->second.pendingStream;
  it->second.pendingStream = nullptr;
  auto type = cast<RankedTensorType>(v.getType());
  int64_t k = type.getNumElements() / n;
  bool along = meet == RowsMeet::Along;
  MLIRContext *ctx = E.getContext();
  FlatSymbolRefAttr tensor =
      E.sym(s->getAttrOfType<StringAttr>("pe.param").getValue());
  // The first index of the split dimension that mesh row `row` holds.
  auto indexOf = [&](int64_t row) {
    return std::clamp<int64_t>((row - consumer.y0) * bs, 0, n);
  };
  for (const StreamBand &band : ch.bands) {
    int64_t lo = indexOf(band.rowBegin), hi = indexOf(band.rowEnd);
    if (hi == lo)
      continue;
    SmallVector<int64_t, 2> shape = along ? SmallVector<int64_t, 2>{k, hi - lo}
                                          : SmallVector<int64_t, 2>{hi - lo, k};
    SmallVector<int64_t, 2> strides =
        along ? SmallVector<int64_t, 2>{n, 1} : SmallVector<int64_t, 2>{k, 1};
    for (const std::string &p : band.ports)
      StreamInOp::create(streamBuilder, E.getLoc(), tensor,
                         getPortByName(ctx, p), ch.banded,
                         streamBuilder.getI64IntegerAttr(along ? lo : lo * k),
                         streamBuilder.getDenseI64ArrayAttr(shape),
                         streamBuilder.getDenseI64ArrayAttr(strides));
  }
  // The PE's band: its first and one-past-last row, as per-PE values. The
  // machine puts ports every `spacing` rows, so the bands after the first
  // start every `spacing` rows: a few operations whatever their number.
  PerPEExpr ry = PerPEExpr::var(emu::ExprVar::RY);
  int64_t nb = ch.bands.size(), r1 = ch.bands[1].rowBegin,
          spacing = nb > 2 ? ch.bands[2].rowBegin - r1 : 1;
  for (int64_t b = 2; b < nb; ++b)
    assert(ch.bands[b].rowBegin == r1 + (b - 1) * spacing &&
           "ports are evenly spaced");
  PerPEExpr index = min(max(ry - r1 + spacing, 0) / spacing, nb - 1);
  PerPEExpr first = (index >= 1) * (r1 + (index - 1) * spacing);
  PerPEExpr end =
      select(index == nb - 1, ch.bands.back().rowEnd, r1 + index * spacing);
  auto indexAt = [&](const PerPEExpr &row) {
    return min(max((row - consumer.y0) * bs, 0), n);
  };
  PerPEExpr base = E.named(indexAt(first));
  PerPEExpr length = E.named(indexAt(end) - base);
  return RowStream{ch.banded, base, length};
}

bool Lowering::aliasReshape(Value result, Value source) {
  const TensorLayout &out = layoutOf(result);
  const TensorLayout &in = layoutOf(source);
  TensorState &src = tensors[source];
  bool sameBlocks = src.block && in.sameBlocksAs(out);
  std::optional<View> full = src.full;
  if (full && (!full->base.isKnown() || full->base.value() != 0 ||
               full->strides != denseStrides(in.shape)))
    full.reset();
  if (!sameBlocks && !full)
    return false;
  TensorState &dst = tensors[result];
  if (sameBlocks)
    dst.block = tensors[source].block;
  if (full) {
    dst.full = View{full->buffer, denseStrides(out.shape), 0};
    dst.fullShared = tensors[source].fullShared = true;
  }
  return true;
}

FlatSymbolRefAttr Lowering::reuseFullAsBlock(Value result, Value operand) {
  const TensorLayout &out = layoutOf(result);
  layoutOf(operand);
  TensorState &in = tensors[operand];
  if (!operand.hasOneUse() || !in.full || in.fullShared ||
      isa<BlockArgument>(operand) ||
      ArrayRef<int64_t>(out.block) != ArrayRef<int64_t>(out.shape) ||
      cast<RankedTensorType>(operand.getType()).getShape() !=
          cast<RankedTensorType>(result.getType()).getShape() ||
      !in.full->base.isKnown() || in.full->base.value() != 0 ||
      in.full->strides != denseStrides(out.shape))
    return nullptr;
  // Its block (if any) may be the same buffer (an in-place gather): then the
  // block is overwritten too, which is fine for a value with one use.
  FlatSymbolRefAttr buf = in.full->buffer;
  in.full.reset();
  tensors[result].block = buf;
  return buf;
}

FlatSymbolRefAttr Lowering::defineBlock(Value v) {
  const TensorLayout &l = layoutOf(v);
  TensorState &s = tensors[v];
  s.block = E.buffer("blk", l.blockWords());
  return s.block;
}

wafer::StreamOp Lowering::takeStream(Value v) {
  auto it = tensors.find(v);
  if (it == tensors.end() || !it->second.pendingStream)
    return nullptr;
  wafer::StreamOp s = it->second.pendingStream;
  it->second.pendingStream = nullptr;
  scheduleStream(FlatSymbolRefAttr::get(
      E.getContext(), s->getAttrOfType<StringAttr>("pe.param")));
  return s;
}

View Lowering::gather(Value v, bool columns, bool rows, int64_t keepDim) {
  TensorState &s = tensors[v];
  const TensorLayout &l = s.layout;
  SmallVector<int64_t> shape = l.shape;
  SmallVector<PerPEExpr> at = l.offset;
  if (keepDim >= 0) {
    shape[keepDim] = l.block[keepDim];
    at[keepDim] = 0;
  }
  SmallVector<int64_t> strides = denseStrides(shape);
  int64_t words = 1;
  for (int64_t d : shape)
    words *= d;
  PerPEExpr contributes = l.holds;
  bool usesX = llvm::is_contained(l.axes, wafer::MeshAxis::X);
  bool usesY = llvm::is_contained(l.axes, wafer::MeshAxis::Y);
  if (rows && !usesX)
    contributes = contributes && (PerPEExpr::var(emu::ExprVar::RX) == l.x0);
  if (columns && !usesY)
    contributes = contributes && (PerPEExpr::var(emu::ExprVar::RY) == l.y0);
  Attribute len = E.imm(words);
  if (keepDim < 0 && ArrayRef<int64_t>(l.block) == ArrayRef<int64_t>(l.shape)) {
    // Every holder has the whole tensor: gather in place (the others zero
    // their block buffer, which becomes the full copy everywhere).
    if (!(contributes.isKnown() && contributes.value()))
      E.ifElse(Predicate::eq, E.val(contributes), E.imm(0), nullptr,
               [&] { E.emit<FillOp>(E.mem(s.block, 0, len), E.f32(0.0f)); });
    callAllReduce(columns, rows, E.addr(s.block), len);
    return View{s.block, strides, 0};
  }
  // Owners write their blocks into a zeroed copy; one copy of each block
  // along every gathered axis the distribution replicates it on.
  FlatSymbolRefAttr buf = E.buffer(keepDim < 0 ? "full"
                                   : columns   ? "colfull"
                                               : "rowfull",
                                   words);
  E.emit<FillOp>(E.mem(buf, 0, E.imm(words)), E.f32(0.0f));
  Emitter::Guard skip = guard(contributes);
  FlatSymbolRefAttr block = s.block;
  E.nest(l.extent,
         {Pointer{E.val(fullOffset(l, strides) -
                        (keepDim >= 0 ? l.offset[keepDim] * strides[keepDim]
                                      : PerPEExpr(0))),
                  strides},
          Pointer{E.imm(0), l.blockStrides()}},
         [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
           E.emit<CopyOp>(E.mem(buf, off[0], len, E.imm(st[0])),
                          E.mem(block, off[1], len, E.imm(st[1])));
         });
  E.end(skip);
  callAllReduce(columns, rows, E.addr(buf), E.imm(words));
  PerPEExpr base = 0;
  if (keepDim >= 0)
    base = PerPEExpr(0) - l.offset[keepDim] * strides[keepDim];
  return View{buf, strides, base};
}

View Lowering::needFull(Value v) {
  layoutOf(v);
  TensorState &s = tensors[v];
  if (s.full && s.block && opIndex - s.fullUse > kReuseWindow)
    s.full.reset();
  if (s.full) {
    s.fullUse = opIndex;
    return *s.full;
  }
  if (s.pendingStream) {
    wafer::StreamOp stream = s.pendingStream;
    s.pendingStream = nullptr;
    View full = streamIntoFull(
        FlatSymbolRefAttr::get(E.getContext(),
                               stream->getAttrOfType<StringAttr>("pe.param")),
        s.layout.shape, "w");
    tensors[v].full = full;
    return full;
  }
  assert(s.block && "tensor without data");
  const TensorLayout &l = s.layout;
  // An axis the distribution does not use, over the whole kernel width or
  // height, already holds a copy on every PE along it: no gather needed.
  bool usesX = llvm::is_contained(l.axes, wafer::MeshAxis::X);
  bool usesY = llvm::is_contained(l.axes, wafer::MeshAxis::Y);
  bool rows = usesX || l.x0 != 0 || l.width != kernelRect.getWidth();
  bool columns = usesY || l.y0 != 0 || l.height != kernelRect.getHeight();
  View full = gather(v, columns, rows, -1);
  tensors[v].full = full;
  tensors[v].fullUse = opIndex;
  return full;
}

/// The dimension of `l` distributed over `axis`, or -1.
static int64_t dimOnAxis(const TensorLayout &l, wafer::MeshAxis axis) {
  auto it = llvm::find(l.axes, axis);
  return it == l.axes.end() ? -1 : it - l.axes.begin();
}

/// Whether a consumer reading dimension `d` of `l` as its dimension `cd`
/// has the same blocks along the axis `d` is distributed over.
static bool alignedOn(const TensorLayout &l, int64_t d,
                      const TensorLayout &consumer, int64_t cd) {
  if (d < 0 || cd < 0 || consumer.axes[cd] != l.axes[d] ||
      consumer.shape[cd] != l.shape[d] || consumer.block[cd] != l.block[d])
    return false;
  return l.axes[d] == wafer::MeshAxis::X
             ? consumer.x0 == l.x0 && consumer.width == l.width
             : consumer.y0 == l.y0 && consumer.height == l.height;
}

View Lowering::readView(Value v, const TensorLayout &consumer,
                        ArrayRef<int64_t> dimMap) {
  const TensorLayout &l = layoutOf(v);
  TensorState &s = tensors[v];
  if (s.full && s.block && opIndex - s.fullUse > kReuseWindow)
    s.full.reset();
  if (s.column && opIndex - s.columnUse > kReuseWindow)
    s.column.reset();
  if (s.row && opIndex - s.rowUse > kReuseWindow)
    s.row.reset();
  if (s.full || s.pendingStream || !s.block)
    return needFull(v);
  auto mapped = [&](int64_t d) {
    return d >= 0 && d < int64_t(dimMap.size()) ? dimMap[d] : -1;
  };
  int64_t dx = dimOnAxis(l, wafer::MeshAxis::X);
  int64_t dy = dimOnAxis(l, wafer::MeshAxis::Y);
  bool alignedX = alignedOn(l, dx, consumer, mapped(dx));
  bool alignedY = alignedOn(l, dy, consumer, mapped(dy));
  bool sameRect = consumer.sameRectAs(l);
  // Every element a PE reads is in its own block: no data moves.
  if (sameRect && (dx < 0 || alignedX) && (dy < 0 || alignedY))
    return View{s.block, l.blockStrides(),
                PerPEExpr(0) - dotOffsets(l.offset, l.blockStrides())};
  // v's column dimension lines up with the consumer's: every PE reads only
  // elements of its own column block, gathered down the column.
  if (alignedX)
    return columnGather(v, dx);
  // The same along rows.
  if (alignedY) {
    if (!s.row)
      s.row = gather(v, /*columns=*/false, /*rows=*/true, dy);
    s.rowUse = opIndex;
    return *s.row;
  }
  // v's column dimension is the consumer's row dimension (tokens over
  // columns becoming tokens over rows): each row gathers only its range.
  if (transposes(v, dx, consumer, mapped(dx)))
    return gatherTransposed(v, dx, consumer, mapped(dx));
  return needFull(v);
}

bool Lowering::transposes(Value v, int64_t dx, const TensorLayout &consumer,
                          int64_t cd) {
  const TensorLayout &l = layoutOf(v);
  return dx >= 0 && cd >= 0 && consumer.axes[cd] == wafer::MeshAxis::Y &&
         consumer.shape[cd] == l.shape[dx] && consumer.sameRectAs(l) &&
         l.x0 == 0 && l.y0 == 0 && l.width == kernelRect.getWidth() &&
         l.height == kernelRect.getHeight();
}

std::optional<int64_t> Lowering::chunkWords(Value v,
                                            const TensorLayout &consumer,
                                            ArrayRef<int64_t> dimMap,
                                            int64_t d) {
  const TensorLayout &l = layoutOf(v);
  TensorState &s = tensors[v];
  int64_t dx = dimOnAxis(l, wafer::MeshAxis::X);
  if (!s.block || dx < 0 || dx == d || l.axes[d] != wafer::MeshAxis::None)
    return std::nullopt;
  int64_t cd = dx < int64_t(dimMap.size()) ? dimMap[dx] : -1;
  SmallVector<int64_t> slab = l.shape;
  slab[dx] = l.block[dx];
  slab[d] = 1;
  if (alignedOn(l, dx, consumer, cd))
    return product(slab);
  if (!transposes(v, dx, consumer, cd))
    return std::nullopt;
  SmallVector<int64_t> cut = slab;
  cut[dx] = consumer.block[cd];
  return product(slab) + product(cut);
}

View Lowering::readChunk(Value v, const TensorLayout &consumer,
                         ArrayRef<int64_t> dimMap, const Chunk &chunk) {
  const TensorLayout &l = layoutOf(v);
  int64_t dx = dimOnAxis(l, wafer::MeshAxis::X);
  int64_t cd = dimMap[dx];
  if (alignedOn(l, dx, consumer, cd))
    return columnChunkAt(v, chunk.dim, chunk.start, chunk.count);
  return gatherTransposed(v, dx, consumer, cd, chunk);
}

void Lowering::forEachChunk(int64_t n, int64_t len,
                            function_ref<void(const ChunkStart &)> body) {
  assert(len > 0 && n % len == 0 && "chunks of equal length");
  if (len == n)
    return body(ChunkStart{0, std::nullopt, len});
  // The counter is live across the body's all-reduce calls, and a value
  // live across a call is live through the subroutine and so at every call
  // of the program: one register shared by every chunk loop (they never
  // nest) costs one register instead of one per loop.
  if (!chunkCounter)
    chunkCounter = E.allocReg();
  E.loop(
      E.imm(n / len),
      [&](unsigned counter) {
        body(ChunkStart{0, counter, len});
      },
      /*layers=*/false, chunkCounter);
}

Attribute Lowering::offsetAt(const PerPEExpr &base, const ChunkStart &start,
                             int64_t stride) {
  if (!start.counter)
    return E.val(base + PerPEExpr(start.first) * stride);
  unsigned r = E.allocReg();
  E.emit<IMulOp>(E.reg(r), E.reg(*start.counter), E.imm(start.len * stride));
  if (!(base.isKnown() && base.value() == 0))
    E.emit<IAddOp>(E.reg(r), E.reg(r), E.val(base));
  return E.reg(r);
}

std::optional<int64_t> Lowering::chunkedColumnRead(Value v,
                                                   const TensorLayout &consumer,
                                                   ArrayRef<int64_t> dimMap) {
  std::optional<int64_t> words = columnGatherWords(v, consumer, dimMap);
  if (!words || !overHalfOfSRAM(*words))
    return std::nullopt;
  return dimOnAxis(layoutOf(v), wafer::MeshAxis::Y);
}

std::optional<int64_t> Lowering::columnGatherWords(Value v,
                                                   const TensorLayout &consumer,
                                                   ArrayRef<int64_t> dimMap) {
  const TensorLayout &l = layoutOf(v);
  TensorState &s = tensors[v];
  if (s.full || s.pendingStream || !s.block ||
      (s.column && opIndex - s.columnUse <= kReuseWindow))
    return std::nullopt;
  auto mapped = [&](int64_t d) {
    return d >= 0 && d < int64_t(dimMap.size()) ? dimMap[d] : -1;
  };
  int64_t dx = dimOnAxis(l, wafer::MeshAxis::X);
  int64_t dy = dimOnAxis(l, wafer::MeshAxis::Y);
  if (dx < 0 || dy < 0 || !alignedOn(l, dx, consumer, mapped(dx)) ||
      alignedOn(l, dy, consumer, mapped(dy)))
    return std::nullopt;
  SmallVector<int64_t> slab = l.shape;
  slab[dx] = l.block[dx];
  return product(slab);
}

std::optional<View> Lowering::columnSlab(Value v) {
  const TensorLayout &l = layoutOf(v);
  TensorState &s = tensors[v];
  int64_t dx = dimOnAxis(l, wafer::MeshAxis::X);
  if (dx < 0)
    return std::nullopt;
  if (s.full || s.pendingStream || !s.block)
    return needFull(v);
  if (!llvm::is_contained(l.axes, wafer::MeshAxis::Y))
    return View{s.block, l.blockStrides(),
                PerPEExpr(0) - dotOffsets(l.offset, l.blockStrides())};
  return columnGather(v, dx);
}

View Lowering::columnGather(Value v, int64_t dx) {
  TensorState &s = tensors[v];
  if (s.column && opIndex - s.columnUse > kReuseWindow)
    s.column.reset();
  if (!s.column)
    s.column = gather(v, /*columns=*/true, /*rows=*/false, dx);
  s.columnUse = opIndex;
  return *s.column;
}

View Lowering::columnChunk(Value v, int64_t d, int64_t lo, int64_t hi) {
  View chunk = columnChunkAt(v, d, ChunkStart{lo}, hi - lo);
  chunk.base = chunk.base - PerPEExpr(lo) * chunk.strides[d];
  return chunk;
}

View Lowering::columnChunkAt(Value v, int64_t d, const ChunkStart &start,
                             int64_t count, std::optional<Range> within) {
  const TensorLayout &l = layoutOf(v);
  int64_t dx = dimOnAxis(l, wafer::MeshAxis::X);
  assert(dx >= 0 && dx != d && "a chunk of another dimension than x");
  assert((!start.counter || l.axes[d] == wafer::MeshAxis::None) &&
         "a chunk known at run time of a distributed dimension");
  assert((!within || (within->dim != d && within->dim != dx)) &&
         "a range of the chunk's or the column's dimension");
  SmallVector<int64_t> shape = l.shape;
  shape[dx] = l.block[dx];
  shape[d] = count;
  if (within)
    shape[within->dim] = within->hi - within->lo;
  SmallVector<int64_t> strides = denseStrides(shape);
  int64_t words = product(shape);
  FlatSymbolRefAttr buf = zeroedBuffer("colchunk", words);
  // Each holder writes the part of its block inside the chunk (one copy
  // along y when the blocks are replicated there), summed down the column.
  PerPEExpr contributes = l.holds;
  if (!llvm::is_contained(l.axes, wafer::MeshAxis::Y))
    contributes = contributes && (PerPEExpr::var(emu::ExprVar::RY) == l.y0);
  SmallVector<PerPEExpr> extents = l.extent, at = l.offset,
                         src(l.rank(), PerPEExpr(0));
  at[dx] = 0;
  // The part of the block whose dimension k lies in [lo, hi).
  auto restrict = [&](int64_t k, int64_t lo, int64_t hi) {
    PerPEExpr from = max(l.offset[k], PerPEExpr(lo));
    PerPEExpr to = min(l.offset[k] + l.extent[k], PerPEExpr(hi));
    extents[k] = max(PerPEExpr(0), to - from);
    at[k] = from - lo;
    src[k] = from - l.offset[k];
  };
  if (start.counter) {
    // d is whole in every block: the chunk is the same box on every PE.
    extents[d] = count;
    at[d] = 0;
  } else {
    restrict(d, start.first, start.first + count);
  }
  if (within)
    restrict(within->dim, within->lo, within->hi);
  Emitter::Guard skip = guard(contributes);
  Attribute to = E.val(dotOffsets(at, strides));
  Attribute from = start.counter ? offsetAt(dotOffsets(src, l.blockStrides()),
                                            start, l.blockStrides()[d])
                                 : E.val(dotOffsets(src, l.blockStrides()));
  E.nest(extents, {Pointer{to, strides}, Pointer{from, l.blockStrides()}},
         [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
           E.emit<CopyOp>(E.mem(buf, off[0], len, E.imm(st[0])),
                          E.mem(tensors[v].block, off[1], len, E.imm(st[1])));
         });
  E.end(skip);
  callAllReduce(/*columns=*/true, /*rows=*/false, E.addr(buf), E.imm(words));
  return View{buf, strides, PerPEExpr(0) - l.offset[dx] * strides[dx]};
}

View Lowering::gatherTransposed(Value v, int64_t dx,
                                const TensorLayout &consumer, int64_t cd,
                                std::optional<Chunk> chunk) {
  const TensorLayout &l = layoutOf(v);
  // 1. Every PE gets its column's slab (or the chunk of it).
  View slab = chunk ? columnChunkAt(v, chunk->dim, chunk->start, chunk->count)
                    : *columnSlab(v);
  // 2. Along each row, the PEs write the part of their slab inside the
  //    row's block of cd into a zeroed buffer and sum it over the row: each
  //    element comes from the one column whose block holds it.
  SmallVector<int64_t> shape = l.shape;
  shape[dx] = consumer.block[cd];
  if (chunk)
    shape[chunk->dim] = chunk->count;
  SmallVector<int64_t> strides = denseStrides(shape);
  int64_t words = product(shape);
  FlatSymbolRefAttr buf = zeroedBuffer("rowcut", words);
  PerPEExpr from = max(l.offset[dx], consumer.offset[cd]);
  PerPEExpr to = min(l.offset[dx] + l.extent[dx],
                     consumer.offset[cd] + consumer.extent[cd]);
  SmallVector<PerPEExpr> extents;
  for (int64_t d : shape)
    extents.push_back(d);
  extents[dx] = max(PerPEExpr(0), to - from);
  SmallVector<PerPEExpr> at(l.rank(), PerPEExpr(0));
  at[dx] = from;
  // Not guarded by v's `holds`: a PE past v's row blocks still has its
  // column's slab; outside v's column blocks the extent is empty.
  E.nest(extents,
         {Pointer{E.val((from - consumer.offset[cd]) * strides[dx]), strides},
          Pointer{E.val(slab.at(at)), slab.strides}},
         [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
           E.emit<CopyOp>(E.mem(buf, off[0], len, E.imm(st[0])),
                          E.mem(slab.buffer, off[1], len, E.imm(st[1])));
         });
  callAllReduce(/*columns=*/false, /*rows=*/true, E.addr(buf), E.imm(words));
  return View{buf, strides, PerPEExpr(0) - consumer.offset[cd] * strides[dx]};
}

FlatSymbolRefAttr Lowering::needBlock(Value v, const TensorLayout &layout) {
  const TensorLayout &own = layoutOf(v);
  TensorState &s = tensors[v];
  if (s.block && own.sameAs(layout))
    return s.block;
  SmallVector<int64_t> identity;
  for (int64_t d = 0; d < layout.rank(); ++d)
    identity.push_back(d);
  View src = readView(v, layout, identity);
  FlatSymbolRefAttr blk = E.buffer("cut", layout.blockWords());
  Emitter::Guard skip = guard(layout.holds);
  E.nest(layout.extent,
         {Pointer{E.imm(0), layout.blockStrides()},
          Pointer{E.val(src.at(layout.offset)), src.strides}},
         [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
           E.emit<CopyOp>(E.mem(blk, off[0], len, E.imm(st[0])),
                          E.mem(src.buffer, off[1], len, E.imm(st[1])));
         });
  E.end(skip);
  return blk;
}

//===----------------------------------------------------------------------===//
// The all-reduce subroutine: its parameters are the address and the length.
//===----------------------------------------------------------------------===//

void Lowering::emitAllReduce(bool columns, Attribute addr, Attribute len,
                             bool max) {
  int64_t n = columns ? kernelRect.getHeight() : kernelRect.getWidth();
  if (n <= 1)
    return;
  PerPEExpr i = PerPEExpr::var(columns ? emu::ExprVar::RY : emu::ExprVar::RX);
  FlatSymbolRefAttr even = columns ? ch.colEven : ch.rowEven;
  FlatSymbolRefAttr odd = columns ? ch.colOdd : ch.rowOdd;
  FlatSymbolRefAttr back = columns ? ch.colBack : ch.rowBack;
  Attribute buf = E.amem(addr, len);
  Attribute parity = E.val(i % 2);
  // Partial sums flow along two chains (even and odd PEs alternate so that
  // sends and receives pair up), the last PE holds the total and sends it
  // back to every other one.
  auto fromChain =
      [&](function_ref<void(FlatSymbolRefAttr, FlatSymbolRefAttr)> add) {
        E.ifElse(
            Predicate::eq, parity, E.imm(1), nullptr, [&] { add(even, odd); },
            [&] { add(odd, even); });
      };
  // The chain starts at the first PE and its sum comes back to the first
  // PE last, so the first PE's words leave after one branch and every PE
  // but the last ends with the receive (what follows runs as soon as the
  // sum is in).
  E.ifElse(
      Predicate::eq, E.val(i), E.imm(0), nullptr,
      [&] { E.emit<CopyOp>(E.out(even, len), buf); },
      [&] {
        E.ifElse(
            Predicate::eq, E.val(i), E.imm(n - 1), nullptr,
            [&] {
              // The last PE adds what the chain brings (on the chain of the
              // PE before it, whose parity is known) and sends the total
              // back.
              FlatSymbolRefAttr from = (n - 1) % 2 ? even : odd;
              if (max)
                E.emit<MaxOp>(buf, E.in(from, len), buf);
              else
                E.emit<AddOp>(buf, E.in(from, len), buf);
              E.emit<CopyOp>(E.out(back, len), buf);
            },
            [&] {
              // A PE in the middle receives on one chain and sends on the
              // other, adding its own words as they pass.
              fromChain([&](FlatSymbolRefAttr from, FlatSymbolRefAttr to) {
                if (max)
                  E.emit<MaxOp>(E.out(to, len), E.in(from, len), buf);
                else
                  E.emit<AddOp>(E.out(to, len), E.in(from, len), buf);
              });
            });
      });
  E.ifElse(Predicate::ne, E.val(i), E.imm(n - 1), nullptr,
           [&] { E.emit<CopyOp>(buf, E.in(back, len)); });
}

void Lowering::callAllReduce(bool columns, bool rows, Attribute addr,
                             Attribute len, bool max) {
  std::string name = columns && rows ? "allreduce"
                     : columns       ? "allreduce_columns"
                                     : "allreduce_rows";
  if (max)
    name += "_max";
  if (columns || rows)
    E.call(name, {addr, len});
}

void Lowering::emitSubroutine(StringRef name, ArrayRef<RegAttr> params) {
  bool max = name.consume_back("_max");
  if (name != "allreduce_rows")
    emitAllReduce(/*columns=*/true, params[0], params[1], max);
  if (name != "allreduce_columns")
    emitAllReduce(/*columns=*/false, params[0], params[1], max);
}

//===----------------------------------------------------------------------===//
// Program order.
//===----------------------------------------------------------------------===//

Type lowering::peElementType(Type t) {
  if (t.isInteger(1) || t.isF32() || t.isF16() || t.isBF16() ||
      t.isInteger(32) || t.isInteger(64))
    return t;
  return nullptr;
}

/// The values host input `v` may hold, [lo, hi), if every use of it (through
/// reshapes and relayouts) bounds them: an embedding's indices lie in
/// [-rows, rows) (negative ones count from the end, as ONNX's Gather says),
/// a loss's labels in [0, vocabulary).
static std::optional<std::pair<int64_t, int64_t>> declaredRange(Value v) {
  std::optional<std::pair<int64_t, int64_t>> range;
  for (Operation *user : v.getUsers()) {
    std::optional<std::pair<int64_t, int64_t>> r;
    if (auto emb = dyn_cast<wafer::EmbeddingOp>(user);
        emb && emb.getIndices() == v && emb.getTable() != v) {
      int64_t rows =
          cast<RankedTensorType>(emb.getTable().getType()).getShape()[0];
      r = {-rows, rows};
    } else if (auto loss = dyn_cast<wafer::LossOp>(user);
               loss && loss.getLabels() == v && loss.getLogits() != v) {
      r = {
          0,
          cast<RankedTensorType>(loss.getLogits().getType()).getShape().back()};
    } else if (isa<wafer::ReshapeOp, wafer::RelayoutOp>(user)) {
      r = declaredRange(user->getResult(0));
    }
    if (!r)
      return std::nullopt;
    range = range ? std::make_pair(std::max(range->first, r->first),
                                   std::min(range->second, r->second))
                  : *r;
  }
  return range;
}

LogicalResult Lowering::lowerInputs() {
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (type && type.getNumElements() == 0)
      return func.emitError("input ")
             << arg.getArgNumber() << " is zero-sized (" << arg.getType()
             << "); the wafer streams only non-empty tensors";
    // Host inputs are converted to f32 as they are streamed, so an element
    // type the program cannot declare is declared as the nearest one that
    // converts the same way: f64 as f32, narrow integers as i32.
    Type declared = type ? peElementType(type.getElementType()) : Type();
    if (type && !declared) {
      Type et = type.getElementType();
      if (et.isF64())
        declared = Float32Type::get(et.getContext());
      else if (et.isInteger() && et.getIntOrFloatBitWidth() <= 32)
        declared = IntegerType::get(et.getContext(), 32);
    }
    if (!declared)
      return func.emitError("input ")
             << arg.getArgNumber() << " of type " << arg.getType()
             << " cannot be streamed to the wafer";
    std::string hint = "input" + std::to_string(arg.getArgNumber());
    if (auto name =
            func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "onnx.name"))
      hint = name.getValue().str();
    std::string name = tensorName(hint);
    // Token ids and labels: the emulator refuses values outside the table
    // or the vocabulary instead of computing with them.
    DenseI64ArrayAttr range;
    if (std::optional<std::pair<int64_t, int64_t>> r = declaredRange(arg))
      range = moduleBuilder.getDenseI64ArrayAttr({r->first, r->second});
    InputOp::create(moduleBuilder, func.getLoc(), name,
                    RankedTensorType::get(type.getShape(), declared), range);
    const TensorLayout &layout = layoutOf(arg);
    if (streamsIntoBlock(layout))
      tensors[arg].block = streamIntoBlock(E.sym(name), layout, name);
    else
      tensors[arg].full = streamIntoFull(E.sym(name), type.getShape(), name);
  }
  return success();
}

PerPEExpr Lowering::atPort() const {
  std::optional<machine::EdgePort> p = machine.portByName(port);
  return (PerPEExpr::var(emu::ExprVar::RX) == 0) &&
         (PerPEExpr::var(emu::ExprVar::RY) ==
          int64_t(p->row) - kernelRect.getY());
}

bool Lowering::streamOutBlocks(Value v, FlatSymbolRefAttr name,
                               int64_t gatherWords) {
  const TensorLayout &l = layoutOf(v);
  TensorState &s = tensors[v];
  int64_t r = l.rank();
  if (r < 2 || !s.block || s.full || l.x0 != 0 || l.y0 != 0 ||
      l.width != kernelRect.getWidth() || l.height != kernelRect.getHeight() ||
      l.axes[r - 2] != wafer::MeshAxis::X ||
      l.axes[r - 1] != wafer::MeshAxis::Y || l.numElements() <= gatherWords)
    return false;
  for (int64_t d = 0; d < r - 2; ++d)
    if (l.shape[d] != 1)
      return false;
  int64_t T = l.shape[r - 2], V = l.shape[r - 1];
  int64_t bt = l.block[r - 2], bv = l.block[r - 1];
  // Block by block (column-major over the mesh), each summed over the
  // rectangle from its one holder and sent by the PE at the port: no PE
  // holds more than one block of the output. The port writes the blocks of
  // one column of PEs as [row, token, vocab] into the [token, vocab] output;
  // the last column and row of blocks may be shorter.
  int64_t cols = (T + bt - 1) / bt, rows = (V + bv - 1) / bv;
  int64_t lastT = T - (cols - 1) * bt, lastV = V - (rows - 1) * bv;
  MLIRContext *ctx = streamBuilder.getContext();
  auto schedule = [&](int64_t offset, int64_t n, int64_t tokens,
                      int64_t width) {
    StreamOutOp::create(streamBuilder, v.getLoc(), name,
                        getPortByName(ctx, port), ch.outbound,
                        streamBuilder.getI64IntegerAttr(offset),
                        streamBuilder.getDenseI64ArrayAttr({n, tokens, width}),
                        streamBuilder.getDenseI64ArrayAttr({bv, V, 1}));
  };
  for (int64_t c = 0; c < cols; ++c) {
    int64_t tokens = c == cols - 1 ? lastT : bt;
    if (lastV == bv) {
      schedule(c * bt * V, rows, tokens, bv);
      continue;
    }
    if (rows > 1)
      schedule(c * bt * V, rows - 1, tokens, bv);
    schedule(c * bt * V + (rows - 1) * bv, 1, tokens, lastV);
  }
  int64_t words = bt * bv;
  FlatSymbolRefAttr chunk = E.buffer("outblock", words);
  Attribute len = E.imm(words);
  // The port sends the valid part of a block: `tokens` rows of `width`.
  auto send = [&](int64_t tokens, int64_t width) {
    if (width == bv) {
      E.emit<CopyOp>(E.out(ch.outbound, E.imm(tokens * bv)),
                     E.mem(chunk, 0, E.imm(tokens * bv)));
      return;
    }
    E.loop(E.imm(tokens), [&](unsigned t) {
      unsigned at = E.allocReg();
      E.emit<IMulOp>(E.reg(at), E.reg(t), E.imm(bv));
      E.emit<CopyOp>(E.out(ch.outbound, E.imm(width)),
                     E.mem(chunk, E.reg(at), E.imm(width), E.imm(1)));
    });
  };
  // Runs `body(short)` in two variants: on the last `count`-th iteration
  // of `counter` (short = true) and on the others.
  auto lastOr = [&](unsigned counter, int64_t count, bool ragged,
                    function_ref<void(bool)> body) {
    if (!ragged) {
      body(false);
      return;
    }
    E.ifElse(
        Predicate::eq, E.reg(counter), E.imm(count - 1), nullptr,
        [&] { body(true); }, [&] { body(false); });
  };
  E.loop(E.imm(cols), [&](unsigned c) {
    E.loop(E.imm(rows), [&](unsigned rr) {
      E.emit<FillOp>(E.mem(chunk, 0, len), E.f32(0.0f));
      E.ifElse(Predicate::eq, E.reg(c), E.val(PerPEExpr::var(emu::ExprVar::RX)),
               nullptr, [&] {
                 E.ifElse(Predicate::eq, E.reg(rr),
                          E.val(PerPEExpr::var(emu::ExprVar::RY)), nullptr,
                          [&] {
                            E.emit<CopyOp>(E.mem(chunk, 0, len),
                                           E.mem(s.block, 0, len));
                          });
               });
      callAllReduce(/*columns=*/true, /*rows=*/true, E.addr(chunk), len);
      Emitter::Guard port = guard(atPort());
      lastOr(c, cols, lastT != bt, [&](bool lastColumn) {
        lastOr(rr, rows, lastV != bv, [&](bool lastRow) {
          send(lastColumn ? lastT : bt, lastRow ? lastV : bv);
        });
      });
      E.end(port);
    });
  });
  return true;
}

bool Lowering::streamOutColumns(Value v, FlatSymbolRefAttr name) {
  const TensorLayout &l = layoutOf(v);
  TensorState &s = tensors[v];
  if (!s.block || l.x0 != 0 || l.y0 != 0 || l.width != kernelRect.getWidth() ||
      l.height != kernelRect.getHeight())
    return false;
  auto x = llvm::find(l.axes, wafer::MeshAxis::X);
  if (x == l.axes.end())
    return false;
  int64_t dx = x - l.axes.begin();
  // The x-blocks must be contiguous runs of the row-major tensor.
  for (int64_t d = 0; d < dx; ++d)
    if (l.shape[d] != 1)
      return false;
  int64_t bx = l.block[dx], n = l.shape[dx];
  int64_t columns = (n + bx - 1) / bx;
  if (columns < 2)
    return false;
  int64_t rowWords = denseStrides(l.shape)[dx];
  int64_t slabWords = bx * rowWords, lastRows = n - (columns - 1) * bx;
  for (int64_t c = 0; c < columns; ++c) {
    int64_t rows = c + 1 == columns ? lastRows : bx;
    StreamOutOp::create(streamBuilder, v.getLoc(), name,
                        getPortByName(streamBuilder.getContext(), port),
                        ch.outbound,
                        streamBuilder.getI64IntegerAttr(c * bx * rowWords),
                        streamBuilder.getDenseI64ArrayAttr({rows * rowWords}),
                        streamBuilder.getDenseI64ArrayAttr({1}));
  }
  // Every PE gets its column's slab; then column by column, the slab goes
  // along the rows to the port's PE, which sends it.
  View slab = gather(v, /*columns=*/true, /*rows=*/false, dx);
  FlatSymbolRefAttr chunk = E.buffer("outcolumn", slabWords);
  Attribute len = E.imm(slabWords);
  E.loop(E.imm(columns), [&](unsigned c) {
    E.emit<FillOp>(E.mem(chunk, 0, len), E.f32(0.0f));
    E.ifElse(Predicate::eq, E.reg(c), E.val(PerPEExpr::var(emu::ExprVar::RX)),
             nullptr, [&] {
               E.emit<CopyOp>(E.mem(chunk, 0, len), E.mem(slab.buffer, 0, len));
             });
    callAllReduce(/*columns=*/false, /*rows=*/true, E.addr(chunk), len);
    Emitter::Guard atPortOnly = guard(atPort());
    auto send = [&](int64_t rows) {
      E.emit<CopyOp>(E.out(ch.outbound, E.imm(rows * rowWords)),
                     E.mem(chunk, 0, E.imm(rows * rowWords)));
    };
    if (lastRows == bx)
      send(bx);
    else
      E.ifElse(
          Predicate::eq, E.reg(c), E.imm(columns - 1), nullptr,
          [&] { send(lastRows); }, [&] { send(bx); });
    E.end(atPortOnly);
  });
  return true;
}

LogicalResult Lowering::lowerOutputs(Operation *ret) {
  for (auto [i, v] : llvm::enumerate(ret->getOperands())) {
    std::string hint = "output" + std::to_string(i);
    if (auto name = func.getResultAttrOfType<StringAttr>(i, "onnx.name"))
      hint = name.getValue().str();
    if (failed(emitOutput(v, hint, ret, "output " + std::to_string(i))))
      return failure();
  }
  return success();
}

LogicalResult Lowering::emitOutput(Value v, StringRef hint, Operation *at,
                                   StringRef what,
                                   std::optional<int64_t> gatherWords,
                                   FlatSymbolRefAttr gradientOf) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getNumElements() == 0)
    return at->emitError(what)
           << " is zero-sized; the wafer streams only non-empty tensors";
  // The wafer computes in f32 and streams f32 out: other element types
  // leave as their f32 values (integers exact up to 2^24, booleans 0/1).
  Type et = type.getElementType();
  if (!isa<FloatType>(et) && !et.isInteger())
    return at->emitError(what)
           << " is " << et << "; the wafer streams out numbers only";
  std::string name = declareOutput(hint, type, at->getLoc(), gradientOf);
  lastOutput = name;
  if (gatherWords && type.getNumElements() > *gatherWords &&
      streamOutColumns(v, E.sym(name)))
    return success();
  if (streamOutBlocks(v, E.sym(name),
                      gatherWords.value_or(machine.sramWords() / 2)))
    return success();
  View full = needFull(v);
  StreamOutOp::create(streamBuilder, at->getLoc(), E.sym(name),
                      getPortByName(streamBuilder.getContext(), port),
                      ch.outbound, IntegerAttr(), DenseI64ArrayAttr(),
                      DenseI64ArrayAttr());
  // The PE next to the port sends the tensor out.
  Emitter::Guard skip = guard(atPort());
  int64_t words = type.getNumElements();
  E.emit<CopyOp>(E.out(ch.outbound, E.imm(words)),
                 E.mem(full.buffer, 0, E.imm(words)));
  E.end(skip);
  return success();
}

std::string Lowering::declareOutput(StringRef hint, RankedTensorType type,
                                    Location loc,
                                    FlatSymbolRefAttr gradientOf) {
  std::string name = tensorName(hint);
  OutputOp::create(moduleBuilder, loc, name,
                   RankedTensorType::get(type.getShape(),
                                         Float32Type::get(type.getContext())),
                   gradientOf);
  return name;
}

View Lowering::streamConstantFull(StringRef hint, DenseElementsAttr value) {
  auto type = cast<RankedTensorType>(value.getType());
  std::string name = tensorName(hint);
  ParamOp::create(moduleBuilder, E.getLoc(), name, type, StringAttr(),
                  IntegerAttr(), value);
  return streamIntoFull(E.sym(name), type.getShape(), name);
}

LogicalResult Lowering::lowerStream(wafer::StreamOp op) {
  auto paramSym = op->getAttrOfType<StringAttr>("pe.param");
  if (!paramSym)
    return emitError(op) << "its parameter was not declared";
  layoutOf(op.getResult());
  tensors[op.getResult()].pendingStream = op;
  // Read on arrival only by a single linear (as weight) or embedding (as
  // table); a single slice streams only its elements; anything else gets
  // the whole tensor now.
  Value r = op.getResult();
  bool direct = false;
  if (r.hasOneUse()) {
    Operation *user = *r.getUsers().begin();
    if (auto slice = dyn_cast<wafer::SliceOp>(user);
        slice &&
        llvm::all_of(slice.getStrides(), [](int64_t s) { return s > 0; })) {
      auto inType = cast<RankedTensorType>(r.getType());
      auto outType = cast<RankedTensorType>(slice.getResult().getType());
      SmallVector<int64_t> full = denseStrides(inType.getShape());
      int64_t offset = 0;
      SmallVector<int64_t> strides;
      for (auto [d, o, step] :
           llvm::enumerate(slice.getOffsets(), slice.getStrides())) {
        offset += o * full[d];
        strides.push_back(step * full[d]);
      }
      tensors[r].pendingStream = nullptr;
      StreamInOp::create(streamBuilder, E.getLoc(), E.sym(paramSym.getValue()),
                         getPortByName(streamBuilder.getContext(), port),
                         ch.inbound, streamBuilder.getI64IntegerAttr(offset),
                         streamBuilder.getDenseI64ArrayAttr(outType.getShape()),
                         streamBuilder.getDenseI64ArrayAttr(strides));
      int64_t words = outType.getNumElements();
      const TensorLayout &sliced = layoutOf(slice.getResult());
      if (streamsIntoBlock(sliced)) {
        tensors[slice.getResult()].block = receiveIntoBlock(sliced, "slice");
        return success();
      }
      FlatSymbolRefAttr buf = E.buffer("full_slice", words);
      receive(E.mem(buf, 0, E.imm(words)), E.imm(words));
      tensors[slice.getResult()].full =
          View{buf, denseStrides(outType.getShape()), 0};
      return success();
    }
    if (auto lin = dyn_cast<wafer::LinearOp>(user))
      direct =
          lin.getWeight() == r && lin.getInput() != r && lin.getBias() != r;
    if (auto emb = dyn_cast<wafer::EmbeddingOp>(user))
      direct = emb.getTable() == r && emb.getIndices() != r;
  }
  if (!direct && streamsIntoBlock(tensors[r].layout)) {
    tensors[r].pendingStream = nullptr;
    tensors[r].block = streamIntoBlock(E.sym(paramSym.getValue()),
                                       tensors[r].layout, tensorName("w"));
  } else if (!direct) {
    needFull(r);
  }
  return success();
}

LogicalResult Lowering::lowerConstant(wafer::ConstantOp op) {
  auto value = cast<ElementsAttr>(op.getValue());
  auto type = cast<RankedTensorType>(op.getResult().getType());
  layoutOf(op.getResult());
  int64_t words = type.getNumElements();
  TensorState &s = tensors[op.getResult()];
  if (words == 0) {
    // Nothing to stream: an empty tensor has no elements to read.
    s.full = View{E.buffer("empty", 1), denseStrides(type.getShape()), 0};
    return success();
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (dense && dense.isSplat()) {
    float f;
    Type et = dense.getElementType();
    if (isa<FloatType>(et))
      f = dense.getSplatValue<APFloat>().convertToFloat();
    else if (et.isInteger(1))
      f = dense.getSplatValue<bool>() ? 1.0f : 0.0f;
    else
      f = float(dense.getSplatValue<APInt>().getSExtValue());
    FlatSymbolRefAttr buf = E.buffer("const", words);
    E.emit<FillOp>(E.mem(buf, 0, E.imm(words)), E.f32(f));
    s.full = View{buf, denseStrides(type.getShape()), 0};
    return success();
  }
  if (!peElementType(type.getElementType()))
    return emitError(op) << "constant of element type " << type.getElementType()
                         << " has no emulator data type";
  std::string name = tensorName("const" + std::to_string(constantCount++));
  ParamOp::create(moduleBuilder, op.getLoc(), name,
                  RankedTensorType::get(type.getShape(), type.getElementType()),
                  StringAttr(), IntegerAttr(), value);
  if (streamsIntoBlock(s.layout))
    s.block = streamIntoBlock(E.sym(name), s.layout, name);
  else
    s.full = streamIntoFull(E.sym(name), type.getShape(), name);
  return success();
}

LogicalResult Lowering::lowerConstantsReadBy(Operation *op) {
  if (!lazyConstants)
    return success();
  for (Value v : op->getOperands())
    if (auto cst = v.getDefiningOp<wafer::ConstantOp>();
        cst && !deferredConstants.contains(cst) && !hasData(v) &&
        failed(lowerConstant(cst)))
      return failure();
  return success();
}

LogicalResult Lowering::lowerOp(Operation *op) {
  if (failed(lowerConstantsReadBy(op)))
    return failure();
  E.setLoc(op->getLoc());
  ++opIndex;
  // Profiling: `mark N` starts the code of the N-th placed op, numbered as
  // the cost report numbers its rows (constants excluded), so wse-emu's
  // per-mark times give emulated cycles per layer.
  // In a training step an op whose lowering emits no code (a reshape that
  // aliases, a relayout left to its reader) keeps no mark: its number is
  // skipped, and in a layer loop the register advances by the ops since
  // the last mark right before the next one (a training step's code words
  // are what keeps it from fitting a PE).
  SmallVector<Operation *, 2> markCode;
  int64_t skippedBefore = marksSkipped;
  if (marks && isa<wafer::PlacedOp>(op) && !isa<wafer::ConstantOp>(op)) {
    if (markReg && sparseMarks) {
      if (marksSkipped)
        markCode.push_back(E.emit<IAddOp>(E.reg(*markReg), E.reg(*markReg),
                                          E.imm(marksSkipped)));
      markCode.push_back(E.emit<MarkOp>(E.reg(*markReg)));
      marksSkipped = 1;
      ++markIndex;
    } else if (markReg) {
      E.emit<MarkOp>(E.reg(*markReg));
      E.emit<IAddOp>(E.reg(*markReg), E.reg(*markReg), E.imm(1));
      ++markIndex;
    } else {
      markCode.push_back(E.emit<MarkOp>(E.imm(markIndex++)));
    }
  }
  LogicalResult lowered =
      llvm::TypeSwitch<Operation *, LogicalResult>(op)
          .Case([&](wafer::StreamOp o) { return lowerStream(o); })
          .Case([&](wafer::ConstantOp o) { return lowerConstant(o); })
          .Case([&](wafer::ElementwiseOp o) {
            return lowerElementwise(*this, o);
          })
          .Case([&](wafer::LinearOp o) { return lowerLinear(*this, o); })
          .Case([&](wafer::MatmulOp o) { return lowerMatmul(*this, o); })
          .Case([&](wafer::EmbeddingOp o) { return lowerEmbedding(*this, o); })
          .Case<wafer::LayerNormOp, wafer::RMSNormOp>(
              [&](Operation *o) { return lowerNorm(*this, o); })
          .Case([&](wafer::SoftmaxOp o) { return lowerSoftmax(*this, o); })
          .Case([&](wafer::ReduceOp o) { return lowerReduce(*this, o); })
          .Case(
              [&](wafer::CheckpointOp o) { return lowerCheckpoint(*this, o); })
          .Case([&](wafer::LossOp o) { return lowerLoss(*this, o); })
          .Case(
              [&](wafer::StreamOutOp o) { return lowerGradientOut(*this, o); })
          .Case<wafer::ReshapeOp, wafer::TransposeOp, wafer::ConcatOp,
                wafer::SplitOp, wafer::SliceOp, wafer::GatherOp,
                wafer::BroadcastOp, wafer::RelayoutOp>(
              [&](Operation *o) { return lowerMove(*this, o); })
          .Default([&](Operation *o) {
            return o->emitOpError("has no lowering to pe");
          });
  if (sparseMarks && !markCode.empty() && succeeded(lowered) &&
      !markCode.back()->getNextNode()) {
    for (Operation *o : llvm::reverse(markCode))
      o->erase();
    if (markReg)
      marksSkipped = skippedBefore + 1;
  }
  return lowered;
}

LogicalResult Lowering::declareParameters() {
  llvm::StringMap<std::string> names;
  for (auto param : module.getOps<wafer::ParameterOp>()) {
    auto type = cast<RankedTensorType>(param.getType());
    if (!peElementType(type.getElementType()))
      return param.emitError("parameter element type ")
             << type.getElementType() << " has no emulator data type";
    std::string name = tensorName(param.getSymName());
    names[param.getSymName()] = name;
    ParamOp::create(moduleBuilder, param.getLoc(), name, type,
                    moduleBuilder.getStringAttr(param.getFile()),
                    moduleBuilder.getI64IntegerAttr(param.getOffset()),
                    ElementsAttr());
  }
  // Weights streamed in, and gradients streamed out to the weight store,
  // name their pe.param.
  WalkResult walk = func.walk([&](Operation *op) {
    if (!isa<wafer::StreamOp, wafer::StreamOutOp>(op))
      return WalkResult::advance();
    auto it =
        names.find(op->getAttrOfType<FlatSymbolRefAttr>("name").getValue());
    if (it == names.end()) {
      op->emitOpError(isa<wafer::StreamOp>(op)
                          ? "streams an undeclared parameter"
                          : "streams out the gradient of an undeclared "
                            "parameter");
      return WalkResult::interrupt();
    }
    op->setAttr("pe.param", StringAttr::get(op->getContext(), it->second));
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

LogicalResult Lowering::run() {
  if (failed(declareParameters()) || failed(lowerInputs()))
    return failure();
  // The layer loop of a model, or a training step's forward and backward
  // loops (the latter reading what the former keeps per layer).
  std::vector<wafer::LayerLoop> loops;
  if (func->hasAttr(wafer::kTrainingStepAttrName)) {
    lazyConstants = true;
    sparseMarks = true;
    std::string why;
    wafer::gatherLayerInputRelayouts(func);
    FailureOr<std::vector<wafer::LayerLoop>> training =
        wafer::getTrainingLoops(func, why);
    if (succeeded(training))
      loops = std::move(*training);
    else
      emitRemark(func.getLoc())
          << "the training step's code is unrolled over its layers: " << why;
  } else {
    FailureOr<std::optional<wafer::LayerLoop>> loop = wafer::getLayerLoop(func);
    if (failed(loop))
      return failure();
    if (*loop)
      loops.push_back(std::move(**loop));
  }
  SmallVector<Operation *> ops;
  for (Operation &op : func.getBody().front().without_terminator())
    ops.push_back(&op);
  for (const wafer::LayerLoop &loop : loops)
    for (const wafer::LayerLoop::IterationConstant &c : loop.constants)
      for (unsigned i = 0; i < loop.count; ++i)
        deferredConstants.insert(
            loop.at(i, c.op)->getOperand(c.operand).getDefiningOp());
  size_t next = 0;
  for (unsigned i = 0; i < ops.size();) {
    if (next < loops.size() && i == loops[next].first) {
      SmallVector<std::pair<unsigned, unsigned>> save;
      if (next + 1 < loops.size())
        for (const wafer::LayerLoop::Kept &k : loops[next + 1].kept)
          if (!llvm::is_contained(save,
                                  std::make_pair(k.sourceOp, k.sourceResult)))
            save.push_back({k.sourceOp, k.sourceResult});
      if (failed(lowerLayerLoop(loops[next], save)))
        return failure();
      i = loops[next++].end();
      continue;
    }
    bool later = deferredConstants.contains(ops[i]) ||
                 (lazyConstants && isa<wafer::ConstantOp>(ops[i]));
    if (!later && failed(lowerOp(ops[i])))
      return failure();
    ++i;
  }
  Operation *ret = func.getBody().front().getTerminator();
  if (failed(lowerConstantsReadBy(ret)))
    return failure();
  return lowerOutputs(ret);
}

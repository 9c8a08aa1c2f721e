//===- ComputeLowering.cpp - Layers of wafer -> pe ------------------------===//
//
// Every PE computes its own block of the result. Operands whose elements
// live elsewhere are read from their full copies (Lowering::needFull);
// weights of linear layers and embedding tables are read on arrival from the
// inbound multicast, every PE keeping the columns of its block and draining
// the rest.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include <limits>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse;
using namespace wse::pe;
using namespace wse::pe::lowering;

/// Strides that walk the full copy of a tensor of `shape` as if it were
/// broadcast (numpy rules, right-aligned) to `outShape`: 0 along the
/// dimensions it is broadcast over, so one loop nest can read it in step with
/// a tensor of `outShape`.
static SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> shape,
                                             ArrayRef<int64_t> outShape) {
  SmallVector<int64_t> full = denseStrides(shape), result(outShape.size(), 0);
  int64_t shift = int64_t(outShape.size()) - int64_t(shape.size());
  for (int64_t d = 0; d < int64_t(outShape.size()); ++d) {
    int64_t s = d - shift;
    if (s >= 0 && shape[s] != 1)
      result[d] = full[s];
  }
  return result;
}

template <typename T> static SmallVector<T> take(ArrayRef<T> v, size_t n) {
  return SmallVector<T>(v.begin(), v.begin() + n);
}

//===----------------------------------------------------------------------===//
// Elementwise bodies.
//===----------------------------------------------------------------------===//

/// Appends the instructions of one body op: operands are the destination,
/// then the sources, all vectors of length `len`.
using InstrBuilder = void (*)(Emitter &, ArrayRef<Attribute>, Attribute len);
template <typename InstrOp>
static void unary(Emitter &E, ArrayRef<Attribute> o, Attribute) {
  E.emit<InstrOp>(o[0], o[1]);
}
template <typename InstrOp>
static void binary(Emitter &E, ArrayRef<Attribute> o, Attribute) {
  E.emit<InstrOp>(o[0], o[1], o[2]);
}
template <typename InstrOp>
static void ternary(Emitter &E, ArrayRef<Attribute> o, Attribute) {
  E.emit<InstrOp>(o[0], o[1], o[2], o[3]);
}

/// Integer comparisons as exact f32 arithmetic on integer values (|v| <
/// 2^24, as the wafer holds integers): the difference d of two integers is
/// an integer, so min(1, max(0, d)) is 1 exactly when d >= 1.
static Attribute splat(Emitter &E, float v, Attribute len) {
  return E.mem(E.scalarConstant(v), E.imm(0), len, E.imm(0));
}
/// dst = min(1, max(0, dst)).
static void clampUnit(Emitter &E, Attribute dst, Attribute len) {
  E.emit<MaxOp>(dst, dst, splat(E, 0.0f, len));
  E.emit<MinOp>(dst, dst, splat(E, 1.0f, len));
}
/// a < b: clamp(b - a); a <= b: clamp(b - a + 1).
template <bool orEqual, bool swap>
static void lessThan(Emitter &E, ArrayRef<Attribute> o, Attribute len) {
  Attribute a = swap ? o[2] : o[1], b = swap ? o[1] : o[2];
  E.emit<SubOp>(o[0], b, a);
  if (orEqual)
    E.emit<AddOp>(o[0], o[0], splat(E, 1.0f, len));
  clampUnit(E, o[0], len);
}
/// a == b: max(0, 1 - |a - b|); a != b: min(1, |a - b|).
template <bool equal>
static void equalTo(Emitter &E, ArrayRef<Attribute> o, Attribute len) {
  E.emit<SubOp>(o[0], o[1], o[2]);
  E.emit<AbsOp>(o[0], o[0]);
  if (equal) {
    E.emit<SubOp>(o[0], splat(E, 1.0f, len), o[0]);
    E.emit<MaxOp>(o[0], o[0], splat(E, 0.0f, len));
  } else {
    E.emit<MinOp>(o[0], o[0], splat(E, 1.0f, len));
  }
}

static InstrBuilder comparisonFor(arith::CmpIPredicate p) {
  using P = arith::CmpIPredicate;
  switch (p) {
  case P::eq:
    return equalTo<true>;
  case P::ne:
    return equalTo<false>;
  case P::slt:
    return lessThan<false, false>;
  case P::sle:
    return lessThan<true, false>;
  case P::sgt:
    return lessThan<false, true>;
  case P::sge:
    return lessThan<true, true>;
  default: // unsigned: values are held as signed f32
    return nullptr;
  }
}

/// The instruction computing an op of an elementwise body, or null.
static InstrBuilder instructionFor(Operation *op) {
  return llvm::TypeSwitch<Operation *, InstrBuilder>(op)
      .Case([](arith::AddFOp) { return binary<AddOp>; })
      .Case([](arith::SubFOp) { return binary<SubOp>; })
      .Case([](arith::MulFOp) { return binary<MulOp>; })
      .Case([](arith::DivFOp) { return binary<DivOp>; })
      .Case<arith::MaximumFOp, arith::MaxNumFOp>(
          [](Operation *) { return binary<MaxOp>; })
      .Case<arith::MinimumFOp, arith::MinNumFOp>(
          [](Operation *) { return binary<MinOp>; })
      .Case([](arith::NegFOp) { return unary<NegOp>; })
      .Case([](arith::SelectOp) { return ternary<SelectOp>; })
      .Case([](math::ExpOp) { return unary<ExpOp>; })
      .Case([](math::TanhOp) { return unary<TanhOp>; })
      .Case([](math::ErfOp) { return unary<ErfOp>; })
      .Case([](math::SqrtOp) { return unary<SqrtOp>; })
      .Case([](math::RsqrtOp) { return unary<RsqrtOp>; })
      .Case([](math::AbsFOp) { return unary<AbsOp>; })
      .Case([](math::LogOp) { return unary<LogOp>; })
      .Case([](math::FmaOp) { return ternary<FmaOp>; })
      .Case([](arith::CmpIOp c) { return comparisonFor(c.getPredicate()); })
      // Integer arithmetic on integer-valued f32 is exact below 2^24 (the
      // wafer's integer range; e.g. a training step's label shifts).
      .Case([](arith::AddIOp) { return binary<AddOp>; })
      .Case([](arith::SubIOp) { return binary<SubOp>; })
      .Case([](arith::MulIOp) { return binary<MulOp>; })
      // Integer-valued floats convert exactly; the wafer computes in f32.
      .Case<arith::SIToFPOp, arith::UIToFPOp, arith::ExtFOp>(
          [](Operation *) { return unary<CopyOp>; })
      .Default([](Operation *) { return InstrBuilder(); });
}

LogicalResult wse::pe::lowering::lowerElementwise(Lowering &L,
                                                  wafer::ElementwiseOp op) {
  Emitter &E = L.E;
  Block &body = op.getBody().front();
  for (Operation &b : body.without_terminator()) {
    if (isa<arith::ConstantOp>(b))
      continue;
    if (auto c = dyn_cast<arith::CmpIOp>(b);
        c && !comparisonFor(c.getPredicate()))
      return L.emitError(op) << "body op 'arith.cmpi' compares unsigned ("
                             << arith::stringifyCmpIPredicate(c.getPredicate())
                             << "); the wafer holds integers as signed f32";
    if (!instructionFor(&b))
      return L.emitError(op)
             << "body op '" << b.getName() << "' has no pe instruction";
    if (!b.getResult(0).getType().isIntOrFloat() ||
        (!isa<FloatType>(b.getResult(0).getType()) &&
         !isa<arith::SelectOp, arith::CmpIOp, arith::AddIOp, arith::SubIOp,
              arith::MulIOp>(b)))
      return L.emitError(op) << "body op '" << b.getName()
                             << "' computes integers; the wafer computes f32";
  }
  for (Operation &b : body.without_terminator())
    if (auto c = dyn_cast<arith::ConstantOp>(b);
        c && !isa<FloatAttr>(c.getValue()) && !isa<IntegerAttr>(c.getValue()))
      return L.emitError(op)
             << "body constant " << c.getValue() << " is not a scalar";

  Value res = op.getResult();
  TensorLayout lo = L.layoutOf(res);
  SmallVector<Pointer> ptrs;
  SmallVector<FlatSymbolRefAttr> bufs;
  for (Value in : op.getInputs()) {
    auto t = cast<RankedTensorType>(in.getType());
    // A same-shape operand in another layout is cut into the result's
    // blocks (its gathered copy can die right away) unless a block is the
    // whole tensor anyway; then it is read straight from the copy.
    bool wholeBlock =
        ArrayRef<int64_t>(lo.block) == ArrayRef<int64_t>(lo.shape);
    if (L.hasBlockIn(in, lo) ||
        (t.getShape() == ArrayRef<int64_t>(lo.shape) && !wholeBlock)) {
      bufs.push_back(L.needBlock(in, lo));
      ptrs.push_back({E.imm(0), lo.blockStrides()});
    } else {
      // Broadcast: result dimension d reads operand dimension d - shift.
      int64_t shift = lo.rank() - t.getRank();
      SmallVector<int64_t> dimMap;
      for (int64_t d = 0; d < t.getRank(); ++d)
        dimMap.push_back(t.getShape()[d] == lo.shape[d + shift] ? d + shift
                                                                : -1);
      View view = L.readView(in, lo, dimMap);
      SmallVector<int64_t> st(lo.rank(), 0);
      for (int64_t d = 0; d < t.getRank(); ++d)
        if (t.getShape()[d] != 1)
          st[d + shift] = view.strides[d];
      bufs.push_back(view.buffer);
      ptrs.push_back({E.val(view.base + dotOffsets(lo.offset, st)), st});
    }
  }
  // When the result's block is the whole tensor, compute it into the full
  // copy of an operand read nowhere else (saves a tensor of SRAM).
  FlatSymbolRefAttr out;
  for (Value in : op.getInputs())
    if (!out && !L.hasBlockIn(in, lo))
      out = L.reuseFullAsBlock(res, in);
  if (!out)
    out = L.defineBlock(res);
  bufs.push_back(out);
  ptrs.push_back({E.imm(0), lo.blockStrides()});

  // Temporaries for body values not written straight into the result:
  // vectors of at most kChunk elements, and a slot is reused once its value
  // is dead (instructions work element by element, so a result may
  // overwrite an operand of the same instruction).
  constexpr int64_t kChunk = 256;
  Operation *yield = body.getTerminator();
  Value yielded = yield->getOperand(0);
  Operation *last = yielded.getDefiningOp();
  bool writeDirect =
      last && !isa<arith::ConstantOp>(last) && yielded.hasOneUse();
  int64_t words = Emitter::longestVector(lo.extent, lo.block, ptrs, kChunk);
  DenseMap<Operation *, unsigned> position;
  for (Operation &b : body.without_terminator())
    position[&b] = position.size();
  auto lastUse = [&](Value v) {
    unsigned at = 0;
    for (Operation *u : v.getUsers())
      at = std::max(at, u == yield ? unsigned(position.size()) : position[u]);
    return at;
  };
  DenseMap<Value, FlatSymbolRefAttr> temps;
  SmallVector<std::pair<FlatSymbolRefAttr, unsigned>> slots; // slot, busy until
  for (Operation &b : body.without_terminator()) {
    if (isa<arith::ConstantOp>(b) || (writeDirect && &b == last))
      continue;
    unsigned here = position[&b];
    FlatSymbolRefAttr slot;
    for (auto &[buf, until] : slots)
      if (until <= here) {
        slot = buf;
        until = lastUse(b.getResult(0));
        break;
      }
    if (!slot) {
      slot = E.buffer("tmp", words);
      slots.push_back({slot, lastUse(b.getResult(0))});
    }
    temps[b.getResult(0)] = slot;
  }

  Emitter::Guard skip = L.guard(lo.holds);
  E.nest(
      lo.extent, ptrs,
      [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
        auto desc = [&](Value v) -> Attribute {
          if (auto arg = dyn_cast<BlockArgument>(v)) {
            unsigned i = arg.getArgNumber();
            return E.mem(bufs[i], off[i], len, E.imm(st[i]));
          }
          if (auto c = v.getDefiningOp<arith::ConstantOp>()) {
            float f = 0;
            if (auto fa = dyn_cast<FloatAttr>(c.getValue()))
              f = fa.getValueAsDouble();
            else
              f = float(cast<IntegerAttr>(c.getValue()).getInt());
            return E.mem(E.scalarConstant(f), E.imm(0), len, E.imm(0));
          }
          return E.mem(temps.lookup(v), E.imm(0), len, E.imm(1));
        };
        Attribute outDesc = E.mem(out, off.back(), len, E.imm(st.back()));
        for (Operation &b : body.without_terminator()) {
          if (isa<arith::ConstantOp>(b))
            continue;
          SmallVector<Attribute> operands;
          operands.push_back(writeDirect && &b == last ? outDesc
                                                       : desc(b.getResult(0)));
          for (Value v : b.getOperands())
            operands.push_back(desc(v));
          instructionFor (&b)(E, operands, len);
        }
        if (!writeDirect)
          E.emit<CopyOp>(outDesc, desc(yielded));
      },
      /*vectorInner=*/true, kChunk);
  E.end(skip);
  return success();
}

//===----------------------------------------------------------------------===//
// Linear layers and embeddings: weights read on arrival.
//===----------------------------------------------------------------------===//

/// A register holding row * rowLength + start: where a row's segment of a
/// weight held whole (not streamed) begins.
static unsigned rowOffset(Emitter &E, unsigned row, int64_t rowLength,
                          Attribute start) {
  unsigned r = E.allocReg();
  E.emit<IMulOp>(E.reg(r), E.reg(row), E.imm(rowLength));
  E.emit<IAddOp>(E.reg(r), E.reg(r), start);
  return r;
}

LogicalResult wse::pe::lowering::lowerLinear(Lowering &L, wafer::LinearOp op) {
  Emitter &E = L.E;
  Value res = op.getResult();
  TensorLayout lo = L.layoutOf(res);
  auto xType = cast<RankedTensorType>(op.getInput().getType());
  int64_t r = lo.rank();
  int64_t K = xType.getShape().back(), N = lo.shape.back();
  bool transposed = op.getTransposeWeight();

  // Input rows whose column slab (T/width rows x K) is larger than the
  // budget are gathered in chunks of K as the weight rows arrive.
  const TensorLayout &il = L.layoutOf(op.getInput());
  int64_t slabWords =
      il.rank() >= 2 && il.axes[r - 2] == wafer::MeshAxis::X
          ? product(il.shape) / il.shape[r - 2] * il.block[r - 2]
          : 0;
  bool chunked = !transposed && slabWords > L.slabBudget() &&
                 L.hasBlockIn(op.getInput(), il) && il.sameRectAs(lo) &&
                 lo.axes[r - 2] == wafer::MeshAxis::X &&
                 lo.block[r - 2] == il.block[r - 2] &&
                 il.axes[r - 1] != wafer::MeshAxis::X;
  SmallVector<int64_t> xMap;
  for (int64_t d = 0; d < r; ++d)
    xMap.push_back(d < r - 1 ? d : -1);
  View xv = chunked ? View{} : L.readView(op.getInput(), lo, xMap);
  FlatSymbolRefAttr xf = xv.buffer;
  std::optional<View> bv;
  if (op.getBias())
    bv = L.needFull(op.getBias());
  FlatSymbolRefAttr bf = bv ? bv->buffer : nullptr;
  // The weight's rows reach each PE by its stream band: the band's columns
  // of weight[k, :], or the band's rows weight[n, :].
  std::optional<Lowering::RowStream> rowStream = L.takeRowStream(
      op.getWeight(), lo, r - 1,
      transposed ? Lowering::RowsMeet::Across : Lowering::RowsMeet::Along);
  bool streamed = bool(rowStream);
  FlatSymbolRefAttr wf = streamed ? nullptr : L.needFull(op.getWeight()).buffer;
  FlatSymbolRefAttr out = L.defineBlock(res);

  SmallVector<int64_t> bs = lo.blockStrides();
  SmallVector<PerPEExpr> leadExt = take<PerPEExpr>(lo.extent, r - 1);
  SmallVector<int64_t> bsLead = take<int64_t>(bs, r - 1);
  PerPEExpr n0 = lo.offset[r - 1], en = lo.extent[r - 1];
  Attribute n0v = E.val(n0), env = E.val(en);
  // Where x[lead..., k0] is in view `v` for the PE's first lead element.
  auto baseOf = [&](const View &v, int64_t k0) {
    return E.val(v.base +
                 dotOffsets(take<PerPEExpr>(lo.offset, r - 1),
                            take<int64_t>(v.strides, r - 1)) +
                 PerPEExpr(k0) * v.strides[r - 1]);
  };
  SmallVector<int64_t> xsLead =
      chunked ? SmallVector<int64_t>() : take<int64_t>(xv.strides, r - 1);
  Attribute xbase = chunked ? Attribute() : baseOf(xv, 0);

  // Start from the bias (or zero).
  Emitter::Guard skip = L.guard(lo.holds);
  if (bf) {
    SmallVector<int64_t> biasStrides(r, 0);
    biasStrides[r - 1] = 1;
    E.nest(lo.extent, {Pointer{E.imm(0), bs}, Pointer{n0v, biasStrides}},
           [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
             E.emit<CopyOp>(E.mem(out, off[0], len, E.imm(st[0])),
                            E.mem(bf, off[1], len, E.imm(st[1])));
           });
  } else {
    E.emit<FillOp>(E.mem(out, 0, E.imm(lo.blockWords())), E.f32(0.0f));
  }
  E.end(skip);

  if (!transposed) {
    // weight[k, :] arrives row by row: out[row, :] += x[row, k] * w[k, n0:].
    FlatSymbolRefAttr wrow =
        streamed ? E.buffer("wrow", lo.block[r - 1]) : nullptr;
    // Rows [k0, k0 + count) of the weight against x read from `x` at
    // `base` + k - k0 (x's k stride is 1 in every view taken here).
    auto rowsOf = [&](int64_t k0, int64_t count, FlatSymbolRefAttr x,
                      Attribute base, ArrayRef<int64_t> lead) {
      E.loop(E.imm(count), [&](unsigned k) {
        unsigned wreg = 0;
        if (streamed) {
          L.receiveRowSegment(*rowStream, wrow, n0, en);
        } else {
          unsigned kk = E.allocReg();
          E.emit<IAddOp>(E.reg(kk), E.reg(k), E.imm(k0));
          wreg = rowOffset(E, kk, N, n0v);
        }
        Emitter::Guard skipK = L.guard(lo.holds);
        unsigned xr = E.allocReg();
        E.emit<IAddOp>(E.reg(xr), E.reg(k), base);
        E.nest(
            leadExt,
            {Pointer{E.imm(0), bsLead},
             Pointer{E.reg(xr), SmallVector<int64_t>(lead)}},
            [&](ArrayRef<Attribute> off, Attribute, ArrayRef<int64_t>) {
              Attribute w = streamed ? E.mem(wrow, E.imm(0), env, E.imm(1))
                                     : E.mem(wf, E.reg(wreg), env, E.imm(1));
              E.emit<FmacOp>(E.mem(out, off[0], env, E.imm(1)), w,
                             E.mem(x, off[1], env, E.imm(0)));
            },
            /*vectorInner=*/false);
        E.end(skipK);
      });
    };
    if (!chunked) {
      rowsOf(0, K, xf, xbase, xsLead);
      return success();
    }
    int64_t chunk = std::max<int64_t>(1, L.slabBudget() / (slabWords / K));
    for (int64_t k0 = 0; k0 < K; k0 += chunk) {
      int64_t k1 = std::min(K, k0 + chunk);
      View cv = L.columnChunk(op.getInput(), r - 1, k0, k1);
      rowsOf(k0, k1 - k0, cv.buffer, baseOf(cv, k0),
             take<int64_t>(cv.strides, r - 1));
    }
    return success();
  }

  // weight[n, :] arrives row by row and holds every weight of output column
  // n, so only the PEs whose block has column n use it (the dot product of
  // x[row, :] and w[n, :] into out[row, n - n0]); the others skip it,
  // draining it from the stream.
  FlatSymbolRefAttr wrow = streamed ? E.buffer("wrow", K) : nullptr;
  FlatSymbolRefAttr prod = E.buffer("prod", K);
  // The rows [base, base + count) arrive (those of the PE's stream band):
  // row n of them is weight row n + base.
  PerPEExpr base = streamed ? rowStream->base : PerPEExpr(0);
  Attribute count = streamed ? E.val(rowStream->length) : E.imm(N);
  Attribute first = E.val(n0 - base), end = E.val(n0 + en - base);
  E.loop(count, [&](unsigned n) {
    auto inside = [&] {
      unsigned wreg = 0;
      if (streamed) {
        L.receive(E.mem(wrow, 0, E.imm(K)), E.imm(K), rowStream->channel);
      } else {
        wreg = E.allocReg();
        E.emit<IMulOp>(E.reg(wreg), E.reg(n), E.imm(K));
      }
      Emitter::Guard skipN = L.guard(lo.holds);
      unsigned col = E.allocReg();
      E.emit<ISubOp>(E.reg(col), E.reg(n), first);
      E.nest(
          leadExt, {Pointer{E.reg(col), bsLead}, Pointer{xbase, xsLead}},
          [&](ArrayRef<Attribute> off, Attribute, ArrayRef<int64_t>) {
            Attribute w = streamed ? E.mem(wrow, 0, E.imm(K))
                                   : E.mem(wf, E.reg(wreg), E.imm(K), E.imm(1));
            E.emit<MulOp>(E.mem(prod, 0, E.imm(K)), w,
                          E.mem(xf, off[1], E.imm(K), E.imm(1)));
            E.emit<RSumOp>(E.mem(out, off[0], E.imm(1), E.imm(1)),
                           E.mem(prod, 0, E.imm(K)));
          },
          /*vectorInner=*/false);
      E.end(skipN);
    };
    auto outside = [&] {
      if (streamed)
        L.drain(E.imm(K), rowStream->channel);
    };
    E.ifElse(Predicate::in, E.reg(n), first, end, inside, outside);
  });
  // rsum overwrote the bias: add it back.
  if (bf) {
    Emitter::Guard skipB = L.guard(lo.holds);
    SmallVector<int64_t> biasStrides(r, 0);
    biasStrides[r - 1] = 1;
    E.nest(lo.extent, {Pointer{E.imm(0), bs}, Pointer{n0v, biasStrides}},
           [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
             E.emit<AddOp>(E.mem(out, off[0], len, E.imm(st[0])),
                           E.mem(out, off[0], len, E.imm(st[0])),
                           E.mem(bf, off[1], len, E.imm(st[1])));
           });
    E.end(skipB);
  }
  return success();
}

LogicalResult wse::pe::lowering::lowerEmbedding(Lowering &L,
                                                wafer::EmbeddingOp op) {
  Emitter &E = L.E;
  Value res = op.getResult();
  TensorLayout lo = L.layoutOf(res);
  auto tableType = cast<RankedTensorType>(op.getTable().getType());
  auto idType = cast<RankedTensorType>(op.getIndices().getType());
  if (tableType.getRank() != 2)
    return L.emitError(op) << "the table must be [rows, width]";
  int64_t V = tableType.getShape()[0], D = tableType.getShape()[1];
  int64_t r = lo.rank();

  FlatSymbolRefAttr ids = L.needFull(op.getIndices()).buffer;
  std::optional<Lowering::RowStream> rowStream =
      L.takeRowStream(op.getTable(), lo, r - 1);
  bool streamed = bool(rowStream);
  FlatSymbolRefAttr tf = streamed ? nullptr : L.needFull(op.getTable()).buffer;
  FlatSymbolRefAttr out = L.defineBlock(res);

  SmallVector<int64_t> leadBlock = take<int64_t>(lo.block, r - 1);
  SmallVector<int64_t> leadStrides = denseStrides(leadBlock);
  int64_t rows = 1;
  for (int64_t b : leadBlock)
    rows *= b;
  SmallVector<int64_t> bsLead = take<int64_t>(lo.blockStrides(), r - 1);
  SmallVector<int64_t> idStrides = denseStrides(idType.getShape());
  SmallVector<PerPEExpr> leadExt = take<PerPEExpr>(lo.extent, r - 1);
  PerPEExpr d0 = lo.offset[r - 1], ed = lo.extent[r - 1];
  Attribute d0v = E.val(d0), edv = E.val(ed);

  // The PE's token ids in block order (-1 where the block is ragged), so
  // each arriving table row becomes one one-hot weight per token.
  FlatSymbolRefAttr local = E.buffer("ids", rows);
  FlatSymbolRefAttr onehot = E.buffer("onehot", rows);
  FlatSymbolRefAttr row = E.buffer("vrow", 1);
  FlatSymbolRefAttr wrow =
      streamed ? E.buffer("wrow", lo.block[r - 1]) : nullptr;
  Emitter::Guard skip = L.guard(lo.holds);
  E.emit<FillOp>(E.mem(out, 0, E.imm(lo.blockWords())), E.f32(0.0f));
  // Past a ragged block's end: an id no row matches, before or after the
  // negative ids are moved up by V below.
  E.emit<FillOp>(E.mem(local, 0, E.imm(rows)), E.f32(float(-V - 1)));
  E.nest(
      leadExt,
      {Pointer{E.imm(0), leadStrides},
       Pointer{E.val(dotOffsets(take<PerPEExpr>(lo.offset, r - 1), idStrides)),
               idStrides}},
      [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
        E.emit<CopyOp>(E.mem(local, off[0], len, E.imm(st[0])),
                       E.mem(ids, off[1], len, E.imm(st[1])));
      });
  Attribute rowsV = E.imm(rows);
  Attribute one = E.mem(E.scalarConstant(1.0f), E.imm(0), rowsV, E.imm(0));
  Attribute zero = E.mem(E.scalarConstant(0.0f), E.imm(0), rowsV, E.imm(0));
  Attribute oh = E.mem(onehot, 0, rowsV);
  // Negative ids count from the end (ONNX Gather): id += V * min(1,
  // max(0, -id)), which is V exactly for the integer ids below 0.
  Attribute ids0 = E.mem(local, 0, rowsV);
  E.emit<NegOp>(oh, ids0);
  E.emit<MaxOp>(oh, oh, zero);
  E.emit<MinOp>(oh, oh, one);
  E.emit<FmaOp>(ids0, oh,
                E.mem(E.scalarConstant(float(V)), E.imm(0), rowsV, E.imm(0)),
                ids0);
  E.end(skip);

  E.loop(E.imm(V), [&](unsigned v) {
    unsigned wreg = 0;
    if (streamed)
      L.receiveRowSegment(*rowStream, wrow, d0, ed);
    else
      wreg = rowOffset(E, v, D, d0v);
    Emitter::Guard skipV = L.guard(lo.holds);
    // onehot = max(0, 1 - |id - v|): exact for integer ids.
    E.emit<IFillOp>(E.mem(row, 0, E.imm(1)), E.reg(v));
    E.emit<SubOp>(oh, E.mem(local, 0, rowsV),
                  E.mem(row, E.imm(0), rowsV, E.imm(0)));
    E.emit<AbsOp>(oh, oh);
    E.emit<SubOp>(oh, one, oh);
    E.emit<MaxOp>(oh, oh, zero);
    E.nest(
        leadExt, {Pointer{E.imm(0), bsLead}, Pointer{E.imm(0), leadStrides}},
        [&](ArrayRef<Attribute> off, Attribute, ArrayRef<int64_t>) {
          Attribute w = streamed ? E.mem(wrow, E.imm(0), edv, E.imm(1))
                                 : E.mem(tf, E.reg(wreg), edv, E.imm(1));
          E.emit<FmacOp>(E.mem(out, off[0], edv, E.imm(1)), w,
                         E.mem(onehot, off[1], edv, E.imm(0)));
        },
        /*vectorInner=*/false);
    E.end(skipV);
  });
  return success();
}

//===----------------------------------------------------------------------===//
// Normalizations, softmax and reductions over full rows.
//===----------------------------------------------------------------------===//

static LogicalResult lowerDistributedNorm(Lowering &L, Operation *op,
                                          float eps);

LogicalResult wse::pe::lowering::lowerNorm(Lowering &L, Operation *op) {
  Emitter &E = L.E;
  auto layer = dyn_cast<wafer::LayerNormOp>(op);
  auto rms = dyn_cast<wafer::RMSNormOp>(op);
  Value x = op->getOperand(0), scale = op->getOperand(1);
  Value bias = layer ? layer.getBias() : Value();
  int64_t axis = layer ? layer.getAxis() : rms.getAxis();
  float eps = (layer ? layer.getEpsilon() : rms.getEpsilon()).convertToFloat();
  Value res = op->getResult(0);
  TensorLayout lo = L.layoutOf(res);
  int64_t r = lo.rank();
  if (axis < 0)
    axis += r;
  if (axis < 0 || axis >= r)
    return L.emitError(op) << "axis out of range";
  if (axis == r - 1 && lo.axes[axis] != wafer::MeshAxis::None &&
      L.hasBlockIn(x, lo))
    return lowerDistributedNorm(L, op, eps);
  SmallVector<int64_t> tailShape(lo.shape.begin() + axis, lo.shape.end());
  int64_t n = 1;
  for (int64_t d : tailShape)
    n *= d;

  SmallVector<int64_t> xMap;
  for (int64_t d = 0; d < r; ++d)
    xMap.push_back(d < axis ? d : -1);
  View xv = L.readView(x, lo, xMap);
  FlatSymbolRefAttr xf = xv.buffer;
  FlatSymbolRefAttr sf = L.needFull(scale).buffer;
  FlatSymbolRefAttr bf = bias ? L.needFull(bias).buffer : nullptr;
  FlatSymbolRefAttr out = L.defineBlock(res);
  FlatSymbolRefAttr t = E.buffer("centered", n), sq = E.buffer("sq", n);
  FlatSymbolRefAttr stat = E.buffer("stat", 1);

  SmallVector<int64_t> xs = xv.strides, bs = lo.blockStrides();
  SmallVector<int64_t> ts = denseStrides(tailShape);
  auto tailOf = [&](Value v) {
    return broadcastStrides(cast<RankedTensorType>(v.getType()).getShape(),
                            tailShape);
  };
  SmallVector<PerPEExpr> tailOff(lo.offset.begin() + axis, lo.offset.end());
  SmallVector<PerPEExpr> tailExt(lo.extent.begin() + axis, lo.extent.end());
  SmallVector<int64_t> bsTail(bs.begin() + axis, bs.end());
  SmallVector<int64_t> sTail = tailOf(scale);
  SmallVector<int64_t> bTail =
      bias ? tailOf(bias) : SmallVector<int64_t>(ts.size(), 0);

  Attribute N = E.imm(n);
  Attribute one = E.mem(stat, 0, E.imm(1));
  Attribute statN = E.mem(stat, E.imm(0), N, E.imm(0));
  Attribute count = E.mem(E.scalarConstant(float(n)), 0, E.imm(1));
  Attribute epsD = E.mem(E.scalarConstant(eps), 0, E.imm(1));
  Attribute tN = E.mem(t, 0, N), sqN = E.mem(sq, 0, N);

  Emitter::Guard skip = L.guard(lo.holds);
  E.nest(
      take<PerPEExpr>(lo.extent, axis),
      {Pointer{E.imm(0), take<int64_t>(bs, axis)},
       Pointer{E.val(xv.base + dotOffsets(take<PerPEExpr>(lo.offset, axis),
                                          take<int64_t>(xs, axis))),
               take<int64_t>(xs, axis)}},
      [&](ArrayRef<Attribute> off, Attribute, ArrayRef<int64_t>) {
        Attribute row = E.mem(xf, off[1], N, E.imm(1));
        if (layer) {
          E.emit<RSumOp>(one, row);
          E.emit<DivOp>(one, one, count);
          E.emit<SubOp>(tN, row, statN);
          E.emit<MulOp>(sqN, tN, tN);
        } else {
          E.emit<CopyOp>(tN, row);
          E.emit<MulOp>(sqN, row, row);
        }
        E.emit<RSumOp>(one, sqN);
        E.emit<DivOp>(one, one, count);
        E.emit<AddOp>(one, one, epsD);
        E.emit<SqrtOp>(one, one);
        E.emit<RecipOp>(one, one);
        E.emit<MulOp>(tN, tN, statN);
        SmallVector<Pointer> ptrs = {
            Pointer{off[0], bsTail},
            Pointer{E.val(dotOffsets(tailOff, ts)), ts},
            Pointer{E.val(dotOffsets(tailOff, sTail)), sTail},
            Pointer{E.val(dotOffsets(tailOff, bTail)), bTail}};
        E.nest(tailExt, ptrs,
               [&](ArrayRef<Attribute> o, Attribute len, ArrayRef<int64_t> st) {
                 Attribute dst = E.mem(out, o[0], len, E.imm(st[0]));
                 E.emit<MulOp>(dst, E.mem(t, o[1], len, E.imm(st[1])),
                               E.mem(sf, o[2], len, E.imm(st[2])));
                 if (bf)
                   E.emit<AddOp>(dst, dst, E.mem(bf, o[3], len, E.imm(st[3])));
               });
      },
      /*vectorInner=*/false);
  E.end(skip);
  return success();
}

namespace {
/// The rows of a block along a distributed dimension `axis`: each PE holds
/// a segment of every row, and per-row statistics (one word per row) are
/// all-reduced across the PEs that share the row, so no PE holds a whole
/// row.
struct RowSegments {
  RowSegments(Lowering &L, const TensorLayout &lo, int64_t axis)
      : L(L), E(L.E), lo(lo), overRows(lo.axes[axis] == wafer::MeshAxis::Y) {
    SmallVector<int64_t> statShape(lo.block.begin(), lo.block.end());
    statShape[axis] = 1;
    ss = denseStrides(statShape);
    bs = lo.blockStrides();
    words = product(statShape);
    ext = lo.extent;
    ext[axis] = 1;
    ea = E.val(lo.extent[axis]);
    step = E.imm(bs[axis]);
    n = lo.shape[axis];
  }
  /// A buffer of one statistic per row, filled with `init` on every PE.
  FlatSymbolRefAttr stats(StringRef hint, float init) {
    FlatSymbolRefAttr buf = E.buffer(hint, words);
    E.emit<FillOp>(E.mem(buf, 0, E.imm(words)), E.f32(init));
    return buf;
  }
  /// Runs `body(stat offset, block offset)` once per row of the block.
  void each(function_ref<void(Attribute, Attribute)> body) {
    Emitter::Guard skip = L.guard(lo.holds);
    E.nest(
        ext, {Pointer{E.imm(0), ss}, Pointer{E.imm(0), bs}},
        [&](ArrayRef<Attribute> o, Attribute, ArrayRef<int64_t>) {
          body(o[0], o[1]);
        },
        /*vectorInner=*/false);
    E.end(skip);
  }
  /// The PE's segment of a row of `buf` (a block in `lo`'s layout).
  Attribute row(FlatSymbolRefAttr buf, Attribute at) {
    return E.mem(buf, at, ea, step);
  }
  /// A row's statistic, repeated along the segment.
  Attribute stat(FlatSymbolRefAttr buf, Attribute at) {
    return E.mem(buf, at, ea, E.imm(0));
  }
  /// The statistic's word itself.
  Attribute word(FlatSymbolRefAttr buf, Attribute at) {
    return E.mem(buf, at, E.imm(1), E.imm(1));
  }
  /// Combines the statistics of the PEs sharing each row.
  void allReduce(FlatSymbolRefAttr buf, bool max = false) {
    L.callAllReduce(overRows, !overRows, E.addr(buf), E.imm(words), max);
  }
  /// Applies `Instr(stat, stat, f)` to every statistic.
  template <typename Instr> void apply(FlatSymbolRefAttr buf, float f) {
    Attribute all = E.mem(buf, 0, E.imm(words));
    E.emit<Instr>(all, all,
                  E.mem(E.scalarConstant(f), E.imm(0), E.imm(words), E.imm(0)));
  }

  Lowering &L;
  Emitter &E;
  const TensorLayout &lo;
  bool overRows;
  SmallVector<int64_t> ss, bs;
  SmallVector<PerPEExpr> ext;
  int64_t words, n;
  Attribute ea, step;
};
} // namespace

/// Softmax along a distributed dimension: the row max, then the sum of
/// exponentials, all-reduced across the PEs sharing each row.
static LogicalResult lowerDistributedSoftmax(Lowering &L, wafer::SoftmaxOp op,
                                             int64_t axis) {
  Emitter &E = L.E;
  Value res = op.getResult();
  TensorLayout lo = L.layoutOf(res);
  FlatSymbolRefAttr x = L.needBlock(op.getInput(), lo);
  FlatSymbolRefAttr out = L.defineBlock(res);
  RowSegments rows(L, lo, axis);
  FlatSymbolRefAttr mx =
      rows.stats("rowmax", -std::numeric_limits<float>::max());
  FlatSymbolRefAttr sum = rows.stats("rowsum", 0.0f);
  rows.each([&](Attribute s, Attribute b) {
    E.emit<RMaxOp>(rows.word(mx, s), rows.row(x, b));
  });
  rows.allReduce(mx, /*max=*/true);
  rows.each([&](Attribute s, Attribute b) {
    E.emit<SubOp>(rows.row(out, b), rows.row(x, b), rows.stat(mx, s));
    E.emit<ExpOp>(rows.row(out, b), rows.row(out, b));
    E.emit<RSumOp>(rows.word(sum, s), rows.row(out, b));
  });
  rows.allReduce(sum);
  Attribute all = E.imm(rows.words);
  if (op.getLog())
    E.emit<LogOp>(E.mem(sum, 0, all), E.mem(sum, 0, all));
  rows.each([&](Attribute s, Attribute b) {
    if (op.getLog()) {
      E.emit<SubOp>(rows.row(out, b), rows.row(x, b), rows.stat(mx, s));
      E.emit<SubOp>(rows.row(out, b), rows.row(out, b), rows.stat(sum, s));
    } else {
      E.emit<DivOp>(rows.row(out, b), rows.row(out, b), rows.stat(sum, s));
    }
  });
  return success();
}

/// Layer or RMS norm over a distributed last dimension: the row sums (of
/// the values, then of the centered squares) all-reduced across the PEs
/// sharing each row, in the reference's order of operations; the scale and
/// bias read where they line up with the PE's segment.
static LogicalResult lowerDistributedNorm(Lowering &L, Operation *op,
                                          float eps) {
  Emitter &E = L.E;
  bool layer = isa<wafer::LayerNormOp>(op);
  Value res = op->getResult(0), scale = op->getOperand(1);
  Value bias = layer ? cast<wafer::LayerNormOp>(op).getBias() : Value();
  TensorLayout lo = L.layoutOf(res);
  int64_t r = lo.rank();
  FlatSymbolRefAttr x = L.needBlock(op->getOperand(0), lo);
  FlatSymbolRefAttr out = L.defineBlock(res);
  RowSegments rows(L, lo, r - 1);
  // A vector along the last dimension, read at the PE's segment.
  auto segmentOf = [&](Value v) {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> dimMap(t.getRank(), -1);
    for (int64_t d = 0; d < t.getRank(); ++d)
      if (t.getShape()[d] == lo.shape[d + r - t.getRank()])
        dimMap[d] = d + r - t.getRank();
    View view = L.readView(v, lo, dimMap);
    SmallVector<PerPEExpr> at(t.getRank(), PerPEExpr(0));
    at.back() = lo.offset[r - 1];
    return std::make_pair(view, view.at(at));
  };
  auto [sv, s0] = segmentOf(scale);
  std::optional<std::pair<View, PerPEExpr>> bv;
  if (bias)
    bv = segmentOf(bias);
  FlatSymbolRefAttr mean = layer ? rows.stats("rowmean", 0.0f) : nullptr;
  FlatSymbolRefAttr var = rows.stats("rowvar", 0.0f);
  if (layer) {
    rows.each([&](Attribute s, Attribute b) {
      E.emit<RSumOp>(rows.word(mean, s), rows.row(x, b));
    });
    rows.allReduce(mean);
    rows.apply<DivOp>(mean, float(rows.n));
  }
  rows.each([&](Attribute s, Attribute b) {
    if (layer)
      E.emit<SubOp>(rows.row(out, b), rows.row(x, b), rows.stat(mean, s));
    else
      E.emit<CopyOp>(rows.row(out, b), rows.row(x, b));
  });
  FlatSymbolRefAttr sq = E.buffer("sq", lo.block[r - 1]);
  rows.each([&](Attribute s, Attribute b) {
    Attribute seg = E.mem(sq, E.imm(0), rows.ea, E.imm(1));
    E.emit<MulOp>(seg, rows.row(out, b), rows.row(out, b));
    E.emit<RSumOp>(rows.word(var, s), seg);
  });
  rows.allReduce(var);
  // rstd = 1 / sqrt(sum / n + eps), as the reference computes it.
  rows.apply<DivOp>(var, float(rows.n));
  rows.apply<AddOp>(var, eps);
  Attribute vars = E.mem(var, 0, E.imm(rows.words));
  E.emit<SqrtOp>(vars, vars);
  E.emit<RecipOp>(vars, vars);
  Attribute sStart = E.val(s0);
  std::optional<Attribute> bStart;
  if (bv)
    bStart = E.val(bv->second);
  int64_t sStride = sv.strides.back();
  rows.each([&](Attribute s, Attribute b) {
    E.emit<MulOp>(rows.row(out, b), rows.row(out, b), rows.stat(var, s));
    E.emit<MulOp>(rows.row(out, b), rows.row(out, b),
                  E.mem(sv.buffer, sStart, rows.ea, E.imm(sStride)));
    if (bv)
      E.emit<AddOp>(rows.row(out, b), rows.row(out, b),
                    E.mem(bv->first.buffer, *bStart, rows.ea,
                          E.imm(bv->first.strides.back())));
  });
  return success();
}

LogicalResult wse::pe::lowering::lowerSoftmax(Lowering &L,
                                              wafer::SoftmaxOp op) {
  Emitter &E = L.E;
  Value res = op.getResult();
  TensorLayout lo = L.layoutOf(res);
  int64_t r = lo.rank(), axis = op.getAxis();
  if (axis < 0)
    axis += r;
  if (axis < 0 || axis >= r)
    return L.emitError(op) << "axis out of range";
  if (lo.axes[axis] != wafer::MeshAxis::None && L.hasBlockIn(op.getInput(), lo))
    return lowerDistributedSoftmax(L, op, axis);
  int64_t n = lo.shape[axis];
  SmallVector<int64_t> xMap;
  for (int64_t d = 0; d < r; ++d)
    xMap.push_back(d == axis ? -1 : d);
  View xv = L.readView(op.getInput(), lo, xMap);
  FlatSymbolRefAttr xf = xv.buffer;
  FlatSymbolRefAttr out = L.defineBlock(res);
  FlatSymbolRefAttr t = E.buffer("shifted", n), e = E.buffer("expd", n);
  FlatSymbolRefAttr stat = E.buffer("stat", 1);
  SmallVector<int64_t> xs = xv.strides, bs = lo.blockStrides();
  SmallVector<PerPEExpr> ext = lo.extent, off = lo.offset;
  ext[axis] = 1;
  off[axis] = 0;
  Attribute a0 = E.val(lo.offset[axis]), ea = E.val(lo.extent[axis]);
  Attribute N = E.imm(n);
  Attribute one = E.mem(stat, 0, E.imm(1));

  Emitter::Guard skip = L.guard(lo.holds);
  E.nest(
      ext,
      {Pointer{E.imm(0), bs},
       Pointer{E.val(xv.base + dotOffsets(off, xs)), xs}},
      [&](ArrayRef<Attribute> o, Attribute, ArrayRef<int64_t>) {
        Attribute row = E.mem(xf, o[1], N, E.imm(xs[axis]));
        E.emit<RMaxOp>(one, row);
        E.emit<SubOp>(E.mem(t, 0, N), row, E.mem(stat, E.imm(0), N, E.imm(0)));
        E.emit<ExpOp>(E.mem(e, 0, N), E.mem(t, 0, N));
        E.emit<RSumOp>(one, E.mem(e, 0, N));
        Attribute dst = E.mem(out, o[0], ea, E.imm(bs[axis]));
        Attribute statA = E.mem(stat, E.imm(0), ea, E.imm(0));
        if (op.getLog()) {
          E.emit<LogOp>(one, one);
          E.emit<SubOp>(dst, E.mem(t, a0, ea, E.imm(1)), statA);
        } else {
          E.emit<DivOp>(dst, E.mem(e, a0, ea, E.imm(1)), statA);
        }
      },
      /*vectorInner=*/false);
  E.end(skip);
  return success();
}

/// A reduction over one axis of an input kept as blocks, whose other
/// dimensions are distributed as the result's: each PE reduces its block
/// along the axis, and an all-reduce along the axis's mesh direction (none
/// if the axis is whole on every PE) combines the blocks. No PE gathers the
/// input (a bias gradient sums tokens x features this way). False if the
/// layouts do not allow it.
static bool lowerReduceInBlocks(Lowering &L, wafer::ReduceOp op, int64_t axis) {
  Emitter &E = L.E;
  Value res = op.getResult(), in = op.getInput();
  const TensorLayout &il = L.layoutOf(in);
  TensorLayout lo = L.layoutOf(res);
  if (!L.hasBlockIn(in, il) || !il.sameRectAs(lo))
    return false;
  bool keep = op.getKeepdims();
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < il.rank(); ++d) {
    if (d == axis)
      continue;
    int64_t r = keep || d < axis ? d : d - 1;
    if (lo.axes[r] != il.axes[d] || lo.block[r] != il.block[d])
      return false;
    kept.push_back(d);
  }
  if (keep && lo.block[axis] != 1)
    return false;
  wafer::MeshAxis along = il.axes[axis];
  bool max = op.getKind() == wafer::ReduceKind::Max;
  SmallVector<int64_t> keptBlock, inStrides, bs = il.blockStrides();
  SmallVector<PerPEExpr> keptExtent;
  for (int64_t d : kept) {
    keptBlock.push_back(il.block[d]);
    inStrides.push_back(bs[d]);
    keptExtent.push_back(il.extent[d]);
  }
  int64_t words = std::max<int64_t>(product(keptBlock), 1);
  FlatSymbolRefAttr partial = E.buffer("partial", words);
  E.emit<FillOp>(E.mem(partial, 0, E.imm(words)),
                 E.f32(max ? -std::numeric_limits<float>::max() : 0.0f));
  FlatSymbolRefAttr src = L.needBlock(in, il);
  FlatSymbolRefAttr one = E.buffer("part", 1);
  Emitter::Guard holds = L.guard(il.holds);
  E.nest(
      keptExtent,
      {Pointer{E.imm(0), denseStrides(keptBlock)},
       Pointer{E.imm(0), inStrides}},
      [&](ArrayRef<Attribute> o, Attribute, ArrayRef<int64_t>) {
        Attribute dst = E.mem(partial, o[0], E.imm(1), E.imm(1));
        Attribute run =
            E.mem(src, o[1], E.val(il.extent[axis]), E.imm(bs[axis]));
        Attribute word = E.mem(one, 0, E.imm(1));
        if (max) {
          E.emit<RMaxOp>(word, run);
          E.emit<MaxOp>(dst, dst, word);
        } else {
          E.emit<RSumOp>(word, run);
          E.emit<AddOp>(dst, dst, word);
        }
      },
      /*vectorInner=*/false);
  E.end(holds);
  if (along != wafer::MeshAxis::None)
    L.callAllReduce(/*columns=*/along == wafer::MeshAxis::Y,
                    /*rows=*/along == wafer::MeshAxis::X, E.addr(partial),
                    E.imm(words), max);
  if (op.getKind() == wafer::ReduceKind::Mean)
    E.emit<DivOp>(E.mem(partial, 0, E.imm(words)),
                  E.mem(partial, 0, E.imm(words)),
                  E.mem(E.scalarConstant(float(il.shape[axis])), E.imm(0),
                        E.imm(words), E.imm(0)));
  FlatSymbolRefAttr out = L.defineBlock(res);
  Emitter::Guard skip = L.guard(lo.holds);
  E.emit<CopyOp>(E.mem(out, 0, E.imm(lo.blockWords())),
                 E.mem(partial, 0, E.imm(lo.blockWords())));
  E.end(skip);
  return true;
}

LogicalResult wse::pe::lowering::lowerReduce(Lowering &L, wafer::ReduceOp op) {
  Emitter &E = L.E;
  Value res = op.getResult();
  TensorLayout lo = L.layoutOf(res);
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  int64_t inRank = inType.getRank();
  SmallVector<int64_t> axes;
  for (int64_t a : op.getAxes())
    axes.push_back(a < 0 ? a + inRank : a);
  llvm::sort(axes);
  if (axes.empty())
    return L.emitError(op) << "reduces no axis";
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] != axes[i - 1] + 1)
      return L.emitError(op) << "reduces non-adjacent axes";
  if (axes.size() == 1 && lowerReduceInBlocks(L, op, axes.front()))
    return success();
  SmallVector<int64_t> xs = denseStrides(inType.getShape());
  // Adjacent axes of a row-major tensor are one strided run.
  int64_t n = 1;
  for (int64_t a : axes)
    n *= inType.getShape()[a];
  int64_t runStride = xs[axes.back()];
  // Strides of the input per result dimension.
  SmallVector<int64_t> inStrides;
  for (int64_t d = 0; d < inRank; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    if (!reduced)
      inStrides.push_back(xs[d]);
    else if (op.getKeepdims())
      inStrides.push_back(0);
  }
  FlatSymbolRefAttr xf = L.needFull(op.getInput()).buffer;
  FlatSymbolRefAttr out = L.defineBlock(res);
  bool max = op.getKind() == wafer::ReduceKind::Max;
  Emitter::Guard skip = L.guard(lo.holds);
  E.nest(
      lo.extent,
      {Pointer{E.imm(0), lo.blockStrides()},
       Pointer{E.val(dotOffsets(lo.offset, inStrides)), inStrides}},
      [&](ArrayRef<Attribute> o, Attribute, ArrayRef<int64_t>) {
        Attribute dst = E.mem(out, o[0], E.imm(1), E.imm(1));
        Attribute src = E.mem(xf, o[1], E.imm(n), E.imm(runStride));
        if (max)
          E.emit<RMaxOp>(dst, src);
        else
          E.emit<RSumOp>(dst, src);
        if (op.getKind() == wafer::ReduceKind::Mean)
          E.emit<DivOp>(dst, dst,
                        E.mem(E.scalarConstant(float(n)), 0, E.imm(1)));
      },
      /*vectorInner=*/false);
  E.end(skip);
  return success();
}

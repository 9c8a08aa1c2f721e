//===- Emitter.cpp - Writes the code of one pe.task -----------------------===//

#include "Emitter.h"

#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace wse::pe;
using namespace wse::pe::lowering;

Emitter::Emitter(KernelOp kernel, TaskOp task, Location loc)
    : ctx(kernel.getContext()), kernel(kernel), kernelBuilder(ctx),
      taskBuilder(ctx), loc(loc) {
  // Constants and buffers go before the first task so the kernel reads in
  // the emulator's order (constants, buffers, tasks).
  kernelBuilder.setInsertionPoint(task);
  taskBuilder.setInsertionPointToEnd(&task.getBody().front());
}

std::string Emitter::uniqueName(StringRef hint) {
  unsigned n = nameCounts[hint]++;
  return n == 0 ? hint.str() : (hint + "_" + Twine(n)).str();
}

Attribute Emitter::imm(int64_t v) {
  return IntegerAttr::get(IntegerType::get(ctx, 64), v);
}
RegAttr Emitter::reg(unsigned r) { return RegAttr::get(ctx, r); }
FlatSymbolRefAttr Emitter::sym(StringRef name) {
  return FlatSymbolRefAttr::get(ctx, name);
}

static ExprAttr toExprAttr(MLIRContext *ctx, const PerPEExpr &e) {
  const PerPEExpr::Node &n = e.tree();
  SmallVector<Attribute> operands;
  for (const PerPEExpr &o : n.operands)
    operands.push_back(toExprAttr(ctx, o));
  return ExprAttr::get(ctx, n.kind, n.value,
                       n.constant.empty()
                           ? FlatSymbolRefAttr()
                           : FlatSymbolRefAttr::get(ctx, n.constant),
                       operands);
}

Attribute Emitter::val(const PerPEExpr &e) {
  if (e.isKnown())
    return imm(e.value());
  if (!e.tree().constant.empty())
    return sym(e.tree().constant);
  auto it = constsByText.find(e.str());
  if (it != constsByText.end())
    return it->second;
  std::string name = uniqueName("c");
  ConstOp::create(kernelBuilder, loc, name, toExprAttr(ctx, e));
  return constsByText[e.str()] = sym(name);
}

PerPEExpr Emitter::named(const PerPEExpr &e) {
  if (e.isKnown())
    return e;
  return PerPEExpr::constant(cast<FlatSymbolRefAttr>(val(e)).getValue());
}

FlatSymbolRefAttr Emitter::buffer(StringRef hint, int64_t words,
                                  std::optional<float> init) {
  std::string name = uniqueName(hint);
  BufferOp::create(kernelBuilder, loc, name, std::max<int64_t>(words, 1),
                   /*address=*/nullptr,
                   init ? kernelBuilder.getF32FloatAttr(*init) : FloatAttr());
  return sym(name);
}

FlatSymbolRefAttr Emitter::scalarConstant(float value) {
  uint32_t bits = llvm::bit_cast<uint32_t>(value);
  auto it = scalarConsts.find(bits);
  if (it != scalarConsts.end())
    return it->second;
  return scalarConsts[bits] = buffer("k", 1, value);
}

Attribute Emitter::mem(FlatSymbolRefAttr buf, Attribute offset,
                       Attribute length, Attribute stride) {
  return MemAttr::get(ctx, buf, offset, length, stride);
}
Attribute Emitter::amem(Attribute address, Attribute length, int64_t stride) {
  return AbsMemAttr::get(ctx, address, length, imm(stride));
}
Attribute Emitter::in(FlatSymbolRefAttr channel, Attribute length) {
  return InAttr::get(ctx, channel, length);
}
Attribute Emitter::out(FlatSymbolRefAttr channel, Attribute length) {
  return OutAttr::get(ctx, channel, length);
}
Attribute Emitter::addr(FlatSymbolRefAttr buf) {
  return AddrAttr::get(ctx, buf);
}
FloatAttr Emitter::f32(float v) {
  return FloatAttr::get(Float32Type::get(ctx), v);
}

void Emitter::inside(Block &block, Operation *op, function_ref<void()> fill) {
  taskBuilder.setInsertionPointToEnd(&block);
  fill();
  taskBuilder.setInsertionPointAfter(op);
}

Emitter::Guard Emitter::onlyWhere(const PerPEExpr &cond) {
  if (cond.isKnown() && cond.value() != 0)
    return {};
  auto op = IfOp::create(taskBuilder, loc, Predicate::ne, val(cond), imm(0),
                         /*upper=*/nullptr);
  op.getThenRegion().emplaceBlock();
  taskBuilder.setInsertionPointToEnd(&op.getThenBlock());
  return {op, cond.isKnown()};
}

void Emitter::end(Guard &guard) {
  if (!guard.op)
    return;
  taskBuilder.setInsertionPointAfter(guard.op);
  if (guard.dead)
    guard.op.erase();
  guard.op = nullptr;
}

void Emitter::ifElse(Predicate pred, Attribute lhs, Attribute rhs,
                     Attribute upper, function_ref<void()> thenCode,
                     function_ref<void()> elseCode) {
  auto op = IfOp::create(taskBuilder, loc, pred, lhs, rhs, upper);
  inside(op.getThenRegion().emplaceBlock(), op, thenCode);
  if (elseCode)
    inside(op.getElseRegion().emplaceBlock(), op, elseCode);
}

SmallVector<Emitter::NestDim>
Emitter::planNest(ArrayRef<PerPEExpr> extents, ArrayRef<int64_t> bounds,
                  ArrayRef<Pointer> ptrs, int64_t maxVector, bool &empty) {
  SmallVector<NestDim> dims;
  empty = false;
  for (auto [d, e] : llvm::enumerate(extents)) {
    if (e.isKnown() && e.value() <= 0) {
      empty = true;
      return {};
    }
    if (e.isKnown() && e.value() == 1)
      continue;
    NestDim dim{e,
                e.isKnown() ? e.value()
                            : (d < bounds.size() ? bounds[d] : INT64_MAX),
                {}};
    for (const Pointer &p : ptrs)
      dim.strides.push_back(p.strides[d]);
    dims.push_back(dim);
  }
  // Merge a dimension into the next inner one when every pointer walks both
  // as one run.
  for (size_t i = dims.size(); i-- > 1;) {
    NestDim &outer = dims[i - 1], &inner = dims[i];
    if (!outer.extent.isKnown() || !inner.extent.isKnown())
      continue;
    bool contiguous = true;
    for (size_t j = 0; j < ptrs.size(); ++j)
      contiguous &= outer.strides[j] == inner.strides[j] * inner.extent.value();
    if (!contiguous)
      continue;
    inner.extent = outer.extent.value() * inner.extent.value();
    inner.bound = inner.extent.value();
    dims.erase(dims.begin() + (i - 1));
  }
  // Long runs in chunks, so temporaries stay small.
  if (maxVector > 0 && !dims.empty() && dims.back().extent.isKnown() &&
      dims.back().extent.value() > maxVector &&
      dims.back().extent.value() % maxVector == 0) {
    NestDim inner = dims.back();
    NestDim outer{
        inner.extent.value() / maxVector, inner.extent.value() / maxVector, {}};
    for (int64_t s : inner.strides)
      outer.strides.push_back(s * maxVector);
    inner.extent = maxVector;
    inner.bound = maxVector;
    dims.back() = outer;
    dims.push_back(inner);
  }
  return dims;
}

int64_t Emitter::longestVector(ArrayRef<PerPEExpr> extents,
                               ArrayRef<int64_t> bounds, ArrayRef<Pointer> ptrs,
                               int64_t maxVector) {
  bool empty;
  SmallVector<NestDim> dims = planNest(extents, bounds, ptrs, maxVector, empty);
  return dims.empty() ? 1 : dims.back().bound;
}

void Emitter::nest(ArrayRef<PerPEExpr> extents, ArrayRef<Pointer> ptrs,
                   NestBody body, bool vectorInner, int64_t maxVector) {
  bool empty;
  SmallVector<NestDim> dims = planNest(extents, {}, ptrs, maxVector, empty);
  if (empty)
    return;
  SmallVector<Attribute> bases;
  for (const Pointer &p : ptrs)
    bases.push_back(p.base);
  size_t loops = vectorInner && !dims.empty() ? dims.size() - 1 : dims.size();

  std::function<void(size_t, SmallVector<Attribute>)> level =
      [&](size_t idx, SmallVector<Attribute> cur) {
        if (idx == loops) {
          if (loops < dims.size())
            body(cur, val(dims.back().extent), dims.back().strides);
          else
            body(cur, imm(1), SmallVector<int64_t>(ptrs.size(), 0));
          return;
        }
        const NestDim &d = dims[idx];
        unsigned counter = allocReg();
        SmallVector<Attribute> iters, inits;
        SmallVector<int64_t> steps;
        SmallVector<Attribute> next = cur;
        // Pointers that start at the same offset and take the same step
        // (blocks of one shape in different buffers) hold the same value at
        // every iteration: one register walks them all. One that starts at
        // 0 with step 1 is the counter itself. Each shared register saves
        // a mov before the loop and an iadd per iteration.
        Attribute zero = imm(0);
        for (size_t j = 0; j < ptrs.size(); ++j) {
          if (d.strides[j] == 0)
            continue;
          if (cur[j] == zero && d.strides[j] == 1) {
            next[j] = reg(counter);
            continue;
          }
          Attribute shared;
          for (size_t k = 0; k < iters.size() && !shared; ++k)
            if (inits[k] == cur[j] && steps[k] == d.strides[j])
              shared = iters[k];
          if (shared) {
            next[j] = shared;
            continue;
          }
          RegAttr r = reg(allocReg());
          iters.push_back(r);
          inits.push_back(cur[j]);
          steps.push_back(d.strides[j]);
          next[j] = r;
        }
        auto op = LoopOp::create(taskBuilder, loc, reg(counter), val(d.extent),
                                 taskBuilder.getArrayAttr(iters),
                                 taskBuilder.getArrayAttr(inits),
                                 taskBuilder.getDenseI64ArrayAttr(steps),
                                 /*layers=*/false);
        inside(op.getBody().emplaceBlock(), op, [&] { level(idx + 1, next); });
      };
  level(0, bases);
}

void Emitter::loop(Attribute count, function_ref<void(unsigned)> body,
                   bool layers, std::optional<unsigned> counter) {
  unsigned r = counter ? *counter : allocReg();
  auto op = LoopOp::create(taskBuilder, loc, reg(r), count);
  op.setLayers(layers);
  inside(op.getBody().front(), op, [&] { body(r); });
}

void Emitter::call(StringRef name, ArrayRef<Attribute> args) {
  if (llvm::none_of(called, [&](auto &c) { return c.first == name; }))
    called.push_back({name.str(), args.size()});
  CallOp::create(taskBuilder, loc, name, taskBuilder.getArrayAttr(args));
}

void Emitter::finish(
    function_ref<void(StringRef, ArrayRef<RegAttr>)> emitBody) {
  emit<RetOp>();
  // Every subroutine takes its parameters in the same registers: calls run
  // one at a time, and in the flat code a parameter is live from the first
  // call to the subroutine's body at the end, so each register of its own
  // would hold a physical register across the whole program.
  size_t maxArity = 0;
  for (auto &[name, arity] : called)
    maxArity = std::max(maxArity, arity);
  SmallVector<RegAttr> shared;
  for (size_t i = 0; i < maxArity; ++i)
    shared.push_back(reg(allocReg()));
  for (auto &[name, arity] : called) {
    ArrayRef<RegAttr> params = ArrayRef<RegAttr>(shared).take_front(arity);
    auto sub =
        SubroutineOp::create(taskBuilder, loc, name,
                             taskBuilder.getArrayAttr(SmallVector<Attribute>(
                                 params.begin(), params.end())));
    Block &body = sub.getBody().emplaceBlock();
    taskBuilder.setInsertionPointToEnd(&body);
    emitBody(name, params);
    taskBuilder.setInsertionPointAfter(sub);
  }
}

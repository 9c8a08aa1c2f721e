//===- LayerLoopLowering.cpp - Repeated layers as one loop of code --------===//
//
// The ops of the first layer are lowered once, inside a counted loop; the
// other layers are the same code run again. What differs between layers
// comes from outside the code:
//
//  * weights: the port's schedule lists every layer's streams in turn (the
//    first layer's stream_in entries are repeated with each layer's
//    parameters), and the code reads them in the same order each time;
//  * per-layer constants (biases, norm scales): one pe.param per layer,
//    streamed where the first layer reads its own;
//  * the carried value (the residual stream): the first layer reads it
//    from a `carry` buffer, and each layer ends by copying its result
//    there for the next.
//
// Marks keep one number per layer and op: a register counts them.
// The pe.loop is marked `layers`, which tells pe-allocate-sram that
// buffers used only inside the loop are dead between iterations.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

using namespace mlir;
using namespace wse;
using namespace wse::pe;
using namespace wse::pe::lowering;

/// Copies the elements of this PE's block of `layout` between buffers, at
/// run-time offsets `dstAt` and `srcAt` (PEs past the end of a dimension
/// hold fewer or none: their other words were never written).
static void copyBlockAt(Lowering &L, FlatSymbolRefAttr dst, Attribute dstAt,
                        FlatSymbolRefAttr src, Attribute srcAt,
                        const TensorLayout &layout) {
  Emitter &E = L.E;
  Emitter::Guard skip = L.guard(layout.holds);
  E.nest(layout.extent,
         {Pointer{dstAt, layout.blockStrides()},
          Pointer{srcAt, layout.blockStrides()}},
         [&](ArrayRef<Attribute> off, Attribute len, ArrayRef<int64_t> st) {
           E.emit<CopyOp>(E.mem(dst, off[0], len, E.imm(st[0])),
                          E.mem(src, off[1], len, E.imm(st[1])));
         });
  E.end(skip);
}

static void copyBlock(Lowering &L, FlatSymbolRefAttr dst, FlatSymbolRefAttr src,
                      const TensorLayout &layout) {
  copyBlockAt(L, dst, L.E.imm(0), src, L.E.imm(0), layout);
}

LogicalResult Lowering::lowerLayerConstant(
    const wafer::LayerLoop &loop, unsigned op, unsigned operand,
    MutableArrayRef<llvm::StringMap<std::string>> renames) {
  Value first = loop.at(0, op)->getOperand(operand);
  layoutOf(first);
  TensorState &state = tensors[first];
  if (state.full || state.block)
    return success(); // the op reads it twice
  auto type = cast<RankedTensorType>(first.getType());
  if (type.getNumElements() == 0)
    return lowerConstant(first.getDefiningOp<wafer::ConstantOp>());
  std::string firstName;
  for (unsigned i = 0; i < loop.count; ++i) {
    auto cst =
        loop.at(i, op)->getOperand(operand).getDefiningOp<wafer::ConstantOp>();
    Type et = type.getElementType();
    if (!peElementType(et))
      return emitError(cst) << "constant of element type " << et
                            << " has no emulator data type";
    std::string name = tensorName("const" + std::to_string(constantCount++));
    ParamOp::create(moduleBuilder, cst.getLoc(), name,
                    RankedTensorType::get(type.getShape(), et), StringAttr(),
                    IntegerAttr(), cast<ElementsAttr>(cst.getValue()));
    if (i == 0)
      firstName = name;
    else
      renames[i][firstName] = name;
  }
  tensors[first].full =
      streamIntoFull(E.sym(firstName), type.getShape(), firstName);
  return success();
}

LogicalResult
Lowering::lowerLayerLoop(const wafer::LayerLoop &loop,
                         ArrayRef<std::pair<unsigned, unsigned>> save) {
  E.setLoc(loop.at(0, 0)->getLoc());
  llvm::DenseSet<Operation *> body;
  for (unsigned k = 0; k < loop.period; ++k)
    body.insert(loop.at(0, k));
  llvm::DenseSet<Value> entries;
  for (const wafer::LayerLoop::Carried &c : loop.carried)
    entries.insert(c.entry);

  // Constants every layer reads arrive once, before the loop.
  for (unsigned k = 0; k < loop.period; ++k)
    if (failed(lowerConstantsReadBy(loop.at(0, k))))
      return failure();
  // A weight every layer reads cannot be read on arrival (it arrives once):
  // it is made whole before the loop.
  for (unsigned k = 0; k < loop.period; ++k)
    for (Value v : loop.at(0, k)->getOperands()) {
      Operation *def = v.getDefiningOp();
      if ((def && body.contains(def)) || entries.contains(v))
        continue;
      auto it = tensors.find(v);
      if (it != tensors.end() && it->second.pendingStream)
        needFull(v);
    }

  // The carried values enter through buffers of their own: each layer
  // overwrites them with its result.
  SmallVector<FlatSymbolRefAttr> carries;
  std::vector<TensorState> entryStates;
  for (const wafer::LayerLoop::Carried &c : loop.carried) {
    entryStates.push_back(tensors[c.entry]);
    TensorLayout layout = layoutOf(c.entry);
    FlatSymbolRefAttr src = needBlock(c.entry, layout);
    FlatSymbolRefAttr carry = E.buffer("carry", layout.blockWords());
    copyBlock(*this, carry, src, layout);
    TensorState &s = tensors[c.entry];
    s.block = carry;
    s.full.reset();
    s.column.reset();
    s.row.reset();
    s.fullShared = false;
    carries.push_back(carry);
  }

  // Values a later loop reads per layer: a slot per iteration, filled at
  // the end of each (a training step's checkpoints, for its backward).
  for (auto [op, result] : save) {
    const TensorLayout &layout = layoutOf(loop.at(0, op)->getResult(result));
    int64_t words = std::max<int64_t>(layout.blockWords(), 1);
    keptSlots[{op, result}] = {E.buffer("kept", words * loop.count), words};
  }
  // Kept values of an earlier loop this one reads: iteration i copies the
  // earlier loop's iteration count - 1 - i out of its slot.
  struct KeptIn {
    FlatSymbolRefAttr buffer;
    mlir::Value value; ///< what the first iteration reads in its place
  };
  llvm::DenseMap<std::pair<unsigned, unsigned>, KeptIn> keptIn;
  for (const wafer::LayerLoop::Kept &k : loop.kept) {
    auto key = std::make_pair(k.sourceOp, k.sourceResult);
    auto slot = keptSlots.find(key);
    if (slot == keptSlots.end())
      return emitError(loop.at(0, k.op))
             << "internal error: operand " << k.operand
             << " is a value an earlier loop did not keep";
    if (!keptIn.count(key))
      keptIn[key] = {E.buffer("kept_in", slot->second.words),
                     loop.at(0, k.op)->getOperand(k.operand)};
  }

  int64_t firstMark = markIndex;
  if (marks) {
    unsigned reg = E.allocReg();
    E.emit<MovOp>(E.reg(reg), E.imm(markIndex));
    markReg = reg;
    marksSkipped = 0;
  }
  Operation *scheduleEnd = &module.getBody()->back();

  SmallVector<llvm::StringMap<std::string>> renames(loop.count);
  LogicalResult lowered = success();
  auto lowerBody = [&](unsigned counter) {
    for (auto &[key, in] : keptIn) {
      // Slot count - 1 - counter.
      const KeptSlots &slot = keptSlots[key];
      unsigned at = E.allocReg();
      E.emit<ISubOp>(E.reg(at), E.imm(loop.count - 1), E.reg(counter));
      E.emit<IMulOp>(E.reg(at), E.reg(at), E.imm(slot.words));
      TensorLayout layout = layoutOf(in.value);
      copyBlockAt(*this, in.buffer, E.imm(0), slot.buffer, E.reg(at), layout);
    }
    for (const wafer::LayerLoop::Kept &k : loop.kept) {
      TensorState &s = tensors[loop.at(0, k.op)->getOperand(k.operand)];
      s.block = keptIn[{k.sourceOp, k.sourceResult}].buffer;
      s.full.reset();
      s.column.reset();
      s.row.reset();
      s.fullShared = false;
      s.pendingStream = nullptr;
    }
    for (unsigned k = 0; k < loop.period; ++k) {
      Operation *op = loop.at(0, k);
      for (const wafer::LayerLoop::IterationConstant &c : loop.constants)
        if (c.op == k &&
            failed(lowerLayerConstant(loop, k, c.operand, renames)))
          return failure();
      if (auto stream = dyn_cast<wafer::StreamOp>(op))
        for (unsigned i = 1; i < loop.count; ++i)
          renames[i][stream->getAttrOfType<StringAttr>("pe.param").getValue()] =
              loop.at(i, k)
                  ->getAttrOfType<StringAttr>("pe.param")
                  .getValue()
                  .str();
      if (failed(lowerOp(op)))
        return failure();
      // A gradient streamed out: each layer's is an output of its own.
      if (isa<wafer::StreamOutOp>(op))
        for (unsigned i = 1; i < loop.count; ++i) {
          auto ith = cast<wafer::StreamOutOp>(loop.at(i, k));
          renames[i][lastOutput] = declareOutput(
              ("grad." + ith.getName()).str(),
              cast<RankedTensorType>(ith.getGradient().getType()), ith.getLoc(),
              FlatSymbolRefAttr::get(
                  ith->getAttrOfType<StringAttr>("pe.param")));
        }
    }
    E.setLoc(loop.at(0, loop.period - 1)->getLoc());
    for (auto [op, result] : save) {
      const KeptSlots &slot = keptSlots[{op, result}];
      Value v = loop.at(0, op)->getResult(result);
      TensorLayout layout = layoutOf(v);
      unsigned at = E.allocReg();
      E.emit<IMulOp>(E.reg(at), E.reg(counter), E.imm(slot.words));
      copyBlockAt(*this, slot.buffer, E.reg(at), needBlock(v, layout), E.imm(0),
                  layout);
    }
    for (auto [c, carry] : llvm::zip(loop.carried, carries)) {
      TensorLayout layout = layoutOf(c.entry);
      Value result = loop.at(0, c.op)->getResult(c.result);
      copyBlock(*this, carry, needBlock(result, layout), layout);
    }
    // The next layer's first mark (sparse marks advance before a mark).
    if (markReg && sparseMarks && marksSkipped)
      E.emit<IAddOp>(E.reg(*markReg), E.reg(*markReg), E.imm(marksSkipped));
    return success();
  };
  E.loop(
      E.imm(loop.count),
      [&](unsigned counter) { lowered = lowerBody(counter); },
      /*layers=*/true);
  markReg.reset();
  if (failed(lowered))
    return failure();
  markIndex = firstMark + (markIndex - firstMark) * loop.count;

  // The port streams every layer's weights and constants in turn, and
  // takes every layer's outputs (a training step's gradients) in turn.
  SmallVector<Operation *> layerStreams;
  for (Operation *op = scheduleEnd->getNextNode(); op; op = op->getNextNode())
    if (isa<StreamInOp, StreamOutOp>(op))
      layerStreams.push_back(op);
  for (unsigned i = 1; i < loop.count; ++i)
    for (Operation *s : layerStreams) {
      Operation *copy = streamBuilder.clone(*s);
      auto tensor = copy->getAttrOfType<FlatSymbolRefAttr>("tensor");
      auto it = renames[i].find(tensor.getValue());
      if (it != renames[i].end())
        copy->setAttr("tensor",
                      FlatSymbolRefAttr::get(E.getContext(), it->second));
    }

  // After the loop, an entry value is where it was before (the loop only
  // overwrote its carry buffer) and the last layer's values are where the
  // code left the first layer's.
  for (auto [c, state] : llvm::zip(loop.carried, entryStates))
    tensors[c.entry] = state;
  for (unsigned k = 0; k < loop.period; ++k)
    for (auto [first, last] :
         llvm::zip(loop.at(0, k)->getResults(),
                   loop.at(loop.count - 1, k)->getResults())) {
      TensorState state = tensors[first];
      tensors[last] = state;
    }
  return success();
}

//===- PEToProgram.cpp - pe dialect -> emulator program -------------------===//

#include "wse/Target/PEToProgram.h"

#include "dialects/mesh/IR/MeshAttrs.h"
#include "dialects/pe/IR/CodeLayout.h"
#include "dialects/pe/IR/PEOps.h"
#include "wse/Emu/Verify.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;
using namespace wse::pe;
namespace emu = wse::emu;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

llvm::Error err(const Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

std::string str(Attribute a) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << a;
  return s;
}

/// Where a pe.buffer lands in the emulator kernel.
struct BufferSlot {
  int32_t index = -1;
  uint64_t address = 0;
};

class Translator {
public:
  Translator(ModuleOp module, StringRef constantsFile, std::string &constants)
      : module(module), constantsFile(constantsFile), constants(constants) {}

  Expected<emu::Program> run();

private:
  llvm::Error checkResolved();
  llvm::Error addTensors();
  llvm::Error addKernel(KernelOp k);
  llvm::Error addPlacement(PlaceOp p);
  llvm::Error addRoute(RouteOp r);
  llvm::Error addStream(Operation *op, FlatSymbolRefAttr tensor, bool inbound,
                        PortAttr port, Attribute color,
                        std::optional<uint64_t> offset,
                        std::optional<ArrayRef<int64_t>> shape,
                        std::optional<ArrayRef<int64_t>> strides);
  llvm::Error writeValue(ParamOp p, emu::TensorDecl &t);

  // Per kernel.
  Expected<emu::Value> value(Attribute a, const Twine &where);
  Expected<emu::Operand> operand(Attribute a, char sig, const Twine &where);

  ModuleOp module;
  StringRef constantsFile;
  std::string &constants;
  emu::Program prog;
  llvm::StringMap<std::pair<emu::TensorKind, uint32_t>> tensors;
  llvm::StringMap<uint32_t> kernels;

  // Current kernel.
  StringRef kernelName;
  llvm::StringMap<int64_t> constIndex;
  llvm::StringMap<BufferSlot> buffers;
  llvm::StringMap<uint32_t> taskIndex;
  llvm::StringMap<uint32_t> labelPc;
  /// The current task's virtual -> physical registers.
  const llvm::DenseMap<unsigned, unsigned> *registers = nullptr;
};

Expected<uint32_t> colorNumber(Attribute color, const Twine &where) {
  if (auto sym = dyn_cast<FlatSymbolRefAttr>(color))
    return err(where + ": channel " + str(sym) +
               " has no color number yet (run pe-assign-colors)");
  std::optional<int64_t> c = getImmediate(color);
  if (!c || *c < 0 || *c > 255)
    return err(where + ": invalid color " + str(color));
  return uint32_t(*c);
}

llvm::Error Translator::checkResolved() {
  // In pass order: pe-route, pe-assign-colors, pe-allocate-sram.
  for (FlowOp f : module.getBody()->getOps<FlowOp>())
    return err("pe.flow of channel " + str(f.getChannelAttr()) +
               " is not expanded into routes (run pe-route)");
  for (Operation &op : module.getBody()->getOperations()) {
    if (auto c = dyn_cast<ChannelOp>(op))
      return err("channel @" + c.getSymName() +
                 " has no color number (run pe-assign-colors)");
    if (auto k = dyn_cast<KernelOp>(op))
      for (BufferOp b : k.getBody().front().getOps<BufferOp>())
        if (!b.getAddress())
          return err("buffer @" + b.getSymName() + " of kernel @" +
                     k.getSymName() + " has no address (run pe-allocate-sram)");
  }
  return llvm::Error::success();
}

std::optional<emu::DType> dtypeOf(Type e) {
  if (e.isF32())
    return emu::DType::F32;
  if (e.isF16())
    return emu::DType::F16;
  if (e.isBF16())
    return emu::DType::BF16;
  if (e.isSignlessInteger(32))
    return emu::DType::I32;
  if (e.isSignlessInteger(64))
    return emu::DType::I64;
  if (e.isSignlessInteger(1))
    return emu::DType::Bool;
  return std::nullopt;
}

llvm::Error Translator::writeValue(ParamOp p, emu::TensorDecl &t) {
  ElementsAttr value = *p.getValue();
  Type e = cast<ShapedType>(value.getType()).getElementType();
  t.file = constantsFile.str();
  t.offset = constants.size();
  auto bad = [&] {
    return err("param @" + p.getSymName() +
               ": cannot read the elements of its value");
  };
  if (isa<FloatType>(e)) {
    t.dtype = emu::DType::F32;
    auto values = value.tryGetValues<APFloat>();
    if (!values)
      return bad();
    for (APFloat v : *values) {
      bool lost;
      v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
      char buf[4];
      llvm::support::endian::write32le(
          buf, uint32_t(v.bitcastToAPInt().getZExtValue()));
      constants.append(buf, 4);
    }
    return llvm::Error::success();
  }
  auto values = value.tryGetValues<APInt>();
  if (!values)
    return bad();
  for (const APInt &v : *values) {
    char buf[8];
    switch (t.dtype) {
    case emu::DType::Bool:
      constants.push_back(v.isZero() ? 0 : 1);
      break;
    case emu::DType::I32:
      llvm::support::endian::write32le(buf, uint32_t(v.getZExtValue()));
      constants.append(buf, 4);
      break;
    default:
      llvm::support::endian::write64le(buf, v.getZExtValue());
      constants.append(buf, 8);
      break;
    }
  }
  return llvm::Error::success();
}

llvm::Error Translator::addTensors() {
  for (Operation &op : module.getBody()->getOperations()) {
    emu::TensorDecl t;
    std::vector<emu::TensorDecl> *list;
    emu::TensorKind kind;
    Type type;
    if (auto p = dyn_cast<ParamOp>(op)) {
      list = &prog.params;
      kind = emu::TensorKind::Param;
      type = p.getType();
    } else if (auto in = dyn_cast<InputOp>(op)) {
      list = &prog.inputs;
      kind = emu::TensorKind::Input;
      type = in.getType();
      if (std::optional<ArrayRef<int64_t>> range = in.getRange())
        t.range = std::make_pair((*range)[0], (*range)[1]);
    } else if (auto out = dyn_cast<OutputOp>(op)) {
      list = &prog.outputs;
      kind = emu::TensorKind::Output;
      type = out.getType();
      if (FlatSymbolRefAttr param = out.getGradientAttr())
        t.gradientOf = param.getValue().str();
    } else {
      continue;
    }
    auto tt = cast<RankedTensorType>(type);
    t.name = SymbolTable::getSymbolName(&op).str();
    std::optional<emu::DType> dt = dtypeOf(tt.getElementType());
    if (!dt)
      return err("tensor @" + t.name + ": unsupported element type");
    t.dtype = *dt;
    for (int64_t d : tt.getShape())
      t.shape.push_back(uint64_t(d));
    if (auto p = dyn_cast<ParamOp>(op)) {
      if (p.getValue()) {
        if (llvm::Error e = writeValue(p, t))
          return e;
      } else {
        t.file = p.getFile()->str();
        t.offset = p.getOffset() ? uint64_t(*p.getOffset()) : 0;
      }
    }
    tensors[t.name] = {kind, uint32_t(list->size())};
    list->push_back(std::move(t));
  }
  return llvm::Error::success();
}

Expected<emu::Value> Translator::value(Attribute a, const Twine &where) {
  if (std::optional<int64_t> i = getImmediate(a))
    return emu::Value::imm(*i);
  if (auto r = dyn_cast<RegAttr>(a)) {
    if (registers)
      if (auto it = registers->find(r.getIndex()); it != registers->end())
        return emu::Value::reg(it->second);
    return err(where + ": register " + str(r) + " has no physical register");
  }
  if (auto addr = dyn_cast<AddrAttr>(a)) {
    auto it = buffers.find(addr.getBuffer().getValue());
    if (it == buffers.end())
      return err(where + ": unknown buffer " + str(addr.getBuffer()));
    return emu::Value::imm(int64_t(it->second.address));
  }
  if (auto sym = dyn_cast<FlatSymbolRefAttr>(a)) {
    auto it = constIndex.find(sym.getValue());
    if (it != constIndex.end())
      return emu::Value::cnst(it->second);
    return err(where + ": " + str(sym) +
               " is not a constant of the kernel (a channel needs "
               "pe-assign-colors)");
  }
  return err(where + ": " + str(a) + " is not a value");
}

Expected<emu::Operand> Translator::operand(Attribute a, char sig,
                                           const Twine &where) {
  emu::Operand o;
  auto setValues = [&](Attribute x, Attribute y, Attribute z) -> llvm::Error {
    Expected<emu::Value> vx = value(x, where);
    if (!vx)
      return vx.takeError();
    Expected<emu::Value> vy = value(y, where);
    if (!vy)
      return vy.takeError();
    o.a = *vx;
    o.b = *vy;
    if (z) {
      Expected<emu::Value> vz = value(z, where);
      if (!vz)
        return vz.takeError();
      o.c = *vz;
    }
    return llvm::Error::success();
  };
  switch (sig) {
  case 'F':
    o.kind = emu::OperandKind::Float;
    o.f = cast<FloatAttr>(a).getValue().convertToFloat();
    return o;
  case 'R':
  case 'V': {
    o.kind = emu::OperandKind::Value;
    Expected<emu::Value> v = value(a, where);
    if (!v)
      return v.takeError();
    o.a = *v;
    return o;
  }
  case 'L': {
    o.kind = emu::OperandKind::Label;
    auto it = labelPc.find(cast<FlatSymbolRefAttr>(a).getValue());
    if (it == labelPc.end())
      return err(where + ": unknown label " + str(a));
    o.index = it->second;
    return o;
  }
  case 'T': {
    o.kind = emu::OperandKind::Task;
    auto it = taskIndex.find(cast<FlatSymbolRefAttr>(a).getValue());
    if (it == taskIndex.end())
      return err(where + ": unknown task " + str(a));
    o.index = it->second;
    return o;
  }
  default:
    break;
  }
  if (auto m = dyn_cast<MemAttr>(a)) {
    o.kind = emu::OperandKind::Mem;
    auto it = buffers.find(m.getBuffer().getValue());
    if (it == buffers.end())
      return err(where + ": unknown buffer " + str(m.getBuffer()));
    o.buffer = it->second.index;
    if (llvm::Error e = setValues(m.getOffset(), m.getLength(), m.getStride()))
      return std::move(e);
    return o;
  }
  if (auto m = dyn_cast<AbsMemAttr>(a)) {
    o.kind = emu::OperandKind::Mem;
    o.buffer = -1;
    if (llvm::Error e = setValues(m.getAddress(), m.getLength(), m.getStride()))
      return std::move(e);
    return o;
  }
  Attribute color, length;
  if (auto in = dyn_cast<InAttr>(a)) {
    o.kind = emu::OperandKind::FabIn;
    color = in.getColor();
    length = in.getLength();
  } else if (auto out = dyn_cast<OutAttr>(a)) {
    o.kind = emu::OperandKind::FabOut;
    color = out.getColor();
    length = out.getLength();
  } else {
    return err(where + ": unexpected operand " + str(a));
  }
  if (auto sym = dyn_cast<FlatSymbolRefAttr>(color);
      sym && !constIndex.count(sym.getValue()))
    return err(where + ": channel " + str(sym) +
               " has no color number (run pe-assign-colors)");
  if (llvm::Error e = setValues(color, length, nullptr))
    return std::move(e);
  return o;
}

llvm::Error Translator::addKernel(KernelOp k) {
  emu::Kernel ek;
  ek.name = k.getSymName().str();
  kernelName = k.getSymName();
  if (failed(buildKernelConstants(k, &ek)))
    return err("kernel @" + ek.name + ": invalid constant expressions");
  constIndex.clear();
  for (auto [i, c] : llvm::enumerate(ek.consts))
    constIndex[c.name] = int64_t(i);

  // Buffers, one emulator buffer each; buffers may share words (SRAM
  // reuse by pe-allocate-sram), which the emulator allows.
  buffers.clear();
  for (BufferOp b : k.getBody().front().getOps<BufferOp>()) {
    emu::Buffer eb;
    eb.name = b.getSymName().str();
    eb.address = *b.getAddress();
    eb.size = b.getSize();
    if (b.getInit()) {
      eb.hasInit = true;
      eb.init = b.getInit()->convertToFloat();
    }
    BufferSlot slot;
    slot.index = int32_t(ek.buffers.size());
    slot.address = eb.address;
    buffers[b.getSymName()] = slot;
    ek.buffers.push_back(std::move(eb));
  }

  // Tasks.
  taskIndex.clear();
  SmallVector<TaskOp> tasks(k.getBody().front().getOps<TaskOp>());
  for (auto [i, t] : llvm::enumerate(tasks))
    taskIndex[t.getSymName()] = uint32_t(i);
  for (TaskOp t : tasks) {
    emu::Task et;
    et.name = t.getSymName().str();
    std::string where = "kernel @" + ek.name + " task @" + et.name;
    switch (t.getTrigger()) {
    case TaskTrigger::entry:
      et.trigger = emu::TriggerKind::Entry;
      break;
    case TaskTrigger::local:
      et.trigger = emu::TriggerKind::Local;
      break;
    case TaskTrigger::on: {
      et.trigger = emu::TriggerKind::Color;
      Attribute color = t.getColorAttr();
      auto sym = dyn_cast<FlatSymbolRefAttr>(color);
      if (sym && !constIndex.count(sym.getValue()))
        return err(where + ": channel " + str(sym) +
                   " has no color number (run pe-assign-colors)");
      Expected<emu::Value> v = value(color, where);
      if (!v)
        return v.takeError();
      et.color = *v;
      break;
    }
    }
    FlatTask flat = layOutTask(t);
    if (failed(assignRegisters(t, flat)))
      return err(where + ": too many registers live at once");
    registers = &flat.registers;
    labelPc.clear();
    for (const FlatLabel &l : flat.labels) {
      labelPc[l.name] = l.pc;
      et.labels.push_back({l.name, l.pc});
    }
    for (const FlatInstr &fi : flat.code) {
      emu::Instr in;
      in.op = fi.opcode;
      StringRef sig = emu::opcodeInfo(fi.opcode).signature;
      if (fi.operands.size() != sig.size() ||
          llvm::is_contained(fi.operands, Attribute()))
        return err(where + ": malformed '" +
                   fi.origin->getName().getStringRef() + "'");
      in.numOperands = sig.size();
      std::string at = (where + " instruction " + Twine(et.code.size()) +
                        " ('" + emu::opcodeInfo(fi.opcode).name + "')")
                           .str();
      for (size_t i = 0; i < sig.size(); ++i) {
        Expected<emu::Operand> o = operand(fi.operands[i], sig[i], at);
        if (!o)
          return o.takeError();
        in.ops[i] = *o;
      }
      et.code.push_back(in);
    }
    registers = nullptr;
    ek.tasks.push_back(std::move(et));
  }
  kernels[ek.name] = prog.kernels.size();
  prog.kernels.push_back(std::move(ek));
  return llvm::Error::success();
}

emu::Rect rectOf(wse::mesh::RectAttr r) {
  return {uint32_t(r.getX()), uint32_t(r.getY()), uint32_t(r.getWidth()),
          uint32_t(r.getHeight())};
}

llvm::Error Translator::addPlacement(PlaceOp p) {
  auto it = kernels.find(p.getKernel());
  if (it == kernels.end())
    return err("pe.place: unknown kernel @" + p.getKernel());
  prog.placements.push_back({it->second, rectOf(p.getRect())});
  return llvm::Error::success();
}

llvm::Error Translator::addRoute(RouteOp r) {
  emu::Route er;
  er.rect = rectOf(r.getRect());
  std::string where = llvm::formatv("route [{0}, {1}, {2}, {3}]", er.rect.x,
                                    er.rect.y, er.rect.w, er.rect.h)
                          .str();
  Expected<uint32_t> c = colorNumber(r.getColor(), where);
  if (!c)
    return c.takeError();
  er.color = *c;
  // The pe enums number directions as the emulator does.
  er.in = emu::Dir(r.getInput());
  er.outMask = uint32_t(r.getOutputs());
  prog.routes.push_back(er);
  return llvm::Error::success();
}

llvm::Error Translator::addStream(Operation *op, FlatSymbolRefAttr tensor,
                                  bool inbound, PortAttr port, Attribute color,
                                  std::optional<uint64_t> offset,
                                  std::optional<ArrayRef<int64_t>> shape,
                                  std::optional<ArrayRef<int64_t>> strides) {
  emu::StreamOp s;
  s.inbound = inbound;
  std::string where = (Twine(inbound ? "stream_in " : "stream_out ") +
                       str(tensor) + " port " + port.getName())
                          .str();
  auto it = tensors.find(tensor.getValue());
  if (it == tensors.end())
    return err(where + ": unknown tensor");
  s.kind = it->second.first;
  s.tensor = it->second.second;
  s.side = port.getEast() ? wse::machine::Side::East : wse::machine::Side::West;
  s.port = port.getIndex();
  Expected<uint32_t> c = colorNumber(color, where);
  if (!c)
    return c.takeError();
  s.color = *c;
  const emu::TensorDecl &t = prog.tensors(s.kind)[s.tensor];
  if (shape) {
    s.slice.offset = offset ? *offset : 0;
    for (int64_t d : *shape)
      s.slice.shape.push_back(uint64_t(d));
    for (int64_t d : *strides)
      s.slice.strides.push_back(uint64_t(d));
  } else {
    s.slice.shape = t.shape;
    s.slice.strides.assign(t.shape.size(), 1);
    for (size_t d = t.shape.size(); d-- > 1;)
      s.slice.strides[d - 1] = s.slice.strides[d] * t.shape[d];
  }
  prog.streams.push_back(std::move(s));
  return llvm::Error::success();
}

Expected<emu::Program> Translator::run() {
  if (llvm::Error e = checkResolved())
    return std::move(e);
  if (wse::mesh::TargetAttr target = wse::mesh::getTarget(module)) {
    const wse::machine::MachineDescription &m = target.getMachine();
    std::optional<wse::machine::MachineDescription> preset =
        wse::machine::lookupPreset(m.name);
    if (preset && *preset == m)
      prog.machine = m.name;
  }
  if (llvm::Error e = addTensors())
    return std::move(e);
  for (Operation &op : module.getBody()->getOperations()) {
    llvm::Error e = llvm::Error::success();
    if (auto k = dyn_cast<KernelOp>(op))
      e = addKernel(k);
    if (e)
      return std::move(e);
  }
  for (Operation &op : module.getBody()->getOperations()) {
    llvm::Error e = llvm::Error::success();
    if (auto p = dyn_cast<PlaceOp>(op))
      e = addPlacement(p);
    else if (auto r = dyn_cast<RouteOp>(op))
      e = addRoute(r);
    else if (auto s = dyn_cast<StreamInOp>(op))
      e = addStream(s, s.getTensorAttr(), true, s.getPort(), s.getColor(),
                    s.getOffset(), s.getShape(), s.getStrides());
    else if (auto s = dyn_cast<StreamOutOp>(op))
      e = addStream(s, s.getTensorAttr(), false, s.getPort(), s.getColor(),
                    s.getOffset(), s.getShape(), s.getStrides());
    if (e)
      return std::move(e);
  }
  if (llvm::Error e = emu::verifyProgram(prog))
    return err("the emulator's verifier rejects the program: " +
               llvm::toString(std::move(e)));
  return std::move(prog);
}

} // namespace

Expected<emu::Program> wse::pe::toProgram(ModuleOp module,
                                          StringRef constantsFile,
                                          std::string &constants) {
  constants.clear();
  return Translator(module, constantsFile, constants).run();
}

Expected<emu::Program> wse::pe::toProgram(ModuleOp module,
                                          StringRef constantsFile) {
  std::string constants;
  Expected<emu::Program> prog = toProgram(module, constantsFile, constants);
  if (!prog || constants.empty())
    return prog;
  std::error_code ec;
  llvm::raw_fd_ostream os(constantsFile, ec, llvm::sys::fs::OF_None);
  if (ec)
    return err("cannot write the constants file '" + constantsFile +
               "': " + ec.message());
  os << constants;
  os.close();
  if (os.has_error())
    return err("cannot write the constants file '" + constantsFile + "'");
  return prog;
}

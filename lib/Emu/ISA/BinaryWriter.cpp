//===- BinaryWriter.cpp - Program -> binary -------------------------------===//

#include "wse/Emu/BinaryFormat.h"

#include <cstring>

using namespace llvm;

namespace wse::emu {

namespace {
class Writer {
public:
  std::string out;
  void u8(uint8_t v) { out.push_back(char(v)); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i)
      u8(uint8_t(v >> (8 * i)));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i)
      u8(uint8_t(v >> (8 * i)));
  }
  void f32(float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    u32(bits);
  }
  void str(StringRef s) {
    u32(s.size());
    out.append(s.data(), s.size());
  }
  void u64s(ArrayRef<uint64_t> xs) {
    u32(xs.size());
    for (uint64_t x : xs)
      u64(x);
  }
  void value(const Value &v) {
    u8(v.kind);
    u64(uint64_t(v.v));
  }
  void rect(const Rect &r) {
    u32(r.x);
    u32(r.y);
    u32(r.w);
    u32(r.h);
  }
  void tensor(const TensorDecl &t, uint32_t version) {
    str(t.name);
    u8(uint8_t(t.dtype));
    u64s(t.shape);
    str(t.file);
    u64(t.offset);
    if (version >= 2) {
      u8(t.range ? 1 : 0);
      if (t.range) {
        u64(uint64_t(t.range->first));
        u64(uint64_t(t.range->second));
      }
    }
    if (version >= 3)
      str(t.gradientOf);
  }
  void expr(const Expr &e) {
    u32(e.ops.size());
    for (const ExprOp &op : e.ops) {
      u8(uint8_t(op.kind));
      u64(uint64_t(op.arg));
    }
  }
  void operand(const Operand &o) {
    u8(uint8_t(o.kind));
    switch (o.kind) {
    case OperandKind::Mem:
      u32(uint32_t(o.buffer));
      value(o.a);
      value(o.b);
      value(o.c);
      break;
    case OperandKind::FabIn:
    case OperandKind::FabOut:
      value(o.a);
      value(o.b);
      break;
    case OperandKind::Value:
      value(o.a);
      break;
    case OperandKind::Float:
      f32(o.f);
      break;
    case OperandKind::Label:
    case OperandKind::Task:
      u32(o.index);
      break;
    }
  }
  void kernel(const Kernel &k) {
    str(k.name);
    u32(k.consts.size());
    for (const ConstDef &c : k.consts) {
      str(c.name);
      expr(c.expr);
    }
    u32(k.tables.size());
    for (const TableDef &t : k.tables) {
      str(t.name);
      u32(t.values.size());
      for (int64_t v : t.values)
        u64(uint64_t(v));
    }
    u32(k.buffers.size());
    for (const Buffer &b : k.buffers) {
      str(b.name);
      u64(b.address);
      u64(b.size);
      u8(b.hasInit);
      f32(b.init);
    }
    u32(k.tasks.size());
    for (const Task &t : k.tasks) {
      str(t.name);
      u8(uint8_t(t.trigger));
      value(t.color);
      u32(t.labels.size());
      for (const Label &l : t.labels) {
        str(l.name);
        u32(l.pc);
      }
      u32(t.code.size());
      for (const Instr &in : t.code) {
        u8(uint8_t(in.op));
        u8(in.numOperands);
        for (unsigned i = 0; i < in.numOperands; ++i)
          operand(in.ops[i]);
      }
    }
  }
};
} // namespace

std::string writeProgramBinary(const Program &p) {
  Writer w;
  w.out.append(kBinaryMagic, sizeof(kBinaryMagic));
  w.u32(p.version);
  w.str(p.machine);
  for (const auto *list : {&p.params, &p.inputs, &p.outputs}) {
    w.u32(list->size());
    for (const TensorDecl &t : *list)
      w.tensor(t, p.version);
  }
  w.u32(p.kernels.size());
  for (const Kernel &k : p.kernels)
    w.kernel(k);
  w.u32(p.placements.size());
  for (const Placement &pl : p.placements) {
    w.u32(pl.kernel);
    w.rect(pl.rect);
  }
  w.u32(p.routes.size());
  for (const Route &r : p.routes) {
    w.rect(r.rect);
    w.u32(r.color);
    w.u8(r.in);
    w.u8(r.outMask);
  }
  w.u32(p.streams.size());
  for (const StreamOp &s : p.streams) {
    w.u8(s.inbound);
    w.u8(uint8_t(s.kind));
    w.u32(s.tensor);
    w.u64(s.slice.offset);
    w.u64s(s.slice.shape);
    w.u64s(s.slice.strides);
    w.u8(uint8_t(s.side));
    w.u32(s.port);
    w.u32(s.color);
  }
  return std::move(w.out);
}

} // namespace wse::emu

//===- Disassembler.cpp - Program -> canonical text form ------------------===//

#include "wse/Emu/Expr.h"
#include "wse/Emu/TextFormat.h"

#include "llvm/Support/Format.h"

#include <cmath>

using namespace llvm;

namespace wse::emu {

std::string formatFloat(float f) {
  if (std::isnan(f))
    return std::signbit(f) ? "-nan" : "nan";
  if (std::isinf(f))
    return f < 0 ? "-inf" : "inf";
  char buf[64];
  snprintf(buf, sizeof(buf), "%.9g", double(f));
  std::string s = buf;
  // Shortest spelling that reads back to the same float keeps text tidy.
  for (int prec = 1; prec < 9; ++prec) {
    snprintf(buf, sizeof(buf), "%.*g", prec, double(f));
    if (std::strtof(buf, nullptr) == f) {
      s = buf;
      break;
    }
  }
  if (s.find_first_of(".en") == std::string::npos)
    s += ".0";
  return s;
}

namespace {
class Printer {
public:
  Printer(const Program &p, raw_ostream &os) : p(p), os(os) {}
  void run();

private:
  void tensor(StringRef kw, const TensorDecl &t, bool isParam);
  void kernel(const Kernel &k);
  void task(const Kernel &k, const Task &t);
  std::string value(const Kernel &k, const Value &v);
  std::string operand(const Kernel &k, const Task &t, const Operand &o);
  static std::string rect(const Rect &r) {
    return "rect(" + std::to_string(r.x) + ", " + std::to_string(r.y) + ", " +
           std::to_string(r.w) + ", " + std::to_string(r.h) + ")";
  }
  static std::string quote(StringRef s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    return out + "\"";
  }
  static std::string list(ArrayRef<uint64_t> xs) {
    std::string s = "[";
    for (size_t i = 0; i < xs.size(); ++i)
      s += (i ? ", " : "") + std::to_string(xs[i]);
    return s + "]";
  }
  const Program &p;
  raw_ostream &os;
};
} // namespace

void Printer::tensor(StringRef kw, const TensorDecl &t, bool isParam) {
  os << kw << " " << t.name << " : " << dtypeName(t.dtype) << list(t.shape);
  if (isParam)
    os << " file " << quote(t.file) << " offset " << t.offset;
  if (t.range)
    os << " range(" << t.range->first << ", " << t.range->second << ")";
  if (!t.gradientOf.empty())
    os << " gradient(" << t.gradientOf << ")";
  os << "\n";
}

std::string Printer::value(const Kernel &k, const Value &v) {
  switch (v.kind) {
  case Value::Imm:
    return std::to_string(v.v);
  case Value::Reg:
    return "r" + std::to_string(v.v);
  case Value::Const:
    return k.consts[v.v].name;
  }
  return "?";
}

std::string Printer::operand(const Kernel &k, const Task &t, const Operand &o) {
  switch (o.kind) {
  case OperandKind::Mem: {
    std::string s = "mem(";
    if (o.buffer >= 0) {
      s += k.buffers[o.buffer].name;
      if (!(o.a == Value::imm(0)))
        s += " + " + value(k, o.a);
    } else {
      s += value(k, o.a);
    }
    s += ", " + value(k, o.b);
    if (!(o.c == Value::imm(1)))
      s += ", " + value(k, o.c);
    return s + ")";
  }
  case OperandKind::FabIn:
  case OperandKind::FabOut:
    return std::string(o.kind == OperandKind::FabIn ? "in(" : "out(") +
           value(k, o.a) + ", " + value(k, o.b) + ")";
  case OperandKind::Value:
    return value(k, o.a);
  case OperandKind::Float:
    return formatFloat(o.f);
  case OperandKind::Label:
    for (const Label &l : t.labels)
      if (l.pc == o.index)
        return l.name;
    return "?";
  case OperandKind::Task:
    return k.tasks[o.index].name;
  }
  return "?";
}

void Printer::task(const Kernel &k, const Task &t) {
  os << "  task " << t.name;
  if (t.trigger == TriggerKind::Entry)
    os << " entry";
  else if (t.trigger == TriggerKind::Color)
    os << " on " << value(k, t.color);
  os << " {\n";
  size_t nextLabel = 0;
  auto labelsAt = [&](size_t pc) {
    // Labels are stored in pc order; print every label at this pc.
    for (size_t i = 0; i < t.labels.size(); ++i)
      if (t.labels[i].pc == pc)
        os << "  " << t.labels[i].name << ":\n";
  };
  (void)nextLabel;
  for (size_t pc = 0; pc < t.code.size(); ++pc) {
    labelsAt(pc);
    const Instr &in = t.code[pc];
    os << "    " << opcodeInfo(in.op).name;
    for (unsigned i = 0; i < in.numOperands; ++i)
      os << (i ? ", " : " ") << operand(k, t, in.ops[i]);
    os << "\n";
  }
  labelsAt(t.code.size());
  os << "  }\n";
}

void Printer::kernel(const Kernel &k) {
  os << "kernel " << k.name << " {\n";
  for (const TableDef &t : k.tables) {
    os << "  table " << t.name << " = [";
    for (size_t i = 0; i < t.values.size(); ++i)
      os << (i ? ", " : "") << t.values[i];
    os << "]\n";
  }
  // Tables first: constants may index them, and names must precede uses.
  for (const ConstDef &c : k.consts)
    os << "  const " << c.name << " = " << printExpr(c.expr, k) << "\n";
  for (const Buffer &b : k.buffers) {
    os << "  buffer " << b.name << "[" << b.size << "] at " << b.address;
    if (b.hasInit)
      os << " init " << formatFloat(b.init);
    os << "\n";
  }
  for (const Task &t : k.tasks)
    task(k, t);
  os << "}\n";
}

static bool isWholeTensor(const Slice &s, const TensorDecl &t) {
  if (s.offset != 0 || s.shape != t.shape)
    return false;
  uint64_t stride = 1;
  for (size_t d = s.shape.size(); d-- > 0;) {
    if (s.strides[d] != stride)
      return false;
    stride *= s.shape[d];
  }
  return true;
}

void Printer::run() {
  os << "version " << p.version << "\n";
  if (!p.machine.empty())
    os << "machine " << quote(p.machine) << "\n";
  for (const TensorDecl &t : p.params)
    tensor("param", t, true);
  for (const TensorDecl &t : p.inputs)
    tensor("input", t, false);
  for (const TensorDecl &t : p.outputs)
    tensor("output", t, false);
  for (const Kernel &k : p.kernels) {
    os << "\n";
    kernel(k);
  }
  if (!p.placements.empty())
    os << "\n";
  for (const Placement &pl : p.placements)
    os << "place " << p.kernels[pl.kernel].name << " " << rect(pl.rect) << "\n";
  if (!p.routes.empty())
    os << "\n";
  for (const Route &r : p.routes) {
    os << "route " << rect(r.rect) << " color " << r.color << " : "
       << dirLetter(r.in) << " ->";
    bool first = true;
    for (unsigned d = 0; d < kNumDirs; ++d)
      if (r.outMask & (1u << d)) {
        os << (first ? " " : ", ") << dirLetter(Dir(d));
        first = false;
      }
    os << "\n";
  }
  if (!p.streams.empty())
    os << "\n";
  for (const StreamOp &s : p.streams) {
    const TensorDecl &t = p.tensors(s.kind)[s.tensor];
    os << "stream " << (s.inbound ? "in " : "out ") << t.name;
    if (!isWholeTensor(s.slice, t))
      os << " offset " << s.slice.offset << " shape " << list(s.slice.shape)
         << " strides " << list(s.slice.strides);
    os << (s.inbound ? " to " : " from ")
       << (s.side == machine::Side::West ? "W" : "E") << s.port << " color "
       << s.color << "\n";
  }
}

void printProgramText(const Program &p, raw_ostream &os) {
  Printer(p, os).run();
}

std::string printProgramText(const Program &p) {
  std::string s;
  raw_string_ostream os(s);
  printProgramText(p, os);
  return s;
}

} // namespace wse::emu

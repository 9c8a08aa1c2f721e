//===- Verify.cpp - Machine-independent program checks --------------------===//

#include "wse/Emu/Verify.h"
#include "wse/Emu/Expr.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace wse::emu {

static Error err(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

// Keeps element counts far from uint64 overflow when multiplied by strides or
// dtype sizes.
static constexpr uint64_t kMaxElements = 1ull << 48;

static Error checkShape(const std::vector<uint64_t> &shape, const Twine &what) {
  if (shape.size() > kMaxRank)
    return err(what +
               formatv(": rank {0} exceeds {1}", shape.size(), kMaxRank));
  uint64_t n = 1;
  for (uint64_t d : shape) {
    if (d == 0)
      return err(what + ": zero-sized dimension");
    if (d > kMaxElements || n > kMaxElements / d)
      return err(what + ": too many elements");
    n *= d;
  }
  return Error::success();
}

// Host inputs and outputs live in host memory for the whole run (parameters
// are read lazily and have no such limit): cap them so a hostile shape is an
// error, not an allocation failure.
static constexpr uint64_t kMaxHostElements = 1ull << 31;

/// Names must read back from the text form (the lexer's identifiers): a
/// binary program naming a const "\xff" verified, printed, and did not
/// assemble (found by wse-fuzz-program).
static bool isIdentifier(StringRef name) {
  if (name.empty() || !(isAlpha(name[0]) || name[0] == '_'))
    return false;
  return llvm::all_of(
      name, [](char c) { return isAlnum(c) || c == '_' || c == '.'; });
}

static std::string notIdentifier(StringRef what, StringRef name) {
  return (what + " '" + name +
          "' is not an identifier (letters, digits, '_' and '.', starting "
          "with a letter or '_')")
      .str();
}

static std::string shapeText(ArrayRef<uint64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

static Error verifyTensors(const Program &p) {
  StringSet<> names;
  uint64_t hostElements = 0;
  auto check = [&](const std::vector<TensorDecl> &ts, StringRef kind) -> Error {
    for (const TensorDecl &t : ts) {
      if (t.name.empty())
        return err(kind + " with an empty name");
      if (!isIdentifier(t.name))
        return err(notIdentifier(kind, t.name));
      if (!names.insert(t.name).second)
        return err("tensor name '" + t.name + "' is declared twice");
      if (unsigned(t.dtype) > unsigned(DType::Bool))
        return err(kind + " '" + t.name + "': invalid dtype");
      if (Error e = checkShape(t.shape, kind + " '" + t.name + "'"))
        return e;
      if (kind == "param" && t.file.empty())
        return err("param '" + t.name + "' has no weight file");
      if (t.file.find('\n') != std::string::npos)
        return err(kind + " '" + t.name +
                   "': its weight file name holds a line break");
      if (kind == "output" && t.dtype != DType::F32)
        return err("output '" + t.name + "' must be f32");
      if (t.range) {
        if (kind != "input")
          return err(kind + " '" + t.name + "' has a range (only inputs may)");
        if (p.version < 2)
          return err("input '" + t.name +
                     "' has a range, which needs "
                     "program version 2");
        if (t.range->first >= t.range->second)
          return err(formatv("input '{0}' has the empty range [{1}, {2})",
                             t.name, t.range->first, t.range->second));
      }
      if (!t.gradientOf.empty()) {
        if (kind != "output")
          return err(kind + " '" + t.name +
                     "' is declared a gradient (only outputs may be)");
        if (p.version < 3)
          return err("output '" + t.name +
                     "' is declared a gradient, which needs program "
                     "version 3");
        const TensorDecl *param = nullptr;
        for (const TensorDecl &q : p.params)
          if (q.name == t.gradientOf)
            param = &q;
        if (!param)
          return err("output '" + t.name + "' is the gradient of '" +
                     t.gradientOf + "', which is not a param");
        if (param->dtype != DType::F32 || param->shape != t.shape)
          return err(formatv("output '{0}' is the gradient of '{1}', but "
                             "{1} is {2}{3}, not f32{4}",
                             t.name, t.gradientOf, dtypeName(param->dtype),
                             shapeText(param->shape), shapeText(t.shape)));
      }
      if (kind != "param") {
        hostElements += t.numElements();
        if (hostElements > kMaxHostElements)
          return err(formatv("{0} '{1}' brings host inputs and outputs to "
                             "more than 2^31 elements (the emulator keeps "
                             "them in memory)",
                             kind, t.name));
      }
    }
    return Error::success();
  };
  if (Error e = check(p.params, "param"))
    return e;
  if (Error e = check(p.inputs, "input"))
    return e;
  return check(p.outputs, "output");
}

namespace {
class KernelVerifier {
public:
  KernelVerifier(const Kernel &k) : k(k) {}

  Error run() {
    if (k.name.empty())
      return err("kernel with an empty name");
    if (!isIdentifier(k.name))
      return err(notIdentifier("kernel", k.name));
    StringSet<> names;
    auto unique = [&](const std::string &n, StringRef what) -> Error {
      if (n.empty())
        return bad(what + " with an empty name");
      if (!isIdentifier(n))
        return bad(notIdentifier(what, n));
      if (n.size() >= 2 && n[0] == 'r' && isdigit(n[1]))
        return bad(what + " '" + n + "' looks like a register name");
      if (!names.insert(n).second)
        return bad("name '" + n + "' is declared twice");
      return Error::success();
    };
    for (size_t i = 0; i < k.consts.size(); ++i) {
      if (Error e = unique(k.consts[i].name, "const"))
        return e;
      if (Error e = verifyExpr(k.consts[i].expr, i, k.tables.size()))
        return bad("const '" + k.consts[i].name +
                   "': " + toString(std::move(e)));
    }
    for (const TableDef &t : k.tables) {
      if (Error e = unique(t.name, "table"))
        return e;
      if (t.values.empty() || t.values.size() > (1u << 24))
        return bad("table '" + t.name + "' must have 1 to 2^24 entries");
    }
    for (size_t i = 0; i < k.buffers.size(); ++i) {
      const Buffer &b = k.buffers[i];
      if (Error e = unique(b.name, "buffer"))
        return e;
      if (b.size == 0 || b.size > (1ull << 32) || b.address > (1ull << 32))
        return bad("buffer '" + b.name + "' has an invalid size or address");
      // Buffers may share words: a compiler reuses SRAM for buffers whose
      // live ranges do not overlap. Accesses are still checked against the
      // buffer each descriptor names.
    }
    if (k.tasks.size() > kMaxTasks)
      return bad(formatv("more than {0} tasks", kMaxTasks));
    for (const Task &t : k.tasks)
      if (Error e = unique(t.name, "task"))
        return e;
    for (const Task &t : k.tasks)
      if (Error e = verifyTask(t))
        return e;
    return Error::success();
  }

private:
  Error bad(const Twine &msg) { return err("kernel '" + k.name + "': " + msg); }

  Error verifyValue(const Value &v, const Twine &where) {
    switch (v.kind) {
    case Value::Imm:
      return Error::success();
    case Value::Reg:
      if (v.v < 0 || v.v >= int64_t(kNumRegs))
        return bad(where + formatv(": register r{0} does not exist (r0-r{1})",
                                   v.v, kNumRegs - 1));
      return Error::success();
    case Value::Const:
      if (v.v < 0 || uint64_t(v.v) >= k.consts.size())
        return bad(where + formatv(": constant #{0} does not exist", v.v));
      return Error::success();
    }
    return bad(where + ": invalid value kind");
  }

  Error verifyTask(const Task &t) {
    std::string where = "task '" + t.name + "'";
    if (unsigned(t.trigger) > unsigned(TriggerKind::Color))
      return bad(where + ": invalid trigger");
    if (t.trigger == TriggerKind::Color) {
      if (t.color.kind == Value::Reg)
        return bad(where + ": a task's color cannot be a register");
      if (Error e = verifyValue(t.color, where))
        return e;
    }
    if (t.code.size() > (1u << 24))
      return bad(where + ": too many instructions");
    StringSet<> labels;
    for (size_t i = 1; i < t.labels.size(); ++i)
      if (t.labels[i].pc < t.labels[i - 1].pc)
        return bad(where + ": labels must be sorted by position");
    for (const Label &l : t.labels) {
      if (l.name.empty() || !labels.insert(l.name).second)
        return bad(where + ": label '" + l.name + "' is empty or duplicated");
      if (!isIdentifier(l.name))
        return bad(where + ": " + notIdentifier("label", l.name));
      if (l.pc > t.code.size())
        return bad(where + ": label '" + l.name + "' is past the end");
    }
    for (size_t pc = 0; pc < t.code.size(); ++pc)
      if (Error e = verifyInstr(t, t.code[pc],
                                where + formatv(", instruction {0}", pc).str()))
        return e;
    return Error::success();
  }

  Error verifyInstr(const Task &t, const Instr &in, const std::string &where) {
    if (unsigned(in.op) >= kNumOpcodes)
      return bad(where + formatv(": invalid opcode {0}", unsigned(in.op)));
    const OpcodeInfo &info = opcodeInfo(in.op);
    StringRef sig = info.signature;
    if (in.numOperands != sig.size())
      return bad(where + formatv(": '{0}' takes {1} operands, got {2}",
                                 info.name, sig.size(), in.numOperands));
    for (size_t i = 0; i < sig.size(); ++i) {
      const Operand &o = in.ops[i];
      std::string w =
          where + formatv(" ('{0}' operand {1})", info.name, i + 1).str();
      bool ok = false;
      switch (sig[i]) {
      case 'D':
        ok = o.kind == OperandKind::Mem || o.kind == OperandKind::FabOut;
        break;
      case 'M':
        ok = o.kind == OperandKind::Mem;
        break;
      case 'S':
        ok = o.kind == OperandKind::Mem || o.kind == OperandKind::FabIn;
        break;
      case 'F':
        ok = o.kind == OperandKind::Float;
        break;
      case 'R':
        ok = o.kind == OperandKind::Value && o.a.kind == Value::Reg;
        break;
      case 'V':
        ok = o.kind == OperandKind::Value;
        break;
      case 'L':
        ok = o.kind == OperandKind::Label;
        break;
      case 'T':
        ok = o.kind == OperandKind::Task;
        break;
      }
      if (!ok)
        return bad(w + ": wrong operand kind");
      switch (o.kind) {
      case OperandKind::Mem:
        if (o.buffer < -1 ||
            (o.buffer >= 0 && size_t(o.buffer) >= k.buffers.size()))
          return bad(w + formatv(": buffer #{0} does not exist", o.buffer));
        if (Error e = verifyValue(o.c, w))
          return e;
        [[fallthrough]];
      case OperandKind::FabIn:
      case OperandKind::FabOut:
        if (Error e = verifyValue(o.a, w))
          return e;
        if (Error e = verifyValue(o.b, w))
          return e;
        break;
      case OperandKind::Value:
        if (Error e = verifyValue(o.a, w))
          return e;
        break;
      case OperandKind::Label:
        if (o.index > t.code.size())
          return bad(w + ": branch target past the end of the task");
        // The text form names targets by label: every target needs one.
        if (llvm::none_of(t.labels,
                          [&](const Label &l) { return l.pc == o.index; }))
          return bad(w + formatv(": branch target {0} has no label", o.index));
        break;
      case OperandKind::Task:
        if (o.index >= k.tasks.size())
          return bad(w + formatv(": task #{0} does not exist", o.index));
        break;
      case OperandKind::Float:
        break;
      }
    }
    return Error::success();
  }

  const Kernel &k;
};
} // namespace

static Error checkRect(const Rect &r, const Twine &what) {
  if (r.w == 0 || r.h == 0)
    return err(what + ": empty rectangle");
  if (uint64_t(r.x) + r.w > 65536 || uint64_t(r.y) + r.h > 65536)
    return err(what + ": rectangle too large");
  return Error::success();
}

Error verifyProgram(const Program &p) {
  if (p.version < kMinProgramVersion || p.version > kProgramVersion)
    return err(formatv("unsupported program version {0} (this emulator "
                       "reads versions {1} to {2})",
                       p.version, kMinProgramVersion, kProgramVersion));
  // The text form quotes names on one line (found by wse-fuzz-program: a
  // binary program whose machine name held a line break verified, and its
  // text did not assemble).
  if (p.machine.find('\n') != std::string::npos)
    return err("the machine name holds a line break");
  if (Error e = verifyTensors(p))
    return e;
  StringSet<> kernelNames;
  for (const Kernel &k : p.kernels) {
    if (!kernelNames.insert(k.name).second)
      return err("kernel '" + k.name + "' is declared twice");
    if (Error e = KernelVerifier(k).run())
      return e;
  }
  for (size_t i = 0; i < p.placements.size(); ++i) {
    const Placement &pl = p.placements[i];
    if (pl.kernel >= p.kernels.size())
      return err(
          formatv("placement {0}: kernel #{1} does not exist", i, pl.kernel));
    if (Error e = checkRect(pl.rect, formatv("placement {0}", i)))
      return e;
  }
  for (size_t i = 0; i < p.routes.size(); ++i) {
    const Route &r = p.routes[i];
    if (Error e = checkRect(r.rect, formatv("route {0}", i)))
      return e;
    if (r.color > 255)
      return err(formatv("route {0}: color {1} out of range", i, r.color));
    if (unsigned(r.in) >= kNumDirs)
      return err(formatv("route {0}: invalid input direction", i));
    if (r.outMask == 0 || r.outMask >= (1u << kNumDirs))
      return err(formatv("route {0}: invalid output direction set", i));
  }
  for (size_t i = 0; i < p.streams.size(); ++i) {
    const StreamOp &s = p.streams[i];
    std::string where = formatv("stream {0}", i).str();
    if (unsigned(s.kind) > unsigned(TensorKind::Output))
      return err(where + ": invalid tensor kind");
    if (s.inbound == (s.kind == TensorKind::Output))
      return err(where + ": inbound streams read params/inputs, outbound "
                         "streams write outputs");
    const std::vector<TensorDecl> &ts = p.tensors(s.kind);
    if (s.tensor >= ts.size())
      return err(where + ": tensor does not exist");
    const TensorDecl &t = ts[s.tensor];
    if (s.slice.shape.size() != s.slice.strides.size())
      return err(where + ": slice shape and strides differ in rank");
    if (Error e = checkShape(s.slice.shape, where + " slice"))
      return e;
    uint64_t last = s.slice.offset;
    for (size_t d = 0; d < s.slice.shape.size(); ++d) {
      if (s.slice.strides[d] > kMaxElements)
        return err(where + ": slice stride too large");
      last += (s.slice.shape[d] - 1) * s.slice.strides[d];
    }
    if (s.slice.offset >= t.numElements() || last >= t.numElements())
      return err(where + formatv(": slice reaches element {0} of '{1}', which "
                                 "has {2} elements",
                                 last, t.name, t.numElements()));
    if (unsigned(s.side) > 1)
      return err(where + ": invalid port side");
    if (s.color > 255)
      return err(where +
                 formatv(": color {0} is out of range (at most 255)", s.color));
  }
  return Error::success();
}

} // namespace wse::emu

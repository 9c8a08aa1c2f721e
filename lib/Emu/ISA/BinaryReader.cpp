//===- BinaryReader.cpp - Binary -> Program, with bounds checks -----------===//

#include "wse/Emu/BinaryFormat.h"
#include "wse/Emu/TextFormat.h"
#include "wse/Emu/Verify.h"
#include "wse/Support/InputFile.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>

using namespace llvm;

namespace wse::emu {

bool hasBinaryMagic(StringRef bytes) {
  return bytes.size() >= sizeof(kBinaryMagic) &&
         memcmp(bytes.data(), kBinaryMagic, sizeof(kBinaryMagic)) == 0;
}

namespace {
/// Every read checks the remaining size; after the first failure all reads
/// return zeros and `error` holds the message with the byte offset.
class Reader {
public:
  explicit Reader(StringRef bytes) : bytes(bytes) {}
  StringRef bytes;
  size_t pos = 0;
  std::string error;

  bool ok() const { return error.empty(); }
  size_t remaining() const { return bytes.size() - pos; }
  void fail(const Twine &msg) {
    if (error.empty())
      error = formatv("at byte {0}: ", pos).str() + msg.str();
  }
  bool need(size_t n, StringRef what) {
    if (!ok())
      return false;
    if (remaining() < n) {
      fail("file is truncated while reading " + what);
      return false;
    }
    return true;
  }
  uint8_t u8(StringRef what) {
    if (!need(1, what))
      return 0;
    return uint8_t(bytes[pos++]);
  }
  uint32_t u32(StringRef what) {
    if (!need(4, what))
      return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= uint32_t(uint8_t(bytes[pos + i])) << (8 * i);
    pos += 4;
    return v;
  }
  uint64_t u64(StringRef what) {
    if (!need(8, what))
      return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
      v |= uint64_t(uint8_t(bytes[pos + i])) << (8 * i);
    pos += 8;
    return v;
  }
  float f32(StringRef what) {
    uint32_t bits = u32(what);
    float f;
    memcpy(&f, &bits, 4);
    return f;
  }
  /// A count of items each taking at least `minBytes`: rejects counts the
  /// rest of the file cannot hold before anything is allocated.
  uint32_t count(size_t minBytes, StringRef what) {
    uint32_t n = u32(what);
    if (ok() && uint64_t(n) * minBytes > remaining()) {
      fail(formatv("{0} count {1} exceeds the remaining {2} bytes", what, n,
                   remaining()));
      return 0;
    }
    return n;
  }
  std::string str(StringRef what) {
    uint32_t n = count(1, what);
    if (!ok())
      return {};
    std::string s(bytes.data() + pos, n);
    pos += n;
    return s;
  }
  std::vector<uint64_t> u64s(StringRef what) {
    uint32_t n = count(8, what);
    std::vector<uint64_t> v;
    v.reserve(n);
    for (uint32_t i = 0; i < n && ok(); ++i)
      v.push_back(u64(what));
    return v;
  }
  template <typename E> E enumVal(unsigned max, StringRef what) {
    uint8_t v = u8(what);
    if (v > max)
      fail(formatv("invalid {0} {1}", what, v));
    return E(v);
  }
  Value value(StringRef what) {
    Value v;
    v.kind = enumVal<Value::Kind>(Value::Const, what);
    v.v = int64_t(u64(what));
    return v;
  }
  Rect rect() {
    Rect r;
    r.x = u32("rect");
    r.y = u32("rect");
    r.w = u32("rect");
    r.h = u32("rect");
    return r;
  }
  TensorDecl tensor(uint32_t version) {
    TensorDecl t;
    t.name = str("tensor name");
    t.dtype = enumVal<DType>(unsigned(DType::Bool), "dtype");
    t.shape = u64s("tensor shape");
    t.file = str("weight file name");
    t.offset = u64("weight offset");
    if (version >= 2 && enumVal<uint8_t>(1, "range flag")) {
      int64_t lo = int64_t(u64("range")), hi = int64_t(u64("range"));
      t.range = std::make_pair(lo, hi);
    }
    if (version >= 3)
      t.gradientOf = str("gradient's parameter name");
    return t;
  }
  Expr expr() {
    Expr e;
    uint32_t n = count(9, "expression");
    e.ops.reserve(n);
    for (uint32_t i = 0; i < n && ok(); ++i) {
      ExprOp op;
      op.kind = enumVal<ExprOpKind>(unsigned(ExprOpKind::Select),
                                    "expression opcode");
      op.arg = int64_t(u64("expression"));
      e.ops.push_back(op);
    }
    return e;
  }
  Operand operand() {
    Operand o;
    o.kind = enumVal<OperandKind>(unsigned(OperandKind::Task), "operand kind");
    if (!ok())
      return o;
    switch (o.kind) {
    case OperandKind::Mem:
      o.buffer = int32_t(u32("operand"));
      o.a = value("operand");
      o.b = value("operand");
      o.c = value("operand");
      break;
    case OperandKind::FabIn:
    case OperandKind::FabOut:
      o.a = value("operand");
      o.b = value("operand");
      break;
    case OperandKind::Value:
      o.a = value("operand");
      break;
    case OperandKind::Float:
      o.f = f32("operand");
      break;
    case OperandKind::Label:
    case OperandKind::Task:
      o.index = u32("operand");
      break;
    }
    return o;
  }
  Kernel kernel() {
    Kernel k;
    k.name = str("kernel name");
    uint32_t n = count(8, "constant");
    for (uint32_t i = 0; i < n && ok(); ++i) {
      ConstDef c;
      c.name = str("constant name");
      c.expr = expr();
      k.consts.push_back(std::move(c));
    }
    n = count(8, "table");
    for (uint32_t i = 0; i < n && ok(); ++i) {
      TableDef t;
      t.name = str("table name");
      uint32_t m = count(8, "table entry");
      t.values.reserve(m);
      for (uint32_t j = 0; j < m && ok(); ++j)
        t.values.push_back(int64_t(u64("table entry")));
      k.tables.push_back(std::move(t));
    }
    n = count(25, "buffer");
    for (uint32_t i = 0; i < n && ok(); ++i) {
      Buffer b;
      b.name = str("buffer name");
      b.address = u64("buffer address");
      b.size = u64("buffer size");
      b.hasInit = u8("buffer init flag") != 0;
      b.init = f32("buffer init");
      k.buffers.push_back(std::move(b));
    }
    n = count(22, "task");
    for (uint32_t i = 0; i < n && ok(); ++i) {
      Task t;
      t.name = str("task name");
      t.trigger =
          enumVal<TriggerKind>(unsigned(TriggerKind::Color), "task trigger");
      t.color = value("task color");
      uint32_t m = count(8, "label");
      for (uint32_t j = 0; j < m && ok(); ++j) {
        Label l;
        l.name = str("label name");
        l.pc = u32("label position");
        t.labels.push_back(std::move(l));
      }
      m = count(2, "instruction");
      t.code.reserve(m);
      for (uint32_t j = 0; j < m && ok(); ++j) {
        Instr in;
        in.op = enumVal<Opcode>(kNumOpcodes - 1, "opcode");
        in.numOperands = u8("operand count");
        if (in.numOperands > kMaxOperands) {
          fail(formatv("instruction has {0} operands (at most {1})",
                       in.numOperands, kMaxOperands));
          break;
        }
        for (unsigned o = 0; o < in.numOperands && ok(); ++o)
          in.ops[o] = operand();
        t.code.push_back(in);
      }
      k.tasks.push_back(std::move(t));
    }
    return k;
  }
};
} // namespace

Expected<Program> readProgramBinary(StringRef bytes, StringRef name) {
  auto bad = [&](const Twine &msg) {
    return createStringError(inconvertibleErrorCode(),
                             name + ": invalid binary program: " + msg);
  };
  if (!hasBinaryMagic(bytes))
    return bad("missing the WSEPROG magic");
  Reader r(bytes);
  r.pos = sizeof(kBinaryMagic);
  Program p;
  p.version = r.u32("version");
  if (r.ok() && (p.version < kMinProgramVersion || p.version > kProgramVersion))
    return bad(formatv("unsupported version {0} (this emulator reads "
                       "versions {1} to {2})",
                       p.version, kMinProgramVersion, kProgramVersion));
  p.machine = r.str("machine name");
  for (auto *list : {&p.params, &p.inputs, &p.outputs}) {
    uint32_t n = r.count(21, "tensor");
    for (uint32_t i = 0; i < n && r.ok(); ++i)
      list->push_back(r.tensor(p.version));
  }
  uint32_t n = r.count(20, "kernel");
  for (uint32_t i = 0; i < n && r.ok(); ++i)
    p.kernels.push_back(r.kernel());
  n = r.count(20, "placement");
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    Placement pl;
    pl.kernel = r.u32("placement");
    pl.rect = r.rect();
    p.placements.push_back(pl);
  }
  n = r.count(22, "route");
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    Route rt;
    rt.rect = r.rect();
    rt.color = r.u32("route color");
    rt.in = r.enumVal<Dir>(Ramp, "route direction");
    rt.outMask = r.u8("route outputs");
    p.routes.push_back(rt);
  }
  n = r.count(31, "stream");
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    StreamOp s;
    s.inbound = r.u8("stream direction") != 0;
    s.kind = r.enumVal<TensorKind>(unsigned(TensorKind::Output), "tensor kind");
    s.tensor = r.u32("stream tensor");
    s.slice.offset = r.u64("slice offset");
    s.slice.shape = r.u64s("slice shape");
    s.slice.strides = r.u64s("slice strides");
    s.side = r.enumVal<machine::Side>(1, "port side");
    s.port = r.u32("port");
    s.color = r.u32("stream color");
    p.streams.push_back(std::move(s));
  }
  if (r.ok() && r.remaining() != 0)
    r.fail(formatv("{0} unexpected trailing bytes", r.remaining()));
  if (!r.ok())
    return bad(r.error);
  if (Error e = verifyProgram(p))
    return createStringError(inconvertibleErrorCode(),
                             name + ": " + toString(std::move(e)));
  return std::move(p);
}

Expected<Program> loadProgramFile(StringRef path) {
  // Bounded: /dev/zero was read until memory ran out.
  Expected<std::unique_ptr<MemoryBuffer>> buf =
      readInputFile(path, kMaxInputFileBytes, "program");
  if (!buf)
    return buf.takeError();
  StringRef bytes = (*buf)->getBuffer();
  if (hasBinaryMagic(bytes))
    return readProgramBinary(bytes, path);
  return parseProgramText(bytes, path);
}

} // namespace wse::emu

//===- Core.cpp - PE core: tasks, scalar control, vector instructions -----===//

#include "Band.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdio>

using namespace llvm;

namespace wse::emu {

std::string SimulatorImpl::where(const CoreState &c) const {
  const Kernel &k = prog.kernels[c.kernel];
  std::string s = peName(c.slot);
  if (c.task >= 0) {
    const Task &t = k.tasks[c.task];
    s += formatv(" task '{0}' instruction {1}", t.name, c.pc).str();
    if (c.pc < t.code.size())
      s += formatv(" ({0})", opcodeInfo(t.code[c.pc].op).name).str();
  }
  return s;
}

bool Band::fail(const CoreState &c, const Twine &msg) {
  coreFailed = true;
  uint64_t rank = &c - cores.data();
  if (rank < errorRank) {
    errorRank = rank;
    error = formatv("at cycle {0}: ", localTime).str() + sim.where(c) + ": " +
            msg.str();
  }
  return false;
}

void Band::sleepCore(CoreState &c, uint64_t until) {
  c.state = CoreState::Sleeping;
  c.sleepUntil = until;
  wakeHeap.push({until, uint32_t(&c - cores.data())});
}

void Band::block(CoreState &c, CoreState::State s, uint32_t q, bool wasBlocked,
                 uint64_t blockedSince) {
  c.state = s;
  c.waitQueue = q;
  c.blockStart = wasBlocked ? blockedSince : now;
  const Queue &Q = queues[q];
  // Events that happened earlier this cycle, or data already in flight,
  // would not wake the core again: schedule those wake-ups now.
  if (s == CoreState::BlockedRx && Q.count)
    wakeCore(c, qslots[Q.base + Q.head].ready);
  if (s == CoreState::BlockedTx && Q.popCycle == now)
    wakeCore(c, now + 1);
}

int Band::pickTask(CoreState &c) {
  const Kernel &k = prog.kernels[c.kernel];
  for (size_t t = 0; t < k.tasks.size(); ++t) {
    if (k.tasks[t].trigger != TriggerKind::Color) {
      if (c.activated & (1ull << t)) {
        c.activated &= ~(1ull << t);
        return int(t);
      }
      continue;
    }
    uint32_t q = c.taskQueue[t];
    if (q == kNone || !queues[q].count)
      continue;
    if (headReady(q))
      return int(t);
    wakeCore(c, headReadyCycle(q));
  }
  return -1;
}

void Band::endTask(CoreState &c, uint64_t t) {
  if (opts.trace) {
    addTrace({prog.kernels[c.kernel].tasks[c.task].name, kTaskPid,
              pes[c.slot].y * mach.width + pes[c.slot].x, c.taskStart,
              t - c.taskStart});
    c.lastTaskEnd = t;
  }
  c.task = -1;
  c.pc = 0;
}

void Band::closeMark(CoreState &c, uint64_t t) {
  if (!c.inMark)
    return;
  TraceEvent e{"mark " + std::to_string(c.markId), kMarkPid,
               pes[c.slot].y * mach.width + pes[c.slot].x, c.markStart,
               std::max(t, c.markStart) - c.markStart};
  e.mark = c.markId;
  addTrace(std::move(e));
  c.inMark = false;
}

bool Band::resolve(CoreState &c, const Instr &in, uint64_t &n,
                   bool &streaming) {
  const Kernel &k = prog.kernels[c.kernel];
  const char *name = opcodeInfo(in.op).name;
  c.numDesc = 0;
  bool anyIn = false;
  for (unsigned i = 0; i < in.numOperands; ++i) {
    const Operand &o = in.ops[i];
    if (o.kind != OperandKind::Mem && o.kind != OperandKind::FabIn &&
        o.kind != OperandKind::FabOut)
      continue;
    Desc &d = c.desc[c.numDesc++];
    d.kind = o.kind;
    d.buffer = o.buffer;
    int64_t len = val(c, o.b);
    if (len < 0 || len > (int64_t(1) << 32))
      return fail(c, formatv("operand {0} has invalid length {1}", i + 1, len));
    d.len = uint64_t(len);
    if (o.kind == OperandKind::Mem) {
      int64_t stride = val(c, o.c);
      if (stride < -(int64_t(1) << 32) || stride > (int64_t(1) << 32))
        return fail(
            c, formatv("operand {0} has invalid stride {1}", i + 1, stride));
      int64_t off = val(c, o.a);
      if (off < -(int64_t(1) << 40) || off > (int64_t(1) << 40))
        return fail(c,
                    formatv("operand {0} has invalid address {1}", i + 1, off));
      d.base = off + (o.buffer >= 0 ? int64_t(k.buffers[o.buffer].address) : 0);
      d.stride = stride;
      if (d.len == 0)
        continue;
      int64_t span = int64_t(d.len - 1) * stride;
      int64_t lo = d.base + std::min<int64_t>(0, span);
      int64_t hi = d.base + std::max<int64_t>(0, span);
      if (lo < 0 || hi >= int64_t(mach.sramWords()))
        return fail(c, formatv("operand {0} of '{1}' (base {2}, length {3}, "
                               "stride {4}) covers words [{5}, {6}], outside "
                               "the SRAM of {7} words",
                               i + 1, name, d.base, d.len, stride, lo, hi,
                               mach.sramWords()));
      if (o.buffer >= 0) {
        const Buffer &b = k.buffers[o.buffer];
        if (lo < int64_t(b.address) || hi >= int64_t(b.address + b.size))
          return fail(c,
                      formatv("operand {0} of '{1}' covers words [{2}, {3}], "
                              "outside buffer '{4}' [{5}, {6})",
                              i + 1, name, lo, hi, b.name, b.address,
                              b.address + b.size));
      }
      if (uint64_t(hi) >= c.mem.size()) {
        c.mem.resize(mach.sramWords(), 0.0f);
        if (opts.checkUninitialized)
          c.written.resize(mach.sramWords(), 0);
      }
      continue;
    }
    int64_t color = val(c, o.a);
    if (color < 0 || color >= int64_t(mach.colors))
      return fail(c, formatv("operand {0} uses color {1}, but machine '{2}' "
                             "has colors 0-{3}",
                             i + 1, color, mach.name, mach.colors - 1));
    // A zero-length fabric descriptor moves nothing, so it needs no route:
    // SPMD code may name a color that this PE does not route.
    if (d.len == 0) {
      d.queue = kNone;
      continue;
    }
    if (o.kind == OperandKind::FabIn) {
      d.queue = findRx(pes[c.slot], color);
      if (d.queue == kNone)
        return fail(c, formatv("reads color {0}, but no route delivers color "
                               "{0} to this core (add a route with output R)",
                               color));
      for (unsigned j = 0; j + 1 < c.numDesc; ++j)
        if (c.desc[j].kind == OperandKind::FabIn && c.desc[j].queue == d.queue)
          return fail(
              c, formatv("reads color {0} twice in one instruction", color));
      anyIn = true;
    } else {
      d.queue = findRouterIn(pes[c.slot], color, Ramp);
      if (d.queue == kNone)
        return fail(c, formatv("writes color {0}, but this PE has no route for "
                               "color {0} from its ramp (R)",
                               color));
    }
  }
  bool reduction = isReduction(in.op);
  const Desc &dst = c.desc[0];
  if (reduction) {
    if (dst.len != 1)
      return fail(c, formatv("the destination of '{0}' must have length 1, not "
                             "{1}",
                             name, dst.len));
    n = c.desc[1].len;
  } else {
    n = dst.len;
    for (unsigned j = 1; j < c.numDesc; ++j)
      if (c.desc[j].len != n)
        return fail(c, formatv("operand {0} has {1} elements but the "
                               "destination has {2}",
                               j + 1, c.desc[j].len, n));
  }
  // A zero-length instruction moves no wavelets, so it takes the memory-only
  // path: it costs the issue cycles, and a reduction of nothing still writes
  // (or sends) its identity, 0 for rsum and -inf for rmax.
  streaming =
      n > 0 && (anyIn || (dst.kind == OperandKind::FabOut && !reduction));
  return true;
}

bool Band::checkWritten(CoreState &c, const Desc &d, uint64_t n,
                        unsigned operand) {
  if (!opts.checkUninitialized || d.kind != OperandKind::Mem)
    return true;
  for (uint64_t i = 0; i < n; ++i) {
    int64_t a = d.base + int64_t(i) * d.stride;
    if (!c.written[a]) {
      const Kernel &k = prog.kernels[c.kernel];
      std::string buf = "no buffer";
      for (const Buffer &b : k.buffers)
        if (uint64_t(a) >= b.address && uint64_t(a) < b.address + b.size)
          buf =
              formatv("buffer '{0}' element {1}", b.name, a - b.address).str();
      return fail(c, formatv("operand {0} reads word {1} ({2}) before anything "
                             "wrote it",
                             operand + 1, a, buf));
    }
  }
  return true;
}

bool Band::checkResult(const CoreState &c, float v, ArrayRef<float> in,
                       uint64_t i) {
  bool nan = opts.stopOnNaN && std::isnan(v) &&
             llvm::none_of(in, [](float x) { return std::isnan(x); });
  bool inf = opts.stopOnInf && std::isinf(v) &&
             llvm::all_of(in, [](float x) { return std::isfinite(x); });
  if (!nan && !inf)
    return true;
  auto text = [](float x) {
    char buffer[32];
    snprintf(buffer, sizeof(buffer), "%g", double(x));
    return std::string(buffer);
  };
  std::string from;
  for (float x : in)
    from += (from.empty() ? "" : ", ") + text(x);
  return fail(c, formatv("element {0} of the result is {1}{2} (--stop-on-{3})",
                         i, text(v), from.empty() ? "" : " from " + from,
                         nan ? "nan" : "inf"));
}

bool Band::checkElement(const CoreState &c, Opcode op, const float *s,
                        unsigned numSrc, float old, float v, uint64_t i) {
  float in[4] = {s[0], s[1], s[2], 0.0f};
  unsigned n = numSrc;
  if (op == Opcode::Fmac)
    in[n++] = old;
  return checkResult(c, v, ArrayRef<float>(in, n), i);
}

static float apply1(Opcode op, float a) {
  switch (op) {
  case Opcode::Copy:
    return a;
  case Opcode::Exp:
    return std::exp(a);
  case Opcode::Tanh:
    return std::tanh(a);
  case Opcode::Erf:
    return std::erf(a);
  case Opcode::Sigmoid:
    return 1.0f / (1.0f + std::exp(-a));
  case Opcode::Rsqrt:
    return 1.0f / std::sqrt(a);
  case Opcode::Sqrt:
    return std::sqrt(a);
  case Opcode::Neg:
    return -a;
  case Opcode::Abs:
    return std::fabs(a);
  case Opcode::Recip:
    return 1.0f / a;
  case Opcode::Log:
    return std::log(a);
  default:
    return 0;
  }
}

static float apply2(Opcode op, float a, float b) {
  switch (op) {
  case Opcode::Add:
    return a + b;
  case Opcode::Sub:
    return a - b;
  case Opcode::Mul:
    return a * b;
  case Opcode::Div:
    return a / b;
  case Opcode::Max:
    return std::fmax(a, b);
  case Opcode::Min:
    return std::fmin(a, b);
  default:
    return 0;
  }
}

/// Element i of a vector instruction given its source values; `d` is the
/// destination's old value (fmac) and `acc` the reduction accumulator.
static float compute(Opcode op, const float *s, float d, float fimm) {
  switch (op) {
  case Opcode::Fill:
  case Opcode::IFill:
    return fimm;
  case Opcode::Fma:
    return s[0] * s[1] + s[2];
  case Opcode::Fmac:
    return d + s[0] * s[1];
  case Opcode::Select:
    return s[0] != 0.0f ? s[1] : s[2];
  case Opcode::Add:
  case Opcode::Sub:
  case Opcode::Mul:
  case Opcode::Div:
  case Opcode::Max:
  case Opcode::Min:
    return apply2(op, s[0], s[1]);
  default:
    return apply1(op, s[0]);
  }
}

void Band::execMemory(CoreState &c, const Instr &in, uint64_t n) {
  unsigned numSrc = c.numDesc - 1;
  for (unsigned j = 1; j < c.numDesc; ++j)
    if (!checkWritten(c, c.desc[j], n, j))
      return;
  if (in.op == Opcode::Fmac && !checkWritten(c, c.desc[0], n, 0))
    return;
  float *m = c.mem.data();
  const Desc &D = c.desc[0];
  auto at = [&](const Desc &d, uint64_t i) -> float & {
    return m[d.base + int64_t(i) * d.stride];
  };
  if (isReduction(in.op)) {
    float acc = in.op == Opcode::RSum ? 0.0f : -INFINITY;
    const Desc &A = c.desc[1];
    for (uint64_t i = 0; i < n; ++i) {
      float next =
          in.op == Opcode::RSum ? acc + at(A, i) : std::fmax(acc, at(A, i));
      if (checkingResults() && !checkReductionStep(c, acc, at(A, i), next, i))
        return;
      acc = next;
    }
    if (D.kind == OperandKind::Mem) {
      at(D, 0) = acc;
      if (opts.checkUninitialized)
        c.written[D.base] = 1;
    } else {
      c.pendingPush = true;
      c.pendingValue = acc;
      c.pendingQueue = D.queue;
    }
    return;
  }
  const Desc &A = c.desc[numSrc >= 1 ? 1 : 0], &B = c.desc[numSrc >= 2 ? 2 : 0],
             &C = c.desc[numSrc >= 3 ? 3 : 0];
  if (checkingResults()) {
    // Each element checked before it is written (D may alias an operand).
    float imm = in.op == Opcode::Fill    ? in.ops[1].f
                : in.op == Opcode::IFill ? float(val(c, in.ops[1].a))
                                         : 0.0f;
    for (uint64_t i = 0; i < n; ++i) {
      float s[3] = {numSrc >= 1 ? at(A, i) : 0.0f,
                    numSrc >= 2 ? at(B, i) : 0.0f,
                    numSrc >= 3 ? at(C, i) : 0.0f};
      float old = in.op == Opcode::Fmac ? at(D, i) : 0.0f;
      float v = compute(in.op, s, old, imm);
      if (!checkElement(c, in.op, s, numSrc, old, v, i))
        return;
      at(D, i) = v;
    }
    if (opts.checkUninitialized)
      for (uint64_t i = 0; i < n; ++i)
        c.written[D.base + int64_t(i) * D.stride] = 1;
    return;
  }
  // The common operations get tight loops; the rest share the generic path.
  switch (in.op) {
  case Opcode::Fill:
  case Opcode::IFill: {
    float f = in.op == Opcode::Fill ? in.ops[1].f : float(val(c, in.ops[1].a));
    for (uint64_t i = 0; i < n; ++i)
      at(D, i) = f;
    break;
  }
  case Opcode::Copy:
    for (uint64_t i = 0; i < n; ++i)
      at(D, i) = at(A, i);
    break;
  case Opcode::Add:
    for (uint64_t i = 0; i < n; ++i)
      at(D, i) = at(A, i) + at(B, i);
    break;
  case Opcode::Mul:
    for (uint64_t i = 0; i < n; ++i)
      at(D, i) = at(A, i) * at(B, i);
    break;
  case Opcode::Fmac:
    for (uint64_t i = 0; i < n; ++i)
      at(D, i) += at(A, i) * at(B, i);
    break;
  case Opcode::Fma:
    for (uint64_t i = 0; i < n; ++i)
      at(D, i) = at(A, i) * at(B, i) + at(C, i);
    break;
  default: {
    float s[3];
    for (uint64_t i = 0; i < n; ++i) {
      s[0] = at(A, i);
      s[1] = at(B, i);
      s[2] = at(C, i);
      at(D, i) = compute(in.op, s, at(D, i), 0);
    }
    break;
  }
  }
  if (opts.checkUninitialized)
    for (uint64_t i = 0; i < n; ++i)
      c.written[D.base + int64_t(i) * D.stride] = 1;
}

bool Band::streamElement(CoreState &c, const Instr &in, bool &wasBlocked,
                         uint64_t blockedSince) {
  bool reduction = isReduction(in.op);
  bool last = c.vecI + 1 == c.vecN;
  for (unsigned j = 1; j < c.numDesc; ++j) {
    const Desc &d = c.desc[j];
    if (d.kind == OperandKind::FabIn && !headReady(d.queue)) {
      block(c, CoreState::BlockedRx, d.queue, wasBlocked, blockedSince);
      return false;
    }
  }
  const Desc &D = c.desc[0];
  if (D.kind == OperandKind::FabOut && (!reduction || last) &&
      !canPush(D.queue)) {
    block(c, CoreState::BlockedTx, D.queue, wasBlocked, blockedSince);
    return false;
  }
  if (wasBlocked) {
    c.stalled += now - blockedSince;
    wasBlocked = false;
  }
  float s[3] = {0, 0, 0};
  for (unsigned j = 1; j < c.numDesc; ++j) {
    const Desc &d = c.desc[j];
    if (d.kind == OperandKind::FabIn) {
      s[j - 1] = pop(d.queue);
    } else {
      int64_t a = d.base + int64_t(c.vecI) * d.stride;
      if (opts.checkUninitialized && !c.written[a]) {
        Desc one = d;
        one.base = a;
        return checkWritten(c, one, 1, j);
      }
      s[j - 1] = c.mem[a];
    }
  }
  if (reduction) {
    float next = in.op == Opcode::RSum ? c.acc + s[0] : std::fmax(c.acc, s[0]);
    if (checkingResults() && !checkReductionStep(c, c.acc, s[0], next, c.vecI))
      return false;
    c.acc = next;
  } else {
    float old = 0;
    int64_t a = D.base + int64_t(c.vecI) * D.stride;
    if (in.op == Opcode::Fmac) {
      if (opts.checkUninitialized && !c.written[a]) {
        Desc one = D;
        one.base = a;
        return checkWritten(c, one, 1, 0);
      }
      old = c.mem[a];
    }
    float v = compute(in.op, s, old,
                      in.op == Opcode::Fill    ? in.ops[1].f
                      : in.op == Opcode::IFill ? float(val(c, in.ops[1].a))
                                               : 0.0f);
    if (checkingResults() &&
        !checkElement(c, in.op, s, c.numDesc - 1, old, v, c.vecI))
      return false;
    if (D.kind == OperandKind::FabOut) {
      push(D.queue, v, now + mach.rampLatency);
    } else {
      c.mem[a] = v;
      if (opts.checkUninitialized)
        c.written[a] = 1;
    }
  }
  c.flops += flopsPerElement(in.op);
  ++c.busy;
  if (++c.vecI == c.vecN) {
    if (reduction) {
      if (D.kind == OperandKind::FabOut) {
        push(D.queue, c.acc, now + mach.rampLatency);
      } else {
        c.mem[D.base] = c.acc;
        if (opts.checkUninitialized)
          c.written[D.base] = 1;
      }
    }
    c.inVec = false;
    ++c.pc;
  }
  return true;
}

void Band::stepCore(CoreState &c) {
  if (c.lastStep == now)
    return;
  if (c.state == CoreState::Sleeping && c.sleepUntil > now)
    return;
  c.lastStep = now;
  coreFailed = false;
  bool wasBlocked =
      c.state == CoreState::BlockedRx || c.state == CoreState::BlockedTx;
  uint64_t blockedSince = c.blockStart;
  c.state = CoreState::Active;
  const Kernel &k = prog.kernels[c.kernel];
  uint64_t t = now;
  // Bounds the local run-ahead so that endless scalar loops still reach the
  // cycle limit check.
  const uint64_t horizon = now + 65536;
  while (!coreFailed) {
    localTime = t;
    if (c.pendingPush) {
      if (t > now)
        return sleepCore(c, t);
      if (!canPush(c.pendingQueue))
        return block(c, CoreState::BlockedTx, c.pendingQueue, wasBlocked,
                     blockedSince);
      if (wasBlocked) {
        c.stalled += now - blockedSince;
        wasBlocked = false;
      }
      push(c.pendingQueue, c.pendingValue, now + mach.rampLatency);
      c.pendingPush = false;
      ++c.pc;
      ++c.busy;
      t = now + 1;
      progress = true;
      continue;
    }
    if (c.task < 0) {
      if (t > now)
        return sleepCore(c, t);
      int next = pickTask(c);
      if (next < 0) {
        c.state = CoreState::Idle;
        return;
      }
      c.task = next;
      c.pc = 0;
      c.taskStart = t;
      ++c.tasksRun;
      t += mach.taskSwitchCycles;
      c.busy += mach.taskSwitchCycles;
      progress = true;
      continue;
    }
    const Task &task = k.tasks[c.task];
    if (c.pc >= task.code.size()) {
      endTask(c, t);
      continue;
    }
    if (t >= horizon)
      return sleepCore(c, t);
    const Instr &in = task.code[c.pc];
    if (isVectorOp(in.op)) {
      if (!c.inVec) {
        uint64_t n;
        bool streaming;
        if (!resolve(c, in, n, streaming))
          return;
        uint64_t issue = mach.instrIssueCycles;
        if (!streaming) {
          execMemory(c, in, n);
          if (coreFailed)
            return;
          uint64_t cost =
              issue + (n + mach.simdF32Lanes - 1) / mach.simdF32Lanes;
          t += cost;
          c.busy += cost;
          c.flops += n * flopsPerElement(in.op);
          progress = true;
          if (!c.pendingPush)
            ++c.pc;
          continue;
        }
        c.inVec = true;
        c.vecI = 0;
        c.vecN = n;
        c.acc = in.op == Opcode::RMax ? -INFINITY : 0.0f;
        t += issue;
        c.busy += issue;
        progress = true;
        continue;
      }
      if (t > now)
        return sleepCore(c, t);
      if (!streamElement(c, in, wasBlocked, blockedSince))
        return;
      progress = true;
      if (c.inVec) {
        nextActiveCores.push_back(uint32_t(&c - cores.data()));
        return;
      }
      t = now + 1;
      continue;
    }
    // Scalar control.
    t += mach.instrIssueCycles;
    c.busy += mach.instrIssueCycles;
    progress = true;
    auto v = [&](unsigned i) { return val(c, in.ops[i].a); };
    auto jump = [&](bool cond) {
      c.pc = cond ? in.ops[in.numOperands - 1].index : c.pc + 1;
    };
    switch (in.op) {
    case Opcode::Mov:
      c.regs[in.ops[0].a.v] = v(1);
      ++c.pc;
      break;
    case Opcode::IAdd:
      c.regs[in.ops[0].a.v] = int64_t(uint64_t(v(1)) + uint64_t(v(2)));
      ++c.pc;
      break;
    case Opcode::ISub:
      c.regs[in.ops[0].a.v] = int64_t(uint64_t(v(1)) - uint64_t(v(2)));
      ++c.pc;
      break;
    case Opcode::IMul:
      c.regs[in.ops[0].a.v] = int64_t(uint64_t(v(1)) * uint64_t(v(2)));
      ++c.pc;
      break;
    case Opcode::Br:
      jump(true);
      break;
    case Opcode::Beq:
      jump(v(0) == v(1));
      break;
    case Opcode::Bne:
      jump(v(0) != v(1));
      break;
    case Opcode::Blt:
      jump(v(0) < v(1));
      break;
    case Opcode::Bge:
      jump(v(0) >= v(1));
      break;
    case Opcode::Activate:
      c.activated |= 1ull << in.ops[0].index;
      ++c.pc;
      break;
    case Opcode::Ret:
      c.pc = task.code.size();
      break;
    case Opcode::Mark: {
      auto [it, inserted] = marks.try_emplace(v(0));
      MarkStats &m = it->second;
      if (inserted) {
        m.id = v(0);
        m.first = t;
      }
      m.first = std::min<uint64_t>(m.first, t);
      m.last = std::max<uint64_t>(m.last, t);
      ++m.count;
      if (opts.trace) {
        closeMark(c, t);
        c.inMark = true;
        c.markId = v(0);
        c.markStart = t;
      }
      ++c.pc;
      break;
    }
    default:
      ++c.pc;
      break;
    }
  }
}

} // namespace wse::emu

//===- CodeLayout.cpp - Structured pe code as the emulator's flat code ----===//

#include "dialects/pe/IR/CodeLayout.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SparseBitVector.h"
#include "llvm/ADT/StringMap.h"

#include <set>

using namespace mlir;
using namespace wse::pe;
namespace emu = wse::emu;
using Role = FlatInstr::Role;

//===----------------------------------------------------------------------===//
// Layout.
//===----------------------------------------------------------------------===//

namespace {

class Layout {
public:
  explicit Layout(TaskOp task) : ctx(task.getContext()), task(task) {}

  FlatTask run() {
    // The return id gets a virtual register above every one the task names.
    unsigned maxReg = 0;
    task->walk([&](Operation *op) {
      op->getAttrDictionary().walk(
          [&](RegAttr r) { maxReg = std::max(maxReg, r.getIndex()); });
    });
    retId = RegAttr::get(ctx, maxReg + 1);

    SmallVector<SubroutineOp> subs;
    for (Operation &op : task.getBody().front()) {
      if (auto s = dyn_cast<SubroutineOp>(op))
        subs.push_back(s);
      else
        emitOp(&op);
    }
    for (SubroutineOp s : subs) {
      place(subLabel(s.getSymName()));
      emitBlock(s.getBody().front());
      // The ISA has no indirect jump: branch back to the call site whose id
      // the caller left in the return id register.
      for (const Site &site : sites[s.getSymName()])
        push(emu::Opcode::Beq, {retId, imm(site.id), site.back}, s,
             Role::Return);
    }
    return std::move(flat);
  }

private:
  struct Site {
    int64_t id;
    FlatSymbolRefAttr back;
  };

  MLIRContext *ctx;
  TaskOp task;
  FlatTask flat;
  RegAttr retId;
  unsigned nextLabel = 0;
  int64_t nextCall = 0;
  llvm::StringMap<SmallVector<Site>> sites;

  Attribute imm(int64_t v) {
    return IntegerAttr::get(IntegerType::get(ctx, 64), v);
  }
  FlatSymbolRefAttr newLabel(StringRef kind) {
    return FlatSymbolRefAttr::get(ctx, (kind + "_" + Twine(nextLabel++)).str());
  }
  FlatSymbolRefAttr subLabel(StringRef name) {
    return FlatSymbolRefAttr::get(ctx, ("sub_" + name).str());
  }
  void place(FlatSymbolRefAttr label) {
    flat.labels.push_back({label.getValue().str(), uint32_t(flat.code.size())});
  }
  void push(emu::Opcode op, ArrayRef<Attribute> operands, Operation *origin,
            Role role = Role::Control) {
    FlatInstr in{op, {operands.begin(), operands.end()}, origin, role};
    flat.code.push_back(std::move(in));
  }

  void emitBlock(Block &block) {
    for (Operation &op : block)
      emitOp(&op);
  }

  void emitOp(Operation *op) {
    if (auto l = dyn_cast<LoopOp>(op))
      return emitLoop(l);
    if (auto i = dyn_cast<IfOp>(op))
      return emitIf(i);
    if (auto c = dyn_cast<CallOp>(op))
      return emitCall(c);
    // The verifier admits only code here.
    auto instr = cast<InstructionOp>(op);
    push(*getOpcode(op), instr.getInstrOperands(), op, Role::Code);
  }

  void emitLoop(LoopOp l) {
    for (auto [reg, init] : llvm::zip(l.getIters(), l.getInits()))
      push(emu::Opcode::Mov, {reg, init}, l);
    Attribute counter = l.getCounter();
    push(emu::Opcode::Mov, {counter, imm(0)}, l);
    FlatSymbolRefAttr head = newLabel(l.getLayers() ? "layer" : "loop");
    // A count known to be positive (always so over layers) is tested at the
    // bottom: one branch per iteration instead of two.
    std::optional<int64_t> n = getImmediate(l.getCount());
    bool testAtBottom = n && *n > 0;
    FlatSymbolRefAttr done;
    place(head);
    if (!testAtBottom) {
      done = newLabel("done");
      push(emu::Opcode::Bge, {counter, l.getCount(), done}, l);
    }
    emitBlock(l.getBody().front());
    push(emu::Opcode::IAdd, {counter, counter, imm(1)}, l);
    for (auto [reg, step] : llvm::zip(l.getIters(), l.getSteps()))
      push(emu::Opcode::IAdd, {reg, reg, imm(step)}, l);
    Role back = l.getLayers() ? Role::LayerLoopBack : Role::LoopBack;
    if (testAtBottom) {
      push(emu::Opcode::Blt, {counter, l.getCount(), head}, l, back);
      return;
    }
    push(emu::Opcode::Br, {head}, l, back);
    place(done);
  }

  void emitIf(IfOp i) {
    FlatSymbolRefAttr skip = newLabel(i.hasElse() ? "else" : "endif");
    Attribute lhs = i.getLhs(), rhs = i.getRhs();
    switch (i.getPredicate()) {
    case Predicate::eq:
      push(emu::Opcode::Bne, {lhs, rhs, skip}, i);
      break;
    case Predicate::ne:
      push(emu::Opcode::Beq, {lhs, rhs, skip}, i);
      break;
    case Predicate::lt:
      push(emu::Opcode::Bge, {lhs, rhs, skip}, i);
      break;
    case Predicate::ge:
      push(emu::Opcode::Blt, {lhs, rhs, skip}, i);
      break;
    case Predicate::in:
      push(emu::Opcode::Blt, {lhs, rhs, skip}, i);
      push(emu::Opcode::Bge, {lhs, i.getUpperAttr(), skip}, i);
      break;
    }
    emitBlock(i.getThenBlock());
    if (!i.hasElse()) {
      place(skip);
      return;
    }
    FlatSymbolRefAttr end = newLabel("endif");
    push(emu::Opcode::Br, {end}, i);
    place(skip);
    emitBlock(i.getElseRegion().front());
    place(end);
  }

  void emitCall(CallOp c) {
    auto sub = cast<SubroutineOp>(
        SymbolTable::lookupSymbolIn(task, c.getCalleeAttr()));
    for (auto [param, arg] : llvm::zip(sub.getParams(), c.getArgs()))
      push(emu::Opcode::Mov, {param, arg}, c);
    int64_t id = nextCall++;
    push(emu::Opcode::Mov, {retId, imm(id)}, c);
    FlatSymbolRefAttr back = newLabel("ret");
    sites[sub.getSymName()].push_back({id, back});
    push(emu::Opcode::Br, {subLabel(sub.getSymName())}, c);
    place(back);
  }
};

} // namespace

FlatTask wse::pe::layOutTask(TaskOp task) { return Layout(task).run(); }

//===----------------------------------------------------------------------===//
// Registers.
//===----------------------------------------------------------------------===//

namespace {

using RegSet = llvm::SparseBitVector<>;

/// A straight run of instructions: entered at its first, left at its last.
struct BasicBlock {
  uint32_t begin, end; ///< [begin, end) in the flat code
  SmallVector<unsigned, 2> succs;
  RegSet liveIn, liveOut;
};

class RegisterAssignment {
public:
  RegisterAssignment(TaskOp task, FlatTask &flat, unsigned numRegisters)
      : task(task), flat(flat), numRegisters(std::min(numRegisters, 32u)) {}

  LogicalResult run() {
    collectDefsAndUses();
    buildBlocks();
    solveLiveness();
    buildInterference();
    return color();
  }

private:
  TaskOp task;
  FlatTask &flat;
  unsigned numRegisters;
  /// Dense numbers of the virtual registers, in order of their index.
  SmallVector<unsigned> virtualOf;
  llvm::DenseMap<unsigned, unsigned> denseOf;
  std::vector<SmallVector<unsigned, 1>> defs;
  std::vector<SmallVector<unsigned, 4>> uses;
  std::vector<BasicBlock> blocks;
  struct Subroutine {
    unsigned entry = 0; ///< its first block
    RegSet defs, uses;
  };
  /// By first instruction.
  llvm::DenseMap<uint32_t, Subroutine> subAt;
  /// The call sites' branches -> the first instruction of the callee.
  llvm::DenseMap<uint32_t, uint32_t> callee;
  std::vector<llvm::DenseSet<unsigned>> neighbours;
  /// Where the most values are live, for the error.
  uint32_t busiestPc = 0;
  size_t busiestCount = 0;

  void collectDefsAndUses() {
    std::set<unsigned> all;
    for (const FlatInstr &in : flat.code)
      for (Attribute a : in.operands)
        a.walk([&](RegAttr r) { all.insert(r.getIndex()); });
    for (unsigned v : all) {
      denseOf[v] = virtualOf.size();
      virtualOf.push_back(v);
    }
    defs.resize(flat.code.size());
    uses.resize(flat.code.size());
    for (auto [pc, in] : llvm::enumerate(flat.code)) {
      StringRef sig = emu::opcodeInfo(in.opcode).signature;
      for (auto [i, a] : llvm::enumerate(in.operands)) {
        if (i < sig.size() && sig[i] == 'R') {
          if (auto r = dyn_cast<RegAttr>(a)) {
            defs[pc].push_back(denseOf[r.getIndex()]);
            continue;
          }
        }
        a.walk([&](RegAttr r) { uses[pc].push_back(denseOf[r.getIndex()]); });
      }
    }
  }

  void buildBlocks() {
    size_t n = flat.code.size();
    llvm::StringMap<uint32_t> labelPc;
    std::vector<bool> leader(n + 1, false);
    leader[0] = true;
    for (const FlatLabel &l : flat.labels) {
      labelPc[l.name] = l.pc;
      leader[l.pc] = true;
    }
    auto target = [&](const FlatInstr &in) -> std::optional<uint32_t> {
      for (Attribute a : in.operands)
        if (auto s = dyn_cast<FlatSymbolRefAttr>(a))
          if (auto it = labelPc.find(s.getValue()); it != labelPc.end())
            return it->second;
      return std::nullopt;
    };
    auto isBranch = [](emu::Opcode op) {
      return op == emu::Opcode::Br || op == emu::Opcode::Beq ||
             op == emu::Opcode::Bne || op == emu::Opcode::Blt ||
             op == emu::Opcode::Bge;
    };
    for (size_t pc = 0; pc < n; ++pc)
      if (isBranch(flat.code[pc].opcode) ||
          flat.code[pc].opcode == emu::Opcode::Ret)
        leader[pc + 1] = true;
    std::vector<unsigned> blockAt(n + 1, 0);
    for (uint32_t pc = 0; pc < n;) {
      uint32_t end = pc + 1;
      while (end < n && !leader[end])
        ++end;
      for (uint32_t i = pc; i < end; ++i)
        blockAt[i] = blocks.size();
      blocks.push_back({pc, end, {}, {}, {}});
      pc = end;
    }
    // Subroutines: where each starts, and what its body defines and reads.
    // A call is summarized at its branch (it reads what the subroutine
    // reads before writing, and clobbers what it writes) and continues at
    // its return point; the subroutine's branches back lead nowhere. So a
    // value live after one call site is not made live at every other one
    // (the return chain reaches every site, but each return takes one).
    llvm::StringMap<uint32_t> subStart;
    for (const FlatLabel &l : flat.labels)
      if (StringRef(l.name).starts_with("sub_"))
        subStart[l.name] = l.pc;
    SmallVector<uint32_t> starts;
    for (auto &e : subStart)
      starts.push_back(e.second);
    llvm::sort(starts);
    for (size_t i = 0; i < starts.size(); ++i) {
      uint32_t end = i + 1 < starts.size() ? starts[i + 1] : uint32_t(n);
      Subroutine sub;
      sub.entry = blockAt[starts[i]];
      for (uint32_t pc = starts[i]; pc < end; ++pc) {
        for (unsigned d : defs[pc])
          sub.defs.set(d);
        for (unsigned u : uses[pc])
          sub.uses.set(u);
      }
      subAt[starts[i]] = std::move(sub);
    }
    for (BasicBlock &b : blocks) {
      const FlatInstr &last = flat.code[b.end - 1];
      // The last branch back of a subroutine does not continue into the
      // next subroutine.
      bool lastReturn =
          last.role == FlatInstr::Role::Return &&
          (b.end == n || flat.code[b.end].role != FlatInstr::Role::Return);
      bool fallsThrough = last.opcode != emu::Opcode::Br &&
                          last.opcode != emu::Opcode::Ret && b.end < n &&
                          !lastReturn;
      if (fallsThrough)
        b.succs.push_back(blockAt[b.end]);
      if (!isBranch(last.opcode) || last.role == FlatInstr::Role::Return)
        continue;
      std::optional<uint32_t> t = target(last);
      if (!t || *t >= n)
        continue;
      if (last.opcode == emu::Opcode::Br && subAt.count(*t)) {
        callee[b.end - 1] = *t;
        if (b.end < n)
          b.succs.push_back(blockAt[b.end]);
        continue;
      }
      b.succs.push_back(blockAt[*t]);
    }
  }

  /// Liveness across instruction `pc` backwards: a call's summary, or the
  /// instruction's own defs and uses.
  void step(uint32_t pc, RegSet &live) {
    if (auto it = callee.find(pc); it != callee.end()) {
      const Subroutine &sub = subAt[it->second];
      live.intersectWithComplement(sub.defs);
      live |= blocks[sub.entry].liveIn;
      return;
    }
    for (unsigned d : defs[pc])
      live.reset(d);
    for (unsigned u : uses[pc])
      live.set(u);
  }

  /// live-in = uses before a def, plus live-out minus defs, backwards.
  RegSet transfer(const BasicBlock &b, RegSet live) {
    for (uint32_t pc = b.end; pc-- > b.begin;)
      step(pc, live);
    return live;
  }

  void solveLiveness() {
    bool changed = true;
    while (changed) {
      changed = false;
      for (size_t i = blocks.size(); i-- > 0;) {
        BasicBlock &b = blocks[i];
        RegSet out;
        for (unsigned s : b.succs)
          out |= blocks[s].liveIn;
        RegSet in = transfer(b, out);
        if (in != b.liveIn || out != b.liveOut) {
          b.liveIn = std::move(in);
          b.liveOut = std::move(out);
          changed = true;
        }
      }
    }
  }

  void addEdge(unsigned a, unsigned b) {
    if (a == b)
      return;
    neighbours[a].insert(b);
    neighbours[b].insert(a);
  }

  void buildInterference() {
    neighbours.resize(virtualOf.size());
    for (const BasicBlock &b : blocks) {
      RegSet live = b.liveOut;
      for (uint32_t pc = b.end; pc-- > b.begin;) {
        if (auto it = callee.find(pc); it != callee.end()) {
          // What the subroutine writes must not hold a value live across
          // the call.
          const Subroutine &sub = subAt[it->second];
          for (unsigned d : sub.defs)
            for (unsigned l : live)
              addEdge(d, l);
        }
        for (unsigned d : defs[pc])
          for (unsigned l : live)
            addEdge(d, l);
        size_t count = live.count();
        if (count > busiestCount) {
          busiestCount = count;
          busiestPc = pc;
        }
        step(pc, live);
      }
    }
    // Values read before any write (a register's initial zero) are all
    // live when the task starts.
    if (!blocks.empty()) {
      SmallVector<unsigned> entry;
      for (unsigned r : blocks.front().liveIn)
        entry.push_back(r);
      for (unsigned a : entry)
        for (unsigned b : entry)
          addEdge(a, b);
    }
  }

  LogicalResult color() {
    std::vector<int> phys(virtualOf.size(), -1);
    for (unsigned v = 0; v < virtualOf.size(); ++v) {
      uint32_t taken = 0;
      for (unsigned n : neighbours[v])
        if (phys[n] >= 0 && phys[n] < 32)
          taken |= 1u << phys[n];
      unsigned p = 0;
      while (p < numRegisters && (taken >> p & 1))
        ++p;
      if (p == numRegisters) {
        const FlatInstr &at = flat.code[busiestPc];
        return at.origin->emitError()
               << "task @" << task.getSymName() << " needs more than "
               << numRegisters << " registers: " << busiestCount
               << " values are live at once after instruction " << busiestPc
               << " ('" << emu::opcodeInfo(at.opcode).name
               << "'), and register "
               << RegAttr::get(task.getContext(), virtualOf[v])
               << " finds none free";
      }
      phys[v] = int(p);
      flat.registers[virtualOf[v]] = p;
    }
    return success();
  }
};

} // namespace

LogicalResult wse::pe::assignRegisters(TaskOp task, FlatTask &flat,
                                       unsigned numRegisters) {
  return RegisterAssignment(task, flat, numRegisters).run();
}

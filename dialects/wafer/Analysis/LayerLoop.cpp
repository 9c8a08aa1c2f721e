//===- LayerLoop.cpp - Repeated layers of a model function ----------------===//

#include "dialects/wafer/Analysis/LayerLoop.h"
#include "dialects/wafer/IR/WaferOps.h"

#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace wse;
using namespace wse::wafer;

/// Attributes that differ between iterations without changing the code: a
/// stream's parameter and its place in the schedule, and the annotation.
static bool ignoredAttr(Operation *op, StringRef name) {
  if (name == kLayerAttrName || name == "pe.param" || name == kStepAttrName)
    return true;
  if (isa<CheckpointOp>(op) && name == "layer")
    return true;
  return isa<StreamOp, StreamOutOp>(op) &&
         (name == "name" || name == "order" || name == "start_cycle" ||
          name == "end_cycle");
}

static SmallVector<NamedAttribute> comparedAttrs(Operation *op) {
  SmallVector<NamedAttribute> attrs;
  for (NamedAttribute a : op->getAttrs())
    if (!ignoredAttr(op, a.getName().getValue()))
      attrs.push_back(a);
  return attrs;
}

/// Everything about an op except its operands.
static llvm::hash_code shapeHash(Operation *op) {
  llvm::hash_code h = llvm::hash_combine(op->getName(), op->getNumOperands(),
                                         op->getNumRegions());
  for (Type t : op->getResultTypes())
    h = llvm::hash_combine(h, t);
  for (NamedAttribute a : comparedAttrs(op))
    h = llvm::hash_combine(h, a.getName(), a.getValue());
  return h;
}

static bool sameShape(Operation *a, Operation *b) {
  if (a->getName() != b->getName() ||
      a->getNumOperands() != b->getNumOperands() ||
      a->getResultTypes() != b->getResultTypes() ||
      a->getNumRegions() != b->getNumRegions())
    return false;
  if (comparedAttrs(a) != comparedAttrs(b))
    return false;
  for (auto [ra, rb] : llvm::zip(a->getRegions(), b->getRegions()))
    if (!OperationEquivalence::isRegionEquivalentTo(
            &ra, &rb, OperationEquivalence::IgnoreLocations))
      return false;
  return true;
}

namespace {
/// Where the ops of the function are.
struct OpIndex {
  llvm::DenseMap<Operation *, unsigned> position;
  unsigned of(Value v) const {
    Operation *def = v.getDefiningOp();
    auto it = def ? position.find(def) : position.end();
    return it == position.end() ? ~0u : it->second;
  }
};
} // namespace

static std::string describe(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "'" << op->getName() << "' at " << op->getLoc();
  return s;
}

bool wafer::checkLayerLoop(
    func::FuncOp func, unsigned first, unsigned period, unsigned count,
    LayerLoop &loop, std::string &why, const LayerLoop *source,
    ArrayRef<std::pair<unsigned, unsigned>> keptResults) {
  loop = LayerLoop();
  for (Operation &op : func.getBody().front().without_terminator())
    loop.ops.push_back(&op);
  loop.first = first;
  loop.period = period;
  loop.count = count;
  if (count < 2 || period == 0 || loop.end() > loop.ops.size()) {
    why = "the loop does not fit in the function";
    return false;
  }
  OpIndex index;
  for (auto [i, op] : llvm::enumerate(loop.ops))
    index.position[op] = i;
  auto fail = [&](Operation *op, const Twine &msg) {
    why = (describe(op) + ": " + msg).str();
    return false;
  };
  // Where value v lies in `source`: (iteration, op), if it is a result of
  // one of its body ops.
  auto inSource = [&](Value v) -> std::optional<std::pair<unsigned, unsigned>> {
    unsigned p = index.of(v);
    if (!source || p == ~0u || p < source->first || p >= source->end())
      return std::nullopt;
    return std::make_pair((p - source->first) / source->period,
                          (p - source->first) % source->period);
  };
  llvm::DenseMap<std::pair<unsigned, unsigned>, std::pair<unsigned, unsigned>>
      keptBy;
  llvm::DenseMap<Value, std::pair<unsigned, unsigned>> carriedBy;
  llvm::DenseMap<std::pair<unsigned, unsigned>, bool> isConstant;
  // Layer i's constant in the place of each of layer 0's: one each.
  llvm::DenseMap<std::pair<unsigned, Value>, Value> constantOf;
  for (unsigned k = 0; k < period; ++k) {
    Operation *a = loop.at(0, k);
    // Operands of the first iteration defined before the loop.
    for (unsigned i = 1; i < count; ++i) {
      Operation *b = loop.at(i, k);
      if (!sameShape(a, b))
        return fail(b, "differs from op " + Twine(k) + " of the first layer " +
                           describe(a));
      for (unsigned j = 0; j < a->getNumOperands(); ++j) {
        Value u0 = a->getOperand(j), u = b->getOperand(j);
        if (u0.getType() != u.getType())
          return fail(b, "operand " + Twine(j) + " has another type");
        unsigned p0 = index.of(u0), p = index.of(u);
        unsigned iterStart = first + i * period;
        bool uInThis = p != ~0u && p >= iterStart && p < iterStart + period;
        bool uInPrev = p != ~0u && p >= iterStart - period && p < iterStart;
        bool u0Inside = p0 != ~0u && p0 >= first && p0 < first + period;
        unsigned result =
            u.getDefiningOp() ? cast<OpResult>(u).getResultNumber() : 0;
        if (uInThis) {
          if (!u0Inside || p0 + i * period != p ||
              cast<OpResult>(u0).getResultNumber() != result)
            return fail(b, "operand " + Twine(j) +
                               " is not the first layer's value");
          continue;
        }
        if (uInPrev) {
          if (u0Inside || (p0 != ~0u && p0 >= first))
            return fail(b, "operand " + Twine(j) +
                               " comes from the previous layer, but the first "
                               "layer's does not come from before the loop");
          auto key = std::make_pair(p - (iterStart - period), result);
          auto [it, inserted] = carriedBy.try_emplace(u0, key);
          if (!inserted && it->second != key)
            return fail(b, "operand " + Twine(j) +
                               " is carried from another op than in the "
                               "layer before");
          continue;
        }
        if (p != ~0u && p >= first)
          return fail(b, "operand " + Twine(j) +
                             " comes from a layer before the previous one");
        // Defined before the loop: a kept value of the source loop's
        // iteration count - 1 - i, in the place of the first layer's.
        if (auto at0 = inSource(u0)) {
          auto at = inSource(u);
          unsigned r0 = cast<OpResult>(u0).getResultNumber();
          if (!at || source->count != count ||
              at0->first != source->count - 1 ||
              at->first != source->count - 1 - i || at->second != at0->second ||
              result != r0)
            return fail(b, "operand " + Twine(j) +
                               " is not the value the earlier loop's layer " +
                               Twine(source->count - 1 - i) +
                               " made where the first layer reads its last "
                               "layer's");
          keptBy[{k, j}] = {at0->second, r0};
          continue;
        }
        if (u == u0) {
          if (carriedBy.count(u0))
            return fail(b, "operand " + Twine(j) +
                               " is both carried and read by every layer");
          continue;
        }
        auto c0 = u0.getDefiningOp<ConstantOp>();
        auto c = u.getDefiningOp<ConstantOp>();
        if (!c0 || !c)
          return fail(b, "operand " + Twine(j) +
                             " is another value defined before the loop");
        auto [it, inserted] = constantOf.try_emplace({i, u0}, u);
        if (!inserted && it->second != u)
          return fail(b, "operand " + Twine(j) +
                             " is another constant than where the first "
                             "layer reads the same one");
        isConstant[{k, j}] = true;
      }
    }
  }
  // Values a layer reads must be the ones it alone uses where they are
  // per-layer constants and entries; only the last layer's values may be
  // read after the loop.
  for (unsigned i = 0; i < count; ++i)
    for (unsigned k = 0; k < period; ++k)
      for (Value r : loop.at(i, k)->getResults())
        for (Operation *user : r.getUsers()) {
          auto it = index.position.find(user);
          unsigned at = it == index.position.end() ? ~0u : it->second;
          if (at >= loop.end() && i + 1 != count &&
              !llvm::is_contained(
                  keptResults,
                  std::make_pair(k, cast<OpResult>(r).getResultNumber())))
            return fail(loop.at(i, k), "its result is read after the loop by " +
                                           describe(user));
        }
  for (auto &[entry, key] : carriedBy) {
    for (Operation *user : entry.getUsers()) {
      auto it = index.position.find(user);
      unsigned at = it == index.position.end() ? ~0u : it->second;
      if (at >= first + period && at < loop.end())
        return fail(user, "reads the loop's entry value in a later layer");
    }
    loop.carried.push_back({entry, key.first, key.second});
  }
  for (auto &[key, _] : isConstant) {
    for (unsigned i = 0; i < count; ++i) {
      Value c = loop.at(i, key.first)->getOperand(key.second);
      for (Operation *user : c.getUsers()) {
        auto it = index.position.find(user);
        unsigned at = it == index.position.end() ? ~0u : it->second;
        unsigned start = first + i * period;
        if (at < start || at >= start + period)
          return fail(user, "reads a per-layer constant of another layer");
      }
    }
    loop.constants.push_back({key.first, key.second});
  }
  for (auto &[use, def] : keptBy)
    loop.kept.push_back({use.first, use.second, def.first, def.second});
  llvm::sort(loop.kept, [](const LayerLoop::Kept &x, const LayerLoop::Kept &y) {
    return std::make_pair(x.op, x.operand) < std::make_pair(y.op, y.operand);
  });
  // Deterministic order (the maps iterate by hash).
  llvm::sort(loop.carried, [&](const LayerLoop::Carried &x,
                               const LayerLoop::Carried &y) {
    return std::make_pair(x.op, x.result) < std::make_pair(y.op, y.result);
  });
  llvm::sort(loop.constants, [](const LayerLoop::IterationConstant &x,
                                const LayerLoop::IterationConstant &y) {
    return std::make_pair(x.op, x.operand) < std::make_pair(y.op, y.operand);
  });
  return true;
}

std::optional<LayerLoop> wafer::findLayerLoop(func::FuncOp func) {
  SmallVector<Operation *> ops;
  for (Operation &op : func.getBody().front().without_terminator())
    ops.push_back(&op);
  unsigned n = ops.size();
  SmallVector<llvm::hash_code> hash;
  for (Operation *op : ops)
    hash.push_back(shapeHash(op));
  struct Candidate {
    unsigned first, period, count;
  };
  SmallVector<Candidate> candidates;
  for (unsigned p = 1; 2 * p <= n; ++p) {
    unsigned a = 0;
    while (a + p < n) {
      if (hash[a] != hash[a + p]) {
        ++a;
        continue;
      }
      unsigned len = 0;
      while (a + len + p < n && hash[a + len] == hash[a + len + p])
        ++len;
      // hash[j] == hash[j + p] for j in [a, a + len): iterations may span
      // [s, s + count * p) with s + count * p <= a + len + p.
      if (len >= p)
        for (unsigned s = a; s < a + p && s + 2 * p <= a + len + p; ++s)
          candidates.push_back({s, p, (a + len + p - s) / p});
      a += std::max(len, 1u);
    }
  }
  auto saved = [](const Candidate &c) { return (c.count - 1) * c.period; };
  llvm::stable_sort(candidates, [&](const Candidate &x, const Candidate &y) {
    return saved(x) > saved(y);
  });
  std::optional<LayerLoop> best;
  unsigned bestSaved = 0;
  for (const Candidate &c : candidates) {
    if (best && saved(c) < bestSaved)
      break;
    // An early or late iteration may differ (e.g. have a value read after
    // the loop): fewer iterations may still form a loop.
    for (unsigned skip = 0; skip + 2 <= c.count; ++skip)
      for (unsigned count = c.count - skip; count >= 2; --count) {
        if (best && (count - 1) * c.period < bestSaved)
          break;
        LayerLoop loop;
        std::string why;
        if (!checkLayerLoop(func, c.first + skip * c.period, c.period, count,
                            loop, why))
          continue;
        unsigned s = (count - 1) * c.period;
        if (!best || s > bestSaved ||
            (s == bestSaved && loop.carried.size() < best->carried.size())) {
          best = std::move(loop);
          bestSaved = s;
        }
        break;
      }
  }
  return best;
}

FailureOr<std::optional<LayerLoop>> wafer::getLayerLoop(func::FuncOp func) {
  SmallVector<Operation *> ops;
  for (Operation &op : func.getBody().front().without_terminator())
    ops.push_back(&op);
  std::optional<unsigned> first;
  unsigned last = 0, count = 0;
  for (auto [i, op] : llvm::enumerate(ops)) {
    auto layer = op->getAttrOfType<IntegerAttr>(kLayerAttrName);
    if (!layer)
      continue;
    if (!first)
      first = i;
    last = i;
    count = std::max<unsigned>(count, layer.getInt() + 1);
  }
  if (!first)
    return std::optional<LayerLoop>();
  unsigned span = last - *first + 1;
  auto bad = [&](const Twine &msg) {
    func.emitError("the '") << kLayerAttrName << "' annotations are not a "
                            << "layer loop: " << msg;
    return failure();
  };
  if (count < 2 || span % count != 0)
    return bad("expected consecutive layers of equally many ops");
  unsigned period = span / count;
  for (unsigned i = 0; i < span; ++i) {
    auto layer = ops[*first + i]->getAttrOfType<IntegerAttr>(kLayerAttrName);
    if (!layer || layer.getInt() != int64_t(i / period))
      return bad("op " + Twine(*first + i) + " should be in layer " +
                 Twine(i / period));
  }
  LayerLoop loop;
  std::string why;
  if (!checkLayerLoop(func, *first, period, count, loop, why))
    return bad(why);
  return std::optional<LayerLoop>(std::move(loop));
}

void wafer::hoistSharedConstants(func::FuncOp func, bool keepWeights) {
  Block &body = func.getBody().front();
  llvm::DenseSet<Operation *> independent;
  Operation *firstDependent = nullptr;
  for (Operation &op : body.without_terminator()) {
    bool indep = !(keepWeights && isa<StreamOp>(op)) &&
                 llvm::all_of(op.getOperands(), [&](Value v) {
                   Operation *def = v.getDefiningOp();
                   return def && independent.contains(def);
                 });
    if (indep)
      independent.insert(&op);
    else if (!firstDependent)
      firstDependent = &op;
  }
  if (!firstDependent)
    return;
  llvm::DenseSet<Operation *> shared;
  SmallVector<Operation *> work;
  for (Operation *op : independent) {
    llvm::SmallPtrSet<Operation *, 4> readers;
    for (Operation *user : op->getUsers())
      if (!independent.contains(user))
        readers.insert(user);
    if (readers.size() >= 2)
      work.push_back(op);
  }
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    if (!shared.insert(op).second)
      continue;
    for (Value v : op->getOperands())
      work.push_back(v.getDefiningOp());
  }
  for (Operation &op : llvm::make_early_inc_range(body.without_terminator()))
    if (shared.contains(&op) && firstDependent->isBeforeInBlock(&op))
      op.moveBefore(firstDependent);
}

FailureOr<std::vector<LayerLoop>> wafer::getTrainingLoops(func::FuncOp func,
                                                          std::string &why) {
  SmallVector<Operation *> ops;
  for (Operation &op : func.getBody().front().without_terminator())
    ops.push_back(&op);
  auto bad = [&](const Twine &msg) {
    why = msg.str();
    return failure();
  };
  // Each layer's ops per part (forward; recompute and backward): where the
  // first and last are, and how many.
  struct Span {
    unsigned begin = ~0u, end = 0, size = 0;
  };
  SmallVector<Span> forward, backward;
  for (auto [i, op] : llvm::enumerate(ops)) {
    auto step = op->getAttrOfType<StepAttr>(kStepAttrName);
    if (!step || !step.getLayer())
      continue;
    unsigned layer = unsigned(*step.getLayer());
    SmallVector<Span> &part =
        step.getPhase() == TrainingPhase::forward ? forward : backward;
    if (part.size() <= layer)
      part.resize(layer + 1);
    Span &s = part[layer];
    s.begin = std::min<unsigned>(s.begin, i);
    s.end = std::max<unsigned>(s.end, i + 1);
    ++s.size;
  }
  unsigned count = forward.size();
  if (count < 2)
    return std::vector<LayerLoop>();
  if (backward.size() != count)
    return bad("the forward pass has " + Twine(count) +
               " layers, the backward pass " + Twine(backward.size()));
  // Forward layers ascend and backward layers descend, each a run of as
  // many ops as its first.
  auto geometry = [&](ArrayRef<Span> part, bool descending, StringRef what,
                      LayerLoop &g) -> LogicalResult {
    const Span &head = part[descending ? count - 1 : 0];
    for (unsigned n = 0; n < count; ++n) {
      const Span &s = part[descending ? count - 1 - n : n];
      if (s.size != head.size || s.end - s.begin != s.size ||
          s.begin != head.begin + n * head.size)
        return bad(Twine(what) + " layer " +
                   Twine(descending ? count - 1 - n : n) +
                   " is not a run of the first one's " + Twine(head.size) +
                   " ops right after the layer before");
    }
    g.ops = ops;
    g.first = head.begin;
    g.period = head.size;
    g.count = count;
    return success();
  };
  LayerLoop fwdGeometry, bwdGeometry;
  if (failed(geometry(forward, false, "forward", fwdGeometry)) ||
      failed(geometry(backward, true, "backward", bwdGeometry)))
    return failure();
  LayerLoop fwd, bwd;
  if (!checkLayerLoop(func, bwdGeometry.first, bwdGeometry.period, count, bwd,
                      why, &fwdGeometry))
    return bad("backward: " + why);
  SmallVector<std::pair<unsigned, unsigned>> keptResults;
  for (const LayerLoop::Kept &k : bwd.kept)
    keptResults.push_back({k.sourceOp, k.sourceResult});
  if (!checkLayerLoop(func, fwdGeometry.first, fwdGeometry.period, count, fwd,
                      why, nullptr, keptResults))
    return bad("forward: " + why);
  std::vector<LayerLoop> loops;
  loops.push_back(std::move(fwd));
  loops.push_back(std::move(bwd));
  return loops;
}

void wafer::gatherLayerInputRelayouts(func::FuncOp func) {
  // (part, layer) of an op: part 0 forward, 1 recompute and backward.
  auto layerOf = [](Operation *op) -> std::optional<std::pair<int, int64_t>> {
    auto step = op->getAttrOfType<StepAttr>(kStepAttrName);
    if (!step || !step.getLayer())
      return std::nullopt;
    return std::make_pair(step.getPhase() == TrainingPhase::forward ? 0 : 1,
                          *step.getLayer());
  };
  Block &body = func.getBody().front();
  llvm::DenseMap<std::pair<int, int64_t>, Operation *> start;
  for (Operation &op : body)
    if (auto at = layerOf(&op))
      start.try_emplace(*at, &op);
  SmallVector<RelayoutOp> relayouts(body.getOps<RelayoutOp>());
  for (RelayoutOp relayout : relayouts) {
    std::optional<std::pair<int, int64_t>> readers;
    bool one = !relayout->use_empty();
    for (Operation *user : relayout->getUsers()) {
      auto at = layerOf(user);
      one &= at.has_value() && (!readers || *readers == *at);
      if (at)
        readers = at;
    }
    if (!one || layerOf(relayout) == readers)
      continue;
    Operation *first = start.lookup(*readers);
    if (!first || !relayout->isBeforeInBlock(first))
      continue;
    auto step = first->getAttrOfType<StepAttr>(kStepAttrName);
    relayout->moveBefore(first);
    relayout->setAttr(kStepAttrName, step);
    start[*readers] = relayout;
  }
}

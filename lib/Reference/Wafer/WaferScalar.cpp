//===- WaferScalar.cpp - Scalar arith/math bodies of wafer.elementwise ----===//
//
// Float math uses the same std:: float overloads as the onnx elementwise
// kernels (Elementwise.cpp), so a body that spells an onnx op's formula
// (exp, erf, tanh, x / (1 + exp(-x)), ...) gives the same bits. Integers
// follow arith's two's complement semantics on signless values: each value is
// held sign-extended from its width (i1 as 0/1), the unsigned ops (divui,
// cmpi ult, uitofp, extui, ...) zero-extend it first. Results arith leaves
// undefined are refused: integer division by zero and a float converted to an
// integer out of int64 range are errors, as in the onnx kernels; signed
// division overflow (INT_MIN / -1) wraps.
//
//===----------------------------------------------------------------------===//

#include "WaferScalar.h"

#include "wse/Reference/Kernels.h"
#include "wse/Reference/ONNXInterpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace wse::ref;

namespace wse::ref {
enum class ScalarOpc : uint8_t {
  Invalid,
  // Float -> float (the result type is the operands' type).
  AddF,
  SubF,
  MulF,
  DivF,
  RemF,
  MaximumF,
  MinimumF,
  MaxNumF,
  MinNumF,
  PowF,
  Atan2,
  CopySignF,
  NegF,
  AbsF,
  Exp,
  Exp2,
  Expm1,
  Log,
  Log2,
  Log10,
  Log1p,
  Sqrt,
  Rsqrt,
  Tanh,
  Erf,
  Sin,
  Cos,
  Tan,
  Atan,
  Floor,
  Ceil,
  Round,
  RoundEven,
  Trunc,
  /// extf / truncf: the fp32 value rounded to the result type.
  RoundF,
  FPowI,
  CmpF,
  // Conversions between the domains.
  SIToFP,
  UIToFP,
  FPToSI,
  FPToUI,
  BitcastFToI,
  BitcastIToF,
  // Integer -> integer.
  AddI,
  SubI,
  MulI,
  DivSI,
  DivUI,
  CeilDivSI,
  FloorDivSI,
  RemSI,
  RemUI,
  MaxSI,
  MinSI,
  MaxUI,
  MinUI,
  AndI,
  OrI,
  XOrI,
  ShLI,
  ShRSI,
  ShRUI,
  AbsI,
  IPowI,
  CmpI,
  ExtSI,
  ExtUI,
  TruncI,
  // Either domain.
  Select,
};
} // namespace wse::ref

using Reg = ScalarProgram::Reg;
using Inst = ScalarProgram::Inst;
using Opc = ScalarOpc;

static unsigned intWidth(DType t) { return t == DType::I1 ? 1 : bitWidth(t); }

/// `v` wrapped to the width of `t`, sign-extended (i1 as 0/1: the low bit,
/// where wrapInt's i1 is "non-zero").
static inline int64_t wrapTo(int64_t v, DType t) {
  return t == DType::I1 ? v & 1 : wrapInt(v, t);
}

/// The signed value of a held integer of type `t` (i1 true is -1).
static inline int64_t sext(int64_t v, DType t) {
  return t == DType::I1 ? -(v & 1) : v;
}

/// The unsigned value of a held integer of type `t`.
static inline uint64_t zext(int64_t v, DType t) {
  unsigned w = intWidth(t);
  auto u = static_cast<uint64_t>(v);
  return w >= 64 ? u : u & ((uint64_t(1) << w) - 1);
}

/// IEEE 754-2019 maximum/minimum (arith.maximumf/minimumf): NaN propagates
/// and -0 orders below +0.
static inline float maximumF(float x, float y) {
  if (std::isnan(x) || std::isnan(y))
    return std::numeric_limits<float>::quiet_NaN();
  if (x == y)
    return std::signbit(x) ? y : x;
  return x > y ? x : y;
}
static inline float minimumF(float x, float y) {
  if (std::isnan(x) || std::isnan(y))
    return std::numeric_limits<float>::quiet_NaN();
  if (x == y)
    return std::signbit(x) ? x : y;
  return x < y ? x : y;
}

static bool compareF(arith::CmpFPredicate p, float x, float y) {
  bool unordered = std::isnan(x) || std::isnan(y);
  using P = arith::CmpFPredicate;
  switch (p) {
  case P::AlwaysFalse:
    return false;
  case P::OEQ:
    return !unordered && x == y;
  case P::OGT:
    return !unordered && x > y;
  case P::OGE:
    return !unordered && x >= y;
  case P::OLT:
    return !unordered && x < y;
  case P::OLE:
    return !unordered && x <= y;
  case P::ONE:
    return !unordered && x != y;
  case P::ORD:
    return !unordered;
  case P::UEQ:
    return unordered || x == y;
  case P::UGT:
    return unordered || x > y;
  case P::UGE:
    return unordered || x >= y;
  case P::ULT:
    return unordered || x < y;
  case P::ULE:
    return unordered || x <= y;
  case P::UNE:
    return unordered || x != y;
  case P::UNO:
    return unordered;
  case P::AlwaysTrue:
    return true;
  }
  return false;
}

static bool compareI(arith::CmpIPredicate p, int64_t x, int64_t y, DType t) {
  int64_t sx = sext(x, t), sy = sext(y, t);
  uint64_t ux = zext(x, t), uy = zext(y, t);
  using P = arith::CmpIPredicate;
  switch (p) {
  case P::eq:
    return ux == uy;
  case P::ne:
    return ux != uy;
  case P::slt:
    return sx < sy;
  case P::sle:
    return sx <= sy;
  case P::sgt:
    return sx > sy;
  case P::sge:
    return sx >= sy;
  case P::ult:
    return ux < uy;
  case P::ule:
    return ux <= uy;
  case P::ugt:
    return ux > uy;
  case P::uge:
    return ux >= uy;
  }
  return false;
}

/// math.ipowi: exact modulo 2^64 (wrapped to the width afterwards); a
/// negative exponent gives 1/x^n truncated toward zero, 0 to a negative
/// power is a division by zero (the onnx integer Pow's semantics).
static bool intPow(int64_t x, int64_t y, int64_t &out) {
  if (y < 0) {
    if (x == 0)
      return false;
    out = (x == 1 || x == -1) ? ((y % 2 == 0) ? 1 : x) : 0;
    return true;
  }
  uint64_t base = static_cast<uint64_t>(x), result = 1;
  for (auto n = static_cast<uint64_t>(y); n; n >>= 1) {
    if (n & 1)
      result *= base;
    base *= base;
  }
  out = static_cast<int64_t>(result);
  return true;
}

static const llvm::fltSemantics &semanticsOf(DType t) {
  switch (t) {
  case DType::F16:
    return llvm::APFloat::IEEEhalf();
  case DType::BF16:
    return llvm::APFloat::BFloat();
  case DType::F64:
    return llvm::APFloat::IEEEdouble();
  default:
    return llvm::APFloat::IEEEsingle();
  }
}

/// The bits of float `v` held for type `from`, as a held integer of `to`.
static int64_t floatBits(float v, DType from, DType to) {
  llvm::APFloat x(v);
  bool lost;
  x.convert(semanticsOf(from), llvm::APFloat::rmNearestTiesToEven, &lost);
  return wrapTo(static_cast<int64_t>(x.bitcastToAPInt().getZExtValue()), to);
}

/// The float of type `to` whose bits are held integer `v` of type `from`.
static float bitsFloat(int64_t v, DType from, DType to) {
  llvm::APFloat x(semanticsOf(to), llvm::APInt(intWidth(from), zext(v, from)));
  bool lost;
  x.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
            &lost);
  return x.convertToFloat();
}

/// A float truncated toward zero as an int64, or false if out of range/NaN.
static inline bool toInt(float v, int64_t &out) {
  if (!(std::fabs(v) < 9.2233720368547758e18f))
    return false;
  out = static_cast<int64_t>(v);
  return true;
}

/// The host domain of a body value: index computes as i64.
static llvm::Expected<DType> scalarType(Type t) {
  if (t.isIndex())
    return DType::I64;
  return dtypeOf(t);
}

static Opc opcodeOf(StringRef name) {
  return llvm::StringSwitch<Opc>(name)
      .Case("arith.addf", Opc::AddF)
      .Case("arith.subf", Opc::SubF)
      .Case("arith.mulf", Opc::MulF)
      .Case("arith.divf", Opc::DivF)
      .Case("arith.remf", Opc::RemF)
      .Case("arith.maximumf", Opc::MaximumF)
      .Case("arith.minimumf", Opc::MinimumF)
      .Case("arith.maxnumf", Opc::MaxNumF)
      .Case("arith.minnumf", Opc::MinNumF)
      .Case("arith.negf", Opc::NegF)
      .Case("arith.cmpf", Opc::CmpF)
      .Case("arith.extf", Opc::RoundF)
      .Case("arith.truncf", Opc::RoundF)
      .Case("arith.sitofp", Opc::SIToFP)
      .Case("arith.uitofp", Opc::UIToFP)
      .Case("arith.fptosi", Opc::FPToSI)
      .Case("arith.fptoui", Opc::FPToUI)
      .Case("arith.addi", Opc::AddI)
      .Case("arith.subi", Opc::SubI)
      .Case("arith.muli", Opc::MulI)
      .Case("arith.divsi", Opc::DivSI)
      .Case("arith.divui", Opc::DivUI)
      .Case("arith.ceildivsi", Opc::CeilDivSI)
      .Case("arith.floordivsi", Opc::FloorDivSI)
      .Case("arith.remsi", Opc::RemSI)
      .Case("arith.remui", Opc::RemUI)
      .Case("arith.maxsi", Opc::MaxSI)
      .Case("arith.minsi", Opc::MinSI)
      .Case("arith.maxui", Opc::MaxUI)
      .Case("arith.minui", Opc::MinUI)
      .Case("arith.andi", Opc::AndI)
      .Case("arith.ori", Opc::OrI)
      .Case("arith.xori", Opc::XOrI)
      .Case("arith.shli", Opc::ShLI)
      .Case("arith.shrsi", Opc::ShRSI)
      .Case("arith.shrui", Opc::ShRUI)
      .Case("arith.cmpi", Opc::CmpI)
      .Case("arith.extsi", Opc::ExtSI)
      .Case("arith.index_cast", Opc::ExtSI)
      .Case("arith.extui", Opc::ExtUI)
      .Case("arith.index_castui", Opc::ExtUI)
      .Case("arith.trunci", Opc::TruncI)
      .Case("arith.select", Opc::Select)
      .Case("math.exp", Opc::Exp)
      .Case("math.exp2", Opc::Exp2)
      .Case("math.expm1", Opc::Expm1)
      .Case("math.log", Opc::Log)
      .Case("math.log2", Opc::Log2)
      .Case("math.log10", Opc::Log10)
      .Case("math.log1p", Opc::Log1p)
      .Case("math.sqrt", Opc::Sqrt)
      .Case("math.rsqrt", Opc::Rsqrt)
      .Case("math.tanh", Opc::Tanh)
      .Case("math.erf", Opc::Erf)
      .Case("math.sin", Opc::Sin)
      .Case("math.cos", Opc::Cos)
      .Case("math.tan", Opc::Tan)
      .Case("math.atan", Opc::Atan)
      .Case("math.atan2", Opc::Atan2)
      .Case("math.powf", Opc::PowF)
      .Case("math.fpowi", Opc::FPowI)
      .Case("math.ipowi", Opc::IPowI)
      .Case("math.absf", Opc::AbsF)
      .Case("math.absi", Opc::AbsI)
      .Case("math.copysign", Opc::CopySignF)
      .Case("math.floor", Opc::Floor)
      .Case("math.ceil", Opc::Ceil)
      .Case("math.round", Opc::Round)
      .Case("math.roundeven", Opc::RoundEven)
      .Case("math.trunc", Opc::Trunc)
      .Default(Opc::Invalid);
}

static std::string opLabel(Operation &op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "'" << op.getName().getStringRef() << "' in the body";
  if (auto loc = dyn_cast<FileLineColLoc>(op.getLoc()))
    os << " (" << loc.getFilename().getValue() << ":" << loc.getLine() << ":"
       << loc.getColumn() << ")";
  return s;
}

llvm::Expected<ScalarProgram> ScalarProgram::compile(Block &body) {
  ScalarProgram prog;
  llvm::DenseMap<Value, uint32_t> regOf;
  auto newReg = [&](Value v, Reg init) {
    regOf[v] = static_cast<uint32_t>(prog.initial.size());
    prog.initial.push_back(init);
    return regOf[v];
  };
  for (BlockArgument arg : body.getArguments()) {
    auto t = scalarType(arg.getType());
    if (!t)
      return t.takeError();
    prog.argTypes.push_back(*t);
    newReg(arg, Reg{0});
  }
  for (Operation &op : body) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      if (op.getNumOperands() != 1)
        return makeError(opLabel(op) + " must yield one value");
      prog.yieldReg = regOf.lookup(op.getOperand(0));
      break;
    }
    if (op.getNumResults() != 1)
      return makeError(opLabel(op) + " must have one result");
    auto type = scalarType(op.getResult(0).getType());
    if (!type)
      return makeError(opLabel(op) + ": " + llvm::toString(type.takeError()));

    if (auto c = dyn_cast<arith::ConstantOp>(op)) {
      Reg init{0};
      if (auto f = dyn_cast<FloatAttr>(c.getValue()))
        init.f = roundFloat(static_cast<float>(f.getValueAsDouble()), *type);
      else if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
        init.i = wrapTo(i.getValue().getSExtValue(), *type);
      else
        return makeError(opLabel(op) + ": unsupported constant value");
      newReg(op.getResult(0), init);
      continue;
    }

    Inst inst;
    inst.opc = opcodeOf(op.getName().getStringRef());
    if (isa<arith::BitcastOp>(op)) {
      // Same width, other domain: the direction follows the types.
      auto from = scalarType(op.getOperand(0).getType());
      if (from && isFloat(*from) != isFloat(*type))
        inst.opc = isFloat(*type) ? Opc::BitcastIToF : Opc::BitcastFToI;
      else if (!from)
        llvm::consumeError(from.takeError());
    }
    if (inst.opc == Opc::Invalid)
      return makeError(opLabel(op) +
                       " is not supported by the reference interpreter");
    if (op.getNumOperands() < 1 || op.getNumOperands() > 3)
      return makeError(opLabel(op) + " has an unexpected operand count");
    inst.type = *type;
    inst.round = *type == DType::F16 || *type == DType::BF16;
    // The operand type, which conversions and comparisons depend on.
    auto src = scalarType(op.getOperand(0).getType());
    if (!src)
      return makeError(opLabel(op) + ": " + llvm::toString(src.takeError()));
    inst.src = *src;
    if (auto cmp = dyn_cast<arith::CmpFOp>(op))
      inst.pred = static_cast<uint8_t>(cmp.getPredicate());
    if (auto cmp = dyn_cast<arith::CmpIOp>(op))
      inst.pred = static_cast<uint8_t>(cmp.getPredicate());
    uint32_t *slots[] = {&inst.a, &inst.b, &inst.c};
    for (auto [k, operand] : llvm::enumerate(op.getOperands())) {
      auto it = regOf.find(operand);
      if (it == regOf.end())
        return makeError(opLabel(op) + " uses a value defined outside the "
                                       "body");
      *slots[k] = it->second;
    }
    inst.dst = newReg(op.getResult(0), Reg{0});
    prog.insts.push_back(inst);
    prog.opNames.push_back(opLabel(op));
  }
  return prog;
}

/// Runs one instruction; false when its result is undefined (the caller
/// reports it).
static inline bool step(const Inst &in, Reg *r) {
  Reg &d = r[in.dst];
  const Reg &a = r[in.a], &b = r[in.b], &c = r[in.c];
  float f = 0;
  switch (in.opc) {
  case Opc::AddF:
    f = a.f + b.f;
    break;
  case Opc::SubF:
    f = a.f - b.f;
    break;
  case Opc::MulF:
    f = a.f * b.f;
    break;
  case Opc::DivF:
    f = a.f / b.f;
    break;
  case Opc::RemF:
    f = std::fmod(a.f, b.f);
    break;
  case Opc::MaximumF:
    f = maximumF(a.f, b.f);
    break;
  case Opc::MinimumF:
    f = minimumF(a.f, b.f);
    break;
  case Opc::MaxNumF:
    f = std::fmax(a.f, b.f);
    break;
  case Opc::MinNumF:
    f = std::fmin(a.f, b.f);
    break;
  case Opc::PowF:
    f = std::pow(a.f, b.f);
    break;
  case Opc::Atan2:
    f = std::atan2(a.f, b.f);
    break;
  case Opc::CopySignF:
    f = std::copysign(a.f, b.f);
    break;
  case Opc::NegF:
    f = -a.f;
    break;
  case Opc::AbsF:
    f = std::fabs(a.f);
    break;
  case Opc::Exp:
    f = std::exp(a.f);
    break;
  case Opc::Exp2:
    f = std::exp2(a.f);
    break;
  case Opc::Expm1:
    f = std::expm1(a.f);
    break;
  case Opc::Log:
    f = std::log(a.f);
    break;
  case Opc::Log2:
    f = std::log2(a.f);
    break;
  case Opc::Log10:
    f = std::log10(a.f);
    break;
  case Opc::Log1p:
    f = std::log1p(a.f);
    break;
  case Opc::Sqrt:
    f = std::sqrt(a.f);
    break;
  case Opc::Rsqrt:
    // The onnx Reciprocal(Sqrt(x)) chain, bit for bit.
    f = 1.0f / std::sqrt(a.f);
    break;
  case Opc::Tanh:
    f = std::tanh(a.f);
    break;
  case Opc::Erf:
    f = std::erf(a.f);
    break;
  case Opc::Sin:
    f = std::sin(a.f);
    break;
  case Opc::Cos:
    f = std::cos(a.f);
    break;
  case Opc::Tan:
    f = std::tan(a.f);
    break;
  case Opc::Atan:
    f = std::atan(a.f);
    break;
  case Opc::Floor:
    f = std::floor(a.f);
    break;
  case Opc::Ceil:
    f = std::ceil(a.f);
    break;
  case Opc::Round:
    f = std::round(a.f);
    break;
  case Opc::RoundEven:
    f = std::nearbyint(a.f);
    break;
  case Opc::Trunc:
    f = std::trunc(a.f);
    break;
  case Opc::RoundF:
    f = a.f;
    break;
  case Opc::FPowI:
    // As the onnx Pow kernel with an integer exponent.
    f = std::pow(a.f, static_cast<float>(b.i));
    break;
  case Opc::SIToFP:
    f = static_cast<float>(sext(a.i, in.src));
    break;
  case Opc::UIToFP:
    f = static_cast<float>(zext(a.i, in.src));
    break;
  case Opc::BitcastIToF:
    f = bitsFloat(a.i, in.src, in.type);
    break;

  // Integer results: computed in uint64 (no signed-overflow UB), wrapped.
  case Opc::CmpF:
    d.i = compareF(static_cast<arith::CmpFPredicate>(in.pred), a.f, b.f);
    return true;
  case Opc::CmpI:
    d.i =
        compareI(static_cast<arith::CmpIPredicate>(in.pred), a.i, b.i, in.src);
    return true;
  case Opc::FPToSI:
  case Opc::FPToUI: {
    int64_t v;
    if (!toInt(a.f, v))
      return false;
    d.i = wrapTo(v, in.type);
    return true;
  }
  case Opc::BitcastFToI:
    d.i = floatBits(a.f, in.src, in.type);
    return true;
  case Opc::AddI:
    d.i = wrapTo(static_cast<int64_t>(uint64_t(a.i) + uint64_t(b.i)), in.type);
    return true;
  case Opc::SubI:
    d.i = wrapTo(static_cast<int64_t>(uint64_t(a.i) - uint64_t(b.i)), in.type);
    return true;
  case Opc::MulI:
    d.i = wrapTo(static_cast<int64_t>(uint64_t(a.i) * uint64_t(b.i)), in.type);
    return true;
  case Opc::DivSI:
  case Opc::CeilDivSI:
  case Opc::FloorDivSI:
  case Opc::RemSI: {
    int64_t x = sext(a.i, in.type), y = sext(b.i, in.type);
    if (y == 0)
      return false;
    if (x == std::numeric_limits<int64_t>::min() && y == -1) {
      d.i = in.opc == Opc::RemSI ? 0 : wrapTo(x, in.type); // wraps
      return true;
    }
    int64_t q = x / y, rem = x % y;
    if (in.opc == Opc::RemSI)
      q = rem;
    else if (in.opc == Opc::CeilDivSI && rem != 0 && ((rem > 0) == (y > 0)))
      ++q;
    else if (in.opc == Opc::FloorDivSI && rem != 0 && ((rem < 0) != (y < 0)))
      --q;
    d.i = wrapTo(q, in.type);
    return true;
  }
  case Opc::DivUI:
  case Opc::RemUI: {
    uint64_t x = zext(a.i, in.type), y = zext(b.i, in.type);
    if (y == 0)
      return false;
    d.i = wrapTo(static_cast<int64_t>(in.opc == Opc::DivUI ? x / y : x % y),
                 in.type);
    return true;
  }
  case Opc::MaxSI:
    d.i = sext(a.i, in.type) >= sext(b.i, in.type) ? a.i : b.i;
    return true;
  case Opc::MinSI:
    d.i = sext(a.i, in.type) <= sext(b.i, in.type) ? a.i : b.i;
    return true;
  case Opc::MaxUI:
    d.i = zext(a.i, in.type) >= zext(b.i, in.type) ? a.i : b.i;
    return true;
  case Opc::MinUI:
    d.i = zext(a.i, in.type) <= zext(b.i, in.type) ? a.i : b.i;
    return true;
  case Opc::AndI:
    d.i = wrapTo(a.i & b.i, in.type);
    return true;
  case Opc::OrI:
    d.i = wrapTo(a.i | b.i, in.type);
    return true;
  case Opc::XOrI:
    d.i = wrapTo(a.i ^ b.i, in.type);
    return true;
  case Opc::ShLI:
  case Opc::ShRSI:
  case Opc::ShRUI: {
    // A shift by the width or more is poison in arith: refuse it.
    uint64_t n = zext(b.i, in.type);
    if (n >= intWidth(in.type))
      return false;
    if (in.opc == Opc::ShLI)
      d.i = wrapTo(static_cast<int64_t>(uint64_t(a.i) << n), in.type);
    else if (in.opc == Opc::ShRSI)
      d.i = wrapTo(sext(a.i, in.type) >> n, in.type);
    else
      d.i = wrapTo(static_cast<int64_t>(zext(a.i, in.type) >> n), in.type);
    return true;
  }
  case Opc::AbsI: {
    int64_t x = sext(a.i, in.type);
    d.i = wrapTo(x < 0 ? static_cast<int64_t>(0 - uint64_t(x)) : x, in.type);
    return true;
  }
  case Opc::IPowI: {
    int64_t v;
    if (!intPow(sext(a.i, in.type), sext(b.i, in.type), v))
      return false;
    d.i = wrapTo(v, in.type);
    return true;
  }
  case Opc::ExtSI:
    d.i = wrapTo(sext(a.i, in.src), in.type);
    return true;
  case Opc::ExtUI:
    d.i = wrapTo(static_cast<int64_t>(zext(a.i, in.src)), in.type);
    return true;
  case Opc::TruncI:
    d.i = wrapTo(a.i, in.type);
    return true;
  case Opc::Select:
    d = (a.i & 1) ? b : c;
    return true;
  case Opc::Invalid:
    return false;
  }
  d.f = in.round ? roundFloat(f, in.type) : f;
  return true;
}

/// Why `opc` has no defined result (step returned false).
static llvm::StringRef undefinedReason(Opc opc) {
  switch (opc) {
  case Opc::FPToSI:
  case Opc::FPToUI:
    return "a NaN or a float out of int64 range converted to an integer";
  case Opc::ShLI:
  case Opc::ShRSI:
  case Opc::ShRUI:
    return "a shift by the bit width or more";
  case Opc::IPowI:
    return "integer 0 raised to a negative power";
  default:
    return "integer division or remainder by zero";
  }
}

/// Where each element of the output reads an input from.
namespace {
struct InputView {
  bool isFloat = false;
  const float *f = nullptr;
  const int64_t *i = nullptr;
  /// Empty when the input has the output's shape (index = element) or one
  /// element (index 0, see `scalar`).
  std::vector<int64_t> index;
  bool scalar = false;
};
} // namespace

llvm::Expected<Tensor> ScalarProgram::run(llvm::ArrayRef<const Tensor *> inputs,
                                          llvm::ArrayRef<int64_t> outShape,
                                          DType outType) const {
  if (inputs.size() != argTypes.size())
    return makeError("the body takes " + llvm::Twine(argTypes.size()) +
                     " operands, given " + llvm::Twine(inputs.size()));
  std::vector<InputView> views(inputs.size());
  for (auto [k, t] : llvm::enumerate(inputs)) {
    if (t->isFloat() != isFloat(argTypes[k]))
      return makeError("operand #" + llvm::Twine(k) + " is " +
                       dtypeName(t->dtype) + " but the body argument is " +
                       dtypeName(argTypes[k]));
    auto b = broadcastShapes(t->shape, outShape);
    if (!b || *b != std::vector<int64_t>(outShape.begin(), outShape.end())) {
      if (!b)
        llvm::consumeError(b.takeError());
      return makeError("operand #" + llvm::Twine(k) + " of shape " +
                       shapeString(t->shape) + " does not broadcast to " +
                       shapeString(outShape));
    }
    InputView &v = views[k];
    v.isFloat = t->isFloat();
    v.f = t->f.data();
    v.i = t->i.data();
    if (t->numElements() == 1)
      v.scalar = true;
    else if (t->shape != std::vector<int64_t>(outShape.begin(), outShape.end()))
      v.index = broadcastIndices(t->shape, outShape);
  }
  bool outFloat = isFloat(outType);
  Tensor out(outType, outShape);
  std::vector<Reg> regs = initial;
  Reg *r = regs.data();
  for (int64_t e = 0, n = out.numElements(); e < n; ++e) {
    for (size_t k = 0; k < views.size(); ++k) {
      const InputView &v = views[k];
      int64_t at = v.scalar ? 0 : v.index.empty() ? e : v.index[e];
      if (v.isFloat)
        r[k].f = v.f[at];
      else
        r[k].i = v.i[at];
    }
    for (size_t s = 0; s < insts.size(); ++s)
      if (!step(insts[s], r))
        return makeError(opNames[s] + ": undefined result at element " +
                         llvm::Twine(e) + " (" + undefinedReason(insts[s].opc) +
                         ")");
    if (outFloat)
      out.f[e] = r[yieldReg].f;
    else
      out.i[e] = r[yieldReg].i;
  }
  return out;
}

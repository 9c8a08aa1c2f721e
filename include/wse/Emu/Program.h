//===- Program.h - In-memory form of a wse-emu program ----------*- C++ -*-===//
//
// The program is what the compiler emits and the emulator runs. Text form
// (TextFormat.h) and binary form (BinaryFormat.h) are two encodings of exactly
// this structure. Code is written once per kernel and placed on rectangles of
// PEs; per-PE differences come from constants evaluated per PE (Expr.h).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_PROGRAM_H
#define WSE_EMU_PROGRAM_H

#include "wse/Machine/MachineDescription.h"

#include "llvm/ADT/StringRef.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wse::emu {

/// Bumped whenever the meaning or encoding of a program changes.
/// The version this emulator writes; it reads every version from
/// kMinProgramVersion on. Version 2 added input ranges, version 3 outputs
/// declared as a parameter's gradient.
constexpr uint32_t kProgramVersion = 3;
constexpr uint32_t kMinProgramVersion = 1;
constexpr unsigned kNumRegs = 16;
constexpr unsigned kMaxRank = 8;
constexpr unsigned kMaxOperands = 4;
constexpr unsigned kMaxTasks = 64;

/// Element types of parameters and inputs (outputs are f32). Bool is one
/// byte, 0 -> 0.0 and anything else -> 1.0. New types are appended.
enum class DType : uint8_t {
  F32 = 0,
  F16 = 1,
  BF16 = 2,
  I32 = 3,
  I64 = 4,
  Bool = 5
};
llvm::StringRef dtypeName(DType t);
unsigned dtypeSize(DType t);
bool parseDType(llvm::StringRef name, DType &out);

/// Router ports. Ramp is the link between a PE's router and its core.
enum Dir : uint8_t { North = 0, East = 1, South = 2, West = 3, Ramp = 4 };
constexpr unsigned kNumDirs = 5;
char dirLetter(Dir d); ///< N E S W R
Dir opposite(Dir d);   ///< for mesh directions only

/// A tensor the program exchanges with the outside: a model parameter read
/// from a weight file, or a host input/output.
struct TensorDecl {
  std::string name;
  DType dtype = DType::F32;
  std::vector<uint64_t> shape;
  std::string file;    ///< parameters only: weight file (relative to --weights)
  uint64_t offset = 0; ///< parameters only: byte offset in the file
  /// Inputs only (version 2): every value must lie in [first, second), e.g.
  /// token ids indexing a table of `second` rows (negative ones count from
  /// the end). Checked when the input is set.
  std::optional<std::pair<int64_t, int64_t>> range;
  /// Outputs only (version 3): the parameter this output is the gradient
  /// of, which a weight store (wse-emu --store) updates with it.
  std::string gradientOf;
  uint64_t numElements() const;
};

enum class TensorKind : uint8_t { Param = 0, Input = 1, Output = 2 };

/// Elements of a tensor in streaming order: offset + sum(i_k * strides[k])
/// for the multi-index i over `shape` (row-major, last index fastest).
struct Slice {
  uint64_t offset = 0;
  std::vector<uint64_t> shape;
  std::vector<uint64_t> strides;
  uint64_t count() const;
};

/// One entry of the stream schedule. Each port runs its inbound entries in
/// program order, and its outbound entries in program order, both directions
/// concurrently.
struct StreamOp {
  bool inbound = true; ///< tensor -> wafer (param/input) or wafer -> output
  TensorKind kind = TensorKind::Param;
  uint32_t tensor = 0; ///< index into params/inputs/outputs
  Slice slice;
  machine::Side side = machine::Side::West;
  uint32_t port = 0;
  uint32_t color = 0;
};

//===----------------------------------------------------------------------===//
// Per-PE constant expressions (reverse Polish).
//===----------------------------------------------------------------------===//

enum class ExprOpKind : uint8_t {
  Int,   ///< push arg
  Var,   ///< push variable `arg` (ExprVar)
  Const, ///< push kernel constant `arg` (earlier in the kernel)
  Table, ///< pop index, push kernel table `arg` [index]
  Neg,
  Add,
  Sub,
  Mul,
  Div, ///< truncating; division by zero is a load error
  Rem,
  Lt,
  Le,
  Gt,
  Ge,
  Eq,
  Ne,
  Min,
  Max,
  Select, ///< operands pushed as cond, a, b; yields cond != 0 ? a : b
};
/// Per-PE variables: absolute position, position relative to the placement
/// rectangle, rectangle size, mesh size.
enum class ExprVar : uint8_t { X, Y, RX, RY, PW, PH, MW, MH };
constexpr unsigned kNumExprVars = 8;
llvm::StringRef exprVarName(ExprVar v);

struct ExprOp {
  ExprOpKind kind = ExprOpKind::Int;
  int64_t arg = 0;
};
struct Expr {
  std::vector<ExprOp> ops;
};

//===----------------------------------------------------------------------===//
// Instructions.
//===----------------------------------------------------------------------===//

/// A scalar: immediate, register, or per-PE kernel constant.
struct Value {
  enum Kind : uint8_t { Imm = 0, Reg = 1, Const = 2 };
  Kind kind = Imm;
  int64_t v = 0;
  static Value imm(int64_t i) { return {Imm, i}; }
  static Value reg(int64_t r) { return {Reg, r}; }
  static Value cnst(int64_t c) { return {Const, c}; }
  bool operator==(const Value &o) const { return kind == o.kind && v == o.v; }
};

enum class OperandKind : uint8_t {
  Mem = 0,    ///< memory descriptor: buffer + offset, length, stride
  FabIn = 1,  ///< fabric input descriptor: color, length
  FabOut = 2, ///< fabric output descriptor: color, length
  Value = 3,
  Float = 4,
  Label = 5,
  Task = 6,
};

struct Operand {
  OperandKind kind = OperandKind::Value;
  int32_t buffer = -1; ///< Mem: kernel buffer index, or -1 for an address
  /// Mem: offset/address, length, stride. Fab: color, length. Value: a.
  Value a, b, c;
  float f = 0;        ///< Float
  uint32_t index = 0; ///< Label: pc in the task; Task: kernel task index
};

#define WSE_EMU_OPCODES(X)                                                     \
  X(Fill, "fill", "DF")                                                        \
  X(IFill, "ifill", "DV")                                                      \
  X(Copy, "copy", "DS")                                                        \
  X(Add, "add", "DSS")                                                         \
  X(Sub, "sub", "DSS")                                                         \
  X(Mul, "mul", "DSS")                                                         \
  X(Div, "div", "DSS")                                                         \
  X(Max, "max", "DSS")                                                         \
  X(Min, "min", "DSS")                                                         \
  X(Fma, "fma", "DSSS")                                                        \
  X(Fmac, "fmac", "MSS")                                                       \
  X(Exp, "exp", "DS")                                                          \
  X(Tanh, "tanh", "DS")                                                        \
  X(Erf, "erf", "DS")                                                          \
  X(Sigmoid, "sigmoid", "DS")                                                  \
  X(Rsqrt, "rsqrt", "DS")                                                      \
  X(Sqrt, "sqrt", "DS")                                                        \
  X(Neg, "neg", "DS")                                                          \
  X(Abs, "abs", "DS")                                                          \
  X(Recip, "recip", "DS")                                                      \
  X(RSum, "rsum", "DS")                                                        \
  X(RMax, "rmax", "DS")                                                        \
  X(Mov, "mov", "RV")                                                          \
  X(IAdd, "iadd", "RVV")                                                       \
  X(ISub, "isub", "RVV")                                                       \
  X(IMul, "imul", "RVV")                                                       \
  X(Br, "br", "L")                                                             \
  X(Beq, "beq", "VVL")                                                         \
  X(Bne, "bne", "VVL")                                                         \
  X(Blt, "blt", "VVL")                                                         \
  X(Bge, "bge", "VVL")                                                         \
  X(Activate, "activate", "T")                                                 \
  X(Ret, "ret", "")                                                            \
  /* Appended later: binary opcode numbers never change. */                    \
  X(Select, "select", "DSSS")                                                  \
  X(Log, "log", "DS")                                                          \
  X(Mark, "mark", "V")

enum class Opcode : uint8_t {
#define X(id, name, sig) id,
  WSE_EMU_OPCODES(X)
#undef X
};
constexpr unsigned kNumOpcodes = unsigned(Opcode::Mark) + 1;

/// Operand signature letters:
///   D vector destination (mem or out), M memory destination, S vector source
///   (mem or in), F float immediate, R register, V value, L label, T task.
struct OpcodeInfo {
  const char *name;
  const char *signature;
};
const OpcodeInfo &opcodeInfo(Opcode op);
bool lookupOpcode(llvm::StringRef name, Opcode &out);
// Inline: the simulator asks these for every instruction it executes.
inline bool isVectorOp(Opcode op) {
  return unsigned(op) <= unsigned(Opcode::RMax) || op == Opcode::Select ||
         op == Opcode::Log;
}
inline bool isReduction(Opcode op) {
  return op == Opcode::RSum || op == Opcode::RMax;
}
/// FLOPs per element (fma/fmac 2, arithmetic and log/exp/... 1,
/// copy/fill/select 0).
inline unsigned flopsPerElement(Opcode op) {
  switch (op) {
  case Opcode::Fill:
  case Opcode::IFill:
  case Opcode::Copy:
  case Opcode::Select: // moves one of its inputs, like copy
    return 0;
  case Opcode::Fma:
  case Opcode::Fmac:
    return 2;
  default:
    return isVectorOp(op) ? 1 : 0;
  }
}

struct Instr {
  Opcode op = Opcode::Ret;
  uint8_t numOperands = 0;
  std::array<Operand, kMaxOperands> ops;
};

struct Label {
  std::string name;
  uint32_t pc = 0;
};

enum class TriggerKind : uint8_t {
  Local = 0, ///< runs when activated by `activate`
  Entry = 1, ///< activated once at start
  Color = 2, ///< runs when its color's receive queue holds data
};

struct Task {
  std::string name;
  TriggerKind trigger = TriggerKind::Local;
  Value color; ///< Color tasks: Imm or Const
  std::vector<Instr> code;
  std::vector<Label> labels; ///< sorted by pc, then declaration order
};

struct Buffer {
  std::string name;
  uint64_t address = 0; ///< in 32-bit words
  uint64_t size = 0;    ///< in 32-bit words
  bool hasInit = false;
  float init = 0;
};

struct ConstDef {
  std::string name;
  Expr expr;
};

struct TableDef {
  std::string name;
  std::vector<int64_t> values;
};

struct Kernel {
  std::string name;
  std::vector<ConstDef> consts;
  std::vector<TableDef> tables;
  std::vector<Buffer> buffers;
  std::vector<Task> tasks;
  uint64_t numInstructions() const;
};

struct Rect {
  uint32_t x = 0, y = 0, w = 0, h = 0;
  bool contains(uint32_t px, uint32_t py) const {
    return px >= x && py >= y && px - x < w && py - y < h;
  }
};

struct Placement {
  uint32_t kernel = 0;
  Rect rect;
};

/// Static route on every PE of `rect`: wavelets of `color` arriving from `in`
/// are forwarded to every direction in `outMask` (bit i = Dir i).
struct Route {
  Rect rect;
  uint32_t color = 0;
  Dir in = West;
  uint8_t outMask = 0;
};

struct Program {
  uint32_t version = kProgramVersion;
  std::string machine; ///< preferred machine (preset name), may be empty
  std::vector<TensorDecl> params, inputs, outputs;
  std::vector<Kernel> kernels;
  std::vector<Placement> placements;
  std::vector<Route> routes;
  std::vector<StreamOp> streams;

  const std::vector<TensorDecl> &tensors(TensorKind k) const {
    return k == TensorKind::Param   ? params
           : k == TensorKind::Input ? inputs
                                    : outputs;
  }
};

} // namespace wse::emu

#endif // WSE_EMU_PROGRAM_H

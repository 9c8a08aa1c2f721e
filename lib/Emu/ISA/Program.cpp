//===- Program.cpp - Opcode table and small helpers -----------------------===//

#include "wse/Emu/Program.h"

#include "llvm/ADT/StringSwitch.h"

using namespace llvm;

namespace wse::emu {

StringRef dtypeName(DType t) {
  switch (t) {
  case DType::F32:
    return "f32";
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  case DType::Bool:
    return "bool";
  }
  return "?";
}

unsigned dtypeSize(DType t) {
  switch (t) {
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::I64:
    return 8;
  case DType::Bool:
    return 1;
  default:
    return 4;
  }
}

bool parseDType(StringRef name, DType &out) {
  for (DType t : {DType::F32, DType::F16, DType::BF16, DType::I32, DType::I64,
                  DType::Bool})
    if (dtypeName(t) == name) {
      out = t;
      return true;
    }
  return false;
}

char dirLetter(Dir d) { return "NESWR"[d < kNumDirs ? d : 4]; }

Dir opposite(Dir d) {
  switch (d) {
  case North:
    return South;
  case South:
    return North;
  case East:
    return West;
  case West:
    return East;
  default:
    return Ramp;
  }
}

StringRef exprVarName(ExprVar v) {
  static const char *names[] = {"x", "y", "rx", "ry", "pw", "ph", "mw", "mh"};
  return names[unsigned(v) < kNumExprVars ? unsigned(v) : 0];
}

uint64_t TensorDecl::numElements() const {
  uint64_t n = 1;
  for (uint64_t d : shape)
    n *= d;
  return n;
}

uint64_t Slice::count() const {
  uint64_t n = 1;
  for (uint64_t d : shape)
    n *= d;
  return n;
}

uint64_t Kernel::numInstructions() const {
  uint64_t n = 0;
  for (const Task &t : tasks)
    n += t.code.size();
  return n;
}

static const OpcodeInfo kOpcodes[] = {
#define X(id, name, sig) {name, sig},
    WSE_EMU_OPCODES(X)
#undef X
};

const OpcodeInfo &opcodeInfo(Opcode op) {
  return kOpcodes[unsigned(op) < kNumOpcodes ? unsigned(op) : 0];
}

bool lookupOpcode(StringRef name, Opcode &out) {
  for (unsigned i = 0; i < kNumOpcodes; ++i)
    if (name == kOpcodes[i].name) {
      out = Opcode(i);
      return true;
    }
  return false;
}

} // namespace wse::emu

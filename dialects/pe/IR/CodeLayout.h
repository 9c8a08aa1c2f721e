//===- CodeLayout.h - Structured pe code as the emulator's flat code
//--------===//
//
// The emulator runs a flat list of instructions with labels and branches,
// and has 16 registers. A pe.task is structured (pe.loop, pe.if, pe.call,
// pe.subroutine) over virtual registers. This lays a task out as the flat
// list (the one definition of what the structured ops do, shared by the
// translation and by pe-allocate-sram, which needs the code's size and
// loops) and assigns the physical registers.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_PE_CODELAYOUT_H
#define WSE_DIALECT_PE_CODELAYOUT_H

#include "dialects/pe/IR/PEOps.h"

#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace wse::pe {

struct FlatInstr {
  /// What an instruction is for, beyond its opcode.
  enum class Role : uint8_t {
    Code,          ///< written in the task
    Control,       ///< sets up or tests a loop, an if or a call
    LoopBack,      ///< the back edge of a pe.loop
    LayerLoopBack, ///< the back edge of a pe.loop over layers
    Return,        ///< a subroutine's branch back to a call site
  };
  emu::Opcode opcode;
  /// In the emulator's order; registers are virtual, labels are
  /// FlatSymbolRefAttrs naming a FlatLabel.
  llvm::SmallVector<mlir::Attribute, 4> operands;
  /// The op it comes from (for Control and back edges, the structured op).
  mlir::Operation *origin;
  Role role = Role::Code;
};

struct FlatLabel {
  std::string name;
  uint32_t pc;
};

struct FlatTask {
  std::vector<FlatInstr> code;
  std::vector<FlatLabel> labels;
  /// Virtual register -> physical register, set by assignRegisters.
  llvm::DenseMap<unsigned, unsigned> registers;
};

/// The task's code in the emulator's order: the code, then every subroutine
/// (its body, then one branch back per call site).
FlatTask layOutTask(TaskOp task);

/// Gives every virtual register of `flat` one of `numRegisters` physical
/// registers, so that no two values live at the same time share one
/// (liveness over the flat code, so loops and calls are accounted for).
/// Fails with an error on the task naming the instruction where too many
/// values are live.
mlir::LogicalResult assignRegisters(TaskOp task, FlatTask &flat,
                                    unsigned numRegisters = emu::kNumRegs);

} // namespace wse::pe

#endif

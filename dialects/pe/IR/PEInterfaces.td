//===- PEInterfaces.td - Interfaces of pe ops -----------------*- tablegen -*-===//

#ifndef WSE_DIALECT_PE_INTERFACES_TD
#define WSE_DIALECT_PE_INTERFACES_TD

include "mlir/IR/OpBase.td"

def PE_InstructionOpInterface : OpInterface<"InstructionOp"> {
  let description = [{
    An instruction of the emulator's ISA. Its operands are named attributes;
    this interface lists them in the emulator's order, so passes and the
    translation treat every instruction alike.
  }];
  let cppNamespace = "::wse::pe";
  let methods = [
    StaticInterfaceMethod<"The operand kinds, one letter per operand.",
      "::llvm::StringRef", "getSignature">,
    StaticInterfaceMethod<"The operand attribute names, in the emulator's order.",
      "::llvm::ArrayRef<::llvm::StringRef>", "getInstrOperandNames">,
  ];
  let extraSharedClassDeclaration = [{
    /// The operands in the emulator's order.
    ::llvm::SmallVector<::mlir::Attribute> getInstrOperands() {
      ::llvm::SmallVector<::mlir::Attribute> ops;
      for (::llvm::StringRef name : $_op.getInstrOperandNames())
        ops.push_back($_op->getAttr(name));
      return ops;
    }
    /// Replaces operand `index` (in the emulator's order).
    void setInstrOperand(unsigned index, ::mlir::Attribute value) {
      $_op->setAttr($_op.getInstrOperandNames()[index], value);
    }
  }];
}

#endif // WSE_DIALECT_PE_INTERFACES_TD

//===- PEOps.cpp - The pe dialect operations ------------------------------===//

#include "dialects/pe/IR/PEOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace wse::pe;

#define GET_OP_CLASSES
#include "dialects/pe/IR/PEOps.cpp.inc"

// TODO(pe verifier): placeholder verifiers, replaced by the strict ones.
LogicalResult ParamOp::verify() { return success(); }
LogicalResult InputOp::verify() { return success(); }
LogicalResult OutputOp::verify() { return success(); }
LogicalResult KernelOp::verify() { return success(); }
LogicalResult BufferOp::verify() { return success(); }
LogicalResult TaskOp::verify() { return success(); }
LogicalResult PlaceOp::verify() { return success(); }
LogicalResult RouteOp::verify() { return success(); }
LogicalResult FlowOp::verify() { return success(); }
LogicalResult StreamInOp::verify() { return success(); }
LogicalResult StreamOutOp::verify() { return success(); }

static LogicalResult verifyInstr(Operation *) { return success(); }

#define PE_INSTR_VERIFY(Name)                                                  \
  LogicalResult Name##Op::verify() { return verifyInstr(getOperation()); }
PE_INSTR_VERIFY(Fill)
PE_INSTR_VERIFY(IFill)
PE_INSTR_VERIFY(Copy)
PE_INSTR_VERIFY(Add)
PE_INSTR_VERIFY(Sub)
PE_INSTR_VERIFY(Mul)
PE_INSTR_VERIFY(Div)
PE_INSTR_VERIFY(Max)
PE_INSTR_VERIFY(Min)
PE_INSTR_VERIFY(Fma)
PE_INSTR_VERIFY(Fmac)
PE_INSTR_VERIFY(Exp)
PE_INSTR_VERIFY(Tanh)
PE_INSTR_VERIFY(Erf)
PE_INSTR_VERIFY(Sigmoid)
PE_INSTR_VERIFY(Rsqrt)
PE_INSTR_VERIFY(Sqrt)
PE_INSTR_VERIFY(Neg)
PE_INSTR_VERIFY(Abs)
PE_INSTR_VERIFY(Recip)
PE_INSTR_VERIFY(RSum)
PE_INSTR_VERIFY(RMax)
PE_INSTR_VERIFY(Mov)
PE_INSTR_VERIFY(IAdd)
PE_INSTR_VERIFY(ISub)
PE_INSTR_VERIFY(IMul)
PE_INSTR_VERIFY(Br)
PE_INSTR_VERIFY(Beq)
PE_INSTR_VERIFY(Bne)
PE_INSTR_VERIFY(Blt)
PE_INSTR_VERIFY(Bge)
PE_INSTR_VERIFY(Activate)
PE_INSTR_VERIFY(Ret)
PE_INSTR_VERIFY(Select)
PE_INSTR_VERIFY(Log)

//===- Emitter.h - Writes the code of one pe.task ---------------*- C++ -*-===//
//
// A thin layer over the pe dialect for the wafer -> pe lowering: instruction
// operands, per-PE constants (deduplicated), buffers, labels, scalar
// registers, loop nests over boxes of tensor elements, and subroutines
// (a return-id register and a dispatch of branches back to the call sites,
// because the ISA has no indirect jump).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_CONVERSION_WAFERTOPE_EMITTER_H
#define WSE_CONVERSION_WAFERTOPE_EMITTER_H

#include "PerPEExpr.h"
#include "dialects/pe/IR/PEOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"

#include <optional>

namespace wse::pe::lowering {

/// Registers r0..r11 are for loop nests; r12..r15 carry subroutine arguments
/// and the return id.
constexpr unsigned kNestRegs = 12;
constexpr unsigned kArgAddr = 12, kArgLen = 13, kArgAux = 14, kRetId = 15;

/// An address walked by a loop nest: `base` (a value) plus, per dimension of
/// the nest, index * stride words.
struct Pointer {
  mlir::Attribute base;
  llvm::SmallVector<int64_t> strides;
};

class Emitter {
public:
  Emitter(KernelOp kernel, TaskOp task, mlir::Location loc);

  mlir::MLIRContext *getContext() { return ctx; }
  mlir::Location getLoc() { return loc; }
  void setLoc(mlir::Location l) { loc = l; }

  // Operand values.
  mlir::Attribute imm(int64_t v);
  RegAttr reg(unsigned r);
  /// An immediate if the value is the same on every PE, else a pe.const.
  mlir::Attribute val(const PerPEExpr &e);
  mlir::FlatSymbolRefAttr sym(llvm::StringRef name);

  // Buffers and descriptors.
  mlir::FlatSymbolRefAttr buffer(llvm::StringRef hint, int64_t words,
                                 std::optional<float> init = std::nullopt);
  /// A one-word buffer holding `value`, shared by every use of that value.
  mlir::FlatSymbolRefAttr scalarConstant(float value);
  mlir::Attribute mem(mlir::FlatSymbolRefAttr buf, mlir::Attribute offset,
                      mlir::Attribute length, mlir::Attribute stride);
  mlir::Attribute mem(mlir::FlatSymbolRefAttr buf, int64_t offset,
                      mlir::Attribute length, int64_t stride = 1) {
    return mem(buf, imm(offset), length, imm(stride));
  }
  mlir::Attribute amem(mlir::Attribute address, mlir::Attribute length,
                       int64_t stride = 1);
  mlir::Attribute in(mlir::FlatSymbolRefAttr channel, mlir::Attribute length);
  mlir::Attribute out(mlir::FlatSymbolRefAttr channel, mlir::Attribute length);
  mlir::Attribute addr(mlir::FlatSymbolRefAttr buf);
  mlir::FloatAttr f32(float v);

  /// Appends an instruction, e.g. `emit<FmacOp>(acc, a, b)`.
  template <typename InstrOp, typename... Operands>
  InstrOp emit(Operands &&...operands) {
    return InstrOp::create(taskBuilder, loc,
                           std::forward<Operands>(operands)...);
  }

  // Control flow.
  mlir::FlatSymbolRefAttr newLabel(llvm::StringRef hint);
  void place(mlir::FlatSymbolRefAttr label);
  /// Skips to `label` unless the per-PE condition is non-zero (nothing is
  /// emitted when it is known to hold everywhere).
  void skipUnless(const PerPEExpr &cond, mlir::FlatSymbolRefAttr label);

  unsigned allocReg();
  void freeReg(unsigned r);
  /// Whether a loop nest ran out of registers since the last call.
  bool takeOutOfRegisters() {
    bool out = outOfRegisters;
    outOfRegisters = false;
    return out;
  }

  /// Runs `body` once per element box position over `extents` (outermost
  /// first); the innermost dimension becomes the vector length unless
  /// `vectorInner` is false. `body` receives one offset value per pointer,
  /// the vector length and the innermost stride of each pointer.
  using NestBody =
      llvm::function_ref<void(llvm::ArrayRef<mlir::Attribute>, mlir::Attribute,
                              llvm::ArrayRef<int64_t>)>;
  void nest(llvm::ArrayRef<PerPEExpr> extents, llvm::ArrayRef<Pointer> ptrs,
            NestBody body, bool vectorInner = true, int64_t maxVector = 0);

  /// The longest vector `nest` gives its body for these extents (bounded
  /// by `bounds` where an extent differs between PEs).
  static int64_t longestVector(llvm::ArrayRef<PerPEExpr> extents,
                               llvm::ArrayRef<int64_t> bounds,
                               llvm::ArrayRef<Pointer> ptrs,
                               int64_t maxVector = 0);

  /// A counted loop `for r in [0, count)`; `body` receives the register.
  void loop(mlir::Attribute count, llvm::function_ref<void(unsigned)> body);

  /// Calls a subroutine placed later with emitSubroutine; arguments are
  /// moved into the argument registers first.
  void call(llvm::StringRef name,
            llvm::ArrayRef<std::pair<unsigned, mlir::Attribute>> args);
  /// Emits every called subroutine after the main code (and `ret` before
  /// them).
  void finish(llvm::function_ref<void(llvm::StringRef)> emitBody);

private:
  mlir::MLIRContext *ctx;
  KernelOp kernel;
  mlir::OpBuilder kernelBuilder, taskBuilder;
  mlir::Location loc;
  llvm::StringMap<mlir::FlatSymbolRefAttr> constsByText;
  llvm::DenseMap<uint32_t, mlir::FlatSymbolRefAttr> scalarConsts;
  llvm::StringMap<unsigned> nameCounts;
  bool regUsed[kNestRegs] = {};
  bool outOfRegisters = false;
  struct CallSite {
    int64_t id;
    mlir::FlatSymbolRefAttr returnLabel;
  };
  llvm::StringMap<llvm::SmallVector<CallSite>> calls;
  llvm::SmallVector<std::string> callOrder;
  int64_t nextCallId = 0;

  std::string uniqueName(llvm::StringRef hint);

public:
  struct NestDim {
    PerPEExpr extent;
    int64_t bound;
    llvm::SmallVector<int64_t> strides;
  };
  /// Drops unit dimensions, merges dimensions every pointer walks as one
  /// run, and splits a known innermost run longer than `maxVector` (when it
  /// divides evenly).
  static llvm::SmallVector<NestDim> planNest(llvm::ArrayRef<PerPEExpr> extents,
                                             llvm::ArrayRef<int64_t> bounds,
                                             llvm::ArrayRef<Pointer> ptrs,
                                             int64_t maxVector, bool &empty);
};

} // namespace wse::pe::lowering

#endif

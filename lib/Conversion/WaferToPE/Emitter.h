//===- Emitter.h - Writes the code of one pe.task ---------------*- C++ -*-===//
//
// A thin layer over the pe dialect for the wafer -> pe lowering: instruction
// operands, per-PE constants (deduplicated), buffers, virtual registers,
// structured code (pe.if, pe.loop and loop nests over boxes of tensor
// elements) and subroutines with pe.call.
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
  /// `e` as a reference to its kernel constant (val), so expressions built
  /// on it stay small.
  PerPEExpr named(const PerPEExpr &e);
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
  /// Code emitted between `onlyWhere` and `end` runs only on the PEs where
  /// the per-PE condition is non-zero (no pe.if when it holds everywhere;
  /// the code is dropped when it holds nowhere).
  struct Guard {
    IfOp op;
    bool dead = false;
  };
  Guard onlyWhere(const PerPEExpr &cond);
  void end(Guard &guard);
  /// `pe.if lhs pred rhs [upper] { thenCode } else { elseCode }`.
  void ifElse(Predicate pred, mlir::Attribute lhs, mlir::Attribute rhs,
              mlir::Attribute upper, llvm::function_ref<void()> thenCode,
              llvm::function_ref<void()> elseCode = nullptr);

  /// A fresh virtual register (emission assigns the physical ones).
  unsigned allocReg() { return nextReg++; }

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

  /// A counted loop `for r in [0, count)`; `body` receives the register
  /// (`counter`, else a fresh one). `layers` marks the loop over repeated
  /// layers (count > 0).
  void loop(mlir::Attribute count, llvm::function_ref<void(unsigned)> body,
            bool layers = false, std::optional<unsigned> counter = {});

  /// Calls a subroutine that finish() emits, passing `args` in its
  /// parameter registers.
  void call(llvm::StringRef name, llvm::ArrayRef<mlir::Attribute> args);
  /// Ends the code with `ret` and emits every called subroutine after it;
  /// `emitBody` writes a subroutine's code given its parameter registers.
  void finish(llvm::function_ref<void(llvm::StringRef, llvm::ArrayRef<RegAttr>)>
                  emitBody);

private:
  mlir::MLIRContext *ctx;
  KernelOp kernel;
  mlir::OpBuilder kernelBuilder, taskBuilder;
  mlir::Location loc;
  llvm::StringMap<mlir::FlatSymbolRefAttr> constsByText;
  llvm::DenseMap<uint32_t, mlir::FlatSymbolRefAttr> scalarConsts;
  llvm::StringMap<unsigned> nameCounts;
  unsigned nextReg = 0;
  /// Called subroutines in order of first call, with their arity.
  llvm::SmallVector<std::pair<std::string, size_t>> called;

  /// Runs `fill` with the builder inside `block`, then continues after `op`.
  void inside(mlir::Block &block, mlir::Operation *op,
              llvm::function_ref<void()> fill);
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

//===- LayoutRules.h - Which distribution each op wants ---------*- C++ -*-===//
//
// The per-op distribution rules of wafer-layout, stated once so the pass,
// the docs (docs/wafer/layout.md) and later passes agree. Each rule depends
// only on the op's kind, attributes and shapes.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_TRANSFORMS_LAYOUTRULES_H
#define WSE_DIALECT_WAFER_TRANSFORMS_LAYOUTRULES_H

#include "dialects/wafer/IR/WaferAttrs.h"
#include "dialects/wafer/IR/WaferOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"

namespace wse::wafer::layout {

/// The canonical distribution of a rank-`rank` tensor: the last dimension
/// over mesh rows (y), the one before over columns (x), the others whole.
/// Rank 1 is [y]; rank 0 is [].
DistAttr canonicalDist(mlir::MLIRContext *ctx, int64_t rank);

/// `dist` (of a tensor of shape `full`) seen by an operand of shape
/// `operand` that broadcasts to `full` (numpy rules, right-aligned): the
/// operand's dimensions take the axes of the dimensions they align with,
/// except broadcast ones (size 1 against a larger size), which stay whole.
DistAttr alignedDist(DistAttr dist, llvm::ArrayRef<int64_t> full,
                     llvm::ArrayRef<int64_t> operand);

/// Whether `value` is a weight kept in SRAM for the whole program: the
/// result of a `wafer.stream` with the `resident` flag (pipelined mode).
/// Resident weights are spread over their consumer's whole rectangle
/// (linear W[K, N]: [y, x], [x, y] with transpose_weight; embedding table:
/// [x, y]); streamed ones pass through in chunks ([y, *], [*, y]).
bool isResidentWeight(mlir::Value value);

/// The distribution `op` needs for operand #`index`, or null when it
/// accepts any (data movement) or `op` is not one wafer-layout knows.
DistAttr requiredOperandDist(mlir::Operation *op, unsigned index);

/// The distribution of result #`index` of `op` (not a stream or constant:
/// those take their consumer's). A relayout keeps a result distribution it
/// already has; a transpose permutes its operand's; a reshape that keeps
/// the dimensions up to its operand's x dimension keeps x there (y on the
/// last dimension larger than one); slices, splits and concatenations keep
/// their first operand's; every other result is canonical.
DistAttr resultDist(mlir::Operation *op, unsigned index);

/// Whether `matmul` reduces partial sums down the columns (each PE
/// multiplies its lhs block by the rhs rows of its K block: rhs
/// [..., y, *]) rather than keeping its output block (whole lhs rows of its
/// column times the rhs columns of its row: rhs [..., *, y]): whichever
/// needs fewer words per PE on its rectangle.
bool matmulReducesColumns(MatmulOp matmul);

/// Runs wafer-layout on one function: gives every tensor its distribution
/// and inserts the relayouts (wafer-place runs it on a scratch copy to see
/// the per-PE SRAM wafer-verify will check).
void layoutFunction(mlir::func::FuncOp func);

} // namespace wse::wafer::layout

#endif

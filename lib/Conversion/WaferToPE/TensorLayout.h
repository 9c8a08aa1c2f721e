//===- TensorLayout.h - Where the elements of a tensor live -----*- C++ -*-===//
//
// A wafer tensor type with its #wafer.dist and the op's rectangle, seen from
// one PE of the kernel's rectangle: the box of elements that PE holds, as
// per-PE offsets and extents per dimension. Blocks are stored densely in
// row-major order of the largest block.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_CONVERSION_WAFERTOPE_TENSORLAYOUT_H
#define WSE_CONVERSION_WAFERTOPE_TENSORLAYOUT_H

#include "PerPEExpr.h"
#include "dialects/wafer/IR/WaferAttrs.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

namespace wse::pe::lowering {

struct TensorLayout {
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<wafer::MeshAxis> axes;
  /// The op's rectangle relative to the kernel's.
  int64_t x0 = 0, y0 = 0, width = 1, height = 1;
  llvm::SmallVector<int64_t> block; ///< largest block, per dimension
  llvm::SmallVector<PerPEExpr> offset, extent;
  /// The PE holds a non-empty block.
  PerPEExpr holds;
  /// ... and is the one copy among PEs holding the same block.
  PerPEExpr primary;

  int64_t rank() const { return shape.size(); }
  int64_t numElements() const;
  int64_t blockWords() const;
  llvm::SmallVector<int64_t> blockStrides() const;
  bool sameAs(const TensorLayout &other) const;
  /// On the same rectangle.
  bool sameRectAs(const TensorLayout &other) const {
    return x0 == other.x0 && y0 == other.y0 && width == other.width &&
           height == other.height;
  }
  /// The dimensions that shape a block, in order: each distributed one
  /// (size, axis), and between them the product of the undistributed ones
  /// (size, None); unit dimensions dropped. Row-major order walks the
  /// blocks of two layouts with the same segments the same way
  /// ([2, 2, x16, y16] is [4, x16, y16]). None if a unit dimension is
  /// distributed.
  std::optional<llvm::SmallVector<std::pair<int64_t, wafer::MeshAxis>>>
  blockSegments() const;
  /// Same blocks on the same PEs (same rectangle, same blockSegments): a
  /// block buffer of one is one of the other.
  bool sameBlocksAs(const TensorLayout &other) const;
};

/// sum_d offsets[d] * strides[d].
PerPEExpr dotOffsets(llvm::ArrayRef<PerPEExpr> offsets,
                     llvm::ArrayRef<int64_t> strides);

/// The number of elements of `shape`.
int64_t product(llvm::ArrayRef<int64_t> shape);

/// Row-major strides of `shape`.
llvm::SmallVector<int64_t> denseStrides(llvm::ArrayRef<int64_t> shape);

/// The layout of `type` (its #wafer.dist; none means whole on every PE) on
/// `rect`, with PE coordinates relative to `kernelRect`.
TensorLayout makeLayout(mlir::RankedTensorType type, mesh::RectAttr rect,
                        mesh::RectAttr kernelRect);

} // namespace wse::pe::lowering

#endif

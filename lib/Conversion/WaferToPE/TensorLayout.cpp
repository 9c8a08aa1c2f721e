//===- TensorLayout.cpp - Where the elements of a tensor live -------------===//

#include "TensorLayout.h"

using namespace mlir;
using namespace wse;
using namespace wse::pe::lowering;

SmallVector<int64_t> wse::pe::lowering::denseStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    strides[i - 1] = strides[i] * shape[i];
  return strides;
}

PerPEExpr wse::pe::lowering::dotOffsets(ArrayRef<PerPEExpr> offsets,
                                        ArrayRef<int64_t> strides) {
  PerPEExpr r = 0;
  for (auto [o, s] : llvm::zip(offsets, strides))
    r = r + o * s;
  return r;
}

int64_t wse::pe::lowering::product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

int64_t TensorLayout::numElements() const { return product(shape); }

int64_t TensorLayout::blockWords() const { return product(block); }

SmallVector<int64_t> TensorLayout::blockStrides() const {
  return denseStrides(block);
}

bool TensorLayout::sameAs(const TensorLayout &o) const {
  return shape == o.shape && axes == o.axes && x0 == o.x0 && y0 == o.y0 &&
         width == o.width && height == o.height;
}

std::optional<SmallVector<std::pair<int64_t, wafer::MeshAxis>>>
TensorLayout::blockSegments() const {
  SmallVector<std::pair<int64_t, wafer::MeshAxis>> out;
  int64_t whole = 1;
  for (auto [d, a] : llvm::zip(shape, axes)) {
    if (d == 1 && a != wafer::MeshAxis::None)
      return std::nullopt;
    if (a == wafer::MeshAxis::None) {
      whole *= d;
      continue;
    }
    if (whole != 1)
      out.push_back({whole, wafer::MeshAxis::None});
    whole = 1;
    out.push_back({d, a});
  }
  if (whole != 1)
    out.push_back({whole, wafer::MeshAxis::None});
  return out;
}

bool TensorLayout::sameBlocksAs(const TensorLayout &o) const {
  if (x0 != o.x0 || y0 != o.y0 || width != o.width || height != o.height)
    return false;
  auto a = blockSegments(), b = o.blockSegments();
  return a && b && *a == *b;
}

TensorLayout wse::pe::lowering::makeLayout(RankedTensorType type,
                                           mesh::RectAttr rect,
                                           mesh::RectAttr kernelRect) {
  TensorLayout l;
  l.shape.assign(type.getShape().begin(), type.getShape().end());
  wafer::DistAttr dist = wafer::getDist(type);
  if (dist)
    l.axes.assign(dist.getAxes().begin(), dist.getAxes().end());
  else
    l.axes.assign(l.shape.size(), wafer::MeshAxis::None);
  if (!rect)
    rect = kernelRect;
  l.x0 = rect.getX() - kernelRect.getX();
  l.y0 = rect.getY() - kernelRect.getY();
  l.width = rect.getWidth();
  l.height = rect.getHeight();

  PerPEExpr bx = PerPEExpr::var(emu::ExprVar::RX) - l.x0,
            by = PerPEExpr::var(emu::ExprVar::RY) - l.y0;
  PerPEExpr inRect =
      (bx >= 0) && (bx < l.width) && (by >= 0) && (by < l.height);
  l.holds = inRect;
  bool usesX = false, usesY = false;
  for (auto [dim, axis] : llvm::zip(l.shape, l.axes)) {
    if (axis == wafer::MeshAxis::None) {
      l.block.push_back(dim);
      l.offset.push_back(0);
      l.extent.push_back(dim);
      continue;
    }
    bool isX = axis == wafer::MeshAxis::X;
    (isX ? usesX : usesY) = true;
    int64_t parts = isX ? l.width : l.height;
    int64_t bs = (dim + parts - 1) / parts;
    PerPEExpr b = isX ? bx : by;
    l.block.push_back(bs);
    if (bs == dim) {
      // One block: only the first row/column of the rectangle holds it.
      l.holds = l.holds && (b == 0);
      l.offset.push_back(0);
      l.extent.push_back(dim);
      continue;
    }
    l.holds = l.holds && (b * bs < dim);
    l.offset.push_back(b * bs);
    l.extent.push_back(min(PerPEExpr(bs), PerPEExpr(dim) - b * bs));
  }
  l.primary = l.holds;
  if (!usesX)
    l.primary = l.primary && (bx == 0);
  if (!usesY)
    l.primary = l.primary && (by == 0);
  return l;
}

//===- Attributes.cpp - MLIR types and constants to host tensors ----------===//

#include "wse/Reference/ONNXInterpreter.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/DebugStringHelper.h"

using namespace mlir;
using namespace wse::ref;

llvm::Expected<DType> wse::ref::dtypeOf(Type t) {
  if (t.isF16())
    return DType::F16;
  if (t.isBF16())
    return DType::BF16;
  if (t.isF32())
    return DType::F32;
  if (t.isF64())
    return DType::F64;
  if (auto it = dyn_cast<IntegerType>(t)) {
    bool u = it.isUnsigned();
    switch (it.getWidth()) {
    case 1:
      return DType::I1;
    case 8:
      return u ? DType::U8 : DType::I8;
    case 16:
      return u ? DType::U16 : DType::I16;
    case 32:
      return u ? DType::U32 : DType::I32;
    case 64:
      return u ? DType::U64 : DType::I64;
    default:
      break;
    }
  }
  return makeError("unsupported element type " + debugString(t));
}

llvm::Expected<Tensor> wse::ref::tensorFromAttr(Attribute attr) {
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return makeError("unsupported constant attribute (only dense elements)");
  auto type = cast<ShapedType>(dense.getType());
  auto dtype = dtypeOf(type.getElementType());
  if (!dtype)
    return dtype.takeError();
  Tensor t(*dtype, type.getShape());
  int64_t n = t.numElements();
  if (t.isFloat()) {
    // Splats iterate as n copies of the one stored value.
    int64_t k = 0;
    for (const llvm::APFloat &v : dense.getValues<llvm::APFloat>()) {
      llvm::APFloat x = v;
      bool lost;
      x.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      if (k < n)
        t.f[k++] = x.convertToFloat();
    }
    return t;
  }
  bool zext = *dtype == DType::I1 || isUnsigned(*dtype);
  int64_t k = 0;
  for (const llvm::APInt &v : dense.getValues<llvm::APInt>())
    if (k < n)
      t.i[k++] =
          zext ? static_cast<int64_t>(v.getZExtValue()) : v.getSExtValue();
  return t;
}

llvm::Expected<DenseElementsAttr>
wse::ref::tensorToAttr(const Tensor &t, RankedTensorType type) {
  if (!type.hasStaticShape() || type.getShape() != llvm::ArrayRef(t.shape))
    return makeError("a " + shapeString(t.shape) +
                     " value does not have type " + debugString(type));
  Type elem = type.getElementType();
  if (auto ft = dyn_cast<FloatType>(elem)) {
    if (!t.isFloat())
      return makeError("an integer value does not have type " +
                       debugString(type));
    SmallVector<APFloat> values;
    values.reserve(t.f.size());
    for (float v : t.f) {
      APFloat x(v);
      bool lost;
      x.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(x);
    }
    // DenseElementsAttr::get stores equal values as a splat.
    return DenseElementsAttr::get(type, values);
  }
  auto it = dyn_cast<IntegerType>(elem);
  auto dtype = dtypeOf(elem);
  if (!dtype)
    return dtype.takeError();
  if (t.isFloat())
    return makeError("a float value does not have type " + debugString(type));
  SmallVector<APInt> values;
  values.reserve(t.i.size());
  for (int64_t v : t.i) {
    // Kernels wrap to the width; a value that does not fit is a bug upstream
    // (wrong dtype), not something to truncate silently.
    if (wrapInt(v, *dtype) != v)
      return makeError("value " + llvm::Twine(v) + " does not fit " +
                       debugString(type));
    values.push_back(APInt(it.getWidth(), static_cast<uint64_t>(v),
                           /*isSigned=*/!isUnsigned(*dtype),
                           /*implicitTrunc=*/true));
  }
  return DenseElementsAttr::get(type, values);
}

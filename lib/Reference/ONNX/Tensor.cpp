//===- Tensor.cpp - Host tensors of the reference interpreter -------------===//

#include "wse/Reference/Tensor.h"

#include "llvm/ADT/APFloat.h"

using namespace wse::ref;

bool wse::ref::isFloat(DType t) {
  return t == DType::F16 || t == DType::BF16 || t == DType::F32 ||
         t == DType::F64;
}

unsigned wse::ref::bitWidth(DType t) {
  switch (t) {
  case DType::I1:
    return 1;
  case DType::I8:
  case DType::U8:
    return 8;
  case DType::F16:
  case DType::BF16:
  case DType::I16:
  case DType::U16:
    return 16;
  case DType::F32:
  case DType::I32:
  case DType::U32:
    return 32;
  case DType::F64:
  case DType::I64:
  case DType::U64:
    return 64;
  }
  return 0;
}

bool wse::ref::isUnsigned(DType t) {
  return t == DType::U8 || t == DType::U16 || t == DType::U32 ||
         t == DType::U64;
}

llvm::StringRef wse::ref::dtypeName(DType t) {
  switch (t) {
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I1:
    return "i1";
  case DType::I8:
    return "i8";
  case DType::I16:
    return "i16";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  case DType::U8:
    return "ui8";
  case DType::U16:
    return "ui16";
  case DType::U32:
    return "ui32";
  case DType::U64:
    return "ui64";
  }
  return "?";
}

int64_t wse::ref::wrapInt(int64_t v, DType t) {
  switch (t) {
  case DType::I1:
    return v != 0;
  case DType::I8:
    return static_cast<int8_t>(static_cast<uint8_t>(v));
  case DType::I16:
    return static_cast<int16_t>(static_cast<uint16_t>(v));
  case DType::I32:
    return static_cast<int32_t>(static_cast<uint32_t>(v));
  case DType::U8:
    return static_cast<uint8_t>(v);
  case DType::U16:
    return static_cast<uint16_t>(v);
  case DType::U32:
    return static_cast<uint32_t>(v);
  default:
    return v;
  }
}

float wse::ref::roundFloat(float v, DType t) {
  if (t != DType::F16 && t != DType::BF16)
    return v;
  llvm::APFloat x(v);
  bool lost;
  x.convert(t == DType::F16 ? llvm::APFloat::IEEEhalf()
                            : llvm::APFloat::BFloat(),
            llvm::APFloat::rmNearestTiesToEven, &lost);
  x.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
            &lost);
  return x.convertToFloat();
}

int64_t wse::ref::numElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Tensor::Tensor(DType dtype, llvm::ArrayRef<int64_t> shape)
    : dtype(dtype), shape(shape.begin(), shape.end()) {
  if (ref::isFloat(dtype))
    f.assign(ref::numElements(shape), 0.0f);
  else
    i.assign(ref::numElements(shape), 0);
}

int64_t Tensor::numElements() const { return ref::numElements(shape); }

void Tensor::setDouble(int64_t k, double v) {
  if (isFloat())
    f[k] = static_cast<float>(v);
  else
    i[k] = wrapInt(static_cast<int64_t>(v), dtype);
}

std::string wse::ref::shapeString(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t k = 0; k < shape.size(); ++k) {
    if (k)
      s += 'x';
    s += std::to_string(shape[k]);
  }
  return s;
}

std::vector<int64_t> wse::ref::stridesOf(llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t k = static_cast<int64_t>(shape.size()) - 2; k >= 0; --k)
    strides[k] = strides[k + 1] * shape[k + 1];
  return strides;
}

llvm::Error wse::ref::makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
}

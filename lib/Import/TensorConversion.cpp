//===- TensorConversion.cpp - ONNX tensors and types to MLIR --------------===//
#include "TensorConversion.h"
#include "GraphImporter.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <cstring>

using namespace mlir;

Type wse::import::convertElementType(MLIRContext *ctx, int32_t onnxType) {
  Builder b(ctx);
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  case onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case onnx::TensorProto::INT16:
    return b.getIntegerType(16);
  case onnx::TensorProto::INT32:
    return b.getI32Type();
  case onnx::TensorProto::INT64:
    return b.getI64Type();
  case onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::UINT16:
    return b.getIntegerType(16, false);
  case onnx::TensorProto::UINT32:
    return b.getIntegerType(32, false);
  case onnx::TensorProto::UINT64:
    return b.getIntegerType(64, false);
  default:
    return {};
  }
}

std::string wse::import::onnxTypeName(int32_t onnxType) {
  if (onnx::TensorProto::DataType_IsValid(onnxType))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(onnxType));
  return "code " + std::to_string(onnxType);
}

namespace {

/// Reads element `i` of a little-endian raw buffer as bits.
uint64_t rawBits(const std::string &raw, size_t i, unsigned bytes) {
  uint64_t bits = 0;
  std::memcpy(&bits, raw.data() + i * bytes, bytes);
  return bits;
}

} // namespace

std::string wse::import::shapeProblem(ArrayRef<int64_t> dims,
                                      bool allowDynamic) {
  int64_t count = 1;
  for (int64_t d : dims) {
    if (allowDynamic && ShapedType::isDynamic(d))
      continue;
    if (d < 0)
      return "has negative dimension " + std::to_string(d);
    // count * d > limit, without computing the product.
    if (d != 0 && count > kMaxTensorElements / d)
      return "has more than 2^48 elements (dimensions " +
             llvm::join(llvm::map_range(dims,
                                        [](int64_t v) {
                                          return ShapedType::isDynamic(v)
                                                     ? std::string("?")
                                                     : std::to_string(v);
                                        }),
                        "x") +
             ")";
    count *= d;
  }
  return "";
}

FailureOr<DenseElementsAttr>
wse::import::convertTensor(MLIRContext *ctx, const onnx::TensorProto &tensor,
                           Location loc) {
  Type element = convertElementType(ctx, tensor.data_type());
  if (!element)
    return emitError(loc) << "tensor '" << tensor.name()
                          << "' has unsupported element type "
                          << onnxTypeName(tensor.data_type());
  SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  std::string problem = shapeProblem(dims, /*allowDynamic=*/false);
  if (!problem.empty())
    return emitError(loc) << "tensor '" << tensor.name() << "' " << problem;
  int64_t count = 1;
  for (int64_t d : dims)
    count *= d;
  auto type = RankedTensorType::get(dims, element);
  unsigned bits = element.getIntOrFloatBitWidth();
  unsigned bytes = bits == 1 ? 1 : bits / 8;
  const std::string &raw = tensor.raw_data();
  bool fromRaw = tensor.has_raw_data();

  // How many values the typed field holds, to check against the shape.
  int64_t typedCount = 0;
  if (auto f = dyn_cast<FloatType>(element)) {
    typedCount = f.isF64()   ? tensor.double_data_size()
                 : f.isF32() ? tensor.float_data_size()
                             : tensor.int32_data_size();
  } else if (bits == 64) {
    typedCount = element.isUnsignedInteger() ? tensor.uint64_data_size()
                                             : tensor.int64_data_size();
  } else if (bits == 32 && element.isUnsignedInteger()) {
    typedCount = tensor.uint64_data_size();
  } else {
    typedCount = tensor.int32_data_size();
  }
  int64_t available = fromRaw ? int64_t(raw.size() / bytes) : typedCount;
  if ((fromRaw && raw.size() != size_t(count) * bytes) ||
      (!fromRaw && available != count))
    return emitError(loc) << "tensor '" << tensor.name() << "' holds "
                          << available << " values (" << raw.size()
                          << " raw bytes) but its shape needs " << count;

  if (auto f = dyn_cast<FloatType>(element)) {
    SmallVector<APFloat> values;
    values.reserve(count);
    const llvm::fltSemantics &sem = f.getFloatSemantics();
    for (int64_t i = 0; i < count; ++i) {
      uint64_t b;
      if (fromRaw)
        b = rawBits(raw, i, bytes);
      else if (f.isF64()) {
        double d = tensor.double_data(i);
        std::memcpy(&b, &d, 8);
      } else if (f.isF32()) {
        float v = tensor.float_data(i);
        uint32_t u;
        std::memcpy(&u, &v, 4);
        b = u;
      } else {
        b = uint64_t(uint32_t(tensor.int32_data(i))) & 0xffff;
      }
      values.emplace_back(sem, APInt(bits, b));
    }
    return DenseElementsAttr::get(type, values);
  }

  SmallVector<APInt> values;
  values.reserve(count);
  for (int64_t i = 0; i < count; ++i) {
    uint64_t v;
    if (fromRaw)
      v = rawBits(raw, i, bytes);
    else if (bits == 64)
      v = element.isUnsignedInteger() ? tensor.uint64_data(i)
                                      : uint64_t(tensor.int64_data(i));
    else if (bits == 32 && element.isUnsignedInteger())
      v = tensor.uint64_data(i);
    else
      v = uint64_t(int64_t(tensor.int32_data(i)));
    if (bits == 1)
      v = v != 0;
    values.emplace_back(bits, v, /*isSigned=*/false, /*implicitTrunc=*/true);
  }
  return DenseElementsAttr::get(type, values);
}

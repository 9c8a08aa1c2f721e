//===- Parameters.cpp - Lazy reads of onnx.parameter bytes ----------------===//
//
// A parameter's bytes are read from its file (relative to the weights
// directory) only when a param_ref is evaluated, and only the slice
// [offset, offset + length): a model's weights never need to fit in memory at
// once, and a weight the evaluated function does not use is never touched.
//
//===----------------------------------------------------------------------===//

#include "wse/Reference/Driver.h"

#include "dialects/onnx/IR/ONNXOps.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace wse::ref;

/// Element `k` of little-endian raw bytes of `dtype`, as float or int64.
static void decode(Tensor &t, const char *bytes, int64_t k) {
  using namespace llvm::support;
  switch (t.dtype) {
  case DType::F32: {
    uint32_t bits = endian::read32le(bytes + 4 * k);
    float v;
    std::memcpy(&v, &bits, 4);
    t.f[k] = v;
    return;
  }
  case DType::F64: {
    uint64_t bits = endian::read64le(bytes + 8 * k);
    double v;
    std::memcpy(&v, &bits, 8);
    t.f[k] = static_cast<float>(v);
    return;
  }
  case DType::F16: {
    llvm::APFloat v(llvm::APFloat::IEEEhalf(),
                    llvm::APInt(16, endian::read16le(bytes + 2 * k)));
    t.f[k] = v.convertToFloat();
    return;
  }
  case DType::BF16: {
    uint32_t bits = static_cast<uint32_t>(endian::read16le(bytes + 2 * k))
                    << 16;
    float v;
    std::memcpy(&v, &bits, 4);
    t.f[k] = v;
    return;
  }
  case DType::I1:
    t.i[k] = bytes[k] != 0;
    return;
  case DType::I8:
    t.i[k] = static_cast<int8_t>(bytes[k]);
    return;
  case DType::U8:
    t.i[k] = static_cast<uint8_t>(bytes[k]);
    return;
  case DType::I16:
    t.i[k] = static_cast<int16_t>(endian::read16le(bytes + 2 * k));
    return;
  case DType::U16:
    t.i[k] = endian::read16le(bytes + 2 * k);
    return;
  case DType::I32:
    t.i[k] = static_cast<int32_t>(endian::read32le(bytes + 4 * k));
    return;
  case DType::U32:
    t.i[k] = endian::read32le(bytes + 4 * k);
    return;
  case DType::I64:
  case DType::U64:
    t.i[k] = static_cast<int64_t>(endian::read64le(bytes + 8 * k));
    return;
  }
}

llvm::Expected<Tensor> ONNXInterpreter::loadParameter(llvm::StringRef name) {
  auto param = SymbolTable::lookupNearestSymbolFrom<onnxir::ParameterOp>(
      module, StringAttr::get(module.getContext(), name));
  if (!param)
    return makeError("no onnx.parameter @" + name);
  return readParameter(options.weightsDir, name, param.getType(),
                       param.getFile(), param.getOffset(), param.getLength());
}

llvm::Expected<Tensor> wse::ref::readParameter(llvm::StringRef weightsDir,
                                               llvm::StringRef name,
                                               Type paramType,
                                               llvm::StringRef file,
                                               int64_t offset, int64_t length) {
  auto type = dyn_cast<RankedTensorType>(paramType);
  if (!type || !type.hasStaticShape())
    return makeError("parameter @" + name + " has no static type");
  auto dtype = dtypeOf(type.getElementType());
  if (!dtype)
    return dtype.takeError();
  // The byte count, checked, before anything is allocated: the type and the
  // file are the input's, so the file must hold the bytes first.
  int64_t elemBytes = std::max<int64_t>(1, bitWidth(*dtype) / 8);
  int64_t needed = elemBytes;
  for (int64_t d : type.getShape())
    if (d < 0 || __builtin_mul_overflow(needed, d, &needed))
      return makeError("parameter @" + name + " has a type too large to read");
  if (length != needed)
    return makeError("parameter @" + name + " has length " +
                     llvm::Twine(length) + " but its type needs " +
                     llvm::Twine(needed) + " bytes");
  if (offset < 0)
    return makeError("parameter @" + name + " has a negative offset");
  llvm::SmallString<256> path(weightsDir);
  llvm::sys::path::append(path, file);
  // getFileSlice zero-fills a slice past the end of the file: check first.
  uint64_t fileSize = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(path, fileSize))
    return makeError("cannot read parameter @" + name + " from '" + path +
                     "': " + ec.message());
  if (static_cast<uint64_t>(offset) + static_cast<uint64_t>(length) > fileSize)
    return makeError("parameter @" + name + ": offset " + llvm::Twine(offset) +
                     " + length " + llvm::Twine(length) +
                     " is past the end of '" + path + "' (" +
                     llvm::Twine(fileSize) + " bytes)");
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, length, offset);
  if (!buffer)
    return makeError("cannot read parameter @" + name + " from '" + path +
                     "' (offset " + llvm::Twine(offset) + ", length " +
                     llvm::Twine(length) + "): " + buffer.getError().message());
  if (static_cast<int64_t>((*buffer)->getBufferSize()) != length)
    return makeError("parameter @" + name + ": '" + path +
                     "' ends before offset + length");
  Tensor t(*dtype, type.getShape());
  const char *bytes = (*buffer)->getBufferStart();
  for (int64_t k = 0, n = t.numElements(); k < n; ++k)
    decode(t, bytes, k);
  return t;
}

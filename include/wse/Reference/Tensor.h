//===- Tensor.h - Host tensors of the reference interpreter -----*- C++ -*-===//
//
// The reference interpreter computes on the host in two domains only: every
// float type is held (and computed) in fp32, every integer or bool type in
// int64 and wrapped back to its width after each op. The element type is kept
// so that results can be rounded (f16/bf16) or wrapped (i8...i32) exactly as
// the IR's type says, and so that the driver can check it against the IR.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_REFERENCE_TENSOR_H
#define WSE_REFERENCE_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse::ref {

enum class DType : uint8_t {
  F16,
  BF16,
  F32,
  F64,
  I1,
  I8,
  I16,
  I32,
  I64,
  U8,
  U16,
  U32,
  U64,
};

bool isFloat(DType t);
/// Storage width in bits (i1 counts as 1, stored as a byte in files).
unsigned bitWidth(DType t);
bool isUnsigned(DType t);
llvm::StringRef dtypeName(DType t);

/// Wraps an integer to the width/signedness of `t` (two's complement), the
/// ONNX/C semantics of integer overflow; bools become 0/1.
int64_t wrapInt(int64_t v, DType t);
/// Rounds an fp32 value to `t`'s precision (f16/bf16); identity otherwise.
float roundFloat(float v, DType t);

/// A dense row-major tensor. Exactly one of `f` (float dtypes) or `i`
/// (integer and bool dtypes) holds numElements() values.
struct Tensor {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<float> f;
  std::vector<int64_t> i;

  Tensor() = default;
  Tensor(DType dtype, llvm::ArrayRef<int64_t> shape);

  bool isFloat() const { return ref::isFloat(dtype); }
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  int64_t numElements() const;
  /// Element k as double / as int64, whichever domain the tensor is in.
  double getDouble(int64_t k) const {
    return isFloat() ? static_cast<double>(f[k]) : static_cast<double>(i[k]);
  }
  int64_t getInt(int64_t k) const {
    return isFloat() ? static_cast<int64_t>(f[k]) : i[k];
  }
  /// Stores `v` converted to this tensor's domain (float → int truncates).
  void setDouble(int64_t k, double v);
};

int64_t numElements(llvm::ArrayRef<int64_t> shape);
/// "1x16x256" ("scalar" for rank 0), as in MLIR tensor types.
std::string shapeString(llvm::ArrayRef<int64_t> shape);
/// Row-major strides of a shape.
std::vector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape);

/// An llvm::Error carrying `msg` (every kernel failure is one of these; the
/// driver prefixes the op and its location).
llvm::Error makeError(const llvm::Twine &msg);

} // namespace wse::ref

#endif // WSE_REFERENCE_TENSOR_H

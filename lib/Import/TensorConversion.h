//===- TensorConversion.h - ONNX tensors and types to MLIR ------*- C++ -*-===//
#ifndef WSE_LIB_IMPORT_TENSORCONVERSION_H
#define WSE_LIB_IMPORT_TENSORCONVERSION_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"

#include <onnx/onnx_pb.h>

namespace wse::import {

/// The most elements a tensor may have (as in the emulator's program
/// format); byte counts of such tensors fit int64 for every element type.
constexpr int64_t kMaxTensorElements = int64_t(1) << 48;

/// Why a tensor of dimensions `dims` cannot be imported: a negative
/// dimension, or more than kMaxTensorElements elements (checked without
/// overflow). Empty when it can. Dynamic dimensions (ShapedType::kDynamic)
/// are accepted when `allowDynamic` and count as 1.
std::string shapeProblem(llvm::ArrayRef<int64_t> dims, bool allowDynamic);

/// Converts a small in-model tensor (raw_data or typed fields) to an
/// attribute; emits an error at `loc` for unsupported or inconsistent data.
mlir::FailureOr<mlir::DenseElementsAttr>
convertTensor(mlir::MLIRContext *context, const onnx::TensorProto &tensor,
              mlir::Location loc);

} // namespace wse::import

#endif

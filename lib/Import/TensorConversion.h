//===- TensorConversion.h - ONNX tensors and types to MLIR ------*- C++ -*-===//
#ifndef WSE_LIB_IMPORT_TENSORCONVERSION_H
#define WSE_LIB_IMPORT_TENSORCONVERSION_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"

#include <onnx/onnx_pb.h>

namespace wse::import {

/// Converts a small in-model tensor (raw_data or typed fields) to an
/// attribute; emits an error at `loc` for unsupported or inconsistent data.
mlir::FailureOr<mlir::DenseElementsAttr>
convertTensor(mlir::MLIRContext *context, const onnx::TensorProto &tensor,
              mlir::Location loc);

} // namespace wse::import

#endif

//===- OpVerifiers.h - Checks shared by the wafer op verifiers --*- C++ -*-===//
#ifndef WSE_DIALECT_WAFER_IR_OPVERIFIERS_H
#define WSE_DIALECT_WAFER_IR_OPVERIFIERS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/SymbolTable.h"

namespace wse::wafer {

/// The ranked tensor type of `value` (wafer ops have static tensor types).
mlir::RankedTensorType tensorOf(mlir::Value value);

/// Every tensor operand and result either has no encoding or a #wafer.dist
/// of its rank.
mlir::LogicalResult verifyEncodings(mlir::Operation *op);

/// The type of the wafer.parameter `name` refers to, or null after an error
/// on `op` saying it names none.
mlir::RankedTensorType parameterType(mlir::Operation *op,
                                     mlir::FlatSymbolRefAttr name,
                                     mlir::SymbolTableCollection &symbols);

/// Checks a function marked `wafer.training_step` (TrainingOps.cpp).
mlir::LogicalResult verifyTrainingStep(mlir::Operation *func);

} // namespace wse::wafer

#endif

//===- GraphValidation.h - Structural checks before shape inference -------===//
//
// libonnx's shape inference trusts its input and crashes on graphs that read
// undefined values or break an operator's schema. These checks run first so
// such files are refused with a message instead.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_LIB_IMPORT_GRAPHVALIDATION_H
#define WSE_LIB_IMPORT_GRAPHVALIDATION_H

#include "mlir/IR/Location.h"

#include <onnx/onnx_pb.h>

namespace wse::import {

/// A node's name for messages and locations: its name, or "OpType#index".
std::string nodeName(const onnx::NodeProto &node, size_t index);

/// The ONNX operators (default domain) the importer handles.
bool isSupportedOperator(llvm::StringRef opType);

/// Checks every node's domain, operator, inputs and schema (attribute types,
/// input and output counts), and that every graph output is defined. Emits
/// an error at `fileLoc` naming the node for the first problem found.
mlir::LogicalResult validateGraph(const onnx::ModelProto &model, int64_t opset,
                                  mlir::Location fileLoc);

} // namespace wse::import

#endif

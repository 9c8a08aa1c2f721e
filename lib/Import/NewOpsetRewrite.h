//===- NewOpsetRewrite.h - Opsets 18-21 rewritten to opset 17 ---*- C++ -*-===//
//
// libonnx 1.12 knows operator schemas up to opset 17: its checker and shape
// inference would apply opset-17 schemas to opset 18-21 nodes and misread
// them. Models at those opsets are therefore rewritten, before any libonnx
// code sees them, into the opset-17 form of every node whose schema changed
// (reduction axes as inputs, Split's num_outputs, Gelu, Cast's saturate);
// the rest of the importer then sees an opset-17 model.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_LIB_IMPORT_NEWOPSETREWRITE_H
#define WSE_LIB_IMPORT_NEWOPSETREWRITE_H

#include "mlir/IR/Location.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

namespace wse::import {

/// The highest opset libonnx 1.12's schemas describe.
constexpr int64_t kLibOnnxMaxOpset = 17;

/// What the rewrite leaves for the node importer: Split nodes that gave
/// num_outputs (opset 18), keyed by their first output. Their pieces are
/// ceil(dim / num_outputs) long, the last one shorter, which the opset-17
/// form (equal pieces) cannot say without knowing the dimension.
struct NewOpsetNotes {
  llvm::StringMap<int64_t> splitNumOutputs;
};

/// Rewrites a model at opset 18-21 in place into opset 17 and sets its
/// default-domain opset import to 17. Emits an error at `fileLoc` naming the
/// node when one cannot be rewritten (a run-time reduction axes input).
mlir::LogicalResult rewriteToOpset17(onnx::ModelProto &model,
                                     NewOpsetNotes &notes,
                                     mlir::Location fileLoc);

} // namespace wse::import

#endif

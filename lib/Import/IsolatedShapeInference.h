//===- IsolatedShapeInference.h - libonnx inference in a child --*- C++ -*-===//
//
// libonnx 1.12's shape inference trusts the graph: some inconsistent models
// (a Transpose whose perm is longer than its input's rank, found by mutating
// real decoders) make it read out of bounds and crash. Models are untrusted,
// so inference runs in a forked child process; the child sends back the
// inferred value infos and output types, and a crash in it becomes an error
// here instead of taking the compiler down.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_LIB_IMPORT_ISOLATEDSHAPEINFERENCE_H
#define WSE_LIB_IMPORT_ISOLATEDSHAPEINFERENCE_H

#include <onnx/onnx_pb.h>

#include <string>

namespace wse::import {

struct InferenceOutcome {
  enum Kind {
    Inferred, ///< `model` now carries the inferred types
    Failed,   ///< libonnx refused the graph (`message`); model unchanged
    Crashed,  ///< libonnx crashed (`message` names the signal); unchanged
  } kind = Inferred;
  std::string message;
};

/// Runs onnx::shape_inference::InferShapes (data propagation on, type checks
/// off) on `model` in a child process and merges its result into `model`.
InferenceOutcome inferShapesIsolated(onnx::ModelProto &model);

} // namespace wse::import

#endif

//===- Recompose.cpp - Recompose decomposed idioms ------------------------===//
#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Transforms/Passes.h"

namespace wse::onnxir {
#define GEN_PASS_DEF_ONNXRECOMPOSE
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace wse::onnxir

using namespace mlir;

namespace {
struct ONNXRecomposePass
    : wse::onnxir::impl::ONNXRecomposeBase<ONNXRecomposePass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace

//===- Staticize.cpp - Fold shape computations to static types ------------===//
#include "dialects/onnx/IR/ONNXOps.h"
#include "dialects/onnx/Transforms/Passes.h"

namespace wse::onnxir {
#define GEN_PASS_DEF_ONNXSTATICIZE
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace wse::onnxir

using namespace mlir;

namespace {
struct ONNXStaticizePass
    : wse::onnxir::impl::ONNXStaticizeBase<ONNXStaticizePass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace

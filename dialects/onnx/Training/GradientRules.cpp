//===- GradientRules.cpp - The table of gradient rules --------------------===//
#include "dialects/onnx/Training/GradientRules.h"

using namespace mlir;

namespace wse::onnxir {

const GradientRuleTable &gradientRules() {
  static const GradientRuleTable table = [] {
    GradientRuleTable t;
    addElementwiseRules(t);
    addLinearAlgebraRules(t);
    addShapeRules(t);
    addNormalizationRules(t);
    return t;
  }();
  return table;
}

Value resultGradOrZeros(const GradientRequest &request, unsigned i,
                        GradientBuilder &gb) {
  if (Value g = request.resultGrads[i])
    return g;
  return gb.zerosLike(GradientBuilder::typeOf(request.op->getResult(i)));
}

} // namespace wse::onnxir

//===- Passes.td - Training passes over the onnx dialect ---*- tablegen -*-===//
#ifndef WSE_DIALECT_ONNX_TRAINING_PASSES_TD
#define WSE_DIALECT_ONNX_TRAINING_PASSES_TD

include "mlir/Pass/PassBase.td"

def ONNXTrainingStep : Pass<"onnx-training-step", "mlir::ModuleOp"> {
  let summary = "Add a function computing the next-token loss and the "
                "gradients of the trainable parameters";
  let description = [{
    Differentiates a prepared (static) decoder in reverse mode. The forward
    function (`entry`, default the first function with a body) must return
    the logits `[B, T, V]`. The pass adds `@train_step(input_ids, labels,
    P1, ..., Pn) -> (loss, dP1, ..., dPn)`:

    * the trainable parameters `P1..Pn` (the `params` option, default every
      float `onnx.parameter`) become arguments named after the parameter,
      so the weight store can feed the values of the current step; the
      other parameters stay `onnx.param_ref`;
    * `loss` is the next-token cross-entropy, the mean over the batch and
      the `T - 1` predicted positions of `-log softmax(logits[:, t])
      [labels[:, t + 1]]` (labels have the shape of the ids; pass the ids
      for language modelling);
    * `dPi` has the type of `Pi` (zeros if the loss does not depend on it).

    Every op on a path from a trainable parameter to the loss needs a
    gradient rule (docs/training.md lists them); an op without one is an
    error naming it. Gradients are plain onnx ops, so `wse-ref --entry
    train_step` evaluates them and later passes lower them like the forward
    ops.
  }];
  let options = [
    Option<"entry", "entry", "std::string", "\"\"",
           "The forward function (default: the first function with a body)">,
    ListOption<"params", "params", "std::string",
               "Parameters to train (default: every float parameter)">,
  ];
  let dependentDialects = ["wse::onnxir::ONNXDialect",
                           "mlir::func::FuncDialect"];
}

#endif // WSE_DIALECT_ONNX_TRAINING_PASSES_TD

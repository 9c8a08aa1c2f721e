//===- WaferTrainingOps.td - Training step ops -------------*- tablegen -*-===//
//
// What a weight-streaming training step adds to the forward ops: activations
// kept at layer inputs, the loss, gradients streaming out to the weight store
// and the store's optimizer update (docs/training.md). Included by
// WaferOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_TRAINING_OPS_TD
#define WSE_DIALECT_WAFER_TRAINING_OPS_TD

def Wafer_CheckpointOp : Wafer_PlacedOp<"checkpoint",
    (ins Wafer_Tensor:$input, Wafer_I64Attr:$layer)> {
  let summary = "an activation kept on the wafer from forward to backward";
  let description = [{
    The input of layer `layer`, held in SRAM after the forward pass reads
    it, so the backward pass can recompute the layer's activations instead
    of keeping them all. The result is the same tensor (its distribution
    may differ); only the layer's recomputation reads it.

    ```mlir
    %c = wafer.checkpoint %x {layer = 3 : i64} : tensor<1x16x64xf32> -> tensor<1x16x64xf32>
    ```
  }];
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Wafer_LossOp : Wafer_PlacedOp<"loss",
    (ins Wafer_FloatTensor:$logits, Wafer_IndexTensor:$labels)> {
  let summary = "next-token cross-entropy and its gradient with respect to the logits";
  let description = [{
    For logits `[B, T, V]` and labels `[B, T]`: `loss` is the mean over `b`
    and `t < T - 1` of `-log_softmax(logits[b, t])[labels[b, t + 1]]`, and
    `logits_grad` is its gradient, `(softmax(logits[b, t]) - onehot) /
    (B (T - 1))`, zero at `t = T - 1`: the seed of the backward pass.
    Labels must lie in `[0, V)` (a run-time error otherwise).

    ```mlir
    %loss, %dlogits = wafer.loss %logits, %labels
        : (tensor<1x16x256xf32>, tensor<1x16xi64>) -> (tensor<f32>, tensor<1x16x256xf32>)
    ```
  }];
  let results = (outs Wafer_FloatTensor:$loss, Wafer_FloatTensor:$logits_grad);
  let assemblyFormat = "$logits `,` $labels attr-dict `:` "
                       "functional-type(operands, results)";
}

def Wafer_StreamOutOp : Wafer_Op<"stream_out",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a weight gradient leaving the wafer for the weight store";
  let description = [{
    The gradient of parameter `name` for this step, reduced toward the edge
    and streamed out as it is produced, on the edge links' other direction
    than the weights coming in. The weight store accumulates it (over
    micro-batches) and applies the optimizer (`wafer.store_optimizer`).
    The gradient has the parameter's shape and element type.

    wafer-schedule-streams fills in `order`, `chunk_bytes` and the
    estimated egress window `start_cycle`/`end_cycle`, as for
    `wafer.stream`.

    ```mlir
    wafer.stream_out %g to @"h.0.mlp.c_fc.weight" : tensor<64x256xf32>
    ```
  }];
  let arguments = (ins Wafer_FloatTensor:$gradient, FlatSymbolRefAttr:$name,
                   OptionalAttr<Mesh_RectAttr>:$region,
                   OptionalAttr<Wafer_I64Attr>:$order,
                   OptionalAttr<Wafer_I64Attr>:$chunk_bytes,
                   OptionalAttr<Wafer_I64Attr>:$start_cycle,
                   OptionalAttr<Wafer_I64Attr>:$end_cycle);
  let assemblyFormat = "$gradient `to` $name attr-dict `:` type($gradient)";
  let hasVerifier = 1;
}

def Wafer_OptimizerKindAttr
    : EnumAttr<Wafer_Dialect, Wafer_OptimizerKind, "optimizer_kind"> {
  let assemblyFormat = "`<` $value `>`";
}

def Wafer_StoreOptimizerOp : Wafer_Op<"store_optimizer",
    [HasParent<"::mlir::ModuleOp">,
     DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "the weight store's optimizer update (off the wafer)";
  let description = [{
    A module-level op: after each step the weight store (MemoryX's role)
    updates every parameter in `params` from the gradient its
    `wafer.stream_out` delivered, with torch's semantics (docs/training.md):
    SGD (`lr`, `momentum`, `dampening`, `nesterov`, `weight_decay`) or AdamW
    (`lr`, `beta1`, `beta2`, `eps`, decoupled `weight_decay`, bias
    correction). It runs off the wafer: no placement, no cycles of the
    step. The optimizer state (momentum, or AdamW's two moments) lives in
    the store beside the weights.

    ```mlir
    wafer.store_optimizer <adamw> lr 1.0e-03 params [@wte, @"h.0.attn.c_attn.weight"]
        {beta1 = 0.9 : f64, beta2 = 0.999 : f64, eps = 1.0e-08 : f64, weight_decay = 0.01 : f64}
    ```
  }];
  let arguments = (ins Wafer_OptimizerKindAttr:$kind, F64Attr:$lr,
                   SymbolRefArrayAttr:$params,
                   OptionalAttr<F64Attr>:$momentum,
                   OptionalAttr<F64Attr>:$dampening, UnitAttr:$nesterov,
                   OptionalAttr<F64Attr>:$beta1, OptionalAttr<F64Attr>:$beta2,
                   OptionalAttr<F64Attr>:$eps,
                   OptionalAttr<F64Attr>:$weight_decay);
  let assemblyFormat = "$kind `lr` $lr `params` $params attr-dict";
  let hasVerifier = 1;
}

#endif // WSE_DIALECT_WAFER_TRAINING_OPS_TD

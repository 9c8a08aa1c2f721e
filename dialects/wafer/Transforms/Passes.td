//===- Passes.td - wafer dialect passes --------------------*- tablegen -*-===//

#ifndef WSE_DIALECT_WAFER_PASSES_TD
#define WSE_DIALECT_WAFER_PASSES_TD

include "mlir/Pass/PassBase.td"

def WaferTarget : Pass<"wafer-target", "mlir::ModuleOp"> {
  let summary = "attach the target machine to the module";
  let description = [{
    Sets the module's `mesh.target` attribute from a preset name (wse2,
    wse3, 4x4, 8x8, 32x32, 64x64) or a machine JSON file, the same
    descriptions `wse-emu --machine` reads. Without the option an existing
    attribute is kept; a module with neither is an error.
  }];
  let options = [
    Option<"target", "target", "std::string", "\"\"",
           "preset name or path to a machine JSON file">,
  ];
  let dependentDialects = ["::wse::wafer::WaferDialect"];
}

def WaferFuseElementwise : Pass<"wafer-fuse-elementwise"> {
  let summary = "merge chains of wafer.elementwise ops into one body";
  let description = [{
    A `wafer.elementwise` whose result is used only by another
    `wafer.elementwise` (and has the consumer's shape) is inlined into the
    consumer's body, so GELU, SiLU, masking and scaling chains become one op
    that reads each operand once. Producers with other users are kept.
  }];
  let dependentDialects = ["::wse::wafer::WaferDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def WaferPlace : Pass<"wafer-place", "mlir::ModuleOp"> {
  let summary = "give every op a rectangle of PEs";
  let description = [{
    `mode=stream` (default): ops run one after another on the whole mesh
    (or the rectangle given by `rect=x,y,width,height`); weights are
    streamed (`wafer.stream` keeps no `resident` flag).

    `mode=pipelined`: every layer op gets its own rectangle, sized by its
    work and at least large enough to hold its weights in SRAM; weights are
    marked `resident`. When the weights do not fit, the pass fails and says
    by how many bytes and PEs.

    Records the mode in the module attribute `wafer.mode`. Needs
    `mesh.target`.
  }];
  let options = [
    Option<"mode", "mode", "::wse::wafer::PlacementMode",
           "::wse::wafer::PlacementMode::stream",
           "how layers map onto the mesh", [{::llvm::cl::values(
             clEnumValN(::wse::wafer::PlacementMode::stream, "stream",
                        "every op on the whole area, weights streamed"),
             clEnumValN(::wse::wafer::PlacementMode::pipelined, "pipelined",
                        "every layer on its own rectangle, weights resident"))}]>,
    ListOption<"rect", "rect", "int64_t",
               "x,y,width,height of the rectangle to use (default: whole mesh)">,
    Option<"explain", "explain", "bool", "false",
           "emit a remark per decision (each layer's rectangle and why)">,
  ];
  let dependentDialects = ["::wse::wafer::WaferDialect"];
}

def WaferLayout : Pass<"wafer-layout", "mlir::ModuleOp"> {
  let summary = "choose tensor distributions and insert the data movement between them";
  let description = [{
    Gives every tensor value a `#wafer.dist` encoding (function arguments
    and results included) and inserts `wafer.relayout` where a producer's
    distribution differs from what its consumer needs. Rules are in
    docs/wafer/layout.md. Needs placed ops.
  }];
  let dependentDialects = ["::wse::wafer::WaferDialect"];
}

def WaferScheduleStreams : Pass<"wafer-schedule-streams", "mlir::ModuleOp"> {
  let summary = "order weight streams, size their buffers and estimate arrival windows";
  let description = [{
    Gives each `wafer.stream` its `order`, buffering `depth`, `chunk_bytes`,
    `region` and estimated `start_cycle`/`end_cycle`, using the cost model:
    layer k+1's weights stream while layer k computes (double buffering)
    within the SRAM left after activations, at the edge-port bandwidth.
  }];
  let options = [
    Option<"depth", "depth", "int64_t", "2",
           "buffers per stream (2 = double buffering)">,
    Option<"explain", "explain", "bool", "false",
           "emit a remark per decision (each stream's window and what bounds it)">,
  ];
  let dependentDialects = ["::wse::wafer::WaferDialect"];
}

def WaferVerify : Pass<"wafer-verify", "mlir::ModuleOp"> {
  let summary = "check placed, scheduled IR against the target's limits";
  let description = [{
    Checks SRAM per PE, routing colors per op, placements inside the mesh
    and non-overlapping in pipelined mode, distributions on every tensor,
    and that concurrently active streams do not exceed the edge-port
    bandwidth. Each message names the op and the PE.

    SRAM is checked against the SRAM plan (dialects/wafer/Analysis/SRAMPlan.h):
    the code and data words per PE the program will have, found by lowering
    a copy of the module and allocating its buffers as pe-allocate-sram
    does. A model that does not fit is refused at the op running at the
    busiest point, with its layer, the words needed (code and data) and the
    shortfall. Where there is no plan (the tool registered no planner, the
    lowering does not support the module, e.g. a training step, or
    `plan-sram=false`), each op's activations and weight buffers plus a
    fixed code reserve are checked instead (in pipelined mode, per
    rectangle with every resident weight).
  }];
  let options = [
    Option<"planSRAM", "plan-sram", "bool", /*default=*/"true",
           "check SRAM against the plan made by lowering a copy (else the "
           "per-op estimate)">,
  ];
  let dependentDialects = ["::wse::wafer::WaferDialect"];
}

def WaferFindLayerLoops : Pass<"wafer-find-layer-loops", "mlir::ModuleOp"> {
  let summary = "find the repeated layers and mark them as one loop";
  let description = [{
    Finds the longest repetition of identical ops in the model function
    (the transformer blocks) and marks op k of repetition I with
    `wafer.layer = I`. convert-wafer-to-pe then emits the code of one
    repetition inside a loop, so a model's per-PE code does not grow with
    its depth: the iterations differ only in the weights and per-layer
    constants that stream in. Repetitions read the same values at the same
    places: values of their own layer, the previous layer's result (the
    residual stream; the first layer reads the value before the loop),
    values every layer reads (masks, rotary tables) and constants of their
    own layer (biases, norm scales). Only the last layer's values may be
    read after the loop. Ops in different rectangles (pipelined mode) are
    different ops, so pipelined programs stay unrolled.

    Annotations already present are replaced; a function without a
    repetition is left without them. `wafer-find-layer-loops{enable=false}`
    removes them (the layers are then emitted one after another).
  }];
  let options = [
    Option<"enable", "enable", "bool", "true",
           "mark the loop (false: remove every mark)">,
  ];
  let dependentDialects = ["::wse::wafer::WaferDialect"];
}

def WaferCostReport : Pass<"wafer-cost-report", "mlir::ModuleOp"> {
  let summary = "print the per-layer cost model as a table and/or JSON";
  let description = [{
    For every op: FLOPs, bytes streamed, estimated cycles, compute-bound and
    stream-bound cycles (the roofline bound is the larger), SRAM high-water
    mark per PE, and the tokens needed for streaming to keep pace with
    compute; then totals. The IR is unchanged. Assumptions are documented in
    docs/wafer/cost-model.md.
  }];
  let options = [
    Option<"table", "table", "std::string", "\"-\"",
           "file for the text table ('-' = stderr, '' = none)">,
    Option<"json", "json", "std::string", "\"\"",
           "file for the JSON report ('-' = stdout, '' = none)">,
  ];
  let dependentDialects = ["::wse::wafer::WaferDialect"];
}

def WaferTrainingStep : Pass<"wafer-training-step", "mlir::ModuleOp"> {
  let summary = "shape the lowered @train_step as a weight-streaming training "
                "step: layers, loss, backward in reverse, gradients out";
  let description = [{
    Input: the module after `--onnx-training-step` and
    `convert-onnx-to-wafer`. The `@train_step` function becomes the step the
    wafer runs, `(input_ids, labels) -> loss`:

    * forward: the layers in order, each weight streamed in per use;
    * `wafer.loss`: next-token cross-entropy and the logits' gradient;
    * backward: the layers in reverse order, the weights streamed in again
      (one `wafer.stream` per use, as in forward; a product with a weight's
      transpose becomes a `wafer.linear` consuming it on arrival); with
      `recompute` each layer's inputs are `wafer.checkpoint`ed in forward
      and its forward ops, weight streams included, run again from them at
      the start of its backward (`recompute-layers` limits this to the
      layers listed; the others keep their forward activations, which
      wafer-verify and the cost report count as kept for backward);
    * each weight gradient leaves as a `wafer.stream_out` to the weight
      store, right after it is computed;
    * the module gets a `wafer.store_optimizer` (the weight store's update,
      off the wafer) with the optimizer and its hyper-parameters.

    Every op carries `wafer.step = #wafer.step<phase, layer I>`; the
    function carries `wafer.training_step`, whose verifier checks the
    order of phases and layers, checkpoints and streams. Other functions
    (the inference forward) are removed. Layers are the repetition
    `wafer-find-layer-loops` finds in the forward ops.
  }];
  let options = [
    Option<"recompute", "recompute", "bool", "true",
           "checkpoint layer inputs and recompute each layer in backward "
           "(false: keep every activation)">,
    ListOption<"recomputeOnly", "recompute-layers", "int64_t",
               "with recompute: recompute only these layers (default: "
               "every layer); the others keep their activations">,
    Option<"optimizer", "optimizer", "::wse::wafer::OptimizerKind",
           "::wse::wafer::OptimizerKind::adamw", "the weight store's update",
           [{::llvm::cl::values(
             clEnumValN(::wse::wafer::OptimizerKind::sgd, "sgd",
                        "SGD (momentum, dampening, nesterov, weight-decay)"),
             clEnumValN(::wse::wafer::OptimizerKind::adamw, "adamw",
                        "AdamW (betas, eps, decoupled weight-decay)"))}]>,
    Option<"lr", "lr", "double", "1e-3", "learning rate">,
    Option<"momentum", "momentum", "double", "0", "SGD momentum">,
    Option<"dampening", "dampening", "double", "0", "SGD dampening">,
    Option<"nesterov", "nesterov", "bool", "false", "SGD Nesterov momentum">,
    ListOption<"betas", "betas", "double", "AdamW betas (default 0.9,0.999)">,
    Option<"eps", "eps", "double", "1e-8", "AdamW epsilon">,
    Option<"weightDecay", "weight-decay", "double", "-1",
           "weight decay (default: 0 for SGD, 0.01 for AdamW, as torch)">,
  ];
  let dependentDialects = ["::wse::wafer::WaferDialect"];
}

def WaferTrainingProjection
    : Pass<"wafer-training-projection", "mlir::ModuleOp"> {
  let summary = "project the time of a training step from the forward "
                "schedule's cost model";
  let description = [{
    An analytic projection, not a compiled training step
    (wafer-training-step compiles one): from every placed op's cost (wafer-cost-report's model) it
    projects a weight-streaming training step with activations checkpointed
    at layer inputs. Forward: as inference. Backward, in reverse: each
    streamed weight arrives again; compute is twice the forward's (input and
    weight gradients) plus the forward's again when `recompute` is set;
    weight gradients stream out to the weight store as they are produced, on
    the edge links' other direction (full duplex, so egress overlaps the
    weights' ingress); fabric and per-op overheads count twice. The optimizer
    runs in the weight store, off the step's critical path. Prints the
    projected step time, the bytes in and out, and the tokens per layer
    needed for compute to keep pace with the streams in each direction
    (docs/training.md).
  }];
  let options = [
    Option<"recompute", "recompute", "bool", "true",
           "recompute each layer's activations in backward (checkpoints at "
           "layer inputs only)">,
    Option<"json", "json", "std::string", "\"\"",
           "file for the JSON projection ('-' = stdout, '' = none)">,
  ];
  let dependentDialects = ["::wse::wafer::WaferDialect"];
}

#endif // WSE_DIALECT_WAFER_PASSES_TD

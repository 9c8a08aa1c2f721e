//===- WaferAttrs.td - Tensor distributions over the mesh --*- tablegen -*-===//

#ifndef WSE_DIALECT_WAFER_ATTRS_TD
#define WSE_DIALECT_WAFER_ATTRS_TD

include "dialects/mesh/IR/MeshAttrs.td"
include "dialects/wafer/IR/WaferDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class Wafer_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Wafer_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Wafer_PlacementMode : I32EnumAttr<"PlacementMode",
    "how wafer-place maps layers onto the mesh", [
    I32EnumAttrCase<"stream", 0>, I32EnumAttrCase<"pipelined", 1>]> {
  let cppNamespace = "::wse::wafer";
  let genSpecializedAttr = 0;
}

def Wafer_DistAttr : Wafer_Attr<"Dist", "dist"> {
  let summary = "how a tensor's dimensions are spread over the mesh";
  let description = [{
    A tensor encoding with one entry per dimension: `x` blocks the
    dimension over the columns of the op's rectangle, `y` over its rows,
    `*` keeps the whole dimension on every PE. Each mesh axis is used by at
    most one dimension; a tensor that uses neither axis, or only one, is
    replicated along the unused ones.

    ```mlir
    tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>  // tokens on columns, features on rows
    tensor<64xf32, #wafer.dist<[y]>>             // a vector split over rows
    ```
    The block of a dimension of size N over an axis of extent E is
    ceil(N / E) elements; PEs past the end hold nothing.
  }];
  let parameters = (ins ArrayRefParameter<"MeshAxis", "per-dimension axis">:$axes);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The dimension mapped to `axis`, or -1.
    int64_t dimOf(MeshAxis axis) const;
  }];
}

//===----------------------------------------------------------------------===//
// Training steps
//===----------------------------------------------------------------------===//

def Wafer_TrainingPhase : I32EnumAttr<"TrainingPhase",
    "the part of a training step an op belongs to", [
    I32EnumAttrCase<"forward", 0>, I32EnumAttrCase<"loss", 1>,
    I32EnumAttrCase<"recompute", 2>, I32EnumAttrCase<"backward", 3>]> {
  let cppNamespace = "::wse::wafer";
  let genSpecializedAttr = 0;
}

def Wafer_StepAttr : Wafer_Attr<"Step", "step"> {
  let summary = "where an op sits in a training step: phase and layer";
  let description = [{
    Set by wafer-training-step as the discardable attribute `wafer.step` on
    every op of a training step function. `layer` is the op's iteration of
    the repeated block (the transformer layer); ops of the prologue
    (embeddings) and epilogue (final norm, LM head) have none.

    ```mlir
    #wafer.step<forward, layer 0>   // layer 0's forward
    #wafer.step<loss>               // next-token cross-entropy
    #wafer.step<recompute, layer 1> // layer 1's forward again, from its checkpoint
    #wafer.step<backward, layer 1>  // layer 1's gradients
    #wafer.step<backward>           // the LM head's or the embeddings' gradients
    ```
  }];
  let parameters = (ins EnumParameter<Wafer_TrainingPhase>:$phase,
                    OptionalParameter<"std::optional<int64_t>">:$layer);
  let assemblyFormat = "`<` $phase (`,` `layer` $layer^)? `>`";
}

def Wafer_OptimizerKind : I32EnumAttr<"OptimizerKind",
    "the weight store's update rule", [
    I32EnumAttrCase<"sgd", 0>, I32EnumAttrCase<"adamw", 1>]> {
  let cppNamespace = "::wse::wafer";
  let genSpecializedAttr = 0;
}

#endif // WSE_DIALECT_WAFER_ATTRS_TD

//===- WaferOps.td - The wafer dialect operations ----------*- tablegen -*-===//
//
// Every compute and data-movement op carries an optional `placement`
// rectangle (set by wafer-place). Distributions are tensor encodings (set by
// wafer-layout). Shapes are static.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_WAFER_OPS_TD
#define WSE_DIALECT_WAFER_OPS_TD

include "dialects/wafer/IR/WaferAttrs.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Wafer_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                                 "64-bit integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

def Wafer_Tensor : StaticShapeTensorOf<[AnyType]>;
def Wafer_FloatTensor : StaticShapeTensorOf<[AnyFloat]>;
def Wafer_IndexTensor : StaticShapeTensorOf<[I32, I64]>;

// Ops that run on a rectangle of PEs.
def Wafer_PlacedOpInterface : OpInterface<"PlacedOp"> {
  let cppNamespace = "::wse::wafer";
  let description = "an op that runs on a rectangle of PEs";
  let methods = [
    InterfaceMethod<"the rectangle, if placed", "::wse::mesh::RectAttr",
      "getPlacementRect", (ins), [{
        return $_op->template getAttrOfType<::wse::mesh::RectAttr>("placement");
      }]>,
    InterfaceMethod<"sets the rectangle", "void", "setPlacementRect",
      (ins "::wse::mesh::RectAttr":$rect), [{
        $_op->setAttr("placement", rect);
      }]>,
  ];
}

class Wafer_Op<string mnemonic, list<Trait> traits = []>
    : Op<Wafer_Dialect, mnemonic, traits>;

// A pure op placed on the mesh; `args` are its operands and attributes.
class Wafer_PlacedOp<string mnemonic, dag args, list<Trait> traits = []>
    : Wafer_Op<mnemonic, !listconcat(traits, [Pure, Wafer_PlacedOpInterface])> {
  let arguments = !con(args, (ins OptionalAttr<Mesh_RectAttr>:$placement));
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

def Wafer_ParameterOp
    : Wafer_Op<"parameter", [Symbol, IsolatedFromAbove]> {
  let summary = "a named weight whose bytes live in a file, not in the IR";
  let description = [{
    As `onnx.parameter`: the file (relative to the model's folder), byte
    offset and length of a weight. The compiler never reads the bytes.

    ```mlir
    wafer.parameter @"h.0.mlp.c_fc.weight" : tensor<64x256xf32>
        file "model.onnx" offset 1234 length 65536
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                   TypeAttrOf<AnyStaticShapeTensor>:$type, StrAttr:$file,
                   Wafer_I64Attr:$offset, Wafer_I64Attr:$length);
  let assemblyFormat = "$sym_name `:` $type `file` $file `offset` $offset "
                       "`length` $length attr-dict";
  let hasVerifier = 1;
}

def Wafer_StreamOp : Wafer_Op<"stream",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a weight entering the wafer from the weight store";
  let description = [{
    The value of parameter `name`, delivered to the PEs of `region` (the
    rectangle of the op it feeds). In streaming mode the weight arrives
    chunk by chunk through the edge ports and is consumed on arrival; in
    pipelined mode (`resident`) it is loaded once and stays in SRAM.

    wafer-schedule-streams fills in the schedule: `order` (position among
    all streams), `depth` (chunks buffered per PE: 2 is double buffering),
    `chunk_bytes` (bytes per PE per chunk), `start_cycle` and `end_cycle`
    (estimated arrival window, from the start of the program).

    ```mlir
    %w = wafer.stream @"h.0.mlp.c_fc.weight" {order = 3 : i64, depth = 2 : i64,
        chunk_bytes = 256 : i64, start_cycle = 1200 : i64, end_cycle = 66736 : i64,
        region = #mesh.rect<x = 0, y = 0, width = 32, height = 32>}
        : tensor<64x256xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$name,
                   OptionalAttr<Mesh_RectAttr>:$region,
                   UnitAttr:$resident,
                   OptionalAttr<Wafer_I64Attr>:$order,
                   OptionalAttr<Wafer_I64Attr>:$depth,
                   OptionalAttr<Wafer_I64Attr>:$chunk_bytes,
                   OptionalAttr<Wafer_I64Attr>:$start_cycle,
                   OptionalAttr<Wafer_I64Attr>:$end_cycle);
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$name attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Wafer_ConstantOp : Wafer_Op<"constant",
    [ConstantLike, Pure, Wafer_PlacedOpInterface]> {
  let summary = "a small constant, replicated where it is used";
  let arguments = (ins ElementsAttr:$value,
                   OptionalAttr<Mesh_RectAttr>:$placement);
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$value attr-dict `->` type($output)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Compute layers
//===----------------------------------------------------------------------===//

def Wafer_LinearOp : Wafer_PlacedOp<"linear",
    (ins Wafer_FloatTensor:$input, Wafer_FloatTensor:$weight,
         Optional<Wafer_FloatTensor>:$bias, UnitAttr:$transpose_weight)> {
  let summary = "activations times a weight matrix, plus an optional bias";
  let description = [{
    `output[..., n] = sum_k input[..., k] * weight[k, n] + bias[n]`; with
    `transpose_weight` the weight is stored `[n, k]`. The weight is usually
    a `wafer.stream`: it is multicast along one mesh axis and consumed on
    arrival against the resident activations, partial sums reduced along
    the other axis.
  }];
  let results = (outs Wafer_FloatTensor:$output);
  let assemblyFormat = "$input `,` $weight (`,` $bias^)? attr-dict `:` "
                       "functional-type(operands, results)";
}

def Wafer_MatmulOp : Wafer_PlacedOp<"matmul",
    (ins Wafer_FloatTensor:$lhs, Wafer_FloatTensor:$rhs)> {
  let summary = "batched product of two activations (attention scores, context)";
  let description = [{
    ONNX MatMul semantics on ranks >= 2: the last two dimensions multiply,
    leading (batch) dimensions broadcast.
  }];
  let results = (outs Wafer_FloatTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` "
                       "functional-type(operands, results)";
}

def Wafer_ElementwiseOp : Wafer_Op<"elementwise",
    [Pure, Wafer_PlacedOpInterface, SingleBlock, IsolatedFromAbove]> {
  let summary = "any elementwise function of broadcast operands, as a scalar body";
  let description = [{
    Operands broadcast to the result shape (numpy rules, aligned on the
    right). The body receives one scalar per operand and yields the result
    element; it holds `arith` and `math` ops only. GELU, SiLU, rotary
    arithmetic, masking, residual adds and casts all lower to this op, and
    wafer-fuse-elementwise merges chains into one body.

    ```mlir
    %r = wafer.elementwise ins(%a, %b : tensor<4x8xf32>, tensor<8xf32>)
        -> tensor<4x8xf32> {
    ^bb0(%x: f32, %y: f32):
      %s = arith.addf %x, %y : f32
      wafer.yield %s : f32
    }
    ```
  }];
  let arguments = (ins Variadic<Wafer_Tensor>:$inputs,
                   OptionalAttr<Mesh_RectAttr>:$placement);
  let results = (outs Wafer_Tensor:$output);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "(`ins` `(` $inputs^ `:` type($inputs) `)`)? "
                       "`->` type($output) attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// Scalar operations per element (ops in the body, yield excluded).
    int64_t getOpsPerElement();
  }];
}

def Wafer_YieldOp : Wafer_Op<"yield",
    [Pure, Terminator, ReturnLike, HasParent<"ElementwiseOp">]> {
  let summary = "the element an elementwise body produces";
  let arguments = (ins AnyType:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

def Wafer_LayerNormOp : Wafer_PlacedOp<"layer_norm",
    (ins Wafer_FloatTensor:$input, Wafer_FloatTensor:$scale,
         Optional<Wafer_FloatTensor>:$bias, Wafer_I64Attr:$axis,
         F32Attr:$epsilon)> {
  let summary = "layer normalization over the dimensions from `axis` on";
  let results = (outs Wafer_FloatTensor:$output);
  let assemblyFormat = "$input `,` $scale (`,` $bias^)? attr-dict `:` "
                       "functional-type(operands, results)";
}

def Wafer_RMSNormOp : Wafer_PlacedOp<"rms_norm",
    (ins Wafer_FloatTensor:$input, Wafer_FloatTensor:$scale,
         Wafer_I64Attr:$axis, F32Attr:$epsilon)> {
  let summary = "root-mean-square normalization over the dimensions from `axis` on";
  let results = (outs Wafer_FloatTensor:$output);
  let assemblyFormat = "$input `,` $scale attr-dict `:` "
                       "functional-type(operands, results)";
}

def Wafer_SoftmaxOp : Wafer_PlacedOp<"softmax",
    (ins Wafer_FloatTensor:$input, Wafer_I64Attr:$axis, UnitAttr:$log),
    [SameOperandsAndResultType]> {
  let summary = "softmax (or log-softmax with `log`) along one axis";
  let results = (outs Wafer_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def Wafer_ReduceKind : I32EnumAttr<"ReduceKind", "reduction", [
    I32EnumAttrCase<"Sum", 0, "sum">, I32EnumAttrCase<"Mean", 1, "mean">,
    I32EnumAttrCase<"Max", 2, "max">]> {
  let cppNamespace = "::wse::wafer";
  let genSpecializedAttr = 0;
}
def Wafer_ReduceKindAttr : EnumAttr<Wafer_Dialect, Wafer_ReduceKind, "reduce_kind"> {
  let assemblyFormat = "`<` $value `>`";
}

def Wafer_ReduceOp : Wafer_PlacedOp<"reduce",
    (ins Wafer_Tensor:$input, Wafer_ReduceKindAttr:$kind,
         DenseI64ArrayAttr:$axes, BoolAttr:$keepdims)> {
  let summary = "sum, mean or max over a set of axes";
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$kind $input attr-dict `:` functional-type(operands, results)";
}

def Wafer_EmbeddingOp : Wafer_PlacedOp<"embedding",
    (ins Wafer_FloatTensor:$table, Wafer_IndexTensor:$indices)> {
  let summary = "rows of a (streamed) table selected by token ids";
  let description = [{
    `output[i..., :] = table[indices[i...], :]` for a `[rows, width]` table.
    Out-of-range ids are a run-time error of the program.
  }];
  let results = (outs Wafer_FloatTensor:$output);
  let assemblyFormat = "$table `,` $indices attr-dict `:` "
                       "functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Wafer_ReshapeOp : Wafer_PlacedOp<"reshape", (ins Wafer_Tensor:$input)> {
  let summary = "same elements, new static shape (row-major order)";
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Wafer_TransposeOp : Wafer_PlacedOp<"transpose",
    (ins Wafer_Tensor:$input, DenseI64ArrayAttr:$perm)> {
  let summary = "permutes dimensions: output dim i is input dim perm[i]";
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$input `,` $perm attr-dict `:` functional-type(operands, results)";
}

def Wafer_ConcatOp : Wafer_PlacedOp<"concat",
    (ins Variadic<Wafer_Tensor>:$inputs, Wafer_I64Attr:$axis)> {
  let summary = "joins tensors along an axis";
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
}

def Wafer_SplitOp : Wafer_PlacedOp<"split",
    (ins Wafer_Tensor:$input, Wafer_I64Attr:$axis)> {
  let summary = "cuts a tensor along an axis; piece sizes are the result shapes";
  let results = (outs Variadic<Wafer_Tensor>:$outputs);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Wafer_SliceOp : Wafer_PlacedOp<"slice",
    (ins Wafer_Tensor:$input, DenseI64ArrayAttr:$offsets,
         DenseI64ArrayAttr:$strides)> {
  let summary = "a strided window: output[i] = input[offsets + i * strides]";
  let description = [{
    One offset and one positive stride per dimension; the result shape
    gives the window's size.
  }];
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Wafer_GatherOp : Wafer_PlacedOp<"gather",
    (ins Wafer_Tensor:$input, Wafer_IndexTensor:$indices, Wafer_I64Attr:$axis)> {
  let summary = "selects slices of an activation along an axis (ONNX Gather)";
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$input `,` $indices attr-dict `:` "
                       "functional-type(operands, results)";
}

def Wafer_BroadcastOp : Wafer_PlacedOp<"broadcast", (ins Wafer_Tensor:$input)> {
  let summary = "repeats a tensor along its size-1 (or missing leading) dimensions";
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Wafer_RelayoutOp : Wafer_PlacedOp<"relayout", (ins Wafer_Tensor:$input)> {
  let summary = "moves a tensor to another distribution (same shape and values)";
  let description = [{
    Inserted by wafer-layout where a producer's distribution differs from
    what its consumer needs. Only the `#wafer.dist` encoding changes.
  }];
  let results = (outs Wafer_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

include "dialects/wafer/IR/WaferTrainingOps.td"

#endif // WSE_DIALECT_WAFER_OPS_TD

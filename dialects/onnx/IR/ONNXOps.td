//===- ONNXOps.td - The onnx dialect operations ------------*- tablegen -*-===//
//
// One op per ONNX operator used by decoder language models. Each op has one
// canonical form whatever the opset it came from: axes, split sizes, Trilu's
// k and CumSum's axis are attributes here even where the opset passes them as
// inputs; Slice always carries all five operands.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_ONNX_OPS_TD
#define WSE_DIALECT_ONNX_OPS_TD

include "dialects/onnx/IR/ONNXDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

class ONNX_Op<string mnemonic, list<Trait> traits = []>
    : Op<ONNX_Dialect, mnemonic, !listconcat(traits, [Pure])>;

// Upstream I64Attr returns uint64_t; ONNX axes and offsets are signed.
def ONNX_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                                "64-bit integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

def ONNX_FloatTensor : TensorOf<[AnyFloat]>;
def ONNX_IntTensor : TensorOf<[AnySignlessInteger]>;
def ONNX_I64Tensor : TensorOf<[I64]>;
def ONNX_BoolTensor : TensorOf<[I1]>;
def ONNX_IndexTensor : TensorOf<[I32, I64]>;

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class ONNX_UnaryFloatOp<string mnemonic, string desc>
    : ONNX_Op<mnemonic, [SameOperandsAndResultElementType]> {
  let summary = desc;
  let arguments = (ins ONNX_FloatTensor:$input);
  let results = (outs ONNX_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_SqrtOp : ONNX_UnaryFloatOp<"Sqrt", "elementwise square root">;
def ONNX_ReciprocalOp : ONNX_UnaryFloatOp<"Reciprocal", "elementwise 1/x">;
def ONNX_ExpOp : ONNX_UnaryFloatOp<"Exp", "elementwise exponential">;
def ONNX_LogOp : ONNX_UnaryFloatOp<"Log", "elementwise natural logarithm">;
def ONNX_ErfOp : ONNX_UnaryFloatOp<"Erf", "elementwise error function">;
def ONNX_TanhOp : ONNX_UnaryFloatOp<"Tanh", "elementwise hyperbolic tangent">;
def ONNX_SigmoidOp : ONNX_UnaryFloatOp<"Sigmoid", "elementwise logistic">;
def ONNX_SinOp : ONNX_UnaryFloatOp<"Sin", "elementwise sine">;
def ONNX_CosOp : ONNX_UnaryFloatOp<"Cos", "elementwise cosine">;
def ONNX_SiLUOp : ONNX_UnaryFloatOp<"SiLU",
    "x * sigmoid(x), recomposed from its Mul/Sigmoid form">;

def ONNX_GeluOp : ONNX_Op<"Gelu", [SameOperandsAndResultElementType]> {
  let summary = "Gaussian error linear unit (recomposed; ONNX opset 20 op)";
  let description = [{
    `approximate = "none"` is x * 0.5 * (1 + erf(x / sqrt(2))); `"tanh"` is
    0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).
  }];
  let arguments = (ins ONNX_FloatTensor:$input,
                   DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let results = (outs ONNX_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

class ONNX_UnaryAnyOp<string mnemonic, string desc>
    : ONNX_Op<mnemonic, [SameOperandsAndResultElementType]> {
  let summary = desc;
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_NegOp : ONNX_UnaryAnyOp<"Neg", "elementwise negation">;
def ONNX_AbsOp : ONNX_UnaryAnyOp<"Abs", "elementwise absolute value">;
def ONNX_ReluOp : ONNX_UnaryAnyOp<"Relu", "elementwise max(x, 0)">;
def ONNX_IdentityOp : ONNX_UnaryAnyOp<"Identity", "the input unchanged"> {
  let hasFolder = 1;
}

def ONNX_NotOp : ONNX_Op<"Not", [SameOperandsAndResultElementType]> {
  let summary = "elementwise logical not";
  let arguments = (ins ONNX_BoolTensor:$input);
  let results = (outs ONNX_BoolTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

// Binary ops broadcast numpy-style (multidirectional).
class ONNX_BinaryOp<string mnemonic, string desc, list<Trait> traits = []>
    : ONNX_Op<mnemonic, traits> {
  let summary = desc;
  let arguments = (ins AnyTensor:$lhs, AnyTensor:$rhs);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_AddOp : ONNX_BinaryOp<"Add", "broadcasting addition",
                               [SameOperandsAndResultElementType]>;
def ONNX_SubOp : ONNX_BinaryOp<"Sub", "broadcasting subtraction",
                               [SameOperandsAndResultElementType]>;
def ONNX_MulOp : ONNX_BinaryOp<"Mul", "broadcasting multiplication",
                               [SameOperandsAndResultElementType]>;
def ONNX_DivOp : ONNX_BinaryOp<"Div", "broadcasting division",
                               [SameOperandsAndResultElementType]>;
def ONNX_MaxOp : ONNX_BinaryOp<"Max", "broadcasting maximum",
                               [SameOperandsAndResultElementType]>;
def ONNX_MinOp : ONNX_BinaryOp<"Min", "broadcasting minimum",
                               [SameOperandsAndResultElementType]>;
def ONNX_PowOp : ONNX_BinaryOp<"Pow",
    "broadcasting power; the result has the base's element type">;
def ONNX_EqualOp : ONNX_BinaryOp<"Equal", "broadcasting ==, i1 result">;
def ONNX_LessOp : ONNX_BinaryOp<"Less", "broadcasting <, i1 result">;
def ONNX_GreaterOp : ONNX_BinaryOp<"Greater", "broadcasting >, i1 result">;
def ONNX_AndOp : ONNX_BinaryOp<"And", "broadcasting logical and">;
def ONNX_OrOp : ONNX_BinaryOp<"Or", "broadcasting logical or">;

def ONNX_WhereOp : ONNX_Op<"Where"> {
  let summary = "broadcasting select: condition ? x : y";
  let arguments = (ins ONNX_BoolTensor:$condition, AnyTensor:$x, AnyTensor:$y);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$condition `,` $x `,` $y attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def ONNX_MatMulOp : ONNX_Op<"MatMul"> {
  let summary = "numpy matmul with batch broadcasting";
  let arguments = (ins AnyTensor:$a, AnyTensor:$b);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "$a `,` $b attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_GemmOp : ONNX_Op<"Gemm"> {
  let summary = "alpha * op(A) * op(B) + beta * C on 2-D tensors";
  let arguments = (ins ONNX_FloatTensor:$a, ONNX_FloatTensor:$b,
                   Optional<ONNX_FloatTensor>:$c,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0">:$beta,
                   DefaultValuedAttr<ONNX_I64Attr, "0">:$transA,
                   DefaultValuedAttr<ONNX_I64Attr, "0">:$transB);
  let results = (outs ONNX_FloatTensor:$output);
  let assemblyFormat = "$a `,` $b (`,` $c^)? attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def ONNX_ReshapeOp : ONNX_Op<"Reshape"> {
  let summary = "reshape to a shape tensor (0 copies, -1 infers)";
  let arguments = (ins AnyTensor:$data, ONNX_I64Tensor:$shape,
                   DefaultValuedAttr<ONNX_I64Attr, "0">:$allowzero);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "$data `,` $shape attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_TransposeOp : ONNX_Op<"Transpose"> {
  let summary = "permute dimensions; perm is always explicit";
  let arguments = (ins AnyTensor:$data, DenseI64ArrayAttr:$perm);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$data `,` $perm attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_SqueezeOp : ONNX_Op<"Squeeze"> {
  let summary = "remove size-1 dimensions listed in axes";
  let arguments = (ins AnyTensor:$data, DenseI64ArrayAttr:$axes);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$data `,` $axes attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_UnsqueezeOp : ONNX_Op<"Unsqueeze"> {
  let summary = "insert size-1 dimensions at axes (of the output)";
  let arguments = (ins AnyTensor:$data, DenseI64ArrayAttr:$axes);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$data `,` $axes attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_ConcatOp : ONNX_Op<"Concat"> {
  let summary = "concatenate along axis";
  let arguments = (ins Variadic<AnyTensor>:$inputs, ONNX_I64Attr:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_SplitOp : ONNX_Op<"Split"> {
  let summary = "split along axis into pieces of the given sizes";
  let arguments = (ins AnyTensor:$input, ONNX_I64Attr:$axis,
                   OptionalAttr<DenseI64ArrayAttr>:$split);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_SliceOp : ONNX_Op<"Slice"> {
  let summary = "strided slice; all five operands are always present";
  let arguments = (ins AnyTensor:$data, ONNX_IndexTensor:$starts,
                   ONNX_IndexTensor:$ends, ONNX_IndexTensor:$axes,
                   ONNX_IndexTensor:$steps);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$data `,` $starts `,` $ends `,` $axes `,` $steps "
                       "attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_GatherOp : ONNX_Op<"Gather"> {
  let summary = "take entries of data along axis at indices";
  let arguments = (ins AnyTensor:$data, ONNX_IndexTensor:$indices,
                   DefaultValuedAttr<ONNX_I64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_ExpandOp : ONNX_Op<"Expand"> {
  let summary = "broadcast to a shape tensor";
  let arguments = (ins AnyTensor:$input, ONNX_I64Tensor:$shape);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "$input `,` $shape attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_TileOp : ONNX_Op<"Tile"> {
  let summary = "repeat the input along each dimension";
  let arguments = (ins AnyTensor:$input, ONNX_I64Tensor:$repeats);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "$input `,` $repeats attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_CastOp : ONNX_Op<"Cast"> {
  let summary = "convert elements to the result's element type";
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions and normalizations
//===----------------------------------------------------------------------===//

class ONNX_ReduceOp<string mnemonic, string desc> : ONNX_Op<mnemonic> {
  let summary = desc;
  let description = [{
    `axes` is an attribute in every opset (imported from the input form of
    opset 13+ ReduceSum). An absent `axes` reduces all dimensions unless
    `noop_with_empty_axes` is set.
  }];
  let arguments = (ins AnyTensor:$data,
                   OptionalAttr<DenseI64ArrayAttr>:$axes,
                   DefaultValuedAttr<ONNX_I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<ONNX_I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_ReduceMeanOp : ONNX_ReduceOp<"ReduceMean", "mean over axes">;
def ONNX_ReduceSumOp : ONNX_ReduceOp<"ReduceSum", "sum over axes">;
def ONNX_ReduceMaxOp : ONNX_ReduceOp<"ReduceMax", "maximum over axes">;

class ONNX_SoftmaxBase<string mnemonic, string desc>
    : ONNX_Op<mnemonic, [SameOperandsAndResultType]> {
  let summary = desc;
  let arguments = (ins ONNX_FloatTensor:$input,
                   DefaultValuedAttr<ONNX_I64Attr, "-1">:$axis);
  let results = (outs ONNX_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_SoftmaxOp : ONNX_SoftmaxBase<"Softmax", "softmax along axis">;
def ONNX_LogSoftmaxOp
    : ONNX_SoftmaxBase<"LogSoftmax", "log of softmax along axis">;

def ONNX_LayerNormalizationOp : ONNX_Op<"LayerNormalization"> {
  let summary = "layer normalization over the dimensions from axis on";
  let arguments = (ins ONNX_FloatTensor:$input, ONNX_FloatTensor:$scale,
                   Optional<ONNX_FloatTensor>:$bias,
                   DefaultValuedAttr<ONNX_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon,
                   DefaultValuedAttr<ONNX_I64Attr, "1">:$stash_type);
  let results = (outs ONNX_FloatTensor:$output);
  let assemblyFormat = "$input `,` $scale (`,` $bias^)? attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_RMSNormalizationOp : ONNX_Op<"RMSNormalization"> {
  let summary = "x / sqrt(mean(x^2) + epsilon) * scale (recomposed)";
  let arguments = (ins ONNX_FloatTensor:$input, ONNX_FloatTensor:$scale,
                   DefaultValuedAttr<ONNX_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon);
  let results = (outs ONNX_FloatTensor:$output);
  let assemblyFormat = "$input `,` $scale attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_TriluOp : ONNX_Op<"Trilu", [SameOperandsAndResultType]> {
  let summary = "keep the upper (upper=1) or lower triangle from diagonal k";
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<ONNX_I64Attr, "0">:$k,
                   DefaultValuedAttr<ONNX_I64Attr, "1">:$upper);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_CumSumOp : ONNX_Op<"CumSum", [SameOperandsAndResultType]> {
  let summary = "cumulative sum along axis";
  let arguments = (ins AnyTensor:$input, ONNX_I64Attr:$axis,
                   DefaultValuedAttr<ONNX_I64Attr, "0">:$exclusive,
                   DefaultValuedAttr<ONNX_I64Attr, "0">:$reverse);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Constants, shapes and parameters
//===----------------------------------------------------------------------===//

def ONNX_ConstantOp : ONNX_Op<"Constant",
    [ConstantLike, AllTypesMatch<["value", "output"]>]> {
  let summary = "a small inline constant";
  let description = [{
    Only small tensors (shape vectors, scalars, masks) live inline; large
    initializers become `onnx.parameter` symbols instead.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
  let builders = [OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
    build($_builder, $_state, value.getType(), value);
  }]>];
}

def ONNX_ConstantOfShapeOp : ONNX_Op<"ConstantOfShape"> {
  let summary = "a tensor of the given shape filled with one value";
  let arguments = (ins ONNX_I64Tensor:$shape, ElementsAttr:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "$shape `,` $value attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_ShapeOp : ONNX_Op<"Shape"> {
  let summary = "the input's shape (dimensions [start, end)) as i64";
  let arguments = (ins AnyTensor:$data,
                   DefaultValuedAttr<ONNX_I64Attr, "0">:$start,
                   OptionalAttr<ONNX_I64Attr>:$end);
  let results = (outs ONNX_I64Tensor:$output);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_RangeOp : ONNX_Op<"Range"> {
  let summary = "start, start+delta, ... up to but excluding limit";
  let arguments = (ins AnyTensor:$start, AnyTensor:$limit, AnyTensor:$delta);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$start `,` $limit `,` $delta attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_ParameterOp
    : Op<ONNX_Dialect, "parameter", [Symbol, IsolatedFromAbove]> {
  let summary = "a named weight whose bytes live in a file, not in the IR";
  let description = [{
    Records where a weight's bytes are: the file (relative to the model's
    folder), the byte offset and the length. The compiler never reads them;
    the emulator's weight store does, lazily.

    ```mlir
    onnx.parameter @"transformer.wte.weight" : tensor<256x64xf32>
        file "model.onnx" offset 1234 length 65536
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttrOf<AnyRankedTensor>:$type,
                   StrAttr:$file, ONNX_I64Attr:$offset, ONNX_I64Attr:$length);
  let assemblyFormat = "$sym_name `:` $type `file` $file `offset` $offset "
                       "`length` $length attr-dict";
  let hasVerifier = 1;
}

def ONNX_ParamRefOp : ONNX_Op<"param_ref",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "the value of a named parameter";
  let arguments = (ins FlatSymbolRefAttr:$name);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$name attr-dict `:` type($output)";
}

#endif // WSE_DIALECT_ONNX_OPS_TD

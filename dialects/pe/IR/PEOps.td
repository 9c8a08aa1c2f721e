//===- PEOps.td - The pe dialect operations ----------------*- tablegen -*-===//
//
// One op per construct of the emulator's program (docs/emulator/isa.md and
// program-format.md), plus the two symbolic forms the passes resolve:
// `pe.channel` (a color before pe-assign-colors) and `pe.flow` (paths before
// pe-route).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_PE_OPS_TD
#define WSE_DIALECT_PE_OPS_TD

include "dialects/mesh/IR/MeshAttrs.td"
include "dialects/pe/IR/PEAttrs.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "dialects/pe/IR/PEInterfaces.td"

class PE_Op<string mnemonic, list<Trait> traits = []>
    : Op<PE_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Tensors exchanged with the outside.
//===----------------------------------------------------------------------===//

def PE_ParamOp : PE_Op<"param", [Symbol]> {
  let summary = "a parameter: bytes in a weight file, or constant data";
  let description = [{
    A tensor streamed from the weight store. Either `file`/`offset` name its
    bytes (relative to the weight directory), or `value` holds constant data
    the compiler produced; emission writes such values to a file next to the
    program and names it.

    ```mlir
    pe.param @wte : tensor<256x64xf32> file "model.onnx" offset 1234
    pe.param @mask : tensor<16x16xf32> = dense<0.0> : tensor<16x16xf32>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttrOf<AnyRankedTensor>:$type,
                       OptionalAttr<StrAttr>:$file, OptionalAttr<I64Attr>:$offset,
                       OptionalAttr<ElementsAttr>:$value);
  let assemblyFormat = [{
    $sym_name `:` $type (`file` $file^)? (`offset` $offset^)? (`=` $value^)? attr-dict
  }];
  let hasVerifier = 1;
}

def PE_InputOp : PE_Op<"input", [Symbol]> {
  let summary = "a host input, streamed in through a port";
  let description = [{
    `range [lo, hi]` declares that every value lies in [lo, hi): the
    emulator refuses an input with a value outside it, naming the position
    (token ids of an embedding of hi rows, negative ones counting from the
    end, have the range [-hi, hi]; a training step's labels [0, vocabulary]).
    ```mlir
    pe.input @input_ids : tensor<1x16xi64> range [-256, 256]
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttrOf<AnyRankedTensor>:$type,
                       OptionalAttr<DenseI64ArrayAttr>:$range);
  let assemblyFormat = "$sym_name `:` $type (`range` $range^)? attr-dict";
  let hasVerifier = 1;
}

def PE_OutputOp : PE_Op<"output",
    [Symbol, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a host output (f32), streamed out through a port";
  let description = [{
    `gradient @p` declares the output the gradient of parameter `@p` (an
    f32 `pe.param` read from a file, of the same shape): a weight store
    (`wse-emu --store`) accumulates it and updates `@p` with it.
    ```mlir
    pe.output @grad_h_0_mlp_c_fc_weight : tensor<64x256xf32>
        gradient @h_0_mlp_c_fc_weight
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttrOf<AnyRankedTensor>:$type,
                       OptionalAttr<FlatSymbolRefAttr>:$gradient);
  let assemblyFormat = "$sym_name `:` $type (`gradient` $gradient^)? attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Kernels.
//===----------------------------------------------------------------------===//

def PE_KernelOp : PE_Op<"kernel", [Symbol, SymbolTable, NoTerminator,
                                   SingleBlock, NoRegionArguments,
                                   IsolatedFromAbove]> {
  let summary = "code and data layout of a PE, placed with pe.place";
  let description = [{
    Holds `pe.const`, `pe.table`, `pe.buffer` and `pe.task` ops. Every PE
    the kernel is placed on runs the same code; per-PE differences come from
    constants evaluated per PE.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

def PE_ConstOp : PE_Op<"const", [Symbol, HasParent<"KernelOp">]> {
  let summary = "a per-PE constant, evaluated once per PE at load";
  let description = [{
    `expr` is a tree of the emulator's expression language (#pe.expr):
    integers, `+ - * /`, `mod`, comparisons `lt le gt ge eq ne`,
    `min max select`, `@table[index]`, earlier constants `@c` and the
    variables `x y rx ry pw ph mw mh`.
    ```mlir
    pe.const @row0 = ry * 2
    pe.const @inside = lt(rx, 4) * ge(@row0, 1)
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, PE_ExprAttr:$expr);
  let assemblyFormat = "$sym_name `=` custom<PEExpr>($expr) attr-dict";
}

def PE_TableOp : PE_Op<"table", [Symbol, HasParent<"KernelOp">]> {
  let summary = "an integer table for per-PE constant expressions";
  let arguments = (ins SymbolNameAttr:$sym_name, DenseI64ArrayAttr:$values);
  let assemblyFormat = "$sym_name `=` $values attr-dict";
}

def PE_BufferOp : PE_Op<"buffer", [Symbol, HasParent<"KernelOp">]> {
  let summary = "words of SRAM; the address is set by pe-allocate-sram";
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$size,
                       OptionalAttr<I64Attr>:$address, OptionalAttr<F32Attr>:$init);
  let assemblyFormat = [{
    $sym_name `[` $size `]` (`at` $address^)? (`init` $init^)? attr-dict
  }];
  let hasVerifier = 1;
}

def PE_TaskOp : PE_Op<"task", [Symbol, SymbolTable, NoTerminator, SingleBlock,
                               NoRegionArguments, HasParent<"KernelOp">,
                               DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a task: instructions run to completion";
  let description = [{
    `entry` tasks run once at start, `on` tasks when their color's receive
    queue holds data, `local` tasks when activated. The body is structured
    code: instruction ops, `pe.loop`, `pe.if` and `pe.call`, then the task's
    `pe.subroutine`s. Registers are virtual (`#pe.reg<N>`, any N); emission
    assigns the PE's 16 and lays the structure out as labels and branches.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, PE_TaskTrigger:$trigger,
                       OptionalAttr<AnyAttr>:$color);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name $trigger (`color` custom<PEValue>($color)^)? attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Instructions: one op class per operand signature (the letters of
// include/wse/Emu/Program.h), each operand a named attribute of its kind.
//===----------------------------------------------------------------------===//

// Code lives in a task, a subroutine or the body of a pe.loop or pe.if.
def PE_InCode : ParentOneOf<["TaskOp", "SubroutineOp", "LoopOp", "IfOp"]>;

// Operand kinds.
def PE_VecDst : AnyAttrOf<[PE_MemAttr, PE_AbsMemAttr, PE_OutAttr],
    "a vector destination (#pe.mem, #pe.amem or #pe.out)">;
def PE_MemDst : AnyAttrOf<[PE_MemAttr, PE_AbsMemAttr],
    "a memory destination (#pe.mem or #pe.amem)">;
def PE_VecSrc : AnyAttrOf<[PE_MemAttr, PE_AbsMemAttr, PE_InAttr],
    "a vector source (#pe.mem, #pe.amem or #pe.in)">;
def PE_ScalarValue : Attr<CPred<"::wse::pe::isValueAttr($_self)">,
    "a value (i64 integer, #pe.reg, @const or #pe.addr)"> {
  let storageType = "::mlir::Attribute";
  let returnType = "::mlir::Attribute";
  let convertFromStorage = "$_self";
}

// `sig` is the emulator's signature; `names` the operands in its order.
class PE_InstrOp<string mnemonic, string sig, list<string> names, dag args,
                 string format>
    : PE_Op<mnemonic, [PE_InCode, PE_InstructionOpInterface,
                       DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "the `" # mnemonic # "` instruction (operands: " #
                !if(!empty(sig), "none", sig) # ")";
  let description = [{
    Operand kinds as in include/wse/Emu/Program.h and docs/emulator/isa.md:
    D vector destination (#pe.mem, #pe.amem or #pe.out), M memory
    destination, S vector source (#pe.mem, #pe.amem or #pe.in), F float,
    R register, V value, L label, T task.
  }];
  let arguments = args;
  let assemblyFormat = format # " attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    static ::llvm::StringRef getSignature() { return "}] # sig # [{"; }
    static ::llvm::ArrayRef<::llvm::StringRef> getInstrOperandNames() {
      static const ::llvm::StringRef names[] = {"}] #
        !interleave(!listconcat(names, ["$end"]), "\", \"") # [{"};
      return ::llvm::ArrayRef(names).drop_back();
    }
  }];
}

class PE_VecOp<string mnemonic, string sig, list<string> names, dag args>
    : PE_InstrOp<mnemonic, sig, names, args,
                 "$" # !interleave(names, " `,` $")>;

// D = f(S)
class PE_UnaryOp<string mnemonic> : PE_VecOp<mnemonic, "DS", ["dst", "src"],
    (ins PE_VecDst:$dst, PE_VecSrc:$src)>;
// D = f(S, S)
class PE_BinaryOp<string mnemonic> : PE_VecOp<mnemonic, "DSS",
    ["dst", "lhs", "rhs"], (ins PE_VecDst:$dst, PE_VecSrc:$lhs, PE_VecSrc:$rhs)>;
// D = f(S, S, S)
class PE_TernaryOp<string mnemonic, list<string> names>
    : PE_VecOp<mnemonic, "DSSS", names,
               !con((ins PE_VecDst:$dst),
                    !dag(ins, [PE_VecSrc, PE_VecSrc, PE_VecSrc],
                         !tail(names)))>;
// R = f(V, V)
class PE_IntOp<string mnemonic> : PE_InstrOp<mnemonic, "RVV",
    ["dst", "lhs", "rhs"], (ins PE_RegAttr:$dst, PE_ScalarValue:$lhs,
                               PE_ScalarValue:$rhs),
    "custom<PEReg>($dst) `,` custom<PEValue>($lhs) `,` custom<PEValue>($rhs)">;
// In the order of WSE_EMU_OPCODES (include/wse/Emu/Program.h). The branches
// (br, beq, bne, blt, bge) have no ops: pe.loop, pe.if and pe.call become
// them when the program is emitted.
def PE_FillOp : PE_InstrOp<"fill", "DF", ["dst", "value"],
    (ins PE_VecDst:$dst, F32Attr:$value), "$dst `,` $value">;
def PE_IFillOp : PE_InstrOp<"ifill", "DV", ["dst", "value"],
    (ins PE_VecDst:$dst, PE_ScalarValue:$value),
    "$dst `,` custom<PEValue>($value)">;
def PE_CopyOp : PE_UnaryOp<"copy">;
def PE_AddOp : PE_BinaryOp<"add">;
def PE_SubOp : PE_BinaryOp<"sub">;
def PE_MulOp : PE_BinaryOp<"mul">;
def PE_DivOp : PE_BinaryOp<"div">;
def PE_MaxOp : PE_BinaryOp<"max">;
def PE_MinOp : PE_BinaryOp<"min">;
def PE_FmaOp : PE_TernaryOp<"fma", ["dst", "a", "b", "c"]>;
def PE_FmacOp : PE_VecOp<"fmac", "MSS", ["acc", "a", "b"],
    (ins PE_MemDst:$acc, PE_VecSrc:$a, PE_VecSrc:$b)>;
foreach name = ["Exp", "Tanh", "Erf", "Sigmoid", "Rsqrt", "Sqrt", "Neg",
                "Abs", "Recip"] in
  def PE_#name#Op : PE_UnaryOp<!tolower(name)>;
def PE_RSumOp : PE_UnaryOp<"rsum">;
def PE_RMaxOp : PE_UnaryOp<"rmax">;
def PE_MovOp : PE_InstrOp<"mov", "RV", ["dst", "value"],
    (ins PE_RegAttr:$dst, PE_ScalarValue:$value),
    "custom<PEReg>($dst) `,` custom<PEValue>($value)">;
def PE_IAddOp : PE_IntOp<"iadd">;
def PE_ISubOp : PE_IntOp<"isub">;
def PE_IMulOp : PE_IntOp<"imul">;
def PE_ActivateOp : PE_InstrOp<"activate", "T", ["task"],
    (ins FlatSymbolRefAttr:$task), "$task">;
def PE_RetOp : PE_InstrOp<"ret", "", [], (ins), "">;
def PE_SelectOp : PE_TernaryOp<"select", ["dst", "cond", "a", "b"]>;
def PE_LogOp : PE_UnaryOp<"log">;
def PE_MarkOp : PE_InstrOp<"mark", "V", ["id"], (ins PE_ScalarValue:$id),
    "custom<PEValue>($id)">;

//===----------------------------------------------------------------------===//
// Structured control flow. Emission lays it out as labels and branches
// (docs/pe/README.md shows the code each op becomes).
//===----------------------------------------------------------------------===//

def PE_LoopOp : PE_Op<"loop", [PE_InCode, NoTerminator, SingleBlock,
                               NoRegionArguments,
                               DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a counted loop, with registers that step each iteration";
  let description = [{
    Runs its body `count` times with `counter` = 0, 1, ...; each `iter`
    register starts at its initial value and grows by its step after every
    iteration. The body may read these registers but not write them; they
    hold nothing after the loop.

    ```mlir
    pe.loop #pe.reg<0> to @c3 iter(#pe.reg<1> = @c4 step 16) {
      pe.copy #pe.amem<#pe.reg<1>, 16, 1>, #pe.in<@c0, 16>
    }
    ```

    `layers` marks the loop over repeated layers (docs/pe/layer-loops.md):
    its body writes every buffer it reads before reading it, in each
    iteration, so pe-allocate-sram may reuse buffers used only inside it
    between iterations; its count is a positive integer and the test is at
    the bottom.
  }];
  let arguments = (ins PE_RegAttr:$counter, PE_ScalarValue:$count,
                       TypedArrayAttrBase<PE_RegAttr, "registers">:$iters,
                       ArrayAttr:$inits, DenseI64ArrayAttr:$steps,
                       UnitAttr:$layers);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    custom<PEReg>($counter) `to`
    custom<PELoopBounds>($count, $iters, $inits, $steps, $layers)
    attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "RegAttr":$counter, "::mlir::Attribute":$count), [{
      build($_builder, $_state, counter, count, $_builder.getArrayAttr({}),
            $_builder.getArrayAttr({}), $_builder.getDenseI64ArrayAttr({}),
            /*layers=*/false);
      $_state.regions.front()->emplaceBlock();
    }]>,
  ];
}

def PE_IfOp : PE_Op<"if", [PE_InCode, NoTerminator, SingleBlock,
                           NoRegionArguments,
                           DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "runs one of two pieces of code by comparing two values";
  let description = [{
    ```mlir
    pe.if @c2 ne 0 {
      pe.fill #pe.mem<@buf, 0, 16, 1>, 0.0
    }
    pe.if #pe.reg<3> in [@c5, @c6) {
      ...
    } else {
      ...
    }
    ```
    Comparisons: `eq`, `ne`, `lt` (signed), `ge` and `in [lo, hi)`.
  }];
  let arguments = (ins PE_Predicate:$predicate, PE_ScalarValue:$lhs,
                       PE_ScalarValue:$rhs, OptionalAttr<PE_ScalarValue>:$upper);
  let regions = (region SizedRegion<1>:$thenRegion, MaxSizedRegion<1>:$elseRegion);
  let assemblyFormat = [{
    custom<PECondition>($predicate, $lhs, $rhs, $upper) $thenRegion
    (`else` $elseRegion^)? attr-dict-with-keyword
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block &getThenBlock() { return getThenRegion().front(); }
    bool hasElse() { return !getElseRegion().empty(); }
  }];
}

def PE_SubroutineOp : PE_Op<"subroutine", [Symbol, HasParent<"TaskOp">,
                                           NoTerminator, SingleBlock,
                                           NoRegionArguments]> {
  let summary = "code that pe.call runs from several places of its task";
  let description = [{
    `params` are the registers that each `pe.call` sets before running the
    body. The ISA has no indirect jump: emission gives every call site an
    id, kept in a register, and ends the body with a branch back per call
    site.
    ```mlir
    pe.subroutine @allreduce(#pe.reg<20>, #pe.reg<21>) {
      ...
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypedArrayAttrBase<PE_RegAttr, "registers">:$params);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    custom<PESymbolAndList>($sym_name, $params) attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
}

def PE_CallOp : PE_Op<"call", [PE_InCode,
                               DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "runs a pe.subroutine of the task with its parameters set";
  let description = [{
    ```mlir
    pe.call @allreduce(#pe.addr<@full>, 64)
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee, ArrayAttr:$args);
  let assemblyFormat = "custom<PESymbolAndList>($callee, $args) attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Placement, colors, routes and streams.
//===----------------------------------------------------------------------===//

def PE_PlaceOp : PE_Op<"place", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "runs a kernel on every PE of a rectangle";
  let description = [{
    ```mlir
    pe.place @model <x = 0, y = 0, width = 32, height = 32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$kernel, Mesh_RectAttr:$rect);
  let assemblyFormat = "$kernel $rect attr-dict";
  let hasVerifier = 1;
}

def PE_ChannelOp : PE_Op<"channel", [Symbol]> {
  let summary = "a symbolic color; pe-assign-colors replaces it by a number";
  let arguments = (ins SymbolNameAttr:$sym_name);
  let assemblyFormat = "$sym_name attr-dict";
}

def PE_RouteOp : PE_Op<"route", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a static route on every PE of a rectangle";
  let description = [{
    Wavelets of `color` arriving from `input` (one of N E S W R) are
    forwarded to every direction in `outputs` (a set of N E S W R):
    ```mlir
    pe.route <x = 0, y = 0, width = 8, height = 1> color 3 from W to [E, R]
    ```
    `color` is an integer, or a `pe.channel` before color assignment.
  }];
  let arguments = (ins Mesh_RectAttr:$rect, AnyAttr:$color, PE_Dir:$input,
                       PE_DirSet:$outputs);
  let assemblyFormat = "$rect `color` custom<PEValue>($color) `from` $input `to` custom<PEDirSet>($outputs) attr-dict";
  let hasVerifier = 1;
}

def PE_FlowOp : PE_Op<"flow", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a pattern of paths of one channel, expanded by pe-route";
  let description = [{
    Over the PEs of `rect`:
    * `multicast port W0`: from an edge port to every PE of the rectangle
      (along the port's row, then up and down each column);
    * `chain dir S phase P`: every PE whose index along the direction is
      P modulo 2 sends to its next neighbour in that direction (two chains
      of phases 0 and 1 on two channels make a relay line);
    * `broadcast dir N`: the first PE along the direction sends to every
      other PE of its line;
    * `egress port W0`: the single PE of the rectangle sends to the port
      next to it.
  }];
  let arguments = (ins FlatSymbolRefAttr:$channel, PE_FlowKind:$kind,
                       Mesh_RectAttr:$rect, OptionalAttr<PE_Dir>:$dir,
                       OptionalAttr<PE_PortAttr>:$port,
                       OptionalAttr<I64Attr>:$phase);
  let assemblyFormat = [{
    $channel $kind $rect (`dir` $dir^)? (`port` custom<PEPort>($port)^)? (`phase` $phase^)? attr-dict
  }];
  let hasVerifier = 1;
}

def PE_StreamInOp : PE_Op<"stream_in", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "an edge port injects a parameter or input (program order per port)";
  let arguments = (ins FlatSymbolRefAttr:$tensor, PE_PortAttr:$port, AnyAttr:$color,
                       OptionalAttr<I64Attr>:$offset,
                       OptionalAttr<DenseI64ArrayAttr>:$shape,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let assemblyFormat = [{
    $tensor `port` custom<PEPort>($port) `color` custom<PEValue>($color) (`offset` $offset^)? (`shape` $shape^)?
    (`strides` $strides^)? attr-dict
  }];
  let hasVerifier = 1;
}

def PE_StreamOutOp : PE_Op<"stream_out", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "an edge port fills a host output (program order per port)";
  let arguments = (ins FlatSymbolRefAttr:$tensor, PE_PortAttr:$port, AnyAttr:$color,
                       OptionalAttr<I64Attr>:$offset,
                       OptionalAttr<DenseI64ArrayAttr>:$shape,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let assemblyFormat = [{
    $tensor `port` custom<PEPort>($port) `color` custom<PEValue>($color) (`offset` $offset^)? (`shape` $shape^)?
    (`strides` $strides^)? attr-dict
  }];
  let hasVerifier = 1;
}

#endif // WSE_DIALECT_PE_OPS_TD

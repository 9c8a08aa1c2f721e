//===- PEAttrs.td - Operands of per-PE instructions --------*- tablegen -*-===//

#ifndef WSE_DIALECT_PE_ATTRS_TD
#define WSE_DIALECT_PE_ATTRS_TD

include "dialects/pe/IR/PEDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class PE_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<PE_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

// A value inside a descriptor: an i64 immediate (printed as a bare integer,
// a bare integer parses as i64), #pe.reg<N>, @const/@channel or
// #pe.addr<@buf>.
def PE_ValueParam : AttrParameter<"::mlir::Attribute", "a value"> {
  let parser = [{ ::wse::pe::parseValueAttr($_parser) }];
  let printer = [{ ::wse::pe::printValueAttr($_printer, $_self) }];
}

def PE_RegAttr : PE_Attr<"Reg", "reg"> {
  let summary = "a virtual scalar register; emission assigns r0..r15";
  let parameters = (ins "unsigned":$index);
  let assemblyFormat = "`<` $index `>`";
  let genVerifyDecl = 1;
}

def PE_AddrAttr : PE_Attr<"Addr", "addr"> {
  let summary = "the word address of a buffer, known after SRAM allocation";
  let parameters = (ins "::mlir::FlatSymbolRefAttr":$buffer);
  let assemblyFormat = "`<` $buffer `>`";
}

def PE_MemAttr : PE_Attr<"Mem", "mem"> {
  let summary = "memory descriptor: words buffer + offset + i * stride, i < length";
  let parameters = (ins "::mlir::FlatSymbolRefAttr":$buffer,
                        PE_ValueParam:$offset,
                        PE_ValueParam:$length,
                        PE_ValueParam:$stride);
  let assemblyFormat = "`<` $buffer `,` $offset `,` $length `,` $stride `>`";
}

def PE_AbsMemAttr : PE_Attr<"AbsMem", "amem"> {
  let summary = "memory descriptor at an absolute word address";
  let parameters = (ins PE_ValueParam:$address,
                        PE_ValueParam:$length,
                        PE_ValueParam:$stride);
  let assemblyFormat = "`<` $address `,` $length `,` $stride `>`";
}

def PE_InAttr : PE_Attr<"In", "in"> {
  let summary = "fabric input: wavelets popped from the color's receive queue";
  let parameters = (ins PE_ValueParam:$color, PE_ValueParam:$length);
  let assemblyFormat = "`<` $color `,` $length `>`";
}

def PE_OutAttr : PE_Attr<"Out", "out"> {
  let summary = "fabric output: wavelets pushed into the router on a color";
  let parameters = (ins PE_ValueParam:$color, PE_ValueParam:$length);
  let assemblyFormat = "`<` $color `,` $length `>`";
}

def PE_ExprAttr : PE_Attr<"Expr", "expr"> {
  let summary = "a per-PE integer expression, as a tree";
  let description = [{
    The emulator's constant-expression language (evaluated once per PE at
    load) as a tree: `kind` is the node (an integer, a variable, a constant
    or table of the kernel, an operation), `value` the integer or variable
    number, `ref` the constant or table, `operands` the subtrees. Printed
    infix with the emulator's precedence, `+ - * /` and `mod`, calls for
    the comparisons and `min max select`, `@table[index]`, `@const` and the
    variables `x y rx ry pw ph mw mh`:

    ```mlir
    pe.const @c = @rows[@n0 mod 3] + select(lt(x, 2), mw, mh)
    ```
  }];
  let parameters = (ins "::wse::emu::ExprOpKind":$kind, "int64_t":$value,
                        "::mlir::FlatSymbolRefAttr":$ref,
                        ArrayRefParameter<"::mlir::Attribute">:$operands);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    static ExprAttr getInt(::mlir::MLIRContext *ctx, int64_t v);
    static ExprAttr getVar(::mlir::MLIRContext *ctx, ::wse::emu::ExprVar v);
    static ExprAttr getOp(::mlir::MLIRContext *ctx, ::wse::emu::ExprOpKind k,
                          ::llvm::ArrayRef<::mlir::Attribute> operands);
    /// The same tree printed bare (no #pe.expr<>), as ops print it.
    void printBare(::mlir::AsmPrinter &printer) const;
    /// Parses a bare tree.
    static ::mlir::FailureOr<ExprAttr> parseBare(::mlir::AsmParser &parser);
  }];
}

// Router directions, in the emulator's order (include/wse/Emu/Program.h).
def PE_DirN : I32EnumAttrCase<"N", 0>;
def PE_DirE : I32EnumAttrCase<"E", 1>;
def PE_DirS : I32EnumAttrCase<"S", 2>;
def PE_DirW : I32EnumAttrCase<"W", 3>;
def PE_DirR : I32EnumAttrCase<"R", 4>;
def PE_Dir : I32EnumAttr<"Dir", "a router direction (N E S W, R the ramp)",
    [PE_DirN, PE_DirE, PE_DirS, PE_DirW, PE_DirR]> {
  let cppNamespace = "::wse::pe";
}

// A set of directions: bit d is direction d, as in the emulator's route mask.
def PE_DirSetN : I32BitEnumAttrCaseBit<"N", 0>;
def PE_DirSetE : I32BitEnumAttrCaseBit<"E", 1>;
def PE_DirSetS : I32BitEnumAttrCaseBit<"S", 2>;
def PE_DirSetW : I32BitEnumAttrCaseBit<"W", 3>;
def PE_DirSetR : I32BitEnumAttrCaseBit<"R", 4>;
def PE_DirSet : I32BitEnumAttr<"DirSet", "router output directions",
    [PE_DirSetN, PE_DirSetE, PE_DirSetS, PE_DirSetW, PE_DirSetR]> {
  let cppNamespace = "::wse::pe";
}

def PE_PortAttr : PE_Attr<"Port", "port"> {
  let summary = "an edge I/O port: its side (W or E) and index from the top";
  let description = [{
    Printed inside ops as its name, `W0` or `E3`.
  }];
  let parameters = (ins "bool":$east, "unsigned":$index);
  let assemblyFormat = "`<` $east `,` $index `>`";
  let extraClassDeclaration = [{
    /// "W0", "E3": the name the machine description gives the port.
    std::string getName() const;
  }];
}

def PE_TaskTriggerEntry : I32EnumAttrCase<"entry", 0>;
def PE_TaskTriggerColor : I32EnumAttrCase<"on", 1>;
def PE_TaskTriggerLocal : I32EnumAttrCase<"local", 2>;
def PE_TaskTrigger : I32EnumAttr<"TaskTrigger", "what starts a task",
    [PE_TaskTriggerEntry, PE_TaskTriggerColor, PE_TaskTriggerLocal]> {
  let cppNamespace = "::wse::pe";
}

// The comparison of a pe.if; `in` is lhs in [rhs, upper).
def PE_PredEq : I32EnumAttrCase<"eq", 0>;
def PE_PredNe : I32EnumAttrCase<"ne", 1>;
def PE_PredLt : I32EnumAttrCase<"lt", 2>;
def PE_PredGe : I32EnumAttrCase<"ge", 3>;
def PE_PredIn : I32EnumAttrCase<"in", 4>;
def PE_Predicate : I32EnumAttr<"Predicate", "the comparison of a pe.if",
    [PE_PredEq, PE_PredNe, PE_PredLt, PE_PredGe, PE_PredIn]> {
  let cppNamespace = "::wse::pe";
}

def PE_FlowMulticast : I32EnumAttrCase<"multicast", 0>;
def PE_FlowChain : I32EnumAttrCase<"chain", 1>;
def PE_FlowBroadcast : I32EnumAttrCase<"broadcast", 2>;
def PE_FlowEgress : I32EnumAttrCase<"egress", 3>;
def PE_FlowKind : I32EnumAttr<"FlowKind", "a pattern of fabric paths",
    [PE_FlowMulticast, PE_FlowChain, PE_FlowBroadcast, PE_FlowEgress]> {
  let cppNamespace = "::wse::pe";
}

#endif // WSE_DIALECT_PE_ATTRS_TD

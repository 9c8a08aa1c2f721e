//===- WaferAttrs.td - Target, placement and distribution --*- tablegen -*-===//

#ifndef WSE_DIALECT_WAFER_ATTRS_TD
#define WSE_DIALECT_WAFER_ATTRS_TD

include "dialects/wafer/IR/WaferDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class Wafer_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Wafer_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Wafer_TargetAttr : Wafer_Attr<"Target", "target"> {
  let summary = "the machine a module is compiled for";
  let description = [{
    Holds a whole machine description, the same one `wse-emu` reads
    (lib/Machine: presets and JSON files, keys as in
    docs/emulator/machine.md). A description equal to a built-in preset
    prints as its name only:

    ```mlir
    module attributes {wafer.target = #wafer.target<"wse2">} {}
    module attributes {wafer.target = #wafer.target<"my-mesh", width = 8,
        height = 8, sram_bytes = 49152, ...every key...>} {}
    ```
    A name with keys starts from that preset when the name is one and
    overrides the keys given; otherwise every key is required.
  }];
  let parameters = (ins
      AttrParameter<"::wse::machine::MachineDescription",
                    "machine description">:$machine);
  let hasCustomAssemblyFormat = 1;
  let extraClassDeclaration = [{
    /// The mesh rectangle of every PE.
    RectAttr getWholeMesh() const;
  }];
}

def Wafer_RectAttr : Wafer_Attr<"Rect", "rect"> {
  let summary = "a rectangle of PEs: top-left corner (x = column, y = row) and size";
  let parameters = (ins "int64_t":$x, "int64_t":$y, "int64_t":$width,
                        "int64_t":$height);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    int64_t getNumPEs() const { return getWidth() * getHeight(); }
    bool contains(RectAttr other) const;
    bool overlaps(RectAttr other) const;
  }];
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

#endif // WSE_DIALECT_WAFER_ATTRS_TD

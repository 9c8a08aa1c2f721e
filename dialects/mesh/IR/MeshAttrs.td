//===- MeshAttrs.td - Target and rectangle attributes ------*- tablegen -*-===//

#ifndef WSE_DIALECT_MESH_ATTRS_TD
#define WSE_DIALECT_MESH_ATTRS_TD

include "dialects/mesh/IR/MeshDialect.td"
include "mlir/IR/AttrTypeBase.td"

class Mesh_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Mesh_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Mesh_TargetAttr : Mesh_Attr<"Target", "target"> {
  let summary = "the machine a module is compiled for";
  let description = [{
    Holds a whole machine description, the same one `wse-emu` reads
    (lib/Machine: presets and JSON files, keys as in
    docs/emulator/machine.md). A description equal to a built-in preset
    prints as its name only:

    ```mlir
    module attributes {mesh.target = #mesh.target<"wse2">} {}
    module attributes {mesh.target = #mesh.target<"my-mesh", width = 8,
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

def Mesh_RectAttr : Mesh_Attr<"Rect", "rect"> {
  let summary = "a rectangle of PEs: top-left corner (x = column, y = row) and size";
  let description = [{
    ```mlir
    #mesh.rect<x = 0, y = 2, width = 4, height = 1>
    ```
    Corners are non-negative and sizes positive; whether the rectangle lies
    inside the mesh is checked against the module's target by the passes
    that use it.
  }];
  let parameters = (ins "int64_t":$x, "int64_t":$y, "int64_t":$width,
                        "int64_t":$height);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    int64_t getNumPEs() const { return getWidth() * getHeight(); }
    /// One past the last column and row.
    int64_t getEndX() const { return getX() + getWidth(); }
    int64_t getEndY() const { return getY() + getHeight(); }
    bool contains(RectAttr other) const;
    /// True if PE (x, y) lies in the rectangle.
    bool contains(int64_t x, int64_t y) const;
    bool overlaps(RectAttr other) const;
    /// The smallest rectangle holding both.
    RectAttr unite(RectAttr other) const;
  }];
}

#endif // WSE_DIALECT_MESH_ATTRS_TD

//===- Passes.td - pe dialect passes -----------------------*- tablegen -*-===//
//
// The pe level resolves its symbolic parts in this order:
//   pe-route -> pe-assign-colors -> pe-allocate-sram -> pe-verify-routes
//   -> pe-verify (lib/Target, with emission)
// after which wse-translate --emit-program writes the emulator program.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_PE_PASSES_TD
#define WSE_DIALECT_PE_PASSES_TD

include "mlir/Pass/PassBase.td"

def PERoute : Pass<"pe-route", "mlir::ModuleOp"> {
  let summary = "expand every pe.flow into pe.route ops";
  let description = [{
    Replaces each `pe.flow` by the routes of its pattern, on the flow's
    channel (indices count along the direction: from the rectangle's top for
    `S`, bottom for `N`, left for `E`, right for `W`):

    * `multicast port "W<i>"` (or `"E<i>"`): the port's row r must cross the
      rectangle. PEs of row r between the mesh edge and the rectangle pass
      the wavelets through (W -> E); inside the rectangle row r takes them
      from the port side to the next PE of the row, the core and the rows
      above (N) and below (S); every other PE of the rectangle's columns
      takes them from the row side to its core and onwards away from row r.
    * `chain dir D phase P`: a PE at index i with i % 2 == P and i < len-1
      sends from its core to D; a PE with i >= 1 and (i-1) % 2 == P
      receives from the opposite side into its core.
    * `broadcast dir D`: index 0 sends from its core to D; the PEs in
      between pass on and deliver; the last one delivers.
    * `egress port "W<i>"`: the single PE at the mesh edge next to the port
      sends from its core into the port.

    Routes of one index are merged into one rectangle. Needs `mesh.target`
    (for the ports' rows).
  }];
  let options = [
    Option<"explain", "explain", "bool", "false",
           "emit a remark per module: flows expanded, routes made">,
  ];
  let dependentDialects = ["::wse::pe::PEDialect"];
}

def PEAssignColors : Pass<"pe-assign-colors", "mlir::ModuleOp"> {
  let summary = "give every pe.channel a color number";
  let description = [{
    Two channels interfere when their routes share a PE or when one kernel
    uses both (in `#pe.in`/`#pe.out` operands or task colors). Channels are
    colored greedily in declaration order with the lowest color that no
    interfering channel has and that no numeric color of the module uses
    (routes, streams, tasks, descriptors; excluded everywhere). Every
    reference is replaced by the number and the pe.channel ops are erased.
    Fails, naming the channels, when more colors are needed than the
    target's `colors`. Needs `mesh.target`; run after pe-route.
  }];
  let options = [
    Option<"explain", "explain", "bool", "false",
           "emit a remark per module: channels, interferences and colors used">,
  ];
  let dependentDialects = ["::wse::pe::PEDialect"];
}

def PEAllocateSRAM : Pass<"pe-allocate-sram", "mlir::ModuleOp"> {
  let summary = "give every pe.buffer a word address";
  let description = [{
    Per kernel, buffers without `address` are placed first-fit, the
    longest-lived first (then the larger), below the code, which takes instructions x
    `code_bytes_per_instr` bytes at the top of SRAM. A buffer referenced
    only by one entry task (never activated) lives from its first to its
    last reference, extended over every loop (backward branch) around a
    reference (a branch marked `return`, back from a subroutine to its call
    site, is not a loop); a buffer referenced from another task or with
    `init` lives for the whole program. `#pe.addr<@b>` counts as a reference
    of `@b` where it appears: code that moves an address into a register
    must use it before the buffer's last direct reference (the lowering
    passes addresses only to subroutines it calls right away). Buffers share
    words only if their live ranges are disjoint
    (`reuse=false` never shares). Buffers with an address stay where they
    are. Fails naming the buffer, its size, the kernel, a PE of its
    placement and the words available. Needs `mesh.target`.
  }];
  let options = [
    Option<"reuse", "reuse", "bool", "true",
           "let buffers with disjoint live ranges share words">,
    Option<"explain", "explain", "bool", "false",
           "emit a remark per kernel: code, buffers and words used, and the "
           "busiest instruction with its largest live buffers">,
  ];
  let dependentDialects = ["::wse::pe::PEDialect"];
}

def PEVerifyRoutes : Pass<"pe-verify-routes", "mlir::ModuleOp"> {
  let summary = "check routes, placements and streams against the machine";
  let description = [{
    With the target machine: every placement and route lies inside the
    mesh; colors are numbers below the machine's `colors`; at most one
    route per PE and color (the hardware holds one configuration per color;
    the emulator's --strict-routes); every route output leads to a PE with a
    route of that color from the opposite side, to the core of a PE that
    runs a kernel (R), or off the mesh into an existing port on that side
    and row; every stream's port exists and an inbound stream's edge PE
    takes its color from the port. Errors name the PE, color and direction.
  }];
}

#endif // WSE_DIALECT_PE_PASSES_TD

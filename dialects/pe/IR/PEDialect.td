//===- PEDialect.td - The per-PE program dialect -----------*- tablegen -*-===//
//
// The last level before emission: kernels of per-PE code placed on
// rectangles, buffers in SRAM, colors and routes, and the stream schedule of
// the edge ports. It mirrors the emulator's program (docs/emulator/isa.md)
// one to one, so emission is a translation.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_DIALECT_PE_DIALECT_TD
#define WSE_DIALECT_PE_DIALECT_TD

include "mlir/IR/OpBase.td"

def PE_Dialect : Dialect {
  let name = "pe";
  let cppNamespace = "::wse::pe";
  let summary = "per-PE programs: kernels, buffers, colors, routes, streams";
  let description = [{
    A module of `pe` ops is one emulator program. Tensors the program
    exchanges with the outside are `pe.param` (weights in files, or
    constants the compiler writes), `pe.input` and `pe.output`. Code lives in
    `pe.kernel`s (per-PE constants, buffers and tasks of instructions) placed
    with `pe.place`. Fabric traffic uses colors; before color assignment a
    color is a `pe.channel` symbol, and before routing a channel's paths are
    `pe.flow` patterns. `pe.stream_in`/`pe.stream_out` are the edge ports'
    schedule.

    Instruction ops carry their operands as one array attribute, in the
    emulator's order: `#pe.mem<@buf, offset, length, stride>`,
    `#pe.amem<address, length, stride>`, `#pe.in<color, length>`,
    `#pe.out<color, length>`, values (an integer, `#pe.reg<N>`, a kernel
    constant or channel `@name`, `#pe.addr<@buf>`), floats, and `@label` or
    `@task` targets.
  }];
  let dependentDialects = ["::wse::mesh::MeshDialect"];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

#endif // WSE_DIALECT_PE_DIALECT_TD

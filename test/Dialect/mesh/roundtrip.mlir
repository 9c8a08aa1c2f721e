// The mesh dialect's attributes print and parse back unchanged: a preset
// target prints as its name, any other description with every key, and
// rectangles with their four fields.
// RUN: wse-opt %s | FileCheck %s
// RUN: wse-opt %s | wse-opt | FileCheck %s
// RUN: wse-opt %s --mlir-print-op-generic | wse-opt | FileCheck %s

// CHECK-LABEL: module attributes {mesh.target = #mesh.target<"32x32">}
module attributes {mesh.target = #mesh.target<"32x32">} {}

// A target that is not a preset prints every key; keys round trip.
// CHECK-LABEL: module attributes
// CHECK-SAME: #mesh.target<"wse2", clock_hz = 1100000000, code_bytes_per_instr = 8, colors = 24, height = 994, hop_latency = 1, instr_issue_cycles = 1, port_first_row = 0, port_sides = "west,east", port_spacing_rows = 16, queue_depth = 8, ramp_latency = 1, simd_f32_lanes = 2, sram_bytes = 65536, stream_bytes_per_cycle = 1, task_switch_cycles = 2, wavelet_bits = 32, width = 750>
module attributes {mesh.target = #mesh.target<"wse2", sram_bytes = 65536>} {}
// CHECK-LABEL: module attributes
// CHECK-SAME: #mesh.target<"tiny", clock_hz = 850000000, code_bytes_per_instr = 8, colors = 8, height = 2, hop_latency = 2, instr_issue_cycles = 1, port_first_row = 1, port_sides = "east", port_spacing_rows = 4, queue_depth = 4, ramp_latency = 1, simd_f32_lanes = 4, sram_bytes = 8192, stream_bytes_per_cycle = 0.5, task_switch_cycles = 2, wavelet_bits = 32, width = 3>
module attributes {mesh.target = #mesh.target<"tiny", clock_hz = 8.5e8, code_bytes_per_instr = 8, colors = 8, height = 2, hop_latency = 2, instr_issue_cycles = 1, port_first_row = 1, port_sides = "east", port_spacing_rows = 4, queue_depth = 4, ramp_latency = 1, simd_f32_lanes = 4, sram_bytes = 8192, stream_bytes_per_cycle = 0.5, task_switch_cycles = 2, wavelet_bits = 32, width = 3>} {}

// CHECK-LABEL: func.func private @rects()
// CHECK-SAME: #mesh.rect<x = 0, y = 2, width = 4, height = 1>
// CHECK-SAME: #mesh.rect<x = 749, y = 993, width = 1, height = 1>
func.func private @rects() attributes {a = #mesh.rect<x = 0, y = 2, width = 4, height = 1>, b = #mesh.rect<x = 749, y = 993, width = 1, height = 1>}

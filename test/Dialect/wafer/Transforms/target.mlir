// wafer-target attaches a preset or a machine file as #mesh.target.
// RUN: wse-opt %s --wafer-target=target=32x32 | FileCheck %s --check-prefix=PRESET
// RUN: wse-opt %s --wafer-target=target=%srcroot/machines/8x8.json | FileCheck %s --check-prefix=FILE
// RUN: wse-opt %s --wafer-target=target=wse2 | wse-opt --wafer-target | FileCheck %s --check-prefix=KEEP
// RUN: not wse-opt %s --wafer-target 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not wse-opt %s --wafer-target=target=nowhere 2>&1 | FileCheck %s --check-prefix=BAD

// PRESET: module attributes {mesh.target = #mesh.target<"32x32">}
// FILE: module attributes {mesh.target = #mesh.target<"8x8">}
// KEEP: module attributes {mesh.target = #mesh.target<"wse2">}
// NONE: error: no target: pass target=<preset or machine JSON file>
// BAD: error: cannot use target 'nowhere':
module {}

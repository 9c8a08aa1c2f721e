// Without a target there is nothing to cost; an unwritable output is named.
// RUN: wse-opt %s -split-input-file -wafer-cost-report=json=/nonexistent-dir/cost.json -verify-diagnostics -o /dev/null

// expected-error @+1 {{wafer-cost-report needs the module attribute 'mesh.target': run wafer-target first}}
module {}

// -----

// expected-error @+1 {{wafer-cost-report: cannot write '/nonexistent-dir/cost.json'}}
module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"} {}

// The mesh dialect's attributes and its module attribute reject bad IR with
// a message naming the problem.
// RUN: wse-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{invalid target 'nowhere': machine description: missing key}}
module attributes {mesh.target = #mesh.target<"nowhere", width = 4>} {}

// -----
// expected-error @+1 {{invalid target 'wse2': machine description: 'colors' must be}}
module attributes {mesh.target = #mesh.target<"wse2", colors = -1>} {}

// -----
// expected-error @+1 {{unknown key 'bogus'}}
module attributes {mesh.target = #mesh.target<"8x8", bogus = 1>} {}

// -----
// expected-error @+1 {{rectangle size 0x4 is empty}}
func.func private @f() attributes {r = #mesh.rect<x = 0, y = 0, width = 0, height = 4>}

// -----
// expected-error @+1 {{rectangle corner (-1, 0) is negative}}
func.func private @f() attributes {r = #mesh.rect<x = -1, y = 0, width = 2, height = 4>}

// -----
// expected-error @+1 {{'mesh.target' must be a #mesh.target, got "wse2"}}
module attributes {mesh.target = "wse2"} {}

// -----
module {
  // expected-error @+1 {{'mesh.target' belongs on a builtin.module}}
  func.func private @f() attributes {mesh.target = #mesh.target<"wse2">}
}

// -----
// expected-error @+1 {{unknown attribute 'mesh.mode' of the mesh dialect (it has only 'mesh.target')}}
module attributes {mesh.mode = "stream"} {}

// -----
// expected-error @+1 {{expected ','}}
func.func private @f() attributes {r = #mesh.rect<x = 0, y = 0, width = 2>}

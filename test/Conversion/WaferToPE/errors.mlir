// RUN: wse-opt %s --convert-wafer-to-pe -split-input-file -verify-diagnostics

// expected-error @+1 {{convert-wafer-to-pe needs the module attribute 'mesh.target': run wafer-target first}}
module {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

module attributes {mesh.target = #mesh.target<"4x4">} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{is not placed; run wafer-place before convert-wafer-to-pe}}
    %r = wafer.elementwise ins(%x : tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%v: f32):
      %e = math.exp %v : f32
      wafer.yield %e : f32
    }
    return %r : tensor<4xf32>
  }
}

// -----

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">} {
  func.func @main(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xi1> {
    // expected-error @+1 {{body op 'arith.cmpf' has no pe instruction}}
    %r = wafer.elementwise ins(%x, %y : tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1> attributes {placement = #r} {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf olt, %a, %b : f32
      wafer.yield %c : i1
    }
    return %r : tensor<4xi1>
  }
}

// -----

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">} {
  func.func @main(%x: tensor<6x4xf32>, %i: tensor<2xi64>) -> tensor<2x4xf32> {
    // expected-error @+1 {{gather indices must be constant on the wafer (the ISA has no indirect load)}}
    %r = wafer.gather %x, %i {axis = 0 : i64, placement = #r} : (tensor<6x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
    return %r : tensor<2x4xf32>
  }
}

// -----

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">} {
  // expected-error @+1 {{input 0 of type 'tensor<4xcomplex<f32>>' cannot be streamed to the wafer}}
  func.func @main(%x: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
    return %x : tensor<4xcomplex<f32>>
  }
}

// -----

// Four broadcast operands that each walk other dimensions: no dimensions
// merge, and the nest would need 14 registers.
#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">} {
  func.func @main(%a: tensor<2x3x2x3xf32>, %b: tensor<2x1x2x1xf32>, %c: tensor<1x3x1x3xf32>, %d: tensor<2x3x1x1xf32>) -> tensor<2x3x2x3xf32> {
    // expected-error @+1 {{cannot be lowered to pe: its loop nests need more than the 12 scalar registers left for them (too many operands walking dimensions that do not merge)}}
    %r = wafer.elementwise ins(%a, %b, %c, %d : tensor<2x3x2x3xf32>, tensor<2x1x2x1xf32>, tensor<1x3x1x3xf32>, tensor<2x3x1x1xf32>) -> tensor<2x3x2x3xf32> attributes {placement = #r} {
    ^bb0(%x: f32, %y: f32, %z: f32, %w: f32):
      %s = arith.addf %x, %y : f32
      %t = arith.addf %s, %z : f32
      %u = arith.addf %t, %w : f32
      wafer.yield %u : f32
    }
    return %r : tensor<2x3x2x3xf32>
  }
}

// -----

// Layer-loop marks that do not describe identical layers.
#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">} {
  // expected-error @+1 {{the 'wafer.layer' annotations are not a layer loop: 'wafer.elementwise' at}}
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    %y0 = wafer.elementwise ins(%x : tensor<4xf32>) -> tensor<4xf32> attributes {placement = #r, wafer.layer = 0 : i64} {
    ^bb0(%v: f32):
      %e = math.exp %v : f32
      wafer.yield %e : f32
    }
    %y1 = wafer.elementwise ins(%y0 : tensor<4xf32>) -> tensor<4xf32> attributes {placement = #r, wafer.layer = 1 : i64} {
    ^bb0(%v: f32):
      %e = math.tanh %v : f32
      wafer.yield %e : f32
    }
    return %y1 : tensor<4xf32>
  }
}

// -----

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">} {
  // expected-error @+1 {{the 'wafer.layer' annotations are not a layer loop: expected consecutive layers of equally many ops}}
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    %y0 = wafer.elementwise ins(%x : tensor<4xf32>) -> tensor<4xf32> attributes {placement = #r, wafer.layer = 0 : i64} {
    ^bb0(%v: f32):
      %e = math.exp %v : f32
      wafer.yield %e : f32
    }
    return %y0 : tensor<4xf32>
  }
}

// -----

// The same nest inside a layer loop, which holds 2 of the 12 registers.
#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">} {
  func.func @main(%a: tensor<2x3x2x3xf32>, %b: tensor<2x1x2x1xf32>, %c: tensor<1x3x1x3xf32>, %d: tensor<2x3x1x1xf32>) -> tensor<2x3x2x3xf32> {
    // expected-error @+1 {{its loop nests need more than the 10 scalar registers left for them (the layer loop holds 2)}}
    %r0 = wafer.elementwise ins(%a, %b, %c, %d : tensor<2x3x2x3xf32>, tensor<2x1x2x1xf32>, tensor<1x3x1x3xf32>, tensor<2x3x1x1xf32>) -> tensor<2x3x2x3xf32> attributes {placement = #r, wafer.layer = 0 : i64} {
    ^bb0(%x: f32, %y: f32, %z: f32, %w: f32):
      %s = arith.addf %x, %y : f32
      %t = arith.addf %s, %z : f32
      %u = arith.addf %t, %w : f32
      wafer.yield %u : f32
    }
    %r1 = wafer.elementwise ins(%r0, %b, %c, %d : tensor<2x3x2x3xf32>, tensor<2x1x2x1xf32>, tensor<1x3x1x3xf32>, tensor<2x3x1x1xf32>) -> tensor<2x3x2x3xf32> attributes {placement = #r, wafer.layer = 1 : i64} {
    ^bb0(%x: f32, %y: f32, %z: f32, %w: f32):
      %s = arith.addf %x, %y : f32
      %t = arith.addf %s, %z : f32
      %u = arith.addf %t, %w : f32
      wafer.yield %u : f32
    }
    return %r1 : tensor<2x3x2x3xf32>
  }
}

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
  func.func @main(%x: tensor<4xi64>, %y: tensor<4xi64>) -> tensor<4xi1> {
    // expected-error @+1 {{body op 'arith.cmpi' compares unsigned (ult); the wafer holds integers as signed f32}}
    %r = wafer.elementwise ins(%x, %y : tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1> attributes {placement = #r} {
    ^bb0(%a: i64, %b: i64):
      %c = arith.cmpi ult, %a, %b : i64
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

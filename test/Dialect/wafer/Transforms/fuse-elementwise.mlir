// RUN: wse-opt %s --wafer-fuse-elementwise -split-input-file | FileCheck %s

// A chain (x * w + b, then tanh) becomes one body that reads each tensor
// once; the shared operand %x is deduplicated.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>)
func.func @chain(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[R:.*]] = wafer.elementwise ins(%[[X]], %[[B]] : tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK-NEXT: ^bb0(%[[A0:.*]]: f32, %[[A1:.*]]: f32):
  // CHECK-NEXT: %[[M:.*]] = arith.mulf %[[A0]], %[[A0]] : f32
  // CHECK-NEXT: %[[S:.*]] = arith.addf %[[M]], %[[A1]] : f32
  // CHECK-NEXT: %[[T:.*]] = math.tanh %[[S]] : f32
  // CHECK-NEXT: %[[Y:.*]] = arith.addf %[[T]], %[[A0]] : f32
  // CHECK-NEXT: wafer.yield %[[Y]] : f32
  // CHECK-NEXT: }
  // CHECK-NEXT: return %[[R]]
  %0 = wafer.elementwise ins(%x : tensor<4x8xf32>) -> tensor<4x8xf32> {
  ^bb0(%a: f32):
    %m = arith.mulf %a, %a : f32
    wafer.yield %m : f32
  }
  %1 = wafer.elementwise ins(%0, %b : tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32> {
  ^bb0(%a: f32, %c: f32):
    %s = arith.addf %a, %c : f32
    wafer.yield %s : f32
  }
  %2 = wafer.elementwise ins(%1 : tensor<4x8xf32>) -> tensor<4x8xf32> {
  ^bb0(%a: f32):
    %t = math.tanh %a : f32
    wafer.yield %t : f32
  }
  %3 = wafer.elementwise ins(%2, %x : tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32> {
  ^bb0(%a: f32, %c: f32):
    %s = arith.addf %a, %c : f32
    wafer.yield %s : f32
  }
  return %3 : tensor<4x8xf32>
}

// -----

// A producer with two users is kept (fusing would compute it twice).
// CHECK-LABEL: func.func @multi_use
func.func @multi_use(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: %[[E:.*]] = wafer.elementwise ins(%{{.*}} : tensor<4xf32>)
  // CHECK: math.exp
  // CHECK: wafer.elementwise ins(%[[E]] : tensor<4xf32>)
  // CHECK: wafer.elementwise ins(%[[E]] : tensor<4xf32>)
  %0 = wafer.elementwise ins(%x : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: f32):
    %e = math.exp %a : f32
    wafer.yield %e : f32
  }
  %1 = wafer.elementwise ins(%0 : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: f32):
    %n = arith.negf %a : f32
    wafer.yield %n : f32
  }
  %2 = wafer.elementwise ins(%0 : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: f32):
    %s = math.sqrt %a : f32
    wafer.yield %s : f32
  }
  return %1, %2 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A producer the consumer broadcasts stays separate: its shape differs.
// CHECK-LABEL: func.func @broadcast_not_fused
func.func @broadcast_not_fused(%x: tensor<8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[P:.*]] = wafer.elementwise ins(%{{.*}} : tensor<8xf32>) -> tensor<8xf32>
  // CHECK: wafer.elementwise ins(%[[P]], %{{.*}} : tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %0 = wafer.elementwise ins(%x : tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%a: f32):
    %e = math.exp %a : f32
    wafer.yield %e : f32
  }
  %1 = wafer.elementwise ins(%0, %y : tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32> {
  ^bb0(%a: f32, %b: f32):
    %m = arith.mulf %a, %b : f32
    wafer.yield %m : f32
  }
  return %1 : tensor<4x8xf32>
}

// -----

// Element types change along the chain (compare, then select): block
// arguments keep each operand's element type; a producer yielding its
// argument unchanged (and one without operands) fuses too.
// CHECK-LABEL: func.func @mixed_types
// CHECK-SAME: (%[[M:.*]]: tensor<4x4xi1>, %[[X:.*]]: tensor<4x4xf32>)
func.func @mixed_types(%m: tensor<4x4xi1>, %x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // CHECK: wafer.elementwise ins(%[[M]], %[[X]] : tensor<4x4xi1>, tensor<4x4xf32>) -> tensor<4x4xf32> {
  // CHECK-NEXT: ^bb0(%[[C:.*]]: i1, %[[V:.*]]: f32):
  // CHECK-NEXT: %[[K:.*]] = arith.constant -1.000000e+04 : f32
  // CHECK-NEXT: %[[S:.*]] = arith.select %[[C]], %[[V]], %[[K]] : f32
  // CHECK-NEXT: wafer.yield %[[S]] : f32
  %c = wafer.elementwise ins(%m : tensor<4x4xi1>) -> tensor<4x4xi1> {
  ^bb0(%a: i1):
    wafer.yield %a : i1
  }
  %k = wafer.elementwise -> tensor<4x4xf32> {
    %f = arith.constant -1.0e4 : f32
    wafer.yield %f : f32
  }
  %r = wafer.elementwise ins(%c, %x, %k : tensor<4x4xi1>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32> {
  ^bb0(%a: i1, %b: f32, %d: f32):
    %s = arith.select %a, %b, %d : f32
    wafer.yield %s : f32
  }
  return %r : tensor<4x4xf32>
}

// -----

// Fusion works inside any op's regions, and keeps the consumer's attributes.
// CHECK-LABEL: func.func @keeps_placement
func.func @keeps_placement(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: wafer.elementwise ins(%{{.*}} : tensor<4xf32>) -> tensor<4xf32> attributes {placement = #mesh.rect<x = 0, y = 0, width = 2, height = 2>}
  // CHECK-NOT: wafer.elementwise
  %0 = wafer.elementwise ins(%x : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: f32):
    %e = math.exp %a : f32
    wafer.yield %e : f32
  }
  %1 = wafer.elementwise ins(%0 : tensor<4xf32>) -> tensor<4xf32> attributes {placement = #mesh.rect<x = 0, y = 0, width = 2, height = 2>} {
  ^bb0(%a: f32):
    %n = arith.negf %a : f32
    wafer.yield %n : f32
  }
  return %1 : tensor<4xf32>
}

// RUN: wse-opt %s --wafer-find-layer-loops -split-input-file | FileCheck %s
// RUN: wse-opt %s --wafer-find-layer-loops --wafer-find-layer-loops=enable=false -split-input-file | FileCheck %s --check-prefix=OFF

// Two layers that read a mask streamed and sliced inside the first one (as
// CSE leaves GPT-J's): the mask moves before the first layer and the layers
// become iterations 0 and 1, the second reading the first's result.
// CHECK-LABEL: func.func @shared_mask
// CHECK-NEXT: wafer.stream @m
// CHECK-NEXT: wafer.slice
// CHECK-NEXT: wafer.elementwise {{.*}}wafer.layer = 0
// CHECK: wafer.elementwise {{.*}}wafer.layer = 0
// CHECK: wafer.elementwise {{.*}}wafer.layer = 1
// CHECK: wafer.elementwise {{.*}}wafer.layer = 1
// OFF-NOT: wafer.layer =
module {
  wafer.parameter @m : tensor<4x4xf32> file "m.bin" offset 0 length 64
  func.func @shared_mask(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
    %a0 = wafer.elementwise ins(%x : tensor<4x4xf32>) -> tensor<4x4xf32> {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    %m = wafer.stream @m : tensor<4x4xf32>
    %ms = wafer.slice %m {offsets = array<i64: 0, 0>, strides = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
    %y0 = wafer.elementwise ins(%x, %a0, %ms : tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32> {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %s = arith.addf %a, %b : f32
      %p = arith.mulf %s, %c : f32
      wafer.yield %p : f32
    }
    %a1 = wafer.elementwise ins(%y0 : tensor<4x4xf32>) -> tensor<4x4xf32> {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    %y1 = wafer.elementwise ins(%y0, %a1, %ms : tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32> {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %s = arith.addf %a, %b : f32
      %p = arith.mulf %s, %c : f32
      wafer.yield %p : f32
    }
    return %y1 : tensor<4x4xf32>
  }
}

// -----

// Layers whose bodies differ (exp against tanh) are not one loop.
// CHECK-LABEL: func.func @different_bodies
// CHECK-NOT: wafer.layer =
// CHECK: return
module {
  func.func @different_bodies(%x: tensor<4xf32>) -> tensor<4xf32> {
    %y0 = wafer.elementwise ins(%x : tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    %y1 = wafer.elementwise ins(%y0 : tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32):
      %t = math.exp %a : f32
      wafer.yield %t : f32
    }
    return %y1 : tensor<4xf32>
  }
}

// -----

// The first layer's result is also an output: it would be overwritten by
// the loop, so only the later layers loop (from the first one's result).
// CHECK-LABEL: func.func @early_output
// CHECK: math.tanh
// CHECK-NOT: wafer.layer
// CHECK: wafer.elementwise {{.*}}wafer.layer = 0
// CHECK: wafer.elementwise {{.*}}wafer.layer = 1
// CHECK: wafer.elementwise {{.*}}wafer.layer = 2
// CHECK-NOT: wafer.layer =
// CHECK: return
module {
  func.func @early_output(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
    %y0 = wafer.elementwise ins(%x : tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    %y1 = wafer.elementwise ins(%y0 : tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    %y2 = wafer.elementwise ins(%y1 : tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    %y3 = wafer.elementwise ins(%y2 : tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32):
      %t = math.tanh %a : f32
      wafer.yield %t : f32
    }
    return %y0, %y3 : tensor<4xf32>, tensor<4xf32>
  }
}

// -----

// Without a loop, shared computations stay where they are.
// CHECK-LABEL: func.func @no_loop_no_hoist
// CHECK: math.exp
// CHECK: wafer.stream @m
// CHECK-NEXT: wafer.slice
// CHECK-NOT: wafer.layer =
module {
  wafer.parameter @m : tensor<4xf32> file "m.bin" offset 0 length 16
  func.func @no_loop_no_hoist(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
    %a = wafer.elementwise ins(%x : tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%v: f32):
      %e = math.exp %v : f32
      wafer.yield %e : f32
    }
    %m = wafer.stream @m : tensor<4xf32>
    %ms = wafer.slice %m {offsets = array<i64: 0>, strides = array<i64: 1>} : (tensor<4xf32>) -> tensor<4xf32>
    %b = wafer.elementwise ins(%a, %ms : tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%v: f32, %w: f32):
      %s = arith.addf %v, %w : f32
      wafer.yield %s : f32
    }
    %c = wafer.elementwise ins(%a, %ms : tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%v: f32, %w: f32):
      %s = arith.mulf %v, %w : f32
      wafer.yield %s : f32
    }
    return %b, %c : tensor<4xf32>, tensor<4xf32>
  }
}

// -----

// The first layer reads one constant twice where the second reads two
// different ones: the code of the first cannot serve the second.
// CHECK-LABEL: func.func @constant_twice
// CHECK-NOT: wafer.layer =
// CHECK: return
module {
  func.func @constant_twice(%x: tensor<4xf32>) -> tensor<4xf32> {
    %c0 = wafer.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32> -> tensor<4xf32>
    %c1 = wafer.constant dense<[5.0, 6.0, 7.0, 8.0]> : tensor<4xf32> -> tensor<4xf32>
    %c2 = wafer.constant dense<[9.0, 1.0, 2.0, 3.0]> : tensor<4xf32> -> tensor<4xf32>
    %y0 = wafer.elementwise ins(%x, %c0, %c0 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %s = arith.addf %a, %b : f32
      %p = arith.mulf %s, %c : f32
      wafer.yield %p : f32
    }
    %y1 = wafer.elementwise ins(%y0, %c1, %c2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %s = arith.addf %a, %b : f32
      %p = arith.mulf %s, %c : f32
      wafer.yield %p : f32
    }
    return %y1 : tensor<4xf32>
  }
}

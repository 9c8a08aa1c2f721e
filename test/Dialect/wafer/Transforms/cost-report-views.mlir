// A reshape that only drops or adds unit dimensions kept whole on every PE
// leaves each element where it is: no bytes moved, no fabric cycles, only the
// fixed 18-cycle overhead. A reshape that changes which axis holds a
// dimension moves its bytes: 16*64*4 = 4096 bytes over min(8, 8) links of 4
// bytes = 128 cycles, plus the diameter 8 + 8 - 2 = 14: 142 fabric cycles.
// RUN: wse-opt %s -wafer-cost-report=json=- -o /dev/null | FileCheck %s

module attributes {mesh.target = #mesh.target<"8x8">, wafer.mode = "stream"} {
  func.func @main(%x: tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>) -> tensor<1024xf32, #wafer.dist<[y]>> {
    %v = wafer.reshape %x {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<1x16x64xf32, #wafer.dist<[*, x, y]>>) -> tensor<16x64xf32, #wafer.dist<[x, y]>> loc("view")
    %m = wafer.reshape %v {placement = #mesh.rect<x = 0, y = 0, width = 8, height = 8>} : (tensor<16x64xf32, #wafer.dist<[x, y]>>) -> tensor<1024xf32, #wafer.dist<[y]>> loc("move")
    return %m : tensor<1024xf32, #wafer.dist<[y]>>
  }
}

// CHECK: "estimated_cycles": 18,
// CHECK-NEXT: "fabric_cycles": 0,
// CHECK: "location": "view",
// CHECK: "estimated_cycles": 160,
// CHECK-NEXT: "fabric_cycles": 142,
// CHECK: "location": "move",

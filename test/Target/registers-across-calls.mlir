// Registers live across a pe.call stay live through the subroutine: the
// loop counter of the caller and the subroutine's own loop counter get
// different registers, and the program counts 3 calls x (2 + the argument)
// iterations. Assigned by a fixed split or by scopes in the lowering, a
// subroutine's loop would reuse the caller's counter.
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-opt %s --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify -o %t/resolved.mlir
// RUN: wse-translate --emit-program-text %t/resolved.mlir -o %t/p.wse
// RUN: FileCheck %s < %t/p.wse
// RUN: wse-emu %t/p.wse --output y=%t/y.npy --quiet
// RUN: %python -c "import numpy as np; print(np.load('%t/y.npy'))" | FileCheck %s --check-prefix=RESULT

// The caller's counter (r0) is set once and stepped after each call; the
// subroutine counts in another register and branches back by call id.
// CHECK:      mov r0, 0
// CHECK-NEXT: loop_0:
// CHECK-NEXT:   mov r[[P:[0-9]+]], r0
// CHECK-NEXT:   mov r[[ID:[0-9]+]], 0
// CHECK-NEXT:   br sub_count
// CHECK-NEXT: ret_1:
// CHECK-NEXT:   iadd r0, r0, 1
// CHECK-NEXT:   blt r0, 3, loop_0
// CHECK:      sub_count:
// CHECK-NEXT:   iadd r[[N:[0-9]+]], r[[P]], 2
// The parameter is dead once read: its register may count.
// CHECK-NEXT:   mov r[[P]], 0
// CHECK-NEXT: loop_2:
// CHECK-NEXT:   bge r[[P]], r[[N]], done_3
// CHECK:        beq r[[ID]], 0, ret_1
// RESULT: [9.]

module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.output @y : tensor<1xf32>
  pe.channel @yout
  pe.kernel @k {
    pe.buffer @acc [1] init 0.0
    pe.buffer @one [1] init 1.0
    pe.task @t entry {
      pe.loop #pe.reg<0> to 3 {
        pe.call @count(#pe.reg<0>)
      }
      pe.copy #pe.out<@yout, 1>, #pe.mem<@acc, 0, 1, 1>
      pe.ret
      // Adds 1 to @acc (2 + arg) times: 2 + 3 + 4 = 9 over the three calls.
      pe.subroutine @count(#pe.reg<1>) {
        pe.iadd #pe.reg<3>, #pe.reg<1>, 2
        pe.loop #pe.reg<2> to #pe.reg<3> {
          pe.add #pe.mem<@acc, 0, 1, 1>, #pe.mem<@acc, 0, 1, 1>, #pe.mem<@one, 0, 1, 1>
        }
      }
    }
  }
  pe.place @k <x = 0, y = 0, width = 1, height = 1>
  pe.flow @yout egress <x = 0, y = 0, width = 1, height = 1> port W0
  pe.stream_out @y port W0 color @yout
}

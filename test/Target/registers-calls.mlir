// Register liveness across calls: a loop counter live around one call of a
// subroutine (the first loop) is not live at the other call sites. The
// subroutine's branches back reach every call site; liveness followed them
// literally, so the counter stayed live through the second call's 15 nested
// loops as well (15 counters and the return id): 17 values, refused.
// Summarized at each call, 16 fit (the subroutine does not read its
// parameter, so the parameter is dead).
// RUN: wse-translate --emit-program-text %s -o - | FileCheck %s
// CHECK: sub_s:
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.kernel @k {
    pe.buffer @b [1] at 0
    pe.task @t entry {
      pe.loop #pe.reg<20> to 3 {
        pe.call @s(2)
      }
      pe.loop #pe.reg<0> to 2 {
        pe.loop #pe.reg<1> to 2 {
          pe.loop #pe.reg<2> to 2 {
            pe.loop #pe.reg<3> to 2 {
              pe.loop #pe.reg<4> to 2 {
                pe.loop #pe.reg<5> to 2 {
                  pe.loop #pe.reg<6> to 2 {
                    pe.loop #pe.reg<7> to 2 {
                      pe.loop #pe.reg<8> to 2 {
                        pe.loop #pe.reg<9> to 2 {
                          pe.loop #pe.reg<10> to 2 {
                            pe.loop #pe.reg<11> to 2 {
                              pe.loop #pe.reg<12> to 2 {
                                pe.loop #pe.reg<13> to 2 {
                                  pe.loop #pe.reg<14> to 2 {
                                    pe.call @s(1)
                                  }
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
      pe.ret
      pe.subroutine @s(#pe.reg<30>) {
        pe.fill #pe.mem<@b, 0, 1, 1>, 1.0
      }
    }
  }
  pe.place @k <x = 0, y = 0, width = 1, height = 1>
}

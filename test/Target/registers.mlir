// Emission assigns the 16 physical registers by liveness; code that keeps
// more values live at once is refused, naming the place. 17 nested loops
// each hold their counter; 16 fit.
// RUN: split-file %s %t
// RUN: not wse-translate --emit-program-text %t/seventeen.mlir -o /dev/null 2>&1 | FileCheck %s
// RUN: not wse-opt %t/seventeen.mlir --pe-verify -o /dev/null 2>&1 | FileCheck %s
// RUN: wse-translate --emit-program-text %t/sixteen.mlir -o - | FileCheck %s --check-prefix=FITS
// CHECK: error: task @t needs more than 16 registers: 17 values are live at once after instruction {{[0-9]+}} ('{{[a-z]+}}'), and register #pe.reg<16> finds none free
// A count known to be positive is tested at the bottom of the loop.
// FITS: blt r15, 2, loop_
// FITS-NOT: r16

//--- seventeen.mlir
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.kernel @k {
    pe.buffer @b [1] at 0
    pe.task @t entry {
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
                                    pe.loop #pe.reg<15> to 2 {
                                      pe.loop #pe.reg<16> to 2 {
                                        pe.fill #pe.mem<@b, 0, 1, 1>, 1.0
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
        }
      }
    }
  }
  pe.place @k <x = 0, y = 0, width = 1, height = 1>
}

//--- sixteen.mlir
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.kernel @k {
    pe.buffer @b [1] at 0
    pe.task @t entry {
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
                                    pe.loop #pe.reg<15> to 2 {
                                      pe.fill #pe.mem<@b, 0, 1, 1>, 1.0
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
      }
    }
  }
  pe.place @k <x = 0, y = 0, width = 1, height = 1>
}

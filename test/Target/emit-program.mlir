// A complete pe module: y = 2x on a 2x1 rectangle. x (and the constant 2, a
// param with a value) enter at port W0 and are multicast to both PEs; PE
// (rx) scales elements 4*rx..4*rx+3; PE 1 sends its half west to PE 0, which
// sends both halves out of W0. The passes resolve flows, channels and
// buffers; the program is emitted as text and as binary and run.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: wse-opt %s --pe-route --pe-assign-colors --pe-allocate-sram \
// RUN:   --pe-verify-routes --pe-verify -o %t/resolved.mlir
// RUN: wse-translate --emit-program-text %t/resolved.mlir -o %t/double.wse
// RUN: FileCheck %s --check-prefix=TEXT < %t/double.wse
// RUN: wse-translate --emit-program %t/resolved.mlir -o %t/double.bin
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(8, dtype=np.float32) - 2.5)"
// RUN: wse-emu %t/double.bin --strict-routes --input x=%t/x.npy --output y=%t/y.npy
// RUN: %python %srcroot/test/emu/Inputs/emucheck.py check --let x=%t/x.npy \
// RUN:   --expect "2 * x" --actual %t/y.npy | FileCheck %s --check-prefix=RESULT
// The text form runs the same (its constants file sits next to it).
// RUN: wse-emu %t/double.wse --strict-routes --input x=%t/x.npy --output y=%t/y2.npy
// RUN: cmp %t/y.npy %t/y2.npy
// The two forms are the same program (up to the constants file's name).
// RUN: wse-emu --disassemble %t/double.bin | sed 's/double.bin.consts/double.wse.consts/' \
// RUN:   | diff - %t/double.wse
// RUN: cmp %t/double.bin.consts.bin %t/double.wse.consts.bin

// TEXT: version 3
// TEXT-NEXT: machine "4x4"
// TEXT-NEXT: param two : f32[1] file "double.wse.consts.bin" offset 0
// TEXT-NEXT: input x : f32[8]
// TEXT-NEXT: output y : f32[8]
// TEXT: kernel double {
// TEXT-NEXT:   const off = rx * 4
// @scale is dead after the mul and @back is used only later: they share
// words (both at 4), and @back reuses words of @v, dead by then too.
// TEXT-NEXT:   buffer scale[1] at 4
// TEXT-NEXT:   buffer v[8] at 5
// TEXT-NEXT:   buffer t[4] at 0
// TEXT-NEXT:   buffer back[4] at 4
// TEXT-NEXT:   task go entry {
// TEXT-NEXT:     copy mem(scale, 1), in(0, 1)
// TEXT-NEXT:     copy mem(v, 8), in(0, 8)
// TEXT-NEXT:     mul mem(t, 4), mem(v + off, 4), mem(scale, 4, 0)
// The pe.if becomes a branch around each of its two parts.
// TEXT-NEXT:     bne off, 0, else_0
// TEXT-NEXT:     copy out(2, 4), mem(t, 4)
// TEXT-NEXT:     copy mem(back, 4), in(1, 4)
// TEXT-NEXT:     copy out(2, 4), mem(back, 4)
// TEXT-NEXT:     br endif_1
// TEXT-NEXT:   else_0:
// TEXT-NEXT:     copy out(1, 4), mem(t, 4)
// TEXT-NEXT:   endif_1:
// TEXT-NEXT:   }
// TEXT-NEXT: }
// TEXT: place double rect(0, 0, 2, 1)
// TEXT: route rect(0, 0, 1, 1) color 0 : W -> E, R
// TEXT-NEXT: route rect(1, 0, 1, 1) color 0 : W -> R
// TEXT-NEXT: route rect(1, 0, 1, 1) color 1 : R -> W
// TEXT-NEXT: route rect(0, 0, 1, 1) color 1 : E -> R
// TEXT-NEXT: route rect(0, 0, 1, 1) color 2 : R -> W
// TEXT: stream in two to W0 color 0
// TEXT-NEXT: stream in x to W0 color 0
// TEXT-NEXT: stream out y from W0 color 2

// RESULT: match: 8 elements

module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.input @x : tensor<8xf32>
  pe.param @two : tensor<1xf32> = dense<2.0> : tensor<1xf32>
  pe.output @y : tensor<8xf32>
  pe.channel @xin
  pe.channel @back
  pe.channel @yout
  pe.kernel @double {
    pe.const @off = rx * 4
    pe.buffer @scale [1]
    pe.buffer @v [8]
    pe.buffer @t [4]
    pe.buffer @back [4]
    pe.task @go entry {
      pe.copy #pe.mem<@scale, 0, 1, 1>, #pe.in<@xin, 1>
      pe.copy #pe.mem<@v, 0, 8, 1>, #pe.in<@xin, 8>
      pe.mul #pe.mem<@t, 0, 4, 1>, #pe.mem<@v, @off, 4, 1>, #pe.mem<@scale, 0, 4, 0>
      pe.if @off eq 0 {
        pe.copy #pe.out<@yout, 4>, #pe.mem<@t, 0, 4, 1>
        pe.copy #pe.mem<@back, 0, 4, 1>, #pe.in<@back, 4>
        pe.copy #pe.out<@yout, 4>, #pe.mem<@back, 0, 4, 1>
      } else {
        pe.copy #pe.out<@back, 4>, #pe.mem<@t, 0, 4, 1>
      }
    }
  }
  pe.place @double <x = 0, y = 0, width = 2, height = 1>
  pe.flow @xin multicast <x = 0, y = 0, width = 2, height = 1> port W0
  pe.flow @back broadcast <x = 0, y = 0, width = 2, height = 1> dir W
  pe.flow @yout egress <x = 0, y = 0, width = 1, height = 1> port W0
  pe.stream_in @two port W0 color @xin
  pe.stream_in @x port W0 color @xin
  pe.stream_out @y port W0 color @yout
}

// Each verifier of the pe dialect rejects bad IR with a message naming the
// problem.
// RUN: wse-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{needs exactly one of 'file' (with 'offset') or a value, got neither}}
pe.param @p : tensor<4xf32>

// -----
// expected-error @+1 {{needs exactly one of 'file' (with 'offset') or a value, got both}}
pe.param @p : tensor<2xf32> file "w.bin" offset 0 = dense<1.0> : tensor<2xf32>

// -----
// expected-error @+1 {{'offset' needs 'file'}}
pe.param @p : tensor<2xf32> offset 4 = dense<1.0> : tensor<2xf32>

// -----
// expected-error @+1 {{value of type 'tensor<3xf32>' does not match the param's type 'tensor<2xf32>'}}
pe.param @p : tensor<2xf32> = dense<1.0> : tensor<3xf32>

// -----
// expected-error @+1 {{element type 'f64' is not one the emulator reads (f32, f16, bf16, i32, i64, i1)}}
pe.param @p : tensor<2xf64> file "w.bin" offset 0

// -----
// expected-error @+1 {{is the gradient of @w, which is not a pe.param}}
pe.output @grad_w : tensor<4xf32> gradient @w

// -----
pe.param @w : tensor<4xf32> file "w.bin" offset 0
// expected-error @+1 {{has the shape of 'tensor<2x2xf32>', but its parameter @w is 'tensor<4xf32>'}}
pe.output @grad_w : tensor<2x2xf32> gradient @w

// -----
pe.param @w : tensor<4xf32> = dense<1.0> : tensor<4xf32>
// expected-error @+1 {{is the gradient of @w, which is not f32 weights read from a file ('tensor<4xf32>')}}
pe.output @grad_w : tensor<4xf32> gradient @w

// -----
// expected-error @+1 {{element type 'i8' is not one the emulator reads}}
pe.input @x : tensor<2xi8>

// -----
// expected-error @+1 {{shape must be static with positive dimensions, got 'tensor<0x2xf32>'}}
pe.input @x : tensor<0x2xf32>

// -----
// expected-error @+1 {{range must be [lo, hi], got 3 values}}
pe.input @x : tensor<2xi64> range [0, 1, 2]

// -----
// expected-error @+1 {{range [4, 4) is empty}}
pe.input @x : tensor<2xi64> range [4, 4]

// -----
// expected-error @+1 {{outputs are f32, got 'f16'}}
pe.output @y : tensor<2xf16>

// -----
// expected-error @+1 {{output name 'y-1' is not an identifier of the program's text form}}
pe.output @"y-1" : tensor<2xf32>

// -----
pe.kernel @k {
  // expected-error @+1 {{buffer name 'r3' looks like a register name}}
  pe.buffer @r3 [4]
}

// -----
pe.kernel @k {
  // expected-error @+1 {{size must be 1 to 2^32 words, got 0}}
  pe.buffer @b [0]
}

// -----
pe.kernel @k {
  // The expression ends where the next line begins.
  pe.const @c = ry *
// expected-error @+1 {{expected an expression: an integer, a variable, @const, @table[...], (...) or a call}}
}

// -----
pe.kernel @k {
  // expected-error @+1 {{'foo' is neither a variable (x y rx ry pw ph mw mh) nor a function (lt le gt ge eq ne min max select)}}
  pe.const @c = foo(1)
}

// -----
pe.kernel @k {
  // expected-error @+1 {{'select' takes 3 arguments, got 2}}
  pe.const @c = select(1, 2)
}

// -----
pe.kernel @k {
  // expected-error @+1 {{integer out of the i64 range}}
  pe.const @c = 9223372036854775808
}

// -----
pe.kernel @k {
  // expected-error @+1 {{expression indexes @t, which is not a pe.table of the kernel}}
  pe.const @c = @t[1]
}

// -----
pe.kernel @k {
  // Nesting is bounded before the recursive parser can exhaust the stack.
  // expected-error @+1 {{expression nested deeper than 256 levels}}
  pe.const @c = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
}

// -----
pe.kernel @k {
  pe.const @a = 1
  // expected-error @+1 {{expression refers to @later, which is not an earlier pe.const of the kernel}}
  pe.const @b = @a + @later
  pe.const @later = 2
}

// -----
pe.kernel @k {
  // expected-error @+1 {{must have 1 to 2^24 entries}}
  pe.table @t = []
}

// -----
// expected-error @+1 {{holds only pe.const, pe.table, pe.buffer and pe.task ops, found 'pe.channel'}}
pe.kernel @k {
  pe.channel @c
}

// -----
pe.kernel @k {
  // expected-error @+1 {{an 'on' task needs a color}}
  pe.task @t on {
  }
}

// -----
pe.kernel @k {
  // expected-error @+1 {{only 'on' tasks have a color}}
  pe.task @t entry color 3 {
  }
}

// -----
pe.kernel @k {
  // expected-error @+1 {{color 300 is out of range (0-255)}}
  pe.task @t on color 300 {
  }
}

// -----
pe.kernel @k {
  pe.buffer @b [4]
  // expected-error @+1 {{color @b is neither a pe.const of the kernel nor a pe.channel}}
  pe.task @t on color @b {
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{expected ','}}
    pe.add #pe.amem<0, 4, 1>, #pe.amem<0, 4, 1>
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{expected operation name in quotes}}
    pe.ret 1
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{attribute 'acc' failed to satisfy constraint: a memory destination (#pe.mem or #pe.amem)}}
    pe.fmac #pe.out<1, 4>, #pe.amem<0, 4, 1>, #pe.amem<0, 4, 1>
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{attribute 'src' failed to satisfy constraint: a vector source (#pe.mem, #pe.amem or #pe.in)}}
    pe.copy #pe.amem<0, 4, 1>, #pe.out<1, 4>
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{attribute 'dst' failed to satisfy constraint: a vector destination (#pe.mem, #pe.amem or #pe.out)}}
    pe.copy #pe.in<1, 4>, #pe.amem<0, 4, 1>
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{invalid kind of attribute specified}}
    pe.fill #pe.amem<0, 4, 1>, "x"
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{expected a register #pe.reg<N>, got 1 : i64}}
    pe.mov 1, 2
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{attribute 'value' failed to satisfy constraint: a value (i64 integer, #pe.reg, @const or #pe.addr)}}
    pe.mov #pe.reg<1>, "x"
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{operand 1: 2.000000e+00 : f64 is not a value}}
    pe.copy #pe.amem<2.0, 4, 1>, #pe.amem<0, 4, 1>
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{operand 2: length 0 must be positive}}
    pe.copy #pe.amem<0, 4, 1>, #pe.in<1, 0>
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{operand 1: color 256 is out of range (0-255)}}
    pe.copy #pe.out<256, 4>, #pe.amem<0, 4, 1>
  }
}

// -----
// Registers are virtual; the bound only keeps numbers sane.
// expected-error @+1 {{register 16777216 is past the 2^24 virtual registers a task may use}}
pe.kernel @k { pe.task @t entry { pe.mov #pe.reg<16777216>, 0] } }

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{operand 1: buffer @nope is not a pe.buffer of this kernel}}
    pe.copy #pe.mem<@nope, 0, 4, 1>, #pe.amem<0, 4, 1>
  }
}

// -----
pe.kernel @k {
  pe.const @c = 1
  pe.task @t entry {
    // expected-error @+1 {{operand 2: buffer @c is not a pe.buffer of this kernel}}
    pe.mov #pe.reg<0>, #pe.addr<@c>
  }
}

// -----
pe.kernel @k {
  pe.buffer @b [4]
  pe.task @t entry {
    // expected-error @+1 {{operand 2: @b is not a pe.const of the kernel}}
    pe.mov #pe.reg<0>, @b
  }
}

// -----
pe.channel @ch
pe.kernel @k {
  pe.task @t entry {
    // A channel is a color, not a value.
    // expected-error @+1 {{operand 2: @ch is not a pe.const of the kernel}}
    pe.mov #pe.reg<0>, @ch
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{operand 1: @nocolor is neither a pe.const of the kernel nor a pe.channel}}
    pe.copy #pe.out<@nocolor, 4>, #pe.amem<0, 4, 1>
  }
}

// -----
// Branches are not ops: structured control flow becomes them at emission.
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{custom op 'pe.br' is unknown}}
    pe.br @here
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    pe.loop #pe.reg<0> to 4 iter(#pe.reg<1> = 0 step 2) {
      // expected-error @+1 {{writes #pe.reg<1>, which its enclosing pe.loop steps}}
      pe.iadd #pe.reg<1>, #pe.reg<1>, 1
    }
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    pe.loop #pe.reg<0> to 4 {
      // A nested loop may not reuse the counter of the loop around it.
      // expected-error @+1 {{writes #pe.reg<0>, which its enclosing pe.loop steps}}
      pe.mov #pe.reg<0>, 0
    }
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{loop register #pe.reg<0> is listed twice}}
    pe.loop #pe.reg<0> to 4 iter(#pe.reg<0> = 0 step 2) {
    }
  }
}

// -----
pe.kernel @k {
  pe.const @n = x
  pe.task @t entry {
    // expected-error @+1 {{over layers needs a positive integer count, got @n}}
    pe.loop #pe.reg<0> to @n layers {
    }
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{operand 1: @nope is not a pe.const of the kernel}}
    pe.loop #pe.reg<0> to @nope {
    }
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{expected a comparison (eq, ne, lt, ge or in), got 'le'}}
    pe.if #pe.reg<0> le 4 {
    }
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{operand 3: @hi is not a pe.const of the kernel}}
    pe.if #pe.reg<0> in [0, @hi) {
    }
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{'in' needs an upper bound}}
    "pe.if"() <{predicate = 4 : i32, lhs = 0 : i64, rhs = 1 : i64}> ({
    ^bb0:
    }, {
    }) : () -> ()
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{@nowhere is not a pe.subroutine of this task}}
    pe.call @nowhere(1)
    pe.ret
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{passes 1 values to @s, which takes 2}}
    pe.call @s(1)
    pe.ret
    pe.subroutine @s(#pe.reg<0>, #pe.reg<1>) {
    }
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    pe.call @s(1)
    pe.ret
    pe.subroutine @s(#pe.reg<0>) {
      // expected-error @+1 {{inside a subroutine: the return id register holds one call site at a time, so subroutines do not call}}
      pe.call @s(2)
    }
  }
}

// -----
pe.kernel @k {
  // expected-error @+1 {{has subroutines, so its code must end with pe.ret (it would run on into them)}}
  pe.task @t entry {
    pe.call @s(1)
    pe.subroutine @s(#pe.reg<0>) {
    }
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    pe.ret
    pe.subroutine @s(#pe.reg<0>) {
    }
    // expected-error @+1 {{follows a pe.subroutine: a task's code comes before its subroutines}}
    pe.mark 1
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    pe.ret
    // expected-error @+1 {{'pe.subroutine' op parameter #pe.reg<0> is listed twice}}
    pe.subroutine @s(#pe.reg<0>, #pe.reg<0>) {
    }
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{operand 1: task @missing is not a pe.task of this kernel}}
    pe.activate @missing
  }
}

// -----
pe.kernel @k {
  pe.task @t entry {
    // expected-error @+1 {{'pe.place' op is not code (an instruction, pe.loop, pe.if or pe.call)}}
    pe.place @k <x = 0, y = 0, width = 1, height = 1>
  }
}

// -----
// expected-error @+1 {{kernel @nowhere does not exist}}
pe.place @nowhere <x = 0, y = 0, width = 1, height = 1>

// -----
pe.kernel @k {
}
// expected-error @+1 {{expected ','}}
pe.place @k <x = 0, y = 0, width = 1>

// -----
pe.kernel @k {
}
// expected-error @+1 {{rectangle size 0x1 is empty}}
pe.place @k <x = 0, y = 0, width = 0, height = 1>

// -----
pe.kernel @k {
}
// expected-error @+1 {{rect #mesh.rect<x = 65530, y = 0, width = 10, height = 1> reaches past the program format's 65536 columns or rows}}
pe.place @k <x = 65530, y = 0, width = 10, height = 1>

// -----
// expected-error @+1 {{invalid input attribute specification: "X"}}
pe.route <x = 0, y = 0, width = 1, height = 1> color 1 from "X" to [E]

// -----
// expected-error @+1 {{needs at least one output direction}}
pe.route <x = 0, y = 0, width = 1, height = 1> color 1 from W to []

// -----
// expected-error @+1 {{'Q' is not a direction (N, E, S, W, R)}}
pe.route <x = 0, y = 0, width = 1, height = 1> color 1 from W to [E, Q]

// -----
// expected-error @+1 {{direction E listed twice}}
pe.route <x = 0, y = 0, width = 1, height = 1> color 1 from W to [E, R, E]

// -----
// expected-error @+1 {{color -1 is out of range (0-255)}}
pe.route <x = 0, y = 0, width = 1, height = 1> color -1 from W to [E]

// -----
pe.kernel @k {
}
// expected-error @+1 {{color @k is not a pe.channel}}
pe.route <x = 0, y = 0, width = 1, height = 1> color @k from W to [E]

// -----
pe.channel @c
// expected-error @+1 {{a multicast flow needs 'port'}}
pe.flow @c multicast <x = 0, y = 0, width = 2, height = 2>

// -----
pe.channel @c
// expected-error @+1 {{a egress flow takes no 'dir'}}
pe.flow @c egress <x = 0, y = 0, width = 1, height = 1> dir W port W0

// -----
pe.channel @c
// expected-error @+1 {{a chain flow needs 'phase'}}
pe.flow @c chain <x = 0, y = 0, width = 4, height = 1> dir E

// -----
pe.channel @c
// expected-error @+1 {{phase must be 0 or 1, got 2}}
pe.flow @c chain <x = 0, y = 0, width = 4, height = 1> dir E phase 2

// -----
pe.channel @c
// expected-error @+1 {{a broadcast flow needs 'dir'}}
pe.flow @c broadcast <x = 0, y = 0, width = 4, height = 1>

// -----
pe.channel @c
// expected-error @+1 {{dir must be one of N, E, S, W, got R}}
pe.flow @c broadcast <x = 0, y = 0, width = 4, height = 1> dir R

// -----
pe.channel @c
// expected-error @+1 {{'N0' is not a port name like W0 or E3}}
pe.flow @c multicast <x = 0, y = 0, width = 4, height = 1> port N0

// -----
pe.channel @c
// expected-error @+1 {{an egress flow starts at a single PE, got a 2x1 rect}}
pe.flow @c egress <x = 0, y = 0, width = 2, height = 1> port W0

// -----
// expected-error @+1 {{channel @c is not a pe.channel}}
pe.flow @c broadcast <x = 0, y = 0, width = 4, height = 1> dir E

// -----
pe.output @y : tensor<4xf32>
// expected-error @+1 {{tensor @y is not a pe.param or pe.input}}
pe.stream_in @y port W0 color 1

// -----
pe.input @x : tensor<4xf32>
// expected-error @+1 {{tensor @x is not a pe.output}}
pe.stream_out @x port W0 color 1

// -----
pe.input @x : tensor<4xf32>
// expected-error @+1 {{'W' is not a port name like W0 or E3}}
pe.stream_in @x port W color 1

// -----
pe.input @x : tensor<4xf32>
// expected-error @+1 {{a slice needs 'shape' and 'strides'}}
pe.stream_in @x port W0 color 1 offset 2

// -----
pe.input @x : tensor<4x4xf32>
// expected-error @+1 {{slice reaches element 16 of @x, which has 16 elements}}
pe.stream_in @x port W0 color 1 offset 1 shape [4, 4] strides [4, 1]

// -----
pe.output @y : tensor<4xf32>
// expected-error @+1 {{color @y is not a pe.channel}}
pe.stream_out @y port E0 color @y

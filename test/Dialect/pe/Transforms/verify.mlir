// pe-verify translates to the emulator's program (nothing is written) and
// runs its verifier; errors are reported at the module.
// RUN: wse-opt %s --split-input-file --pe-verify -verify-diagnostics

module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.input @x : tensor<4xf32>
  pe.param @s : tensor<1xf32> = dense<2.0> : tensor<1xf32>
  pe.kernel @k {
    pe.buffer @b [4] at 0
    pe.task @t on color 0 {
      pe.copy #pe.mem<@b, 0, 4, 1>, #pe.in<0, 4>
    }
  }
  pe.place @k <x = 0, y = 0, width = 1, height = 1>
  pe.route <x = 0, y = 0, width = 1, height = 1> color 0 from W to [R]
  pe.stream_in @s port W0 color 0
  pe.stream_in @x port W0 color 0
}

// -----
// expected-error @+1 {{pe-verify: channel @c has no color number (run pe-assign-colors)}}
module {
  pe.channel @c
}

// -----
// expected-error @+1 {{pe-verify: pe.flow of channel @c is not expanded into routes (run pe-route)}}
module {
  pe.channel @c
  pe.flow @c broadcast <x = 0, y = 0, width = 2, height = 1> dir E
}

// -----
// expected-error @+1 {{pe-verify: buffer @b of kernel @k has no address (run pe-allocate-sram)}}
module {
  pe.kernel @k {
    pe.buffer @b [4]
  }
}

// -----
// Buffers may share words (SRAM reuse), also when addressed with register
// offsets or initialized: no diagnostic.
module {
  pe.kernel @k {
    pe.buffer @a [4] at 0
    pe.buffer @b [4] at 2 init 1.0
    pe.task @t entry {
      pe.copy #pe.mem<@b, #pe.reg<1>, 1, 1>, #pe.mem<@a, 0, 1, 1>
    }
  }
}

// -----
// expected-error @+1 {{pe-verify: the emulator's verifier rejects the program: input 'big' brings host inputs and outputs to more than 2^31 elements}}
module {
  pe.input @big : tensor<65536x65536xf32>
}

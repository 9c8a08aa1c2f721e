// Emission needs a fully resolved module and a file for binary output.
// RUN: wse-translate --emit-program-text %s -split-input-file -verify-diagnostics
// RUN: not wse-translate --emit-program %s -split-input-file 2>&1 | FileCheck %s --check-prefix=STDOUT

// STDOUT: error: --emit-program writes a binary file: pass -o FILE

// expected-error @+1 {{channel @c has no color number (run pe-assign-colors)}}
module {
  pe.channel @c
  pe.kernel @k {
    pe.task @t on color @c {
    }
  }
}

// -----
// expected-error @+1 {{pe.flow of channel @c is not expanded into routes (run pe-route)}}
module {
  pe.channel @c
  pe.flow @c broadcast <x = 0, y = 0, width = 2, height = 1> dir E
}

// -----
// expected-error @+1 {{buffer @b of kernel @k has no address (run pe-allocate-sram)}}
module {
  pe.kernel @k {
    pe.buffer @b [2]
  }
}

// -----
// Params with values need -o for their constants file.
// expected-error @+1 {{the module has params with values, which are written to <output>.consts.bin: pass -o FILE}}
module {
  pe.param @p : tensor<2xi32> = dense<[1, 2]> : tensor<2xi32>
}

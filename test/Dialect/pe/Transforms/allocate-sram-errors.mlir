// RUN: wse-opt %s --split-input-file --pe-allocate-sram -verify-diagnostics

// 4x4 has 48 KiB of SRAM = 12288 words; two instructions take 16 bytes
// (4 words) at the top.
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.kernel @k {
    // Both are live at instruction 1: no order fits them. The error names a
    // buffer of the first order tried (longest-lived first) and the words live
    // at the busiest instruction.
    pe.buffer @small [100]
    // expected-error @+1 {{buffer @big (12200 words) of kernel @k on PE (1,2) does not fit next to 100 words of buffers live during its lifetime (at the busiest instruction, 1, 12300 words are live): 12284 words of the 49152-byte SRAM are free below the code (2 instructions x 8 bytes)}}
    pe.buffer @big [12200]
    pe.task @t entry {
      pe.fill #pe.mem<@small, 0, 4, 1>, 0.0
      pe.copy #pe.mem<@big, 0, 4, 1>, #pe.mem<@small, 0, 4, 1>
    }
  }
  pe.place @k <x = 1, y = 2, width = 2, height = 2>
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.kernel @k {
    // expected-error @+1 {{buffer @fixed (10 words) of kernel @k at address 12280 does not fit: 12288 words of the 49152-byte SRAM are free below the code (0 instructions x 8 bytes)}}
    pe.buffer @fixed [10] at 12280
  }
}

// -----
// expected-error @+1 {{pe-allocate-sram needs the module attribute 'mesh.target'}}
module {
}

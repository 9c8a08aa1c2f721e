// RUN: wse-opt %s --split-input-file --pe-assign-colors -verify-diagnostics

// expected-error @+1 {{pe-assign-colors: the channels need 4 colors but target '4x4' has 3 (colors 0-2) (numeric colors in use: 0); channel @c gets no color: it shares PEs or a kernel with @a @b}}
module attributes {mesh.target = #mesh.target<"4x4", colors = 3>} {
  pe.channel @a
  pe.channel @b
  pe.channel @c
  pe.route <x = 0, y = 0, width = 1, height = 1> color 0 from W to [E]
  pe.route <x = 0, y = 0, width = 4, height = 1> color @a from W to [E]
  pe.route <x = 0, y = 0, width = 4, height = 1> color @b from W to [E]
  pe.route <x = 0, y = 0, width = 4, height = 1> color @c from W to [E]
}

// -----
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @a
  // expected-error @+1 {{is not expanded into routes: run pe-route before pe-assign-colors}}
  pe.flow @a broadcast <x = 0, y = 0, width = 4, height = 1> dir E
}

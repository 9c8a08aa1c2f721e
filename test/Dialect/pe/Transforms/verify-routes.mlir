// pe-verify-routes checks the fabric against the machine.
// RUN: wse-opt %s --split-input-file --pe-verify-routes -verify-diagnostics

// A consistent program: multicast from W0 over row 0, egress back into W0.
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.input @x : tensor<4xf32>
  pe.output @y : tensor<4xf32>
  pe.kernel @k {
  }
  pe.place @k <x = 0, y = 0, width = 4, height = 1>
  pe.route <x = 0, y = 0, width = 3, height = 1> color 0 from W to [E, R]
  pe.route <x = 3, y = 0, width = 1, height = 1> color 0 from W to [R]
  pe.route <x = 0, y = 0, width = 1, height = 1> color 1 from R to [W]
  pe.stream_in @x port W0 color 0
  pe.stream_out @y port W0 color 1
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.kernel @k {
  }
  pe.place @k <x = 0, y = 0, width = 4, height = 1>
  // Port E0 takes color 0; there are no ports on the north edge.
  pe.route <x = 3, y = 0, width = 1, height = 1> color 0 from R to [E]
  // expected-error @+1 {{PE (3,0) color 1: output N leaves the mesh where there is no port}}
  pe.route <x = 3, y = 0, width = 1, height = 1> color 1 from R to [N]
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.kernel @k {
  }
  pe.place @k <x = 0, y = 0, width = 2, height = 1>
  // expected-error @+1 {{PE (0,0) color 2: output E reaches PE (1,0), which has no route for color 2 from W}}
  pe.route <x = 0, y = 0, width = 1, height = 1> color 2 from R to [E]
  // expected-note @+1 {{its route takes color 2 from N}}
  pe.route <x = 1, y = 0, width = 1, height = 1> color 2 from N to [R]
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  // expected-error @+1 {{PE (0,1) color 2: output R delivers to a core that runs no kernel}}
  pe.route <x = 0, y = 1, width = 1, height = 1> color 2 from W to [R]
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.kernel @k {
  }
  pe.place @k <x = 0, y = 0, width = 2, height = 2>
  // expected-note @+1 {{the first route (from W)}}
  pe.route <x = 0, y = 0, width = 2, height = 1> color 4 from W to [R]
  // expected-error @+1 {{PE (1,0) color 4: a second route (from R); the router holds one configuration per color}}
  pe.route <x = 1, y = 0, width = 1, height = 2> color 4 from R to [R]
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  // expected-error @+1 {{rect #mesh.rect<x = 2, y = 0, width = 3, height = 1> leaves the 4x4 mesh of machine '4x4'}}
  pe.route <x = 2, y = 0, width = 3, height = 1> color 1 from W to [E]
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  // expected-error @+1 {{color 24 is not below the 24 colors of machine '4x4'}}
  pe.route <x = 0, y = 0, width = 1, height = 1> color 24 from W to [E]
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.channel @c
  // expected-error @+1 {{color @c is not a number: run pe-assign-colors}}
  pe.route <x = 0, y = 0, width = 1, height = 1> color @c from W to [E]
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.kernel @k {
  }
  // expected-error @+1 {{rect #mesh.rect<x = 3, y = 3, width = 2, height = 1> leaves the 4x4 mesh of machine '4x4'}}
  pe.place @k <x = 3, y = 3, width = 2, height = 1>
}

// -----
module attributes {mesh.target = #mesh.target<"4x4">} {
  pe.input @x : tensor<4xf32>
  pe.output @y : tensor<4xf32>
  // expected-error @+1 {{port W7 does not exist on machine '4x4'}}
  pe.stream_in @x port W7 color 0
  // expected-error @+1 {{PE (3,1) color 3: no route takes the stream from port E1 (E)}}
  pe.stream_in @x port E1 color 3
}

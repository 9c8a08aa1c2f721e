// pe-route rejects flows that do not fit the machine.
// RUN: wse-opt %s --split-input-file --pe-route -verify-diagnostics

// expected-error @+1 {{pe-route needs the module attribute 'mesh.target'}}
module {
  pe.channel @a
  pe.flow @a multicast <x = 0, y = 0, width = 2, height = 2> port W0
}

// -----
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @a
  // expected-error @+1 {{port W3 is on row 3, which does not cross the rect (rows 0 to 1)}}
  pe.flow @a multicast <x = 0, y = 0, width = 2, height = 2> port W3
}

// -----
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @a
  // expected-error @+1 {{port 'W9' does not exist on machine '8x8'}}
  pe.flow @a multicast <x = 0, y = 0, width = 2, height = 2> port W9
}

// -----
module attributes {mesh.target = #mesh.target<"8x8">} {
  pe.channel @a
  // expected-error @+1 {{egress to port E2 must start at PE (7,2) next to the port, got (6,2)}}
  pe.flow @a egress <x = 6, y = 2, width = 1, height = 1> port E2
}

// pe-route rejects flows that do not fit the machine.
// RUN: wse-opt %s --split-input-file --pe-route -verify-diagnostics

// expected-error @+1 {{pe-route needs the module attribute 'wafer.target'}}
module {
  pe.channel @a
  pe.flow @a multicast [0, 0, 2, 2] port "W0"
}

// -----
module attributes {wafer.target = #wafer.target<"8x8">} {
  pe.channel @a
  // expected-error @+1 {{port W3 is on row 3, which does not cross the rect (rows 0 to 1)}}
  pe.flow @a multicast [0, 0, 2, 2] port "W3"
}

// -----
module attributes {wafer.target = #wafer.target<"8x8">} {
  pe.channel @a
  // expected-error @+1 {{port 'W9' does not exist on machine '8x8'}}
  pe.flow @a multicast [0, 0, 2, 2] port "W9"
}

// -----
module attributes {wafer.target = #wafer.target<"8x8">} {
  pe.channel @a
  // expected-error @+1 {{egress to port E2 must start at PE (7,2) next to the port, got (6,2)}}
  pe.flow @a egress [6, 2, 1, 1] port "E2"
}

// Distributed kernels (docs/pe/lowering.md, "Where a tensor lives"): moves
// between distributions that gather only what a PE reads (its own block, a
// column or row slab, a transposed gather), matmul by partial sums reduced
// down the columns, softmax and layer/RMS norm with row statistics
// all-reduced across PEs, a linear whose input rows are gathered in chunks
// of K, a large weight and a large mask kept as blocks on arrival, and
// outputs too large to gather streamed out block by block; compiled, run on
// the emulator and checked against wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; g = np.random.default_rng(3); g.standard_normal(64 * 128).astype('f4').tofile('%t/big.bin'); (g.random(64 * 64) < 0.7).astype('f4').tofile('%t/mask.bin'); g.standard_normal(512 * 8).astype('f4').tofile('%t/wl.bin')"
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: FileCheck %s --check-prefix=NOWHOLE < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t --weights %t | FileCheck %s --check-prefix=RUNOUT

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
#d3 = #wafer.dist<[*, x, y]>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  wafer.parameter @big : tensor<1x64x128xf32> file "big.bin" offset 0 length 32768
  wafer.parameter @mask : tensor<64x64xf32> file "mask.bin" offset 0 length 16384
  wafer.parameter @wl : tensor<512x8xf32> file "wl.bin" offset 0 length 16384
  func.func @main(%x0: tensor<1x8x8xf32, #d3> {onnx.name = "x"},
                  %w0: tensor<1x8x16xf32, #d3> {onnx.name = "w"},
                  %y: tensor<1x64x128xf32, #d3> {onnx.name = "y"},
                  %z: tensor<1x62x126xf32, #d3> {onnx.name = "z"},
                  %u0: tensor<1x16x512xf32, #d3> {onnx.name = "u"})
      -> (tensor<1x8x8xf32, #wafer.dist<[*, y, x]>>, tensor<1x8x8xf32, #wafer.dist<[*, *, y]>>,
          tensor<1x8x8xf32, #wafer.dist<[*, y, x]>>, tensor<1x8x16xf32, #d3>,
          tensor<1x8x8xf32, #d3>, tensor<1x8x8xf32, #d3>, tensor<1x8x8xf32, #d3>,
          tensor<1x64x128xf32, #d3>, tensor<48x48xf32, #wafer.dist<[x, y]>>,
          tensor<1x62x126xf32, #d3>, tensor<1x8x8xf32, #d3>, tensor<1x8x8xf32, #d3>,
          tensor<1x16x8xf32, #d3>) {
    // Host inputs arrive whole on every PE: computed blocks first.
    %x = wafer.elementwise ins(%x0 : tensor<1x8x8xf32, #d3>) -> tensor<1x8x8xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32):
      %s = arith.addf %a, %a : f32
      wafer.yield %s : f32
    }
    %w = wafer.elementwise ins(%w0 : tensor<1x8x16xf32, #d3>) -> tensor<1x8x16xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32):
      %s = arith.addf %a, %a : f32
      wafer.yield %s : f32
    }
    // x over columns becoming x over rows: a column gather, then each row
    // sums only its own range (rowcut).
    %xt = wafer.relayout %x {placement = #r} : tensor<1x8x8xf32, #d3> -> tensor<1x8x8xf32, #wafer.dist<[*, y, x]>>
    // Rows line up: a gather along the rows only (rowfull).
    %xr = wafer.relayout %x {placement = #r} : tensor<1x8x8xf32, #d3> -> tensor<1x8x8xf32, #wafer.dist<[*, *, y]>>
    // A transpose whose result permutes the distribution: local copies.
    %tr = wafer.transpose %x, [0, 2, 1] {placement = #r} : (tensor<1x8x8xf32, #d3>) -> tensor<1x8x8xf32, #wafer.dist<[*, y, x]>>
    // rhs with K over rows: partial sums reduced down the columns.
    %wk = wafer.relayout %w {placement = #r} : tensor<1x8x16xf32, #d3> -> tensor<1x8x16xf32, #wafer.dist<[*, y, *]>>
    %ps = wafer.matmul %x, %wk {placement = #r} : (tensor<1x8x8xf32, #d3>, tensor<1x8x16xf32, #wafer.dist<[*, y, *]>>) -> tensor<1x8x16xf32, #d3>
    // rhs with N over rows, like the result: output stationary.
    %os = wafer.matmul %x, %xr {placement = #r} : (tensor<1x8x8xf32, #d3>, tensor<1x8x8xf32, #wafer.dist<[*, *, y]>>) -> tensor<1x8x8xf32, #d3>
    // Softmax along rows (statistics down the columns), along columns
    // (along the rows), and log softmax.
    %sm = wafer.softmax %os {axis = -1 : i64, placement = #r} : tensor<1x8x8xf32, #d3>
    %sc = wafer.softmax %x {axis = 1 : i64, placement = #r} : tensor<1x8x8xf32, #d3>
    %ls = wafer.softmax %os {axis = 2 : i64, log, placement = #r} : tensor<1x8x8xf32, #d3>
    // A weight larger than an eighth of SRAM read by an elementwise op: kept
    // as blocks on arrival; the sum, larger than half of SRAM, leaves block
    // by block.
    %b = wafer.stream @big {region = #r} : tensor<1x64x128xf32, #d3>
    %sum = wafer.elementwise ins(%y, %b : tensor<1x64x128xf32, #d3>, tensor<1x64x128xf32, #d3>) -> tensor<1x64x128xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32, %c: f32):
      %s = arith.addf %a, %c : f32
      wafer.yield %s : f32
    }
    // A mask read only through a slice: the slice streams into blocks.
    %m = wafer.stream @mask {region = #r} : tensor<64x64xf32, #wafer.dist<[x, y]>>
    %ms = wafer.slice %m {offsets = array<i64: 16, 8>, strides = array<i64: 1, 1>, placement = #r} : (tensor<64x64xf32, #wafer.dist<[x, y]>>) -> tensor<48x48xf32, #wafer.dist<[x, y]>>
    // Blocks that do not divide the output: the last column of PEs holds 14
    // tokens, the last row 30 features.
    %zz = wafer.elementwise ins(%z : tensor<1x62x126xf32, #d3>) -> tensor<1x62x126xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32):
      %s = arith.mulf %a, %a : f32
      wafer.yield %s : f32
    }
    // Norms over a dimension spread over rows: row sums all-reduced down
    // the columns; scale and bias read from their own blocks.
    %g = wafer.constant dense<[1.0, 2.0, 0.5, 1.5, 1.0, 0.25, 1.0, 3.0]> : tensor<8xf32> {placement = #r} -> tensor<8xf32, #wafer.dist<[y]>>
    %beta = wafer.constant dense<[0.5, -1.0, 0.0, 2.0, 0.25, 1.0, -0.5, 0.0]> : tensor<8xf32> {placement = #r} -> tensor<8xf32, #wafer.dist<[y]>>
    %ln = wafer.layer_norm %x, %g, %beta {axis = -1 : i64, epsilon = 1.0e-5 : f32, placement = #r} : (tensor<1x8x8xf32, #d3>, tensor<8xf32, #wafer.dist<[y]>>, tensor<8xf32, #wafer.dist<[y]>>) -> tensor<1x8x8xf32, #d3>
    %rms = wafer.rms_norm %x, %g {axis = -1 : i64, epsilon = 1.0e-6 : f32, placement = #r} : (tensor<1x8x8xf32, #d3>, tensor<8xf32, #wafer.dist<[y]>>) -> tensor<1x8x8xf32, #d3>
    // A linear whose input rows (4 tokens x 512 per column) exceed the slab
    // budget: the input is gathered in chunks of K as weight rows arrive.
    %u = wafer.elementwise ins(%u0 : tensor<1x16x512xf32, #d3>) -> tensor<1x16x512xf32, #d3> attributes {placement = #r} {
    ^bb0(%a: f32):
      %s = arith.addf %a, %a : f32
      wafer.yield %s : f32
    }
    %wl = wafer.stream @wl {region = #r} : tensor<512x8xf32, #wafer.dist<[y, *]>>
    %lin = wafer.linear %u, %wl {placement = #r} : (tensor<1x16x512xf32, #d3>, tensor<512x8xf32, #wafer.dist<[y, *]>>) -> tensor<1x16x8xf32, #d3>
    return %xt, %xr, %tr, %ps, %sm, %sc, %ls, %sum, %ms, %zz, %ln, %rms, %lin : tensor<1x8x8xf32, #wafer.dist<[*, y, x]>>, tensor<1x8x8xf32, #wafer.dist<[*, *, y]>>, tensor<1x8x8xf32, #wafer.dist<[*, y, x]>>, tensor<1x8x16xf32, #d3>, tensor<1x8x8xf32, #d3>, tensor<1x8x8xf32, #d3>, tensor<1x8x8xf32, #d3>, tensor<1x64x128xf32, #d3>, tensor<48x48xf32, #wafer.dist<[x, y]>>, tensor<1x62x126xf32, #d3>, tensor<1x8x8xf32, #d3>, tensor<1x8x8xf32, #d3>, tensor<1x16x8xf32, #d3>
  }
}

// CHECK-DAG: pe.buffer @rowcut
// CHECK-DAG: pe.buffer @rowfull
// CHECK-DAG: pe.buffer @partial
// CHECK-DAG: pe.buffer @rowmax
// CHECK-DAG: pe.buffer @rowsum
// CHECK-DAG: pe.buffer @rowmean
// CHECK-DAG: pe.buffer @rowvar
// CHECK-DAG: pe.buffer @colchunk
// CHECK-DAG: pe.buffer @blk_w
// CHECK-DAG: pe.buffer @blk_y
// CHECK-DAG: pe.buffer @blk_z
// CHECK-DAG: pe.buffer @blk_slice
// CHECK-DAG: pe.buffer @outblock
// The output blocks of each column of PEs, as [row, token, feature].
// CHECK-DAG: pe.stream_out @output7 port W0 color @outbound offset 0 shape [4, 16, 32] strides [32, 128, 1]
// CHECK-DAG: pe.stream_out @output7 port W0 color @outbound offset 6144 shape [4, 16, 32] strides [32, 128, 1]
// CHECK-DAG: pe.stream_out @output9 port W0 color @outbound offset 0 shape [3, 16, 32] strides [32, 126, 1]
// CHECK-DAG: pe.stream_out @output9 port W0 color @outbound offset 96 shape [1, 16, 30] strides [32, 126, 1]
// CHECK-DAG: pe.stream_out @output9 port W0 color @outbound offset 6048 shape [3, 14, 32] strides [32, 126, 1]
// CHECK-DAG: pe.stream_out @output9 port W0 color @outbound offset 6144 shape [1, 14, 30] strides [32, 126, 1]
// CHECK-DAG: pe.subroutine @allreduce_columns_max
// CHECK-DAG: pe.subroutine @allreduce_rows_max

// No PE holds a whole large tensor: the weight and the inputs (8,192 and
// 7,812 words), the mask (4,096) or its slice (2,304 is gathered for the
// output only: it is below half of SRAM).
// NOWHOLE-NOT: pe.buffer @{{[a-z_0-9]+}}[{{8192|7812|4096}}]

// RUNOUT: max |diff| {{.*}} over 13 outputs: ok

// A training step's own ops (docs/pe/lowering.md "Training steps"): a
// layer input kept by wafer.checkpoint, the next-token loss with the
// logits' gradient, and a weight gradient streamed out, on a 4x4 rectangle
// with ragged blocks (5 tokens over 4 columns, 12 vocabulary entries over 4
// rows). The emulator's loss and gradient are checked against wse-ref.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.random.default_rng(5).standard_normal(96).astype('f4').tofile('%t/w.bin')"
// RUN: wse-opt %s --convert-wafer-to-pe -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: wse-opt %t/lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/pe.mlir -o %t/p.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t --weights %t --int-range 0 12 --ref-name grad_w=grad.w | FileCheck %s --check-prefix=RUNOUT
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %s %t/p.wse %t --weights %t --int-range 0 12 --ref-name grad_w=grad.w --seed 3 | FileCheck %s --check-prefix=RUNOUT
// Logits not split like their gradient (vocabulary whole on every PE): each
// PE reads its rows whole.
// RUN: sed -e '/wafer.linear/s/-> tensor<1x5x12xf32, #wafer.dist<\[\*, x, y\]>>/-> tensor<1x5x12xf32, #wafer.dist<[*, x, *]>>/' -e '/wafer.loss/s/(tensor<1x5x12xf32, #wafer.dist<\[\*, x, y\]>>, tensor<1x5xi64/(tensor<1x5x12xf32, #wafer.dist<[*, x, *]>>, tensor<1x5xi64/' %s > %t/rows.mlir
// RUN: wse-opt %t/rows.mlir --convert-wafer-to-pe -o %t/rows-lowered.mlir
// RUN: FileCheck %s --check-prefix=ROWS < %t/rows-lowered.mlir
// RUN: wse-opt %t/rows-lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/rows-pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/rows-pe.mlir -o %t/rows.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %t/rows.mlir %t/rows.wse %t --weights %t --int-range 0 12 --ref-name grad_w=grad.w | FileCheck %s --check-prefix=RUNOUT
// A vocabulary of 200: the gradient (1600 words) is over a slab's budget
// and leaves one column of blocks at a time (400 words each).
// RUN: sed -e 's/12xf32/200xf32/g; s/length 384/length 6400/; s/8x12/8x200/g' %s > %t/wide.mlir
// RUN: %python -c "import numpy as np; np.random.default_rng(5).standard_normal(1600).astype('f4').tofile('%t/w.bin')"
// RUN: wse-opt %t/wide.mlir --convert-wafer-to-pe -o %t/wide-lowered.mlir
// RUN: FileCheck %s --check-prefix=WIDE < %t/wide-lowered.mlir
// RUN: wse-opt %t/wide-lowered.mlir --pe-route --pe-assign-colors --pe-allocate-sram --pe-verify-routes --pe-verify -o %t/wide-pe.mlir
// RUN: wse-translate --emit-program --weights-dir %t %t/wide-pe.mlir -o %t/wide.wse
// RUN: %python %S/Inputs/run_kernels.py %wse_obj_root/bin %t/wide.mlir %t/wide.wse %t --weights %t --int-range 0 200 --ref-name grad_w=grad.w | FileCheck %s --check-prefix=RUNOUT

#r = #mesh.rect<x = 0, y = 0, width = 4, height = 4>
module attributes {mesh.target = #mesh.target<"4x4">, wafer.mode = "stream"} {
  wafer.parameter @w : tensor<8x12xf32> file "w.bin" offset 0 length 384
  func.func @main(%x: tensor<1x5x8xf32, #wafer.dist<[*, x, y]>> {onnx.name = "x"}, %labels: tensor<1x5xi64, #wafer.dist<[*, x]>> {onnx.name = "labels"}) -> (tensor<f32, #wafer.dist<[]>> {onnx.name = "loss"}) {
    %c = wafer.checkpoint %x {layer = 0 : i64, placement = #r} : tensor<1x5x8xf32, #wafer.dist<[*, x, y]>> -> tensor<1x5x8xf32, #wafer.dist<[*, x, y]>>
    %ws = wafer.stream @w {region = #r} : tensor<8x12xf32, #wafer.dist<[y, *]>>
    %logits = wafer.linear %c, %ws {placement = #r} : (tensor<1x5x8xf32, #wafer.dist<[*, x, y]>>, tensor<8x12xf32, #wafer.dist<[y, *]>>) -> tensor<1x5x12xf32, #wafer.dist<[*, x, y]>>
    %loss, %g = wafer.loss %logits, %labels {placement = #r} : (tensor<1x5x12xf32, #wafer.dist<[*, x, y]>>, tensor<1x5xi64, #wafer.dist<[*, x]>>) -> (tensor<f32, #wafer.dist<[]>>, tensor<1x5x12xf32, #wafer.dist<[*, x, y]>>)
    %x2 = wafer.reshape %c {placement = #r} : (tensor<1x5x8xf32, #wafer.dist<[*, x, y]>>) -> tensor<5x8xf32, #wafer.dist<[x, y]>>
    %xt = wafer.transpose %x2, [1, 0] {placement = #r} : (tensor<5x8xf32, #wafer.dist<[x, y]>>) -> tensor<8x5xf32, #wafer.dist<[x, y]>>
    %g2 = wafer.reshape %g {placement = #r} : (tensor<1x5x12xf32, #wafer.dist<[*, x, y]>>) -> tensor<5x12xf32, #wafer.dist<[x, y]>>
    %dw = wafer.matmul %xt, %g2 {placement = #r} : (tensor<8x5xf32, #wafer.dist<[x, y]>>, tensor<5x12xf32, #wafer.dist<[x, y]>>) -> tensor<8x12xf32, #wafer.dist<[x, y]>>
    wafer.stream_out %dw to @w {region = #r} : tensor<8x12xf32, #wafer.dist<[x, y]>>
    return %loss : tensor<f32, #wafer.dist<[]>>
  }
}

// The labels are declared to lie in the vocabulary (the emulator refuses
// others). The gradient leaves under its parameter's name, before the loss,
// declared the gradient of @w for a weight store.
// CHECK: pe.input @labels : tensor<1x5xi64> range [0, 12]
// CHECK: pe.param @loss_iota : tensor<12xf32> = dense<[0.000000e+00, 1.000000e+00,
// CHECK: pe.output @grad_w : tensor<8x12xf32> gradient @w
// CHECK: pe.output @loss : tensor<f32>
// Each position's target is the next label; the last position's scale is 0.
// CHECK: pe.fill #pe.mem<@loss_targets, 5, 1, 1>, -1.000000e+00
// CHECK-NEXT: pe.copy #pe.mem<@loss_targets, 0, 5, 1>, #pe.mem<@full_labels, 0, 5, 1>
// CHECK-NEXT: pe.fill #pe.mem<@loss_scale, 0, 5, 1>, 2.500000e-01
// CHECK-NEXT: pe.fill #pe.mem<@loss_scale, 4, 1, 1>, 0.000000e+00
// The logits stay in their blocks: per row, the segment's maximum and sum
// of exponentials, combined down the columns (the vocabulary's axis); then
// the PE's segment of (softmax - onehot) * scale in place, and its share of
// the loss (the log-sum on the row's first segment only).
// CHECK: pe.fill #pe.mem<@loss_max, 0, 2, 1>, -3.40282347E+38
// CHECK: pe.rmax #pe.mem<@loss_max, #pe.reg<{{[0-9]+}}>, 1, 1>, #pe.mem<@[[X:blk[_0-9]*]], #pe.reg<{{[0-9]+}}>, @{{c_[0-9]+}}, 1>
// CHECK: pe.call @allreduce_columns_max(#pe.addr<@loss_max>, 2)
// CHECK: pe.exp #pe.mem<@[[G:blk[_0-9]*]],
// CHECK: pe.rsum #pe.mem<@loss_sum, #pe.reg<{{[0-9]+}}>, 1, 1>, #pe.mem<@[[G]],
// CHECK: pe.call @allreduce_columns(#pe.addr<@loss_sum>, 2)
// CHECK: pe.sub #pe.mem<@loss_onehot, 0, @{{c_[0-9]+}}, 1>, #pe.mem<@full_loss_iota, @{{c_[0-9]+}}, @{{c_[0-9]+}}, 1>, #pe.mem<@loss_targets, #pe.reg<{{[0-9]+}}>, @{{c_[0-9]+}}, 0>
// CHECK-NEXT: pe.abs
// CHECK: pe.div #pe.mem<@[[G]], {{.*}}, #pe.mem<@loss_sum,
// CHECK-NEXT: pe.sub #pe.mem<@[[G]], {{.*}}, #pe.mem<@loss_onehot,
// CHECK-NEXT: pe.mul #pe.mem<@[[G]], {{.*}}, #pe.mem<@loss_scale,
// CHECK: pe.rsum #pe.mem<@loss_nll, 0, 1, 1>
// CHECK: pe.if @{{c_[0-9]+}} ne 0 {
// CHECK-NEXT: pe.log #pe.mem<@loss_shifted, 0, 1, 1>, #pe.mem<@loss_sum,
// CHECK: pe.add #pe.mem<@loss_partial, 0, 1, 1>
// CHECK: pe.call @allreduce(#pe.addr<@loss_partial>, 1)
// CHECK: pe.stream_out @grad_w
// CHECK: pe.stream_out @loss

// RUNOUT: max |diff| {{.*}} over 2 outputs: ok

// WIDE: pe.call @allreduce_columns(#pe.addr<@colfull{{[_0-9]*}}>, 400)
// WIDE: pe.loop #pe.reg<[[C:[0-9]+]]> to 4 {
// WIDE: pe.if #pe.reg<[[C]]> eq @{{c_[0-9]+}} {
// WIDE-NEXT: pe.copy #pe.mem<@outcolumn, 0, 400, 1>, #pe.mem<@colfull{{[_0-9]*}}, 0, 400, 1>
// WIDE: pe.call @allreduce_rows(#pe.addr<@outcolumn>, 400)
// WIDE: pe.copy #pe.out<@outbound, 400>, #pe.mem<@outcolumn, 0, 400, 1>
// WIDE: pe.stream_out @grad_w port W0 color @outbound offset 0 shape [400] strides [1]
// WIDE-NEXT: pe.stream_out @grad_w port W0 color @outbound offset 400 shape [400] strides [1]
// WIDE-NEXT: pe.stream_out @grad_w port W0 color @outbound offset 800 shape [400] strides [1]
// WIDE-NEXT: pe.stream_out @grad_w port W0 color @outbound offset 1200 shape [400] strides [1]

// ROWS: pe.rmax #pe.mem<@loss_stat, 0, 1, 1>
// ROWS: pe.exp #pe.mem<@loss_exp, 0, 12, 1>
// ROWS: pe.sub #pe.mem<@loss_onehot, 0, 12, 1>, #pe.mem<@full_loss_iota, 0, 12, 1>, #pe.mem<@loss_targets, #pe.reg<{{[0-9]+}}>, 12, 0>
// ROWS: pe.log #pe.mem<@loss_sum, 0, 1, 1>
// ROWS: pe.call @allreduce(#pe.addr<@loss_partial>, 1)

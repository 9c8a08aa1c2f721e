// Elementwise ops: unary float math, Gelu (none/tanh), SiLU, unary any-type
// ops, broadcasting binary ops, comparisons, logic, Where, integer semantics
// (truncating Div, wrapping Cast) and Cast.
//
// RUN: rm -rf %t && mkdir -p %t/u %t/b %t/l %t/i
// RUN: %python %S/Inputs/cases.py unary %t/u
// RUN: wse-ref %s --entry unary --input x=%t/u/x.npy --input p=%t/u/p.npy \
// RUN:   --output 0=%t/u/o0.npy --output 1=%t/u/o1.npy --output 2=%t/u/o2.npy \
// RUN:   --output 3=%t/u/o3.npy --output 4=%t/u/o4.npy --output 5=%t/u/o5.npy \
// RUN:   --output 6=%t/u/o6.npy --output 7=%t/u/o7.npy --output 8=%t/u/o8.npy \
// RUN:   --output 9=%t/u/o9.npy --output 10=%t/u/o10.npy \
// RUN:   --output 11=%t/u/o11.npy --output 12=%t/u/o12.npy \
// RUN:   --output 13=%t/u/o13.npy --output 14=%t/u/o14.npy \
// RUN:   --output 15=%t/u/o15.npy
// RUN: %python %S/Inputs/compare_npy.py --rtol 2e-6 --atol 1e-6 \
// RUN:   %t/u/ref0.npy %t/u/o0.npy %t/u/ref1.npy %t/u/o1.npy \
// RUN:   %t/u/ref2.npy %t/u/o2.npy %t/u/ref3.npy %t/u/o3.npy \
// RUN:   %t/u/ref4.npy %t/u/o4.npy %t/u/ref5.npy %t/u/o5.npy \
// RUN:   %t/u/ref6.npy %t/u/o6.npy %t/u/ref7.npy %t/u/o7.npy \
// RUN:   %t/u/ref8.npy %t/u/o8.npy %t/u/ref9.npy %t/u/o9.npy \
// RUN:   %t/u/ref10.npy %t/u/o10.npy %t/u/ref11.npy %t/u/o11.npy \
// RUN:   %t/u/ref12.npy %t/u/o12.npy %t/u/ref13.npy %t/u/o13.npy \
// RUN:   %t/u/ref14.npy %t/u/o14.npy %t/u/ref15.npy %t/u/o15.npy \
// RUN:   | FileCheck %s --check-prefix=ALL --implicit-check-not=MISMATCH
//
// RUN: %python %S/Inputs/cases.py binary %t/b
// RUN: wse-ref %s --entry binary --input a=%t/b/a.npy --input b=%t/b/b.npy \
// RUN:   --input pa=%t/b/pa.npy --input a2=%t/b/a2.npy --input b2=%t/b/b2.npy \
// RUN:   --output 0=%t/b/o0.npy --output 1=%t/b/o1.npy --output 2=%t/b/o2.npy \
// RUN:   --output 3=%t/b/o3.npy --output 4=%t/b/o4.npy --output 5=%t/b/o5.npy \
// RUN:   --output 6=%t/b/o6.npy --output 7=%t/b/o7.npy --output 8=%t/b/o8.npy \
// RUN:   --output 9=%t/b/o9.npy
// RUN: %python %S/Inputs/compare_npy.py --rtol 2e-6 \
// RUN:   %t/b/ref0.npy %t/b/o0.npy %t/b/ref1.npy %t/b/o1.npy \
// RUN:   %t/b/ref2.npy %t/b/o2.npy %t/b/ref3.npy %t/b/o3.npy \
// RUN:   %t/b/ref4.npy %t/b/o4.npy %t/b/ref5.npy %t/b/o5.npy \
// RUN:   %t/b/ref6.npy %t/b/o6.npy %t/b/ref7.npy %t/b/o7.npy \
// RUN:   %t/b/ref8.npy %t/b/o8.npy %t/b/ref9.npy %t/b/o9.npy \
// RUN:   | FileCheck %s --check-prefix=ALL --implicit-check-not=MISMATCH
//
// RUN: %python %S/Inputs/cases.py logic %t/l
// RUN: wse-ref %s --entry logic --input p=%t/l/p.npy --input q=%t/l/q.npy \
// RUN:   --input x=%t/l/x.npy --input y=%t/l/y.npy \
// RUN:   --output 0=%t/l/o0.npy --output 1=%t/l/o1.npy --output 2=%t/l/o2.npy \
// RUN:   --output 3=%t/l/o3.npy
// RUN: %python %S/Inputs/compare_npy.py \
// RUN:   %t/l/ref0.npy %t/l/o0.npy %t/l/ref1.npy %t/l/o1.npy \
// RUN:   %t/l/ref2.npy %t/l/o2.npy %t/l/ref3.npy %t/l/o3.npy \
// RUN:   | FileCheck %s --check-prefix=ALL --implicit-check-not=MISMATCH
//
// RUN: %python %S/Inputs/cases.py integer %t/i
// RUN: wse-ref %s --entry integer --input i=%t/i/i.npy --input j=%t/i/j.npy \
// RUN:   --input f=%t/i/f.npy \
// RUN:   --output 0=%t/i/o0.npy --output 1=%t/i/o1.npy --output 2=%t/i/o2.npy \
// RUN:   --output 3=%t/i/o3.npy --output 4=%t/i/o4.npy --output 5=%t/i/o5.npy \
// RUN:   --output 6=%t/i/o6.npy --output 7=%t/i/o7.npy --output 8=%t/i/o8.npy \
// RUN:   --output 9=%t/i/o9.npy
// RUN: %python %S/Inputs/compare_npy.py --atol 0 \
// RUN:   %t/i/ref0.npy %t/i/o0.npy %t/i/ref1.npy %t/i/o1.npy \
// RUN:   %t/i/ref2.npy %t/i/o2.npy %t/i/ref3.npy %t/i/o3.npy \
// RUN:   %t/i/ref4.npy %t/i/o4.npy %t/i/ref5.npy %t/i/o5.npy \
// RUN:   %t/i/ref6.npy %t/i/o6.npy %t/i/ref7.npy %t/i/o7.npy \
// RUN:   %t/i/ref8.npy %t/i/o8.npy %t/i/ref9.npy %t/i/o9.npy \
// RUN:   | FileCheck %s --check-prefix=ALL --implicit-check-not=MISMATCH
//
// ALL-NOT: MISMATCH
// ALL: MATCH

func.func @unary(%x: tensor<3x4xf32> {onnx.name = "x"},
                 %p: tensor<3x4xf32> {onnx.name = "p"})
    -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>,
        tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>,
        tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>,
        tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %0 = onnx.Sqrt %p : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %1 = onnx.Reciprocal %p : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %2 = onnx.Exp %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %3 = onnx.Log %p : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %4 = onnx.Erf %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %5 = onnx.Tanh %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %6 = onnx.Sigmoid %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %7 = onnx.Sin %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %8 = onnx.Cos %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %9 = onnx.SiLU %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %10 = onnx.Gelu %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %11 = onnx.Gelu %x {approximate = "tanh"} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %12 = onnx.Neg %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %13 = onnx.Abs %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %14 = onnx.Relu %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %15 = onnx.Identity %x : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15
      : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>,
        tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>,
        tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>,
        tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// Binary ops broadcast [2,3,4] with [3,1]; Pow takes a positive base.
func.func @binary(%a: tensor<2x3x4xf32> {onnx.name = "a"},
                  %b: tensor<3x1xf32> {onnx.name = "b"},
                  %pa: tensor<2x3x4xf32> {onnx.name = "pa"},
                  %a2: tensor<2x3x4xf32> {onnx.name = "a2"},
                  %b2: tensor<3x1xf32> {onnx.name = "b2"})
    -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>,
        tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>,
        tensor<2x3x4xf32>, tensor<2x3x4xi1>, tensor<2x3x4xi1>,
        tensor<2x3x4xi1>) {
  %0 = onnx.Add %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %1 = onnx.Sub %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %2 = onnx.Mul %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %3 = onnx.Div %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %4 = onnx.Max %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %5 = onnx.Min %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %6 = onnx.Pow %pa, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %7 = onnx.Equal %a2, %b2 : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  %8 = onnx.Less %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  %9 = onnx.Greater %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9
      : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>,
        tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>,
        tensor<2x3x4xf32>, tensor<2x3x4xi1>, tensor<2x3x4xi1>, tensor<2x3x4xi1>
}

// Logic on i1 (inputs given as 0/1), Where broadcasting three shapes.
func.func @logic(%p: tensor<2x3xi1> {onnx.name = "p"},
                 %q: tensor<3xi1> {onnx.name = "q"},
                 %x: tensor<2x1x3xf32> {onnx.name = "x"},
                 %y: tensor<3xf32> {onnx.name = "y"})
    -> (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x2x3xf32>) {
  %0 = onnx.And %p, %q : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %1 = onnx.Or %p, %q : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %2 = onnx.Not %p : (tensor<2x3xi1>) -> tensor<2x3xi1>
  %3 = onnx.Where %p, %x, %y : (tensor<2x3xi1>, tensor<2x1x3xf32>, tensor<3xf32>) -> tensor<2x2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x2x3xf32>
}

// Integer semantics: Div truncates toward zero, Cast f32->i64 truncates,
// Cast to i1 is != 0, Cast i64->i32 wraps, integer Pow.
func.func @integer(%i: tensor<5xi64> {onnx.name = "i"},
                   %j: tensor<5xi64> {onnx.name = "j"},
                   %f: tensor<5xf32> {onnx.name = "f"})
    -> (tensor<5xi64>, tensor<5xi64>, tensor<5xi64>, tensor<5xi64>,
        tensor<5xf32>, tensor<5xi64>, tensor<5xi1>, tensor<5xi32>,
        tensor<5xi64>, tensor<5xi64>) {
  %0 = onnx.Add %i, %j : (tensor<5xi64>, tensor<5xi64>) -> tensor<5xi64>
  %1 = onnx.Div %i, %j : (tensor<5xi64>, tensor<5xi64>) -> tensor<5xi64>
  %2 = onnx.Neg %i : (tensor<5xi64>) -> tensor<5xi64>
  %3 = onnx.Abs %i : (tensor<5xi64>) -> tensor<5xi64>
  %4 = onnx.Cast %i : (tensor<5xi64>) -> tensor<5xf32>
  %5 = onnx.Cast %f : (tensor<5xf32>) -> tensor<5xi64>
  %6 = onnx.Cast %f : (tensor<5xf32>) -> tensor<5xi1>
  %7 = onnx.Cast %0 : (tensor<5xi64>) -> tensor<5xi32>
  %8 = onnx.Max %i, %j : (tensor<5xi64>, tensor<5xi64>) -> tensor<5xi64>
  %two = onnx.Constant dense<2> : tensor<i64>
  %9 = onnx.Pow %i, %two : (tensor<5xi64>, tensor<i64>) -> tensor<5xi64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9
      : tensor<5xi64>, tensor<5xi64>, tensor<5xi64>, tensor<5xi64>,
        tensor<5xf32>, tensor<5xi64>, tensor<5xi1>, tensor<5xi32>,
        tensor<5xi64>, tensor<5xi64>
}

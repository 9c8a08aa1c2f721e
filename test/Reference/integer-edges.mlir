// Edge semantics of the integer (and Range) kernels, which are also what
// constant folding computes: ui64 above 2^63 compares, divides and casts as
// unsigned; Neg/Abs wrap INT64_MIN; integer Pow is exact modulo 2^width, and
// a negative exponent truncates 1/x^n toward zero; integer Range steps from
// INT64_MIN without overflow; a float Range's length is computed in double,
// as shape inference computes it. Each result is compared (Equal) with its
// expected value, so the interpreter must print all-true and --onnx-staticize
// must fold every comparison to true. Undefined integer Pow results are
// errors, which the folder leaves unfolded.
//
// RUN: wse-ref %s --entry edges --print-outputs \
// RUN:   | FileCheck %s --implicit-check-not=0.000000e+00
// CHECK-COUNT-11: xi1 [1.000000e+00
//
// RUN: wse-opt --onnx-staticize %s | FileCheck %s --check-prefix=FOLD
// FOLD-LABEL: func.func @edges
// FOLD-NOT: dense<false>
// FOLD-NOT: onnx.{{[A-Z][A-Za-z]*}} %
// FOLD: return
//
// RUN: not wse-ref %s --entry pow_zero 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: onnx.Pow: integer 0 raised to a negative power
// RUN: not wse-ref %s --entry pow_range 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: onnx.Pow: integer Pow result {{.*}} is out of range
// FOLD-LABEL: func.func @pow_zero
// FOLD: onnx.Pow
// FOLD-LABEL: func.func @pow_range
// FOLD: onnx.Pow

func.func @edges() -> (tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>,
                       tensor<2xi1>, tensor<3xi1>, tensor<1xi1>, tensor<4xi1>,
                       tensor<4xi1>, tensor<4xi1>, tensor<1xi1>) {
  %u = onnx.Constant dense<[18446744073709551615, 1]> : tensor<2xui64>
  %v = onnx.Constant dense<[1, 2]> : tensor<2xui64>
  %lt = onnx.Less %u, %v : (tensor<2xui64>, tensor<2xui64>) -> tensor<2xi1>
  %lt_x = onnx.Constant dense<[false, true]> : tensor<2xi1>
  %0 = onnx.Equal %lt, %lt_x : (tensor<2xi1>, tensor<2xi1>) -> tensor<2xi1>
  %two = onnx.Constant dense<2> : tensor<ui64>
  %div = onnx.Div %u, %two : (tensor<2xui64>, tensor<ui64>) -> tensor<2xui64>
  %div_x = onnx.Constant dense<[9223372036854775807, 0]> : tensor<2xui64>
  %1 = onnx.Equal %div, %div_x : (tensor<2xui64>, tensor<2xui64>) -> tensor<2xi1>
  %max = onnx.Max %u, %v : (tensor<2xui64>, tensor<2xui64>) -> tensor<2xui64>
  %max_x = onnx.Constant dense<[18446744073709551615, 2]> : tensor<2xui64>
  %2 = onnx.Equal %max, %max_x : (tensor<2xui64>, tensor<2xui64>) -> tensor<2xi1>
  %f = onnx.Cast %u : (tensor<2xui64>) -> tensor<2xf32>
  %f_x = onnx.Constant dense<[1.8446744e19, 1.0]> : tensor<2xf32>
  %3 = onnx.Equal %f, %f_x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>

  %m = onnx.Constant dense<[-9223372036854775808, 5]> : tensor<2xi64>
  %neg = onnx.Neg %m : (tensor<2xi64>) -> tensor<2xi64>
  %abs = onnx.Abs %neg : (tensor<2xi64>) -> tensor<2xi64>
  %abs_x = onnx.Constant dense<[-9223372036854775808, 5]> : tensor<2xi64>
  %4 = onnx.Equal %abs, %abs_x : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi1>

  // 3^5 = 243 and 2^9 = 512 wrap in i8; (-2)^7 = -128 fits.
  %b8 = onnx.Constant dense<[3, 2, -2]> : tensor<3xi8>
  %e8 = onnx.Constant dense<[5, 9, 7]> : tensor<3xi64>
  %p8 = onnx.Pow %b8, %e8 : (tensor<3xi8>, tensor<3xi64>) -> tensor<3xi8>
  %p8_x = onnx.Constant dense<[-13, 0, -128]> : tensor<3xi8>
  %5 = onnx.Equal %p8, %p8_x : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi1>
  // 3^40 exceeds 2^63 (and double's 53 bits): exact modulo 2^64.
  %b = onnx.Constant dense<3> : tensor<1xi64>
  %e = onnx.Constant dense<40> : tensor<1xi64>
  %p = onnx.Pow %b, %e : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %p_x = onnx.Constant dense<-6289078614652622815> : tensor<1xi64>
  %6 = onnx.Equal %p, %p_x : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %bn = onnx.Constant dense<[2, -1, 1, -1]> : tensor<4xi32>
  %en = onnx.Constant dense<[-1, -3, -2, -2]> : tensor<4xi32>
  %pn = onnx.Pow %bn, %en : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %pn_x = onnx.Constant dense<[0, -1, 1, 1]> : tensor<4xi32>
  %7 = onnx.Equal %pn, %pn_x : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>

  %rs = onnx.Constant dense<-9223372036854775808> : tensor<i64>
  %rl = onnx.Constant dense<9223372036854775807> : tensor<i64>
  %rd = onnx.Constant dense<4611686018427387904> : tensor<i64>
  %r = onnx.Range %rs, %rl, %rd : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %r_x = onnx.Constant dense<[-9223372036854775808, -4611686018427387904, 0, 4611686018427387904]> : tensor<4xi64>
  %8 = onnx.Equal %r, %r_x : (tensor<?xi64>, tensor<4xi64>) -> tensor<4xi1>
  // (double)0.3f / (double)0.1f = 3.0000000745: 4 elements (fp32 division
  // would round to 3.0 and give 3).
  %fs = onnx.Constant dense<0.0> : tensor<f32>
  %fl = onnx.Constant dense<0.3> : tensor<f32>
  %fd = onnx.Constant dense<0.1> : tensor<f32>
  %fr = onnx.Range %fs, %fl, %fd : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  %fr_x = onnx.Constant dense<[0.0, 0.1, 0.2, 0.3]> : tensor<4xf32>
  %9 = onnx.Equal %fr, %fr_x : (tensor<?xf32>, tensor<4xf32>) -> tensor<4xi1>
  // Greater on ui64 above 2^63.
  %big = onnx.Constant dense<18446744073709551615> : tensor<1xui64>
  %one = onnx.Constant dense<1> : tensor<1xui64>
  %10 = onnx.Greater %big, %one : (tensor<1xui64>, tensor<1xui64>) -> tensor<1xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10
      : tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>,
        tensor<3xi1>, tensor<1xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>,
        tensor<1xi1>
}

func.func @pow_zero() -> tensor<1xi64> {
  %z = onnx.Constant dense<0> : tensor<1xi64>
  %n = onnx.Constant dense<-1> : tensor<1xi64>
  %0 = onnx.Pow %z, %n : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

func.func @pow_range() -> tensor<1xi64> {
  %b = onnx.Constant dense<10> : tensor<1xi64>
  %e = onnx.Constant dense<30.0> : tensor<1xf32>
  %0 = onnx.Pow %b, %e : (tensor<1xi64>, tensor<1xf32>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

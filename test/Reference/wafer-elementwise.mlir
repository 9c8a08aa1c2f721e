// wafer.elementwise: scalar arith/math bodies evaluated per element of the
// broadcast operands.
//
// (1) Bit-exactness with the onnx kernels: each body spelling an onnx op's
// formula (Exp, Log, Sqrt, Reciprocal, Reciprocal(Sqrt) as math.rsqrt, Tanh,
// Erf, Sin, Cos, Sigmoid, SiLU, Gelu none/tanh, Pow, Max, Min, Div) equals
// the onnx op on 64 random inputs in all 64 elements (compared with cmpf oeq,
// counted by wafer.reduce; the onnx ops run in the same function through the
// onnx kernels).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.default_rng(7); np.save('%t/x.npy', (r.standard_normal(64) * 3).astype(np.float32)); np.save('%t/p.npy', (r.random(64) * 4 + 0.05).astype(np.float32))"
// RUN: wse-ref %s --entry bitexact --input x=%t/x.npy --input p=%t/p.npy \
// RUN:   --print-outputs | FileCheck %s --check-prefix=EXACT
// EXACT-COUNT-17: : scalarxi64 [6.400000e+01]
// EXACT-NOT: scalarxi64
//
// (2) Explicit scalar semantics, one op per element: float ops, NaN and
// signed zeros (maximumf/minimumf propagate NaN and order -0 < +0, the num
// variants drop NaN), ordered/unordered cmpf, shifts and bit ops, two's
// complement wrapping, i1 sign extension (true is -1), float <-> int
// conversions and bitcasts, integer powers, f16/bf16 rounding after each op;
// integer division on [7, -7, 7, -7] / [2, 2, -2, -2] (unsigned ones see -7
// as 249 in i8) and a [2,1] x [3] x scalar broadcast.
// RUN: wse-ref %s --entry scalars --print-outputs | FileCheck %s --check-prefix=SCALAR
// SCALAR: floatops: 8xf32 [2.000000e+00, 5.000000e-01, 3.000000e+00, 8.000000e+00, 8.000000e+00, 1.000000e+00, 1.000000e+00, -2.000000e+00]
// SCALAR: nan: 5xf32 [nan, 1.000000e+00, 1.000000e+00, 0.000000e+00, -0.000000e+00]
// SCALAR: cmpf: 5xi1 [1.000000e+00, 0.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00]
// SCALAR: bits: 7xi8 [-4.000000e+00, 1.240000e+02, -1.600000e+01, 6.000000e+00, 8.000000e+00, 1.400000e+01, 4.400000e+01]
// SCALAR: wrap: 6xi32 [-2.147484e+09, 4.400000e+01, 2.550000e+02, -1.000000e+00, -1.000000e+00, 2.147484e+09]
// SCALAR: convert: 6xf32 [-1.000000e+00, 1.000000e+00, -2.000000e+00, 3.000000e+00, 2.550000e+02, 1.000000e+00]
// SCALAR: intmath: 7xi64 [8.100000e+01, 5.000000e+00, 1.065353e+09, 2.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00]
// SCALAR: half: 5xf32 [9.997559e-02, 1.000000e+00, 6.550400e+04, INF, 1.000000e+00]
// RUN: wse-ref %s --entry integers --print-outputs | FileCheck %s --check-prefix=INT
// INT: divsi: 4xi32 [3.000000e+00, -3.000000e+00, -3.000000e+00, 3.000000e+00]
// INT: remsi: 4xi32 [1.000000e+00, -1.000000e+00, 1.000000e+00, -1.000000e+00]
// INT: floordivsi: 4xi32 [3.000000e+00, -4.000000e+00, -4.000000e+00, 3.000000e+00]
// INT: ceildivsi: 4xi32 [4.000000e+00, -3.000000e+00, -3.000000e+00, 4.000000e+00]
// INT: divui: 4xi8 [3.000000e+00, 1.240000e+02, 0.000000e+00, 0.000000e+00]
// INT: remui: 4xi8 [1.000000e+00, 1.000000e+00, 7.000000e+00, -7.000000e+00]
// INT: cmpi: 4xi32 [0.000000e+00, 1.000000e+00, 1.000000e+01, 1.100000e+01]
// INT: broadcast: 2x3xf32 [1.050000e+01, 2.050000e+01, 3.050000e+01, 2.050000e+01, 4.050000e+01, 6.050000e+01]
//
// (3) Errors name the body op and the element.
// RUN: not wse-ref %s --entry divzero 2>&1 | FileCheck %s --check-prefix=DIVZERO
// DIVZERO: wse-ref: error: {{.*}}wafer-elementwise.mlir:{{[0-9]+}}:{{[0-9]+}}: wafer.elementwise: 'arith.divsi' in the body ({{.*}}wafer-elementwise.mlir:{{[0-9]+}}:{{[0-9]+}}): undefined result at element 1 (integer division or remainder by zero)
// RUN: not wse-ref %s --entry fptosi 2>&1 | FileCheck %s --check-prefix=FPTOSI
// FPTOSI: wafer.elementwise: 'arith.fptosi' in the body {{.*}}: undefined result at element 0 (a NaN or a float out of int64 range converted to an integer)
// RUN: not wse-ref %s --entry unsupported 2>&1 | FileCheck %s --check-prefix=BODYOP
// BODYOP: wafer.elementwise: 'math.ctlz' in the body {{.*}} is not supported by the reference interpreter
// RUN: not wse-ref %s --entry call 2>&1 | FileCheck %s --check-prefix=CALL
// CALL: wse-ref: error: {{.*}}: func.call: unsupported op (the reference interpreter knows the onnx and wafer dialects)

module {
  func.func @bitexact(%x: tensor<64xf32> {onnx.name = "x"}, %p: tensor<64xf32> {onnx.name = "p"})
      -> (tensor<i64> {onnx.name = "exp"},
          tensor<i64> {onnx.name = "log"},
          tensor<i64> {onnx.name = "sqrt"},
          tensor<i64> {onnx.name = "reciprocal"},
          tensor<i64> {onnx.name = "rsqrt"},
          tensor<i64> {onnx.name = "tanh"},
          tensor<i64> {onnx.name = "erf"},
          tensor<i64> {onnx.name = "sin"},
          tensor<i64> {onnx.name = "cos"},
          tensor<i64> {onnx.name = "sigmoid"},
          tensor<i64> {onnx.name = "silu"},
          tensor<i64> {onnx.name = "gelu"},
          tensor<i64> {onnx.name = "gelu_tanh"},
          tensor<i64> {onnx.name = "pow"},
          tensor<i64> {onnx.name = "max"},
          tensor<i64> {onnx.name = "min"},
          tensor<i64> {onnx.name = "div"}) {
    // exp
    %exp_o = onnx.Exp %x : (tensor<64xf32>) -> tensor<64xf32>
    %exp_w = wafer.elementwise ins(%x : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %r = math.exp %a : f32
      wafer.yield %r : f32
    }
    %exp_eq = wafer.elementwise ins(%exp_o, %exp_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %exp = wafer.reduce <sum> %exp_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // log
    %log_o = onnx.Log %p : (tensor<64xf32>) -> tensor<64xf32>
    %log_w = wafer.elementwise ins(%p : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %r = math.log %a : f32
      wafer.yield %r : f32
    }
    %log_eq = wafer.elementwise ins(%log_o, %log_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %log = wafer.reduce <sum> %log_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // sqrt
    %sqrt_o = onnx.Sqrt %p : (tensor<64xf32>) -> tensor<64xf32>
    %sqrt_w = wafer.elementwise ins(%p : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %r = math.sqrt %a : f32
      wafer.yield %r : f32
    }
    %sqrt_eq = wafer.elementwise ins(%sqrt_o, %sqrt_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %sqrt = wafer.reduce <sum> %sqrt_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // reciprocal
    %reciprocal_o = onnx.Reciprocal %p : (tensor<64xf32>) -> tensor<64xf32>
    %reciprocal_w = wafer.elementwise ins(%p : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %one = arith.constant 1.0 : f32
      %r = arith.divf %one, %a : f32
      wafer.yield %r : f32
    }
    %reciprocal_eq = wafer.elementwise ins(%reciprocal_o, %reciprocal_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %reciprocal = wafer.reduce <sum> %reciprocal_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // rsqrt
    %rsqrt_t0 = onnx.Sqrt %p : (tensor<64xf32>) -> tensor<64xf32>
    %rsqrt_o = onnx.Reciprocal %rsqrt_t0 : (tensor<64xf32>) -> tensor<64xf32>
    %rsqrt_w = wafer.elementwise ins(%p : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %r = math.rsqrt %a : f32
      wafer.yield %r : f32
    }
    %rsqrt_eq = wafer.elementwise ins(%rsqrt_o, %rsqrt_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %rsqrt = wafer.reduce <sum> %rsqrt_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // tanh
    %tanh_o = onnx.Tanh %x : (tensor<64xf32>) -> tensor<64xf32>
    %tanh_w = wafer.elementwise ins(%x : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %r = math.tanh %a : f32
      wafer.yield %r : f32
    }
    %tanh_eq = wafer.elementwise ins(%tanh_o, %tanh_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %tanh = wafer.reduce <sum> %tanh_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // erf
    %erf_o = onnx.Erf %x : (tensor<64xf32>) -> tensor<64xf32>
    %erf_w = wafer.elementwise ins(%x : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %r = math.erf %a : f32
      wafer.yield %r : f32
    }
    %erf_eq = wafer.elementwise ins(%erf_o, %erf_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %erf = wafer.reduce <sum> %erf_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // sin
    %sin_o = onnx.Sin %x : (tensor<64xf32>) -> tensor<64xf32>
    %sin_w = wafer.elementwise ins(%x : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %r = math.sin %a : f32
      wafer.yield %r : f32
    }
    %sin_eq = wafer.elementwise ins(%sin_o, %sin_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %sin = wafer.reduce <sum> %sin_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // cos
    %cos_o = onnx.Cos %x : (tensor<64xf32>) -> tensor<64xf32>
    %cos_w = wafer.elementwise ins(%x : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %r = math.cos %a : f32
      wafer.yield %r : f32
    }
    %cos_eq = wafer.elementwise ins(%cos_o, %cos_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %cos = wafer.reduce <sum> %cos_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // sigmoid
    %sigmoid_o = onnx.Sigmoid %x : (tensor<64xf32>) -> tensor<64xf32>
    %sigmoid_w = wafer.elementwise ins(%x : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %one = arith.constant 1.0 : f32
      %n = arith.negf %a : f32
      %e = math.exp %n : f32
      %d = arith.addf %one, %e : f32
      %r = arith.divf %one, %d : f32
      wafer.yield %r : f32
    }
    %sigmoid_eq = wafer.elementwise ins(%sigmoid_o, %sigmoid_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %sigmoid = wafer.reduce <sum> %sigmoid_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // silu
    %silu_o = onnx.SiLU %x : (tensor<64xf32>) -> tensor<64xf32>
    %silu_w = wafer.elementwise ins(%x : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %one = arith.constant 1.0 : f32
      %n = arith.negf %a : f32
      %e = math.exp %n : f32
      %d = arith.addf %one, %e : f32
      %r = arith.divf %a, %d : f32
      wafer.yield %r : f32
    }
    %silu_eq = wafer.elementwise ins(%silu_o, %silu_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %silu = wafer.reduce <sum> %silu_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // gelu
    %gelu_o = onnx.Gelu %x : (tensor<64xf32>) -> tensor<64xf32>
    %gelu_w = wafer.elementwise ins(%x : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %half = arith.constant 0.5 : f32
      %one = arith.constant 1.0 : f32
      %s2 = arith.constant 1.41421356237309504880 : f32
      %q = arith.divf %a, %s2 : f32
      %e = math.erf %q : f32
      %o = arith.addf %one, %e : f32
      %h = arith.mulf %half, %a : f32
      %r = arith.mulf %h, %o : f32
      wafer.yield %r : f32
    }
    %gelu_eq = wafer.elementwise ins(%gelu_o, %gelu_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %gelu = wafer.reduce <sum> %gelu_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // gelu_tanh
    %gelu_tanh_o = onnx.Gelu %x {approximate = "tanh"} : (tensor<64xf32>) -> tensor<64xf32>
    %gelu_tanh_w = wafer.elementwise ins(%x : tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32):
      %half = arith.constant 0.5 : f32
      %one = arith.constant 1.0 : f32
      %k = arith.constant 0.79788456080286535588 : f32
      %c = arith.constant 0.044715 : f32
      %c1 = arith.mulf %c, %a : f32
      %c2 = arith.mulf %c1, %a : f32
      %c3 = arith.mulf %c2, %a : f32
      %in = arith.addf %a, %c3 : f32
      %ki = arith.mulf %k, %in : f32
      %t = math.tanh %ki : f32
      %o = arith.addf %one, %t : f32
      %h = arith.mulf %half, %a : f32
      %r = arith.mulf %h, %o : f32
      wafer.yield %r : f32
    }
    %gelu_tanh_eq = wafer.elementwise ins(%gelu_tanh_o, %gelu_tanh_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %gelu_tanh = wafer.reduce <sum> %gelu_tanh_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // pow
    %pow_o = onnx.Pow %p, %x : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
    %pow_w = wafer.elementwise ins(%p, %x : tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32, %b: f32):
      %r = math.powf %a, %b : f32
      wafer.yield %r : f32
    }
    %pow_eq = wafer.elementwise ins(%pow_o, %pow_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %pow = wafer.reduce <sum> %pow_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // max
    %max_o = onnx.Max %x, %p : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
    %max_w = wafer.elementwise ins(%x, %p : tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32, %b: f32):
      %r = arith.maximumf %a, %b : f32
      wafer.yield %r : f32
    }
    %max_eq = wafer.elementwise ins(%max_o, %max_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %max = wafer.reduce <sum> %max_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // min
    %min_o = onnx.Min %x, %p : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
    %min_w = wafer.elementwise ins(%x, %p : tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32, %b: f32):
      %r = arith.minimumf %a, %b : f32
      wafer.yield %r : f32
    }
    %min_eq = wafer.elementwise ins(%min_o, %min_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %min = wafer.reduce <sum> %min_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    // div
    %div_o = onnx.Div %x, %p : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
    %div_w = wafer.elementwise ins(%x, %p : tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32, %b: f32):
      %r = arith.divf %a, %b : f32
      wafer.yield %r : f32
    }
    %div_eq = wafer.elementwise ins(%div_o, %div_w : tensor<64xf32>, tensor<64xf32>) -> tensor<64xi64> {
    ^bb0(%a: f32, %b: f32):
      %c = arith.cmpf oeq, %a, %b : f32
      %i = arith.extui %c : i1 to i64
      wafer.yield %i : i64
    }
    %div = wafer.reduce <sum> %div_eq {axes = array<i64: 0>, keepdims = false} : (tensor<64xi64>) -> tensor<i64>
    return %exp, %log, %sqrt, %reciprocal, %rsqrt, %tanh, %erf, %sin, %cos, %sigmoid, %silu, %gelu, %gelu_tanh, %pow, %max, %min, %div
        : tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>
  }

  // One scalar op per element, each in its own zero-operand body.
  func.func @scalars()
      -> (tensor<8xf32> {onnx.name = "floatops"},
          tensor<5xf32> {onnx.name = "nan"},
          tensor<5xi1> {onnx.name = "cmpf"},
          tensor<7xi8> {onnx.name = "bits"},
          tensor<6xi32> {onnx.name = "wrap"},
          tensor<6xf32> {onnx.name = "convert"},
          tensor<7xi64> {onnx.name = "intmath"},
          tensor<5xf32> {onnx.name = "half"}) {
    %floatops_0 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 4.0 : f32
      %r = math.sqrt %a : f32
      wafer.yield %r : f32
    }
    %floatops_1 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 4.0 : f32
      %r = math.rsqrt %a : f32
      wafer.yield %r : f32
    }
    %floatops_2 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant -3.0 : f32
      %r = math.absf %a : f32
      wafer.yield %r : f32
    }
    %floatops_3 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 2.0 : f32
      %b = arith.constant 3.0 : f32
      %r = math.powf %a, %b : f32
      wafer.yield %r : f32
    }
    %floatops_4 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 2.0 : f32
      %b = arith.constant 3 : i32
      %r = math.fpowi %a, %b : f32, i32
      wafer.yield %r : f32
    }
    %floatops_5 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 1.0 : f32
      %b = arith.constant -0.5 : f32
      %r = arith.maximumf %a, %b : f32
      wafer.yield %r : f32
    }
    %floatops_6 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 7.0 : f32
      %b = arith.constant 3.0 : f32
      %r = arith.remf %a, %b : f32
      wafer.yield %r : f32
    }
    %floatops_7 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 2.0 : f32
      %r = arith.negf %a : f32
      wafer.yield %r : f32
    }
    %floatops = wafer.concat %floatops_0, %floatops_1, %floatops_2, %floatops_3, %floatops_4, %floatops_5, %floatops_6, %floatops_7 {axis = 0 : i64}
        : (tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<8xf32>
    %nan_0 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 0x7FC00000 : f32
      %b = arith.constant 1.0 : f32
      %r = arith.maximumf %a, %b : f32
      wafer.yield %r : f32
    }
    %nan_1 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 0x7FC00000 : f32
      %b = arith.constant 1.0 : f32
      %r = arith.minnumf %a, %b : f32
      wafer.yield %r : f32
    }
    %nan_2 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 0x7FC00000 : f32
      %b = arith.constant 1.0 : f32
      %r = arith.maxnumf %a, %b : f32
      wafer.yield %r : f32
    }
    %nan_3 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant -0.0 : f32
      %b = arith.constant 0.0 : f32
      %r = arith.maximumf %a, %b : f32
      wafer.yield %r : f32
    }
    %nan_4 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 0.0 : f32
      %b = arith.constant -0.0 : f32
      %r = arith.minimumf %a, %b : f32
      wafer.yield %r : f32
    }
    %nan = wafer.concat %nan_0, %nan_1, %nan_2, %nan_3, %nan_4 {axis = 0 : i64}
        : (tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<5xf32>
    %cmpf_0 = wafer.elementwise -> tensor<1xi1> {
      %a = arith.constant 1.0 : f32
      %r = arith.cmpf oeq, %a, %a : f32
      wafer.yield %r : i1
    }
    %cmpf_1 = wafer.elementwise -> tensor<1xi1> {
      %a = arith.constant 2.0 : f32
      %b = arith.constant 1.0 : f32
      %r = arith.cmpf olt, %a, %b : f32
      wafer.yield %r : i1
    }
    %cmpf_2 = wafer.elementwise -> tensor<1xi1> {
      %a = arith.constant 0x7FC00000 : f32
      %r = arith.cmpf une, %a, %a : f32
      wafer.yield %r : i1
    }
    %cmpf_3 = wafer.elementwise -> tensor<1xi1> {
      %a = arith.constant 0x7FC00000 : f32
      %b = arith.constant 1.0 : f32
      %r = arith.cmpf uno, %a, %b : f32
      wafer.yield %r : i1
    }
    %cmpf_4 = wafer.elementwise -> tensor<1xi1> {
      %a = arith.constant 0x7FC00000 : f32
      %b = arith.constant 1.0 : f32
      %r = arith.cmpf oge, %a, %b : f32
      wafer.yield %r : i1
    }
    %cmpf = wafer.concat %cmpf_0, %cmpf_1, %cmpf_2, %cmpf_3, %cmpf_4 {axis = 0 : i64}
        : (tensor<1xi1>, tensor<1xi1>, tensor<1xi1>, tensor<1xi1>, tensor<1xi1>) -> tensor<5xi1>
    %bits_0 = wafer.elementwise -> tensor<1xi8> {
      %a = arith.constant -8 : i8
      %b = arith.constant 1 : i8
      %r = arith.shrsi %a, %b : i8
      wafer.yield %r : i8
    }
    %bits_1 = wafer.elementwise -> tensor<1xi8> {
      %a = arith.constant -8 : i8
      %b = arith.constant 1 : i8
      %r = arith.shrui %a, %b : i8
      wafer.yield %r : i8
    }
    %bits_2 = wafer.elementwise -> tensor<1xi8> {
      %a = arith.constant -1 : i8
      %b = arith.constant 4 : i8
      %r = arith.shli %a, %b : i8
      wafer.yield %r : i8
    }
    %bits_3 = wafer.elementwise -> tensor<1xi8> {
      %a = arith.constant 5 : i8
      %b = arith.constant 3 : i8
      %r = arith.xori %a, %b : i8
      wafer.yield %r : i8
    }
    %bits_4 = wafer.elementwise -> tensor<1xi8> {
      %a = arith.constant 12 : i8
      %b = arith.constant 10 : i8
      %r = arith.andi %a, %b : i8
      wafer.yield %r : i8
    }
    %bits_5 = wafer.elementwise -> tensor<1xi8> {
      %a = arith.constant 12 : i8
      %b = arith.constant 10 : i8
      %r = arith.ori %a, %b : i8
      wafer.yield %r : i8
    }
    %bits_6 = wafer.elementwise -> tensor<1xi8> {
      %a = arith.constant 100 : i8
      %b = arith.constant 3 : i8
      %r = arith.muli %a, %b : i8
      wafer.yield %r : i8
    }
    %bits = wafer.concat %bits_0, %bits_1, %bits_2, %bits_3, %bits_4, %bits_5, %bits_6 {axis = 0 : i64}
        : (tensor<1xi8>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<7xi8>
    %wrap_0 = wafer.elementwise -> tensor<1xi32> {
      %a = arith.constant 2147483647 : i32
      %b = arith.constant 1 : i32
      %r = arith.addi %a, %b : i32
      wafer.yield %r : i32
    }
    %wrap_1 = wafer.elementwise -> tensor<1xi32> {
      %a = arith.constant 300 : i32
      %t = arith.trunci %a : i32 to i8
      %r = arith.extsi %t : i8 to i32
      wafer.yield %r : i32
    }
    %wrap_2 = wafer.elementwise -> tensor<1xi32> {
      %a = arith.constant -1 : i8
      %r = arith.extui %a : i8 to i32
      wafer.yield %r : i32
    }
    %wrap_3 = wafer.elementwise -> tensor<1xi32> {
      %a = arith.constant -1 : i8
      %r = arith.extsi %a : i8 to i32
      wafer.yield %r : i32
    }
    %wrap_4 = wafer.elementwise -> tensor<1xi32> {
      %a = arith.constant true
      %r = arith.extsi %a : i1 to i32
      wafer.yield %r : i32
    }
    %wrap_5 = wafer.elementwise -> tensor<1xi32> {
      %a = arith.constant -2147483648 : i32
      %b = arith.constant 1 : i32
      %r = arith.subi %a, %b : i32
      wafer.yield %r : i32
    }
    %wrap = wafer.concat %wrap_0, %wrap_1, %wrap_2, %wrap_3, %wrap_4, %wrap_5 {axis = 0 : i64}
        : (tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<6xi32>
    %convert_0 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant true
      %r = arith.sitofp %a : i1 to f32
      wafer.yield %r : f32
    }
    %convert_1 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant true
      %r = arith.uitofp %a : i1 to f32
      wafer.yield %r : f32
    }
    %convert_2 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant -2.7 : f32
      %i = arith.fptosi %a : f32 to i32
      %r = arith.sitofp %i : i32 to f32
      wafer.yield %r : f32
    }
    %convert_3 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 3.9 : f32
      %i = arith.fptoui %a : f32 to i32
      %r = arith.uitofp %i : i32 to f32
      wafer.yield %r : f32
    }
    %convert_4 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant -1 : i8
      %r = arith.uitofp %a : i8 to f32
      wafer.yield %r : f32
    }
    %convert_5 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 1065353216 : i32
      %r = arith.bitcast %a : i32 to f32
      wafer.yield %r : f32
    }
    %convert = wafer.concat %convert_0, %convert_1, %convert_2, %convert_3, %convert_4, %convert_5 {axis = 0 : i64}
        : (tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<6xf32>
    %intmath_0 = wafer.elementwise -> tensor<1xi64> {
      %a = arith.constant 3 : i64
      %b = arith.constant 4 : i64
      %r = math.ipowi %a, %b : i64
      wafer.yield %r : i64
    }
    %intmath_1 = wafer.elementwise -> tensor<1xi64> {
      %a = arith.constant -5 : i64
      %r = math.absi %a : i64
      wafer.yield %r : i64
    }
    %intmath_2 = wafer.elementwise -> tensor<1xi64> {
      %a = arith.constant 1.0 : f32
      %i = arith.bitcast %a : f32 to i32
      %r = arith.extsi %i : i32 to i64
      wafer.yield %r : i64
    }
    %intmath_3 = wafer.elementwise -> tensor<1xi64> {
      %c = arith.constant true
      %a = arith.constant 2 : i64
      %b = arith.constant 3 : i64
      %r = arith.select %c, %a, %b : i64
      wafer.yield %r : i64
    }
    %intmath_4 = wafer.elementwise -> tensor<1xi64> {
      %a = arith.constant -1 : i64
      %b = arith.constant 1 : i64
      %r = arith.maxsi %a, %b : i64
      wafer.yield %r : i64
    }
    %intmath_5 = wafer.elementwise -> tensor<1xi64> {
      %a = arith.constant -1 : i64
      %b = arith.constant 1 : i64
      %r = arith.minui %a, %b : i64
      wafer.yield %r : i64
    }
    %intmath_6 = wafer.elementwise -> tensor<1xi64> {
      %a = arith.constant 2 : i64
      %b = arith.constant -1 : i64
      %r = math.ipowi %a, %b : i64
      wafer.yield %r : i64
    }
    %intmath = wafer.concat %intmath_0, %intmath_1, %intmath_2, %intmath_3, %intmath_4, %intmath_5, %intmath_6 {axis = 0 : i64}
        : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<7xi64>
    %half_0 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 0.1 : f32
      %h = arith.truncf %a : f32 to f16
      %r = arith.extf %h : f16 to f32
      wafer.yield %r : f32
    }
    %half_1 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 1.0 : f16
      %b = arith.constant 0.0001 : f16
      %s = arith.addf %a, %b : f16
      %r = arith.extf %s : f16 to f32
      wafer.yield %r : f32
    }
    %half_2 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 65504.0 : f32
      %h = arith.truncf %a : f32 to f16
      %r = arith.extf %h : f16 to f32
      wafer.yield %r : f32
    }
    %half_3 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 70000.0 : f32
      %h = arith.truncf %a : f32 to f16
      %r = arith.extf %h : f16 to f32
      wafer.yield %r : f32
    }
    %half_4 = wafer.elementwise -> tensor<1xf32> {
      %a = arith.constant 1.0 : bf16
      %b = arith.constant 0.001 : bf16
      %s = arith.addf %a, %b : bf16
      %r = arith.extf %s : bf16 to f32
      wafer.yield %r : f32
    }
    %half = wafer.concat %half_0, %half_1, %half_2, %half_3, %half_4 {axis = 0 : i64}
        : (tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<5xf32>
    return %floatops, %nan, %cmpf, %bits, %wrap, %convert, %intmath, %half
        : tensor<8xf32>, tensor<5xf32>, tensor<5xi1>, tensor<7xi8>, tensor<6xi32>, tensor<6xf32>, tensor<7xi64>, tensor<5xf32>
  }

  // Integer division semantics on [7, -7, 7, -7] and [2, 2, -2, -2]: signed
  // ops truncate (or floor/ceil) toward zero; unsigned ones see -7 as 249 in
  // i8. cmpi: slt + 10 * ult. A [2,1] column against a [3] row broadcasts.
  func.func @integers()
      -> (tensor<4xi32> {onnx.name = "divsi"}, tensor<4xi32> {onnx.name = "remsi"},
          tensor<4xi32> {onnx.name = "floordivsi"},
          tensor<4xi32> {onnx.name = "ceildivsi"},
          tensor<4xi8> {onnx.name = "divui"}, tensor<4xi8> {onnx.name = "remui"},
          tensor<4xi32> {onnx.name = "cmpi"},
          tensor<2x3xf32> {onnx.name = "broadcast"}) {
    %x = wafer.constant dense<[7, -7, 7, -7]> : tensor<4xi32> -> tensor<4xi32>
    %y = wafer.constant dense<[2, 2, -2, -2]> : tensor<4xi32> -> tensor<4xi32>
    %x8 = wafer.constant dense<[7, -7, 7, -7]> : tensor<4xi8> -> tensor<4xi8>
    %y8 = wafer.constant dense<[2, 2, -2, -2]> : tensor<4xi8> -> tensor<4xi8>
    %divsi = wafer.elementwise ins(%x, %y : tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32> {
    ^bb0(%a: i32, %b: i32):
      %r = arith.divsi %a, %b : i32
      wafer.yield %r : i32
    }
    %remsi = wafer.elementwise ins(%x, %y : tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32> {
    ^bb0(%a: i32, %b: i32):
      %r = arith.remsi %a, %b : i32
      wafer.yield %r : i32
    }
    %floordivsi = wafer.elementwise ins(%x, %y : tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32> {
    ^bb0(%a: i32, %b: i32):
      %r = arith.floordivsi %a, %b : i32
      wafer.yield %r : i32
    }
    %ceildivsi = wafer.elementwise ins(%x, %y : tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32> {
    ^bb0(%a: i32, %b: i32):
      %r = arith.ceildivsi %a, %b : i32
      wafer.yield %r : i32
    }
    %divui = wafer.elementwise ins(%x8, %y8 : tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8> {
    ^bb0(%a: i8, %b: i8):
      %r = arith.divui %a, %b : i8
      wafer.yield %r : i8
    }
    %remui = wafer.elementwise ins(%x8, %y8 : tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8> {
    ^bb0(%a: i8, %b: i8):
      %r = arith.remui %a, %b : i8
      wafer.yield %r : i8
    }
    %cmpi = wafer.elementwise ins(%x, %y : tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32> {
    ^bb0(%a: i32, %b: i32):
      %ten = arith.constant 10 : i32
      %s = arith.cmpi slt, %a, %b : i32
      %u = arith.cmpi ult, %a, %b : i32
      %si = arith.extui %s : i1 to i32
      %ui = arith.extui %u : i1 to i32
      %u10 = arith.muli %ui, %ten : i32
      %r = arith.addi %si, %u10 : i32
      wafer.yield %r : i32
    }
    %col = wafer.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32> -> tensor<2x1xf32>
    %row = wafer.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32> -> tensor<3xf32>
    %s = wafer.constant dense<0.5> : tensor<f32> -> tensor<f32>
    %broadcast = wafer.elementwise ins(%col, %row, %s : tensor<2x1xf32>, tensor<3xf32>, tensor<f32>)
        -> tensor<2x3xf32> {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %m = arith.mulf %a, %b : f32
      %r = arith.addf %m, %c : f32
      wafer.yield %r : f32
    }
    return %divsi, %remsi, %floordivsi, %ceildivsi, %divui, %remui, %cmpi, %broadcast
        : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>,
          tensor<4xi8>, tensor<4xi8>, tensor<4xi32>, tensor<2x3xf32>
  }

  func.func @divzero() -> tensor<2xi32> {
    %x = wafer.constant dense<[4, 4]> : tensor<2xi32> -> tensor<2xi32>
    %y = wafer.constant dense<[2, 0]> : tensor<2xi32> -> tensor<2xi32>
    %0 = wafer.elementwise ins(%x, %y : tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32> {
    ^bb0(%a: i32, %b: i32):
      %r = arith.divsi %a, %b : i32
      wafer.yield %r : i32
    }
    return %0 : tensor<2xi32>
  }

  func.func @fptosi() -> tensor<1xi64> {
    %x = wafer.constant dense<0x7FC00000> : tensor<1xf32> -> tensor<1xf32>
    %0 = wafer.elementwise ins(%x : tensor<1xf32>) -> tensor<1xi64> {
    ^bb0(%a: f32):
      %r = arith.fptosi %a : f32 to i64
      wafer.yield %r : i64
    }
    return %0 : tensor<1xi64>
  }

  func.func @unsupported() -> tensor<1xi32> {
    %x = wafer.constant dense<1> : tensor<1xi32> -> tensor<1xi32>
    %0 = wafer.elementwise ins(%x : tensor<1xi32>) -> tensor<1xi32> {
    ^bb0(%a: i32):
      %r = math.ctlz %a : i32
      wafer.yield %r : i32
    }
    return %0 : tensor<1xi32>
  }

  func.func @call() -> tensor<1xi32> {
    %0 = func.call @unsupported() : () -> tensor<1xi32>
    %1 = wafer.relayout %0 : tensor<1xi32> -> tensor<1xi32>
    return %1 : tensor<1xi32>
  }
}

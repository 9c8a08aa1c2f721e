// RUN: wse-opt %s --convert-onnx-to-wafer -split-input-file | FileCheck %s

// Binary float ops broadcast; the body gets one scalar per distinct operand.
// CHECK-LABEL: func.func @binary_float
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[Y:.*]]: tensor<4xf32>)
func.func @binary_float(%x: tensor<2x4xf32>, %y: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  // CHECK: wafer.elementwise ins(%[[X]], %[[Y]] : tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32> {
  // CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32):
  // CHECK-NEXT: %[[R:.*]] = arith.addf %[[A]], %[[B]] : f32
  // CHECK-NEXT: wafer.yield %[[R]] : f32
  %0 = onnx.Add %x, %y : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: arith.subf
  %1 = onnx.Sub %x, %y : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: arith.mulf
  %2 = onnx.Mul %x, %y : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: arith.divf
  %3 = onnx.Div %x, %y : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: arith.maximumf
  %4 = onnx.Max %x, %y : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: arith.minimumf
  %5 = onnx.Min %x, %y : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: math.powf
  %6 = onnx.Pow %x, %y : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Integer variants; x * x reads x once.
// CHECK-LABEL: func.func @binary_int
func.func @binary_int(%x: tensor<4xi64>, %y: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>) {
  // CHECK: arith.addi
  %0 = onnx.Add %x, %y : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  // CHECK: arith.subi
  %1 = onnx.Sub %x, %y : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  // CHECK: wafer.elementwise ins(%{{.*}} : tensor<4xi64>) -> tensor<4xi64> {
  // CHECK-NEXT: ^bb0(%[[A:.*]]: i64):
  // CHECK-NEXT: arith.muli %[[A]], %[[A]] : i64
  %2 = onnx.Mul %x, %x : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  // CHECK: arith.divsi
  %3 = onnx.Div %x, %y : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  // CHECK: arith.maxsi
  %4 = onnx.Max %x, %y : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  // CHECK: arith.minsi
  %5 = onnx.Min %x, %y : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>
}

// -----

// Pow: integer base and exponent in i64 (ipowi), float base with an integer
// exponent converted, integer base with a float exponent through f64.
// CHECK-LABEL: func.func @pow_variants
func.func @pow_variants(%i: tensor<4xi32>, %e: tensor<4xi64>, %f: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<4xi32>) {
  // CHECK: ^bb0(%[[I:.*]]: i32, %[[E:.*]]: i64):
  // CHECK-NEXT: %[[W:.*]] = arith.extsi %[[I]] : i32 to i64
  // CHECK-NEXT: %[[P:.*]] = math.ipowi %[[W]], %[[E]] : i64
  // CHECK-NEXT: %[[T:.*]] = arith.trunci %[[P]] : i64 to i32
  // CHECK-NEXT: wafer.yield %[[T]] : i32
  %0 = onnx.Pow %i, %e : (tensor<4xi32>, tensor<4xi64>) -> tensor<4xi32>
  // CHECK: ^bb0(%[[F:.*]]: f32, %[[E2:.*]]: i64):
  // CHECK-NEXT: %[[C:.*]] = arith.sitofp %[[E2]] : i64 to f32
  // CHECK-NEXT: math.powf %[[F]], %[[C]] : f32
  %1 = onnx.Pow %f, %e : (tensor<4xf32>, tensor<4xi64>) -> tensor<4xf32>
  // CHECK: ^bb0(%[[I2:.*]]: i32, %[[F2:.*]]: f32):
  // CHECK-NEXT: arith.sitofp %[[I2]] : i32 to f64
  // CHECK-NEXT: arith.extf %[[F2]] : f32 to f64
  // CHECK-NEXT: math.powf
  // CHECK-NEXT: arith.fptosi {{.*}} : f64 to i64
  // CHECK-NEXT: arith.trunci {{.*}} : i64 to i32
  %2 = onnx.Pow %i, %f : (tensor<4xi32>, tensor<4xf32>) -> tensor<4xi32>
  return %0, %1, %2 : tensor<4xi32>, tensor<4xf32>, tensor<4xi32>
}

// -----

// Comparisons and logic: i1 compares unsigned.
// CHECK-LABEL: func.func @compare_logic
func.func @compare_logic(%x: tensor<4xf32>, %y: tensor<4xf32>, %i: tensor<4xi64>, %b: tensor<4xi1>, %c: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  // CHECK: arith.cmpf oeq, %{{.*}}, %{{.*}} : f32
  %0 = onnx.Equal %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  // CHECK: arith.cmpf olt, %{{.*}}, %{{.*}} : f32
  %1 = onnx.Less %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  // CHECK: arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
  %2 = onnx.Greater %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  // CHECK: arith.cmpi slt, %{{.*}}, %{{.*}} : i64
  %3 = onnx.Less %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  // CHECK: arith.cmpi ugt, %{{.*}}, %{{.*}} : i1
  %4 = onnx.Greater %b, %c : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: arith.cmpi eq, %{{.*}}, %{{.*}} : i1
  %5 = onnx.Equal %b, %c : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: arith.andi %{{.*}}, %{{.*}} : i1
  %6 = onnx.And %b, %c : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: arith.ori %{{.*}}, %{{.*}} : i1
  %7 = onnx.Or %b, %c : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: %[[T:.*]] = arith.constant true
  // CHECK-NEXT: arith.xori %{{.*}}, %[[T]] : i1
  %8 = onnx.Not %b : (tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Where: a select; a splat constant branch (the attention mask fill) becomes
// a scalar constant in the body instead of an operand.
// CHECK-LABEL: func.func @where
// CHECK-SAME: (%[[C:.*]]: tensor<1x1x4x4xi1>, %[[X:.*]]: tensor<1x2x4x4xf32>)
func.func @where(%c: tensor<1x1x4x4xi1>, %x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  // CHECK: wafer.elementwise ins(%[[C]], %[[X]] : tensor<1x1x4x4xi1>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  // CHECK-NEXT: ^bb0(%[[B:.*]]: i1, %[[V:.*]]: f32):
  // CHECK-NEXT: %[[M:.*]] = arith.constant -3.40282347E+38 : f32
  // CHECK-NEXT: %[[S:.*]] = arith.select %[[B]], %[[V]], %[[M]] : f32
  // CHECK-NEXT: wafer.yield %[[S]] : f32
  %m = onnx.Constant dense<-3.40282347E+38> : tensor<f32>
  %y = onnx.Where %c, %x, %m : (tensor<1x1x4x4xi1>, tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Unary float ops.
// CHECK-LABEL: func.func @unary_float
func.func @unary_float(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: math.sqrt
  %0 = onnx.Sqrt %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: arith.divf %[[ONE]], %{{.*}} : f32
  %1 = onnx.Reciprocal %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: math.exp
  %2 = onnx.Exp %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: math.log
  %3 = onnx.Log %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: math.erf
  %4 = onnx.Erf %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: math.tanh
  %5 = onnx.Tanh %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: math.sin
  %6 = onnx.Sin %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: math.cos
  %7 = onnx.Cos %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: arith.negf
  %8 = onnx.Neg %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: math.absf
  %9 = onnx.Abs %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: arith.maximumf %{{.*}}, %[[Z]] : f32
  %10 = onnx.Relu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Unary integer ops.
// CHECK-LABEL: func.func @unary_int
func.func @unary_int(%x: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  // CHECK: %[[Z:.*]] = arith.constant 0 : i32
  // CHECK-NEXT: arith.subi %[[Z]], %{{.*}} : i32
  %0 = onnx.Neg %x : (tensor<4xi32>) -> tensor<4xi32>
  // CHECK: math.absi
  %1 = onnx.Abs %x : (tensor<4xi32>) -> tensor<4xi32>
  // CHECK: %[[Z2:.*]] = arith.constant 0 : i32
  // CHECK-NEXT: arith.maxsi %{{.*}}, %[[Z2]] : i32
  %2 = onnx.Relu %x : (tensor<4xi32>) -> tensor<4xi32>
  return %0, %1, %2 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// Sigmoid 1/(1+exp(-x)) and SiLU x/(1+exp(-x)), as the reference kernels.
// CHECK-LABEL: func.func @sigmoid_silu
func.func @sigmoid_silu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: ^bb0(%[[A:.*]]: f32):
  // CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: %[[N:.*]] = arith.negf %[[A]] : f32
  // CHECK-NEXT: %[[E:.*]] = math.exp %[[N]] : f32
  // CHECK-NEXT: %[[ONE2:.*]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: %[[D:.*]] = arith.addf %[[ONE2]], %[[E]] : f32
  // CHECK-NEXT: %[[R:.*]] = arith.divf %[[ONE]], %[[D]] : f32
  // CHECK-NEXT: wafer.yield %[[R]] : f32
  %0 = onnx.Sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: ^bb0(%[[X:.*]]: f32):
  // CHECK-NEXT: %[[N2:.*]] = arith.negf %[[X]] : f32
  // CHECK-NEXT: %[[E2:.*]] = math.exp %[[N2]] : f32
  // CHECK-NEXT: %[[O:.*]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: %[[D2:.*]] = arith.addf %[[O]], %[[E2]] : f32
  // CHECK-NEXT: %[[R2:.*]] = arith.divf %[[X]], %[[D2]] : f32
  // CHECK-NEXT: wafer.yield %[[R2]] : f32
  %1 = onnx.SiLU %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Gelu, exact: 0.5*x*(1+erf(x/sqrt(2))).
// CHECK-LABEL: func.func @gelu_none
func.func @gelu_none(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: ^bb0(%[[X:.*]]: f32):
  // CHECK-NEXT: %[[HC:.*]] = arith.constant 5.000000e-01 : f32
  // CHECK-NEXT: %[[H:.*]] = arith.mulf %[[HC]], %[[X]] : f32
  // CHECK-NEXT: %[[S2:.*]] = arith.constant 1.41421354 : f32
  // CHECK-NEXT: %[[D:.*]] = arith.divf %[[X]], %[[S2]] : f32
  // CHECK-NEXT: %[[E:.*]] = math.erf %[[D]] : f32
  // CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: %[[P:.*]] = arith.addf %[[ONE]], %[[E]] : f32
  // CHECK-NEXT: %[[R:.*]] = arith.mulf %[[H]], %[[P]] : f32
  // CHECK-NEXT: wafer.yield %[[R]] : f32
  %0 = onnx.Gelu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Gelu, tanh form: 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x*x*x))).
// CHECK-LABEL: func.func @gelu_tanh
func.func @gelu_tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: ^bb0(%[[X:.*]]: f32):
  // CHECK-NEXT: %[[HC:.*]] = arith.constant 5.000000e-01 : f32
  // CHECK-NEXT: %[[H:.*]] = arith.mulf %[[HC]], %[[X]] : f32
  // CHECK-NEXT: %[[K:.*]] = arith.constant 4.471500e-02 : f32
  // CHECK-NEXT: %[[C1:.*]] = arith.mulf %[[K]], %[[X]] : f32
  // CHECK-NEXT: %[[C2:.*]] = arith.mulf %[[C1]], %[[X]] : f32
  // CHECK-NEXT: %[[C3:.*]] = arith.mulf %[[C2]], %[[X]] : f32
  // CHECK-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[C3]] : f32
  // CHECK-NEXT: %[[SC:.*]] = arith.constant 0.797884583 : f32
  // CHECK-NEXT: %[[M:.*]] = arith.mulf %[[SC]], %[[S]] : f32
  // CHECK-NEXT: %[[T:.*]] = math.tanh %[[M]] : f32
  // CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: %[[P:.*]] = arith.addf %[[ONE]], %[[T]] : f32
  // CHECK-NEXT: %[[R:.*]] = arith.mulf %[[H]], %[[P]] : f32
  // CHECK-NEXT: wafer.yield %[[R]] : f32
  %0 = onnx.Gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Cast: every direction follows the reference Cast.
// CHECK-LABEL: func.func @cast
func.func @cast(%f: tensor<4xf32>, %i: tensor<4xi64>, %b: tensor<4xi1>, %h: tensor<4xf16>) -> (tensor<4xi8>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi32>, tensor<4xi64>, tensor<4xf16>, tensor<4xf32>, tensor<4xbf16>, tensor<4xf32>) {
  // CHECK: ^bb0(%[[F:.*]]: f32):
  // CHECK-NEXT: %[[W:.*]] = arith.fptosi %[[F]] : f32 to i64
  // CHECK-NEXT: %[[T:.*]] = arith.trunci %[[W]] : i64 to i8
  // CHECK-NEXT: wafer.yield %[[T]] : i8
  %0 = onnx.Cast %f : (tensor<4xf32>) -> tensor<4xi8>
  // CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: arith.cmpf une, %{{.*}}, %[[Z]] : f32
  %1 = onnx.Cast %f : (tensor<4xf32>) -> tensor<4xi1>
  // CHECK: arith.sitofp %{{.*}} : i64 to f32
  %2 = onnx.Cast %i : (tensor<4xi64>) -> tensor<4xf32>
  // CHECK: arith.uitofp %{{.*}} : i1 to f32
  %3 = onnx.Cast %b : (tensor<4xi1>) -> tensor<4xf32>
  // CHECK: %[[ZI:.*]] = arith.constant 0 : i64
  // CHECK-NEXT: arith.cmpi ne, %{{.*}}, %[[ZI]] : i64
  %4 = onnx.Cast %i : (tensor<4xi64>) -> tensor<4xi1>
  // CHECK: arith.trunci %{{.*}} : i64 to i32
  %5 = onnx.Cast %i : (tensor<4xi64>) -> tensor<4xi32>
  // CHECK: arith.extui %{{.*}} : i1 to i64
  %6 = onnx.Cast %b : (tensor<4xi1>) -> tensor<4xi64>
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  %7 = onnx.Cast %f : (tensor<4xf32>) -> tensor<4xf16>
  // CHECK: arith.extf %{{.*}} : f16 to f32
  %8 = onnx.Cast %h : (tensor<4xf16>) -> tensor<4xf32>
  // CHECK: arith.extf %{{.*}} : f16 to f32
  // CHECK-NEXT: arith.truncf %{{.*}} : f32 to bf16
  %9 = onnx.Cast %h : (tensor<4xf16>) -> tensor<4xbf16>
  // A cast to the same type is no op.
  // CHECK-NOT: wafer.elementwise
  // CHECK: return
  %10 = onnx.Cast %f : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10 : tensor<4xi8>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi32>, tensor<4xi64>, tensor<4xf16>, tensor<4xf32>, tensor<4xbf16>, tensor<4xf32>
}

// -----

// Identity forwards its operand; no op is left.
// CHECK-LABEL: func.func @identity
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]] : tensor<4xf32>
func.func @identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Identity %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

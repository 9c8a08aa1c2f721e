//===- WaferInterpreter.cpp - wafer ops onto the reference kernels --------===//
//
// Each wafer op is one call of an onnx kernel (Kernels.h) with its attributes
// turned into the kernel's arguments: the op semantics exist once, and the
// onnx -> wafer conversion can be checked bit for bit where it maps ops one
// to one. Sizes the wafer ops carry in their result types (split pieces,
// slice windows, reshape and broadcast targets) become the kernels' shape
// operands. The program-order loop is the onnx interpreter's (Driver.h).
//
//===----------------------------------------------------------------------===//

#include "wse/Reference/WaferInterpreter.h"

#include "WaferScalar.h"
#include "WaferTraining.h"
#include "dialects/onnx/IR/ONNXDialect.h"
#include "dialects/wafer/IR/WaferOps.h"
#include "wse/Reference/Driver.h"
#include "wse/Reference/Kernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wse::ref;
namespace wafer = wse::wafer;

bool wse::ref::holdsWaferOps(func::FuncOp func) {
  auto *dialect = func->getContext()->getLoadedDialect<wafer::WaferDialect>();
  if (!dialect)
    return false;
  return func
      .walk([&](Operation *op) {
        return op->getDialect() == dialect ? WalkResult::interrupt()
                                           : WalkResult::advance();
      })
      .wasInterrupted();
}

llvm::Expected<Tensor> WaferInterpreter::loadParameter(llvm::StringRef name) {
  auto param = SymbolTable::lookupNearestSymbolFrom<wafer::ParameterOp>(
      module, StringAttr::get(module.getContext(), name));
  if (!param)
    return makeError("no wafer.parameter @" + name);
  return readParameter(options.weightsDir, name, param.getType(),
                       param.getFile(), param.getOffset(), param.getLength());
}

static llvm::ArrayRef<int64_t> typeShape(Value v) {
  return llvm::cast<ShapedType>(v.getType()).getShape();
}

/// A 1-D i64 tensor holding `values`: the shape/index operand of a kernel.
static Tensor indexVector(llvm::ArrayRef<int64_t> values) {
  Tensor t(DType::I64, {static_cast<int64_t>(values.size())});
  t.i.assign(values.begin(), values.end());
  return t;
}

/// `x` with its elements in row-major order under another shape.
static llvm::Expected<Tensor> reshapeTo(const Tensor &x,
                                        llvm::ArrayRef<int64_t> shape) {
  if (numElements(shape) != x.numElements())
    return makeError("cannot reshape " + shapeString(x.shape) + " to " +
                     shapeString(shape) + ": element counts differ");
  Tensor r = x;
  r.shape.assign(shape.begin(), shape.end());
  return r;
}

/// wafer.linear: the Gemm kernel (alpha = beta = 1, so `acc + bias`, the
/// same bits as MatMul followed by Add) on the input flattened to 2-D.
static llvm::Expected<Tensor> linearLayer(const Tensor &x, const Tensor &w,
                                          const Tensor *bias,
                                          bool transposeWeight,
                                          llvm::ArrayRef<int64_t> outShape) {
  if (x.rank() < 1)
    return makeError("input must have rank at least 1");
  int64_t k = x.shape.back();
  auto x2 = reshapeTo(x, {k ? x.numElements() / k : 0, k});
  if (!x2)
    return x2.takeError();
  auto y = gemm(*x2, w, bias, 1.0f, 1.0f, /*transA=*/false, transposeWeight);
  if (!y)
    return y.takeError();
  return reshapeTo(*y, outShape);
}

/// wafer.slice: the ONNX Slice kernel on every axis, ends one past the last
/// element of the window (the window's size is the result's shape).
static llvm::Expected<Tensor> sliceWindow(const Tensor &x,
                                          llvm::ArrayRef<int64_t> offsets,
                                          llvm::ArrayRef<int64_t> strides,
                                          llvm::ArrayRef<int64_t> sizes) {
  if (offsets.size() != size_t(x.rank()) || strides.size() != offsets.size() ||
      sizes.size() != offsets.size())
    return makeError("offsets, strides and result need rank " +
                     llvm::Twine(x.rank()));
  std::vector<int64_t> ends, axes;
  for (size_t d = 0; d < offsets.size(); ++d) {
    if (strides[d] <= 0 || offsets[d] < 0)
      return makeError("dimension " + llvm::Twine(d) +
                       " needs a non-negative offset and a positive stride");
    ends.push_back(sizes[d] ? offsets[d] + (sizes[d] - 1) * strides[d] + 1
                            : offsets[d]);
    axes.push_back(static_cast<int64_t>(d));
  }
  return wse::ref::slice(x, indexVector(offsets), indexVector(ends),
                         indexVector(axes), indexVector(strides));
}

static ReduceKind reduceKind(wafer::ReduceKind kind) {
  switch (kind) {
  case wafer::ReduceKind::Sum:
    return ReduceKind::Sum;
  case wafer::ReduceKind::Mean:
    return ReduceKind::Mean;
  case wafer::ReduceKind::Max:
    return ReduceKind::Max;
  }
  return ReduceKind::Sum;
}

llvm::Expected<Results>
WaferInterpreter::evaluate(Operation *op, llvm::ArrayRef<const Tensor *> in) {
  using R = llvm::Expected<Results>;
  auto arg = [&](unsigned k) -> const Tensor & { return *in[k]; };
  auto outShape = [&](unsigned k = 0) { return typeShape(op->getResult(k)); };
  return llvm::TypeSwitch<Operation *, R>(op)
      // Weights and constants.
      .Case([&](wafer::StreamOp s) { return wrap(loadParameter(s.getName())); })
      .Case([&](wafer::ConstantOp c) {
        return wrap(tensorFromAttr(c.getValue()));
      })
      // Compute layers.
      .Case([&](wafer::LinearOp l) {
        return wrap(linearLayer(arg(0), arg(1), l.getBias() ? in[2] : nullptr,
                                l.getTransposeWeight(), outShape()));
      })
      .Case([&](wafer::MatmulOp) { return wrap(matmul(arg(0), arg(1))); })
      .Case([&](wafer::ElementwiseOp e) -> R {
        // Compiled once per evaluation of the op; the body is small, the
        // tensor is not.
        auto prog = ScalarProgram::compile(e.getBody().front());
        if (!prog)
          return prog.takeError();
        auto outType = dtypeOf(
            llvm::cast<ShapedType>(e.getOutput().getType()).getElementType());
        if (!outType)
          return outType.takeError();
        return wrap(prog->run(in, outShape(), *outType));
      })
      .Case([&](wafer::LayerNormOp l) {
        return wrap(layerNorm(arg(0), arg(1), l.getBias() ? in[2] : nullptr,
                              l.getAxis(), l.getEpsilon().convertToFloat()));
      })
      .Case([&](wafer::RMSNormOp r) {
        return wrap(rmsNorm(arg(0), arg(1), r.getAxis(),
                            r.getEpsilon().convertToFloat()));
      })
      .Case([&](wafer::SoftmaxOp s) {
        return wrap(softmax(arg(0), s.getAxis(), s.getLog()));
      })
      .Case([&](wafer::ReduceOp r) {
        return wrap(reduce(reduceKind(r.getKind()), arg(0), r.getAxes(),
                           r.getKeepdims(), /*noopWithEmptyAxes=*/false));
      })
      .Case([&](wafer::EmbeddingOp) {
        return wrap(gather(arg(0), arg(1), /*axis=*/0));
      })
      // Data movement.
      .Case(
          [&](wafer::ReshapeOp) { return wrap(reshapeTo(arg(0), outShape())); })
      .Case([&](wafer::TransposeOp t) {
        return wrap(transpose(arg(0), t.getPerm()));
      })
      .Case([&](wafer::ConcatOp c) { return wrap(concat(in, c.getAxis())); })
      .Case([&](wafer::SplitOp s) {
        std::vector<int64_t> sizes;
        for (Value piece : s.getOutputs()) {
          auto shape = typeShape(piece);
          int64_t rank = static_cast<int64_t>(shape.size());
          int64_t axis = s.getAxis() < 0 ? s.getAxis() + rank : s.getAxis();
          sizes.push_back(axis >= 0 && axis < rank ? shape[axis] : 0);
        }
        return wrap(split(arg(0), s.getAxis(), sizes, sizes.size()));
      })
      .Case([&](wafer::SliceOp s) {
        return wrap(
            sliceWindow(arg(0), s.getOffsets(), s.getStrides(), outShape()));
      })
      .Case([&](wafer::GatherOp g) {
        return wrap(gather(arg(0), arg(1), g.getAxis()));
      })
      .Case([&](wafer::BroadcastOp) {
        return wrap(expand(arg(0), indexVector(outShape())));
      })
      .Case([&](wafer::RelayoutOp) {
        return wrap(llvm::Expected<Tensor>(arg(0)));
      })
      // Training steps.
      .Case([&](wafer::CheckpointOp) {
        return wrap(llvm::Expected<Tensor>(arg(0)));
      })
      .Case([&](wafer::LossOp) { return wrap(nextTokenLoss(arg(0), arg(1))); })
      .Case([&](wafer::StreamOutOp s) -> R {
        egress.push_back({s.getName().str(), arg(0)});
        return Results();
      })
      .Default([&](Operation *) -> R {
        return makeError("unsupported op (the reference interpreter knows "
                         "the onnx and wafer dialects)");
      });
}

llvm::Expected<Results> WaferInterpreter::run(func::FuncOp func,
                                              llvm::ArrayRef<Tensor> inputs) {
  auto *waferDialect =
      func->getContext()->getLoadedDialect<wafer::WaferDialect>();
  return runFunction(
      func, inputs, options,
      [&](Operation *op,
          llvm::ArrayRef<const Tensor *> in) -> llvm::Expected<Results> {
        // onnx ops left by a partial conversion run on the onnx kernels.
        if (!waferDialect || op->getDialect() != waferDialect) {
          if (isa_and_nonnull<wse::onnxir::ONNXDialect>(op->getDialect()))
            return evaluateONNXOp(op, in, &onnx);
          return opError(op, "unsupported op (the reference interpreter "
                             "knows the onnx and wafer dialects)");
        }
        if (in.size() != op->getNumOperands())
          return opError(op, "given " + llvm::Twine(in.size()) +
                                 " operands for " +
                                 llvm::Twine(op->getNumOperands()));
        auto results = evaluate(op, in);
        if (!results)
          return opError(op, llvm::toString(results.takeError()));
        if (auto err = checkResults(op, *results))
          return std::move(err);
        return results;
      });
}

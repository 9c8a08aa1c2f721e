//===- wse-ref.cpp - Run an onnx- or wafer-dialect module on the host -----===//
//
//   wse-ref MODULE.mlir --weights DIR --input NAME=FILE.npy...
//           --output NAME=FILE.npy...
//
// Evaluates the module's function with the reference interpreter: the wafer
// interpreter if the function holds wafer ops, else the onnx one. Inputs and
// outputs are named by the function's `onnx.name` argument/result attributes
// (or by index, "0", "1", ...). Tensors are .npy files (read with the
// emulator's reader, written as float32).
//
//===----------------------------------------------------------------------===//

#include "wse/Reference/ONNXInterpreter.h"
#include "wse/Reference/WaferInterpreter.h"
#include "wse/Support/InputFile.h"
#include "wse/Support/Npy.h"

#include "wse/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<module.mlir>"),
                                      cl::Required);
static cl::opt<std::string>
    weightsDir("weights",
               cl::desc("directory the parameters' files are relative to "
                        "(default: the module file's directory)"),
               cl::value_desc("dir"));
static cl::list<std::string> inputs("input",
                                    cl::desc("NAME=FILE.npy for an argument"),
                                    cl::value_desc("name=file"));
static cl::list<std::string> outputs("output",
                                     cl::desc("NAME=FILE.npy for a result"),
                                     cl::value_desc("name=file"));
static cl::opt<std::string>
    entry("entry", cl::desc("function to run (default: the first func.func)"),
          cl::value_desc("name"));
static cl::opt<bool> printSummary(
    "print-outputs",
    cl::desc("print each result's shape and a few values to stdout"));

static int fail(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "wse-ref") << msg << "\n";
  return 1;
}

/// The name of argument/result `k`: its onnx.name, else its index.
static std::string ioName(DictionaryAttr attrs, unsigned k) {
  if (attrs)
    if (auto name = attrs.getAs<StringAttr>("onnx.name"))
      return name.str();
  return std::to_string(k);
}

/// Splits NAME=FILE; the name may also be the index.
static bool splitBinding(llvm::StringRef binding, llvm::StringRef &name,
                         llvm::StringRef &file) {
  std::tie(name, file) = binding.split('=');
  return !name.empty() && !file.empty();
}

static int lookup(llvm::ArrayRef<std::string> names, llvm::StringRef name) {
  for (auto [k, n] : llvm::enumerate(names))
    if (n == name || std::to_string(k) == name)
      return static_cast<int>(k);
  return -1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "wse-ref: reference interpreter for the onnx and wafer dialects\n");

  DialectRegistry registry;
  wse::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  // Bounded: /dev/zero was read until memory ran out.
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      wse::readInputFile(inputFile, wse::kMaxInputFileBytes, "input");
  if (!buffer)
    return fail(llvm::toString(buffer.takeError()));
  // MLIR's parser recurses per bracket (30,000 levels overflowed it).
  // (Named as MLIR names it: the path, or <stdin> for "-".)
  if (llvm::Error err = wse::checkMLIRNesting((*buffer)->getBuffer(),
                                              (*buffer)->getBufferIdentifier()))
    return fail(llvm::toString(std::move(err)));
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return fail("cannot parse '" + inputFile + "'");

  func::FuncOp func;
  for (auto f : module->getOps<func::FuncOp>())
    if (!f.isExternal() && (entry.empty() || f.getSymName() == entry)) {
      func = f;
      break;
    }
  if (!func)
    return fail(entry.empty() ? "the module has no function"
                              : "no function @" + entry);

  std::vector<std::string> argNames, resultNames;
  for (unsigned k = 0; k < func.getNumArguments(); ++k)
    argNames.push_back(ioName(func.getArgAttrDict(k), k));
  for (unsigned k = 0; k < func.getNumResults(); ++k)
    resultNames.push_back(ioName(func.getResultAttrDict(k), k));

  std::vector<wse::ref::Tensor> args(func.getNumArguments());
  std::vector<bool> given(func.getNumArguments(), false);
  for (const std::string &binding : inputs) {
    llvm::StringRef name, file;
    if (!splitBinding(binding, name, file))
      return fail("--input expects NAME=FILE.npy, got '" + binding + "'");
    int k = lookup(argNames, name);
    if (k < 0)
      return fail("--input " + name + ": the function has no argument '" +
                  name + "'");
    auto host = wse::readNpy(file);
    if (!host)
      return fail("--input " + name + ": " + llvm::toString(host.takeError()));
    wse::ref::Tensor t(wse::ref::DType::F32, {});
    t.shape.assign(host->shape.begin(), host->shape.end());
    t.f = std::move(host->data);
    args[k] = std::move(t);
    given[k] = true;
  }
  for (auto [k, name] : llvm::enumerate(argNames))
    if (!given[k])
      return fail("missing --input for argument '" + name + "'");

  wse::ref::InterpreterOptions options;
  if (!weightsDir.empty()) {
    options.weightsDir = weightsDir;
  } else {
    llvm::StringRef dir = llvm::sys::path::parent_path(inputFile);
    options.weightsDir = dir.empty() ? "." : dir.str();
  }
  wse::ref::WaferInterpreter wafer(*module, options);
  auto results =
      wse::ref::holdsWaferOps(func)
          ? wafer.run(func, args)
          : wse::ref::ONNXInterpreter(*module, options).run(func, args);
  if (!results)
    return fail(llvm::toString(results.takeError()));
  // A training step's gradients leave by wafer.stream_out: they are
  // outputs too, named grad.PARAM as --onnx-training-step's results.
  for (auto &[param, t] : wafer.gradients()) {
    resultNames.push_back("grad." + param);
    results->push_back(t);
  }

  for (const std::string &binding : outputs) {
    llvm::StringRef name, file;
    if (!splitBinding(binding, name, file))
      return fail("--output expects NAME=FILE.npy, got '" + binding + "'");
    int k = lookup(resultNames, name);
    if (k < 0)
      return fail("--output " + name + ": the function has no result '" + name +
                  "'");
    const wse::ref::Tensor &t = (*results)[k];
    wse::HostTensor host;
    host.shape.assign(t.shape.begin(), t.shape.end());
    host.data.resize(t.numElements());
    for (int64_t e = 0; e < t.numElements(); ++e)
      host.data[e] = static_cast<float>(t.getDouble(e));
    if (auto err = wse::writeNpy(file, host))
      return fail("--output " + name + ": " + llvm::toString(std::move(err)));
  }
  if (printSummary)
    for (auto [k, t] : llvm::enumerate(*results)) {
      llvm::outs() << resultNames[k] << ": " << wse::ref::shapeString(t.shape)
                   << "x" << wse::ref::dtypeName(t.dtype) << " [";
      for (int64_t e = 0; e < std::min<int64_t>(t.numElements(), 8); ++e)
        llvm::outs() << (e ? ", " : "") << t.getDouble(e);
      llvm::outs() << (t.numElements() > 8 ? ", ...]\n" : "]\n");
    }
  return 0;
}

//===- PEOps.cpp - The pe dialect operations ------------------------------===//
//
// Verifiers enforce, per op, what the emulator's program verifier and
// assembler enforce (docs/emulator/isa.md, include/wse/Emu/Verify.h), so a
// fully resolved module translates to a program that loads. Checks that need
// other symbols (buffers, constants, subroutines, tasks, channels, kernels,
// tensors) are in verifySymbolUses, run once per symbol table with cached
// lookups.
//
//===----------------------------------------------------------------------===//

#include "dialects/pe/IR/PEOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace wse::pe;
namespace emu = wse::emu;

//===----------------------------------------------------------------------===//
// Custom directive: a value printed like the descriptor parameters.
//===----------------------------------------------------------------------===//

static ParseResult parsePEValue(OpAsmParser &parser, Attribute &value) {
  FailureOr<Attribute> v = parseValueAttr(parser);
  if (failed(v))
    return failure();
  value = *v;
  return success();
}

static void printPEValue(OpAsmPrinter &printer, Operation *, Attribute value) {
  printValueAttr(printer, value);
}

// Custom directive: a set of directions as a list, `[E, R]` (in the order
// N E S W R).
static ParseResult parsePEDirSet(OpAsmParser &parser, DirSetAttr &dirs) {
  DirSet set = DirSet(0);
  auto parseOne = [&]() -> ParseResult {
    SMLoc at = parser.getCurrentLocation();
    StringRef word;
    if (parser.parseKeyword(&word))
      return failure();
    std::optional<Dir> d = symbolizeDir(word);
    if (!d)
      return parser.emitError(at)
             << "'" << word << "' is not a direction (N, E, S, W, R)";
    DirSet bit = DirSet(1u << uint32_t(*d));
    if (bitEnumContainsAny(set, bit))
      return parser.emitError(at) << "direction " << word << " listed twice";
    set = set | bit;
    return success();
  };
  if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square, parseOne))
    return failure();
  dirs = DirSetAttr::get(parser.getContext(), set);
  return success();
}

static void printPEDirSet(OpAsmPrinter &printer, Operation *, DirSetAttr dirs) {
  SmallVector<StringRef> names;
  for (uint32_t d = 0; d < emu::kNumDirs; ++d)
    if (bitEnumContainsAny(dirs.getValue(), DirSet(1u << d)))
      names.push_back(stringifyDir(Dir(d)));
  printer << '[';
  llvm::interleaveComma(names, printer);
  printer << ']';
}

// Custom directive: an edge port by its name, `W0` or `E3`.
static ParseResult parsePEPort(OpAsmParser &parser, PortAttr &port) {
  SMLoc at = parser.getCurrentLocation();
  StringRef name;
  if (parser.parseKeyword(&name))
    return failure();
  port = getPortByName(parser.getContext(), name);
  if (!port)
    return parser.emitError(at)
           << "'" << name << "' is not a port name like W0 or E3";
  return success();
}

static void printPEPort(OpAsmPrinter &printer, Operation *, PortAttr port) {
  printer << port.getName();
}

// Custom directive: a register, printed whole (#pe.reg<N>) like the
// registers inside descriptors.
static ParseResult parsePEReg(OpAsmParser &parser, RegAttr &reg) {
  SMLoc at = parser.getCurrentLocation();
  Attribute a;
  if (parser.parseAttribute(a))
    return failure();
  reg = dyn_cast<RegAttr>(a);
  if (!reg)
    return parser.emitError(at) << "expected a register #pe.reg<N>, got " << a;
  return success();
}

static void printPEReg(OpAsmPrinter &printer, Operation *, RegAttr reg) {
  printer.printAttribute(reg);
}

// Custom directive: what follows `to` in a pe.loop: the count, the
// stepped registers `iter(#pe.reg<1> = @c2 step 16, ...)` if any, and
// `layers` for a loop over layers.
static ParseResult parsePELoopBounds(OpAsmParser &parser, Attribute &count,
                                     ArrayAttr &iters, ArrayAttr &inits,
                                     DenseI64ArrayAttr &steps,
                                     UnitAttr &layers) {
  if (parsePEValue(parser, count))
    return failure();
  SmallVector<Attribute> regs, values;
  SmallVector<int64_t> strides;
  if (succeeded(parser.parseOptionalKeyword("iter"))) {
    auto parseOne = [&]() -> ParseResult {
      RegAttr reg;
      Attribute init;
      int64_t step;
      if (parsePEReg(parser, reg) || parser.parseEqual() ||
          parsePEValue(parser, init) || parser.parseKeyword("step") ||
          parser.parseInteger(step))
        return failure();
      regs.push_back(reg);
      values.push_back(init);
      strides.push_back(step);
      return success();
    };
    if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Paren, parseOne))
      return failure();
  }
  Builder b(parser.getContext());
  iters = b.getArrayAttr(regs);
  inits = b.getArrayAttr(values);
  steps = b.getDenseI64ArrayAttr(strides);
  if (succeeded(parser.parseOptionalKeyword("layers")))
    layers = b.getUnitAttr();
  return success();
}

static void printPELoopBounds(OpAsmPrinter &printer, Operation *,
                              Attribute count, ArrayAttr iters, ArrayAttr inits,
                              DenseI64ArrayAttr steps, UnitAttr layers) {
  printValueAttr(printer, count);
  if (!iters.empty()) {
    printer << " iter(";
    for (size_t i = 0; i < iters.size(); ++i) {
      if (i)
        printer << ", ";
      printer.printAttribute(iters[i]);
      printer << " = ";
      printValueAttr(printer, i < inits.size() ? inits[i] : Attribute());
      printer << " step " << (i < size_t(steps.size()) ? steps[i] : 0);
    }
    printer << ")";
  }
  if (layers)
    printer << " layers";
}

// Custom directive: the condition of a pe.if, `lhs ne rhs` or
// `lhs in [lo, hi)`.
static ParseResult parsePECondition(OpAsmParser &parser, PredicateAttr &pred,
                                    Attribute &lhs, Attribute &rhs,
                                    Attribute &upper) {
  if (parsePEValue(parser, lhs))
    return failure();
  SMLoc at = parser.getCurrentLocation();
  StringRef name;
  if (parser.parseKeyword(&name))
    return failure();
  std::optional<Predicate> p = symbolizePredicate(name);
  if (!p)
    return parser.emitError(at) << "expected a comparison (eq, ne, lt, ge or "
                                   "in), got '"
                                << name << "'";
  pred = PredicateAttr::get(parser.getContext(), *p);
  if (*p != Predicate::in)
    return parsePEValue(parser, rhs);
  return failure(parser.parseLSquare() || parsePEValue(parser, rhs) ||
                 parser.parseComma() || parsePEValue(parser, upper) ||
                 parser.parseRParen());
}

static void printPECondition(OpAsmPrinter &printer, Operation *,
                             PredicateAttr pred, Attribute lhs, Attribute rhs,
                             Attribute upper) {
  printValueAttr(printer, lhs);
  printer << " " << stringifyPredicate(pred.getValue()) << " ";
  if (pred.getValue() != Predicate::in) {
    printValueAttr(printer, rhs);
    return;
  }
  printer << "[";
  printValueAttr(printer, rhs);
  printer << ", ";
  printValueAttr(printer, upper);
  printer << ")";
}

// Custom directive: a symbol with a list of values, `@sum(#pe.reg<1>, 8)`
// (a subroutine with its parameters, a call with its arguments).
template <typename SymbolAttrT>
static ParseResult parsePESymbolAndList(OpAsmParser &parser, SymbolAttrT &sym,
                                        ArrayAttr &list) {
  StringAttr name;
  if (parser.parseSymbolName(name))
    return failure();
  if constexpr (std::is_same_v<SymbolAttrT, FlatSymbolRefAttr>)
    sym = FlatSymbolRefAttr::get(name);
  else
    sym = name;
  SmallVector<Attribute> items;
  if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Paren, [&] {
        Attribute a;
        if (parsePEValue(parser, a))
          return failure();
        items.push_back(a);
        return success();
      }))
    return failure();
  list = Builder(parser.getContext()).getArrayAttr(items);
  return success();
}

static void printPESymbolAndList(OpAsmPrinter &printer, Operation *,
                                 Attribute sym, ArrayAttr list) {
  if (auto ref = dyn_cast<FlatSymbolRefAttr>(sym))
    printer.printSymbolName(ref.getValue());
  else
    printer.printSymbolName(cast<StringAttr>(sym).getValue());
  printer << "(";
  llvm::interleaveComma(list, printer,
                        [&](Attribute a) { printValueAttr(printer, a); });
  printer << ")";
}

// Custom directive: a per-PE expression, printed bare.
static ParseResult parsePEExpr(OpAsmParser &parser, ExprAttr &expr) {
  FailureOr<ExprAttr> e = ExprAttr::parseBare(parser);
  if (failed(e))
    return failure();
  expr = *e;
  return success();
}

static void printPEExpr(OpAsmPrinter &printer, Operation *, ExprAttr expr) {
  expr.printBare(printer);
}

#define GET_OP_CLASSES
#include "dialects/pe/IR/PEInterfaces.cpp.inc"
#include "dialects/pe/IR/PEOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers shared with the passes and the translation.
//===----------------------------------------------------------------------===//

std::optional<emu::Opcode> wse::pe::getOpcode(Operation *op) {
  if (!isa_and_nonnull<PEDialect>(op->getDialect()))
    return std::nullopt;
  emu::Opcode code;
  if (!emu::lookupOpcode(op->getName().stripDialect(), code))
    return std::nullopt;
  return code;
}

std::optional<int64_t> wse::pe::getImmediate(Attribute attr) {
  auto i = dyn_cast_or_null<IntegerAttr>(attr);
  if (!i || !i.getType().isSignlessInteger(64))
    return std::nullopt;
  return i.getInt();
}

/// "W0", "E12" -> side and index among that side's ports.
static bool parsePortName(StringRef name, wse::machine::Side &side,
                          uint32_t &index) {
  if (name.size() < 2 || (name[0] != 'W' && name[0] != 'E'))
    return false;
  StringRef digits = name.drop_front();
  if (!llvm::all_of(digits, [](char c) { return c >= '0' && c <= '9'; }) ||
      digits.getAsInteger(10, index))
    return false;
  side = name[0] == 'W' ? wse::machine::Side::West : wse::machine::Side::East;
  return true;
}

PortAttr wse::pe::getPortByName(MLIRContext *ctx, StringRef name) {
  wse::machine::Side side;
  uint32_t index;
  if (!parsePortName(name, side, index))
    return nullptr;
  return PortAttr::get(ctx, side == wse::machine::Side::East, index);
}

void wse::pe::forEachValue(Attribute operand,
                           function_ref<void(Attribute, bool)> fn) {
  if (auto m = dyn_cast<MemAttr>(operand)) {
    fn(m.getOffset(), false);
    fn(m.getLength(), false);
    fn(m.getStride(), false);
  } else if (auto m = dyn_cast<AbsMemAttr>(operand)) {
    fn(m.getAddress(), false);
    fn(m.getLength(), false);
    fn(m.getStride(), false);
  } else if (auto in = dyn_cast<InAttr>(operand)) {
    fn(in.getColor(), true);
    fn(in.getLength(), false);
  } else if (auto out = dyn_cast<OutAttr>(operand)) {
    fn(out.getColor(), true);
    fn(out.getLength(), false);
  } else if (isa<IntegerAttr, RegAttr, FlatSymbolRefAttr, AddrAttr>(operand)) {
    fn(operand, false);
  }
}

FlatSymbolRefAttr wse::pe::getBufferRef(Attribute attr) {
  if (auto m = dyn_cast_or_null<MemAttr>(attr))
    return m.getBuffer();
  if (auto a = dyn_cast_or_null<AddrAttr>(attr))
    return a.getBuffer();
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Local checks.
//===----------------------------------------------------------------------===//

/// Names must be identifiers of the emulator's text form
/// ([A-Za-z_][A-Za-z0-9_.]*); kernel-local names must not look like a
/// register (r0, r12, ...).
static LogicalResult checkName(Operation *op, StringRef name, StringRef what,
                               bool kernelLocal) {
  auto identStart = [](char c) {
    return isalpha((unsigned char)c) || c == '_';
  };
  auto identChar = [](char c) {
    return isalnum((unsigned char)c) || c == '_' || c == '.';
  };
  if (name.empty() || !identStart(name[0]) || !llvm::all_of(name, identChar))
    return op->emitOpError()
           << what << " name '" << name
           << "' is not an identifier of the program's text form "
              "([A-Za-z_][A-Za-z0-9_.]*)";
  if (kernelLocal && name.size() >= 2 && name[0] == 'r' &&
      isdigit((unsigned char)name[1]))
    return op->emitOpError()
           << what << " name '" << name << "' looks like a register name";
  return success();
}

/// The emulator's program format stores coordinates in 16 bits; corners
/// and sizes are already checked by #mesh.rect itself.
static LogicalResult checkRect(Operation *op, wse::mesh::RectAttr rect) {
  if (rect.getEndX() > 65536 || rect.getEndY() > 65536)
    return op->emitOpError() << "rect " << rect
                             << " reaches past the program format's 65536 "
                                "columns or rows";
  return success();
}

/// Shape and element type of a tensor the program exchanges with the host.
static LogicalResult checkTensorType(Operation *op, Type t, bool outputOnly) {
  auto type = cast<RankedTensorType>(t);
  if (type.getRank() > emu::kMaxRank)
    return op->emitOpError()
           << "rank " << type.getRank() << " exceeds " << emu::kMaxRank;
  for (int64_t d : type.getShape())
    if (ShapedType::isDynamic(d) || d <= 0)
      return op->emitOpError()
             << "shape must be static with positive dimensions, got " << type;
  Type e = type.getElementType();
  if (outputOnly) {
    if (!e.isF32())
      return op->emitOpError() << "outputs are f32, got " << e;
    return success();
  }
  if (!(e.isF32() || e.isF16() || e.isBF16() || e.isSignlessInteger(32) ||
        e.isSignlessInteger(64) || e.isSignlessInteger(1)))
    return op->emitOpError()
           << "element type " << e
           << " is not one the emulator reads (f32, f16, bf16, i32, i64, i1)";
  return success();
}

LogicalResult ParamOp::verify() {
  if (failed(checkName(*this, getSymName(), "param", false)) ||
      failed(checkTensorType(*this, getType(), false)))
    return failure();
  bool hasFile = getFile().has_value(), hasValue = getValue().has_value();
  if (hasFile == hasValue)
    return emitOpError("needs exactly one of 'file' (with 'offset') or a "
                       "value, got ")
           << (hasFile ? "both" : "neither");
  if (getOffset() && !hasFile)
    return emitOpError("'offset' needs 'file'");
  if (hasFile && getFile()->empty())
    return emitOpError("'file' is empty");
  if (hasValue) {
    auto valueType = cast<ShapedType>(getValueAttr().getType());
    auto type = cast<RankedTensorType>(getType());
    if (valueType.getShape() != type.getShape() ||
        valueType.getElementType() != type.getElementType())
      return emitOpError("value of type ")
             << valueType << " does not match the param's type " << type;
  }
  return success();
}

LogicalResult InputOp::verify() {
  if (failed(checkName(*this, getSymName(), "input", false)))
    return failure();
  if (std::optional<ArrayRef<int64_t>> range = getRange()) {
    if (range->size() != 2)
      return emitOpError("range must be [lo, hi], got ")
             << range->size() << " values";
    if ((*range)[0] >= (*range)[1])
      return emitOpError("range [")
             << (*range)[0] << ", " << (*range)[1] << ") is empty";
  }
  return checkTensorType(*this, getType(), false);
}

LogicalResult OutputOp::verify() {
  if (failed(checkName(*this, getSymName(), "output", false)))
    return failure();
  return checkTensorType(*this, getType(), true);
}

LogicalResult OutputOp::verifySymbolUses(SymbolTableCollection &symbols) {
  if (!getGradient())
    return success();
  auto param =
      symbols.lookupNearestSymbolFrom<ParamOp>(*this, getGradientAttr());
  if (!param)
    return emitOpError("is the gradient of ")
           << getGradientAttr() << ", which is not a pe.param";
  auto type = cast<RankedTensorType>(param.getType());
  if (!type.getElementType().isF32() || !param.getFile())
    return emitOpError("is the gradient of ")
           << getGradientAttr()
           << ", which is not f32 weights read from a file (" << type << ")";
  if (type.getShape() != cast<RankedTensorType>(getType()).getShape())
    return emitOpError("has the shape of ")
           << getType() << ", but its parameter " << getGradientAttr() << " is "
           << type;
  return success();
}

LogicalResult KernelOp::verify() {
  if (failed(checkName(*this, getSymName(), "kernel", false)))
    return failure();
  unsigned tasks = 0;
  for (Operation &op : getBody().front()) {
    if (!isa<ConstOp, TableOp, BufferOp, TaskOp>(op))
      return emitOpError("holds only pe.const, pe.table, pe.buffer and "
                         "pe.task ops, found '")
             << op.getName() << "'";
    if (auto sym = op.getAttrOfType<StringAttr>(
            mlir::SymbolTable::getSymbolAttrName()))
      if (failed(checkName(&op, sym.getValue(), op.getName().stripDialect(),
                           true)))
        return failure();
    if (auto t = dyn_cast<TableOp>(op))
      if (t.getValues().empty() || t.getValues().size() > (1u << 24))
        return t.emitOpError("must have 1 to 2^24 entries");
    tasks += isa<TaskOp>(op);
  }
  if (tasks > emu::kMaxTasks)
    return emitOpError() << "has " << tasks << " tasks, at most "
                         << emu::kMaxTasks << " are allowed";
  return buildKernelConstants(*this, nullptr);
}

LogicalResult BufferOp::verify() {
  uint64_t size = getSize();
  if (int64_t(size) <= 0 || size > (1ull << 32))
    return emitOpError() << "size must be 1 to 2^32 words, got "
                         << int64_t(size);
  if (getAddress() &&
      (int64_t(*getAddress()) < 0 || *getAddress() > (1ull << 32)))
    return emitOpError() << "address " << int64_t(*getAddress())
                         << " is out of range (0 to 2^32 words)";
  return success();
}

/// A color given as an attribute of an op: a number below 256 or a symbol.
static LogicalResult checkColorAttr(Operation *op, Attribute color,
                                    StringRef what) {
  if (std::optional<int64_t> c = getImmediate(color)) {
    if (*c < 0 || *c > 255)
      return op->emitOpError()
             << what << " " << *c << " is out of range (0-255)";
    return success();
  }
  if (!isa<FlatSymbolRefAttr>(color))
    return op->emitOpError()
           << what << " must be an integer or a @symbol, got " << color;
  return success();
}

LogicalResult wse::pe::verifyCodeOp(Operation *op) {
  if (isa<InstructionOp, LoopOp, IfOp, CallOp>(op))
    return success();
  return op->emitOpError("is not code (an instruction, pe.loop, pe.if or "
                         "pe.call)");
}

LogicalResult TaskOp::verify() {
  bool isColor = getTrigger() == TaskTrigger::on;
  if (isColor && !getColorAttr())
    return emitOpError("an 'on' task needs a color");
  if (!isColor && getColorAttr())
    return emitOpError("only 'on' tasks have a color");
  if (isColor && failed(checkColorAttr(*this, getColorAttr(), "color")))
    return failure();
  // Code first, then the subroutines: emission places them after the code,
  // which must not run into them.
  Operation *lastCode = nullptr;
  bool subroutines = false;
  for (Operation &op : getBody().front()) {
    if (auto sub = dyn_cast<SubroutineOp>(op)) {
      if (failed(checkName(sub, sub.getSymName(), "subroutine", false)))
        return failure();
      subroutines = true;
      continue;
    }
    if (subroutines)
      return op.emitOpError("follows a pe.subroutine: a task's code comes "
                            "before its subroutines");
    if (failed(verifyCodeOp(&op)))
      return failure();
    lastCode = &op;
  }
  if (subroutines && !isa_and_nonnull<RetOp>(lastCode))
    return emitOpError("has subroutines, so its code must end with pe.ret "
                       "(it would run on into them)");
  return success();
}

LogicalResult TaskOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto sym = dyn_cast_or_null<FlatSymbolRefAttr>(getColorAttr());
  if (!sym)
    return success();
  Operation *kernel = (*this)->getParentOp();
  Operation *def = tables.lookupSymbolIn(kernel, sym);
  if (def && isa<ConstOp>(def))
    return success();
  if (Operation *module = kernel->getParentOp())
    if (isa_and_nonnull<ChannelOp>(tables.lookupSymbolIn(module, sym)))
      return success();
  return emitOpError("color ")
         << sym << " is neither a pe.const of the kernel nor a pe.channel";
}

LogicalResult PlaceOp::verify() { return checkRect(*this, getRect()); }

LogicalResult PlaceOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (!isa_and_nonnull<KernelOp>(
          tables.lookupNearestSymbolFrom(*this, getKernelAttr())))
    return emitOpError("kernel ") << getKernelAttr() << " does not exist";
  return success();
}

static LogicalResult checkChannelRef(Operation *op, Attribute color,
                                     SymbolTableCollection &tables) {
  auto sym = dyn_cast<FlatSymbolRefAttr>(color);
  if (!sym)
    return success();
  if (!isa_and_nonnull<ChannelOp>(tables.lookupNearestSymbolFrom(op, sym)))
    return op->emitOpError("color ") << sym << " is not a pe.channel";
  return success();
}

LogicalResult RouteOp::verify() {
  if (failed(checkRect(*this, getRect())) ||
      failed(checkColorAttr(*this, getColor(), "color")))
    return failure();
  if (getOutputs() == DirSet(0))
    return emitOpError("needs at least one output direction");
  return success();
}

LogicalResult RouteOp::verifySymbolUses(SymbolTableCollection &tables) {
  return checkChannelRef(*this, getColor(), tables);
}

LogicalResult FlowOp::verify() {
  if (failed(checkRect(*this, getRect())))
    return failure();
  StringRef kind = stringifyFlowKind(getKind());
  bool wantsPort =
      getKind() == FlowKind::multicast || getKind() == FlowKind::egress;
  bool wantsDir = !wantsPort;
  bool wantsPhase = getKind() == FlowKind::chain;
  if (wantsPort != getPort().has_value())
    return emitOpError() << "a " << kind << " flow "
                         << (wantsPort ? "needs" : "takes no") << " 'port'";
  if (wantsDir != getDir().has_value())
    return emitOpError() << "a " << kind << " flow "
                         << (wantsDir ? "needs" : "takes no") << " 'dir'";
  if (wantsPhase != getPhase().has_value())
    return emitOpError() << "a " << kind << " flow "
                         << (wantsPhase ? "needs" : "takes no") << " 'phase'";
  if (wantsDir && *getDir() == Dir::R)
    return emitOpError("dir must be one of N, E, S, W, got R");
  if (wantsPhase && *getPhase() != 0 && *getPhase() != 1)
    return emitOpError() << "phase must be 0 or 1, got "
                         << int64_t(*getPhase());
  if (getKind() == FlowKind::egress && getRect().getNumPEs() != 1)
    return emitOpError("an egress flow starts at a single PE, got a ")
           << getRect().getWidth() << "x" << getRect().getHeight() << " rect";
  return success();
}

LogicalResult FlowOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (!isa_and_nonnull<ChannelOp>(
          tables.lookupNearestSymbolFrom(*this, getChannelAttr())))
    return emitOpError("channel ")
           << getChannelAttr() << " is not a pe.channel";
  return success();
}

/// Port, color and slice of a stream; the tensor's bounds when known.
static LogicalResult verifyStream(Operation *op, Attribute color,
                                  std::optional<uint64_t> offset,
                                  std::optional<ArrayRef<int64_t>> shape,
                                  std::optional<ArrayRef<int64_t>> strides) {
  if (failed(checkColorAttr(op, color, "color")))
    return failure();
  if ((offset || shape || strides) && !(shape && strides))
    return op->emitOpError("a slice needs 'shape' and 'strides' ('offset' "
                           "defaults to 0)");
  if (shape) {
    if (shape->size() != strides->size())
      return op->emitOpError() << "slice shape has rank " << shape->size()
                               << " but strides have " << strides->size();
    if (shape->size() > emu::kMaxRank)
      return op->emitOpError() << "slice rank exceeds " << emu::kMaxRank;
    if (llvm::any_of(*shape, [](int64_t d) { return d <= 0; }))
      return op->emitOpError("slice dimensions must be positive");
    if (llvm::any_of(*strides, [](int64_t d) { return d < 0; }))
      return op->emitOpError("slice strides must be non-negative");
    if (offset && int64_t(*offset) < 0)
      return op->emitOpError("slice offset must be non-negative");
  }
  return success();
}

/// The tensor a stream names, checked against its slice.
static LogicalResult verifyStreamTensor(
    Operation *op, FlatSymbolRefAttr name, bool inbound,
    std::optional<uint64_t> offset, std::optional<ArrayRef<int64_t>> shape,
    std::optional<ArrayRef<int64_t>> strides, SymbolTableCollection &tables) {
  Operation *def = tables.lookupNearestSymbolFrom(op, name);
  Type type;
  if (inbound) {
    if (auto p = dyn_cast_or_null<ParamOp>(def))
      type = p.getType();
    else if (auto in = dyn_cast_or_null<InputOp>(def))
      type = in.getType();
    else
      return op->emitOpError("tensor ")
             << name << " is not a pe.param or pe.input";
  } else {
    auto out = dyn_cast_or_null<OutputOp>(def);
    if (!out)
      return op->emitOpError("tensor ") << name << " is not a pe.output";
    type = out.getType();
  }
  if (!shape)
    return success();
  auto t = cast<RankedTensorType>(type);
  if (!t.hasStaticShape())
    return success(); // the tensor op reports it
  int64_t n = t.getNumElements();
  int64_t last = offset ? int64_t(*offset) : 0;
  for (size_t d = 0; d < shape->size(); ++d)
    last += ((*shape)[d] - 1) * (*strides)[d];
  if (last >= n)
    return op->emitOpError() << "slice reaches element " << last << " of "
                             << name << ", which has " << n << " elements";
  return success();
}

static std::optional<uint64_t> optU64(std::optional<uint64_t> v) { return v; }

LogicalResult StreamInOp::verify() {
  return verifyStream(*this, getColor(), optU64(getOffset()), getShape(),
                      getStrides());
}

LogicalResult StreamInOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (failed(checkChannelRef(*this, getColor(), tables)))
    return failure();
  return verifyStreamTensor(*this, getTensorAttr(), true, optU64(getOffset()),
                            getShape(), getStrides(), tables);
}

LogicalResult StreamOutOp::verify() {
  return verifyStream(*this, getColor(), optU64(getOffset()), getShape(),
                      getStrides());
}

LogicalResult StreamOutOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (failed(checkChannelRef(*this, getColor(), tables)))
    return failure();
  return verifyStreamTensor(*this, getTensorAttr(), false, optU64(getOffset()),
                            getShape(), getStrides(), tables);
}

//===----------------------------------------------------------------------===//
// Instructions.
//===----------------------------------------------------------------------===//

static LogicalResult verifyInstr(Operation *op, ArrayRef<Attribute> operands) {
  std::optional<emu::Opcode> code = getOpcode(op);
  if (!code)
    return op->emitOpError("is not an instruction of the emulator");
  // The op classes mirror the emulator's opcode table; ODS checked each
  // operand's kind.
  StringRef sig = emu::opcodeInfo(*code).signature;
  if (sig != cast<InstructionOp>(op).getSignature())
    return op->emitOpError()
           << "has operands " << cast<InstructionOp>(op).getSignature()
           << " but the emulator's opcode takes " << sig;
  for (auto [i, a] : llvm::enumerate(operands)) {
    LogicalResult ok = success();
    forEachValue(a, [&](Attribute v, bool isColor) {
      if (failed(ok))
        return;
      if (!isValueAttr(v)) {
        ok = op->emitOpError() << "operand " << i + 1 << ": " << v
                               << " is not a value (integer, #pe.reg, "
                                  "@symbol or #pe.addr)";
        return;
      }
      if (isColor)
        if (std::optional<int64_t> c = getImmediate(v);
            c && (*c < 0 || *c > 255))
          ok = op->emitOpError() << "operand " << i + 1 << ": color " << *c
                                 << " is out of range (0-255)";
    });
    if (failed(ok))
      return failure();
    std::optional<int64_t> len;
    if (auto m = dyn_cast<MemAttr>(a))
      len = getImmediate(m.getLength());
    else if (auto m = dyn_cast<AbsMemAttr>(a))
      len = getImmediate(m.getLength());
    else if (auto m = dyn_cast<InAttr>(a))
      len = getImmediate(m.getLength());
    else if (auto m = dyn_cast<OutAttr>(a))
      len = getImmediate(m.getLength());
    if (len && *len <= 0)
      return op->emitOpError() << "operand " << i + 1 << ": length " << *len
                               << " must be positive";
  }
  return success();
}

LogicalResult wse::pe::verifyValueSymbols(Operation *op, Attribute operand,
                                          unsigned index,
                                          SymbolTableCollection &tables) {
  auto kernel = op->getParentOfType<KernelOp>();
  if (!kernel)
    return success();
  Operation *module = kernel->getParentOp();
  if (FlatSymbolRefAttr buf = getBufferRef(operand))
    if (!isa_and_nonnull<BufferOp>(tables.lookupSymbolIn(kernel, buf)))
      return op->emitOpError() << "operand " << index << ": buffer " << buf
                               << " is not a pe.buffer of this kernel";
  LogicalResult ok = success();
  forEachValue(operand, [&](Attribute v, bool isColor) {
    if (failed(ok))
      return;
    if (FlatSymbolRefAttr buf = getBufferRef(v)) {
      if (!isa_and_nonnull<BufferOp>(tables.lookupSymbolIn(kernel, buf)))
        ok = op->emitOpError() << "operand " << index << ": buffer " << buf
                               << " is not a pe.buffer of this kernel";
      return;
    }
    auto sym = dyn_cast<FlatSymbolRefAttr>(v);
    if (!sym)
      return;
    if (isa_and_nonnull<ConstOp>(tables.lookupSymbolIn(kernel, sym)))
      return;
    if (isColor && module &&
        isa_and_nonnull<ChannelOp>(tables.lookupSymbolIn(module, sym)))
      return;
    ok = op->emitOpError() << "operand " << index << ": " << sym
                           << (isColor ? " is neither a pe.const of the "
                                         "kernel nor a pe.channel"
                                       : " is not a pe.const of the kernel");
  });
  return ok;
}

static LogicalResult verifyInstrSymbols(Operation *op,
                                        ArrayRef<Attribute> operands,
                                        SymbolTableCollection &tables) {
  std::optional<emu::Opcode> code = getOpcode(op);
  if (!code)
    return success();
  StringRef sig = emu::opcodeInfo(*code).signature;
  auto kernel = op->getParentOfType<KernelOp>();
  if (!kernel)
    return success();
  for (auto [i, a] : llvm::enumerate(operands)) {
    if (i >= sig.size())
      break;
    if (sig[i] == 'T') {
      auto sym = cast<FlatSymbolRefAttr>(a);
      if (!isa_and_nonnull<TaskOp>(tables.lookupSymbolIn(kernel, sym)))
        return op->emitOpError() << "operand " << i + 1 << ": task " << sym
                                 << " is not a pe.task of this kernel";
      continue;
    }
    if (failed(verifyValueSymbols(op, a, i + 1, tables)))
      return failure();
  }
  return success();
}

#define PE_INSTR_VERIFY(Name)                                                  \
  LogicalResult Name##Op::verify() {                                           \
    return verifyInstr(getOperation(), getInstrOperands());                    \
  }                                                                            \
  LogicalResult Name##Op::verifySymbolUses(SymbolTableCollection &tables) {    \
    return verifyInstrSymbols(getOperation(), getInstrOperands(), tables);     \
  }
PE_INSTR_VERIFY(Fill)
PE_INSTR_VERIFY(IFill)
PE_INSTR_VERIFY(Copy)
PE_INSTR_VERIFY(Add)
PE_INSTR_VERIFY(Sub)
PE_INSTR_VERIFY(Mul)
PE_INSTR_VERIFY(Div)
PE_INSTR_VERIFY(Max)
PE_INSTR_VERIFY(Min)
PE_INSTR_VERIFY(Fma)
PE_INSTR_VERIFY(Fmac)
PE_INSTR_VERIFY(Exp)
PE_INSTR_VERIFY(Tanh)
PE_INSTR_VERIFY(Erf)
PE_INSTR_VERIFY(Sigmoid)
PE_INSTR_VERIFY(Rsqrt)
PE_INSTR_VERIFY(Sqrt)
PE_INSTR_VERIFY(Neg)
PE_INSTR_VERIFY(Abs)
PE_INSTR_VERIFY(Recip)
PE_INSTR_VERIFY(RSum)
PE_INSTR_VERIFY(RMax)
PE_INSTR_VERIFY(Mov)
PE_INSTR_VERIFY(IAdd)
PE_INSTR_VERIFY(ISub)
PE_INSTR_VERIFY(IMul)
PE_INSTR_VERIFY(Activate)
PE_INSTR_VERIFY(Ret)
PE_INSTR_VERIFY(Select)
PE_INSTR_VERIFY(Log)
PE_INSTR_VERIFY(Mark)

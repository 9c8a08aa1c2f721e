//===- Assembler.cpp - Text form -> Program -------------------------------===//

#include "Lexer.h"
#include "wse/Emu/Expr.h"
#include "wse/Emu/TextFormat.h"
#include "wse/Emu/Verify.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdlib>

using namespace llvm;

namespace wse::emu {

namespace {

class Parser {
public:
  Parser(StringRef text, StringRef name) : lex(text), bufferName(name) {
    tok = lex.next();
  }

  Expected<Program> run();

private:
  // Token helpers. Every parse function returns true on error, after
  // recording the first error with its location.
  bool fail(const Twine &msg) { return failAt(tok, msg); }
  bool failAt(const Token &t, const Twine &msg) {
    if (error.empty())
      error =
          formatv("{0}:{1}:{2}: ", bufferName, t.line, t.col).str() + msg.str();
    return true;
  }
  void consume() { tok = lex.next(); }
  bool isPunct(StringRef p) const {
    return tok.kind == Token::Punct && tok.text == p;
  }
  bool isIdent(StringRef s) const {
    return tok.kind == Token::Ident && tok.text == s;
  }
  bool expectPunct(StringRef p) {
    if (!isPunct(p))
      return fail("expected '" + p + "'" + found());
    consume();
    return false;
  }
  bool expectKeyword(StringRef k) {
    if (!isIdent(k))
      return fail("expected '" + k + "'" + found());
    consume();
    return false;
  }
  std::string found() const {
    switch (tok.kind) {
    case Token::Eof:
      return " but reached the end of the file";
    case Token::Error:
      return " (" + tok.str + ")";
    default:
      return ", found '" + tok.text.str() + "'";
    }
  }
  bool parseIdent(std::string &out, StringRef what) {
    if (tok.kind != Token::Ident)
      return fail("expected " + what + found());
    out = tok.text.str();
    consume();
    return false;
  }
  bool parseUInt(uint64_t &out, StringRef what) {
    if (tok.kind != Token::Int)
      return fail("expected " + what + " (a non-negative integer)" + found());
    out = tok.intValue;
    consume();
    return false;
  }
  bool parseU32(uint32_t &out, StringRef what) {
    uint64_t v;
    Token at = tok;
    if (parseUInt(v, what))
      return true;
    if (v > UINT32_MAX)
      return failAt(at, what + " is too large");
    out = uint32_t(v);
    return false;
  }
  bool parseSInt(int64_t &out, StringRef what) {
    bool neg = false;
    Token at = tok;
    if (isPunct("-")) {
      neg = true;
      consume();
    }
    uint64_t v;
    if (parseUInt(v, what))
      return true;
    if (v > (neg ? (1ull << 63) : (1ull << 63) - 1))
      return failAt(at, what + " is out of range");
    out = neg ? int64_t(0ull - v) : int64_t(v);
    return false;
  }
  bool parseFloat(float &out);
  bool parseString(std::string &out, StringRef what) {
    if (tok.kind != Token::String)
      return fail("expected " + what + " (a quoted string)" + found());
    out = tok.str;
    consume();
    return false;
  }

  // Top level.
  bool parseTopLevel();
  bool parseTensor(std::vector<TensorDecl> &list, bool isParam);
  bool parseRect(Rect &r);
  bool parseDir(Dir &d);
  bool parseRoute();
  bool parsePlace();
  bool parseStream();
  bool parseKernel();

  // Kernel level.
  bool parseConst(Kernel &k);
  bool parseTable(Kernel &k);
  bool parseBuffer(Kernel &k);
  bool parseTask(Kernel &k);
  bool parseInstr(Kernel &k, Task &t);
  bool parseValue(Kernel &k, Value &v);
  bool parseOperand(Kernel &k, Task &t, char sig, Operand &o);

  // Expressions (precedence climbing, emitting reverse Polish). Every
  // recursion goes through parseExpr or parseUnary, which count the nesting.
  bool parseExpr(Kernel &k, Expr &e);
  bool enterNested();
  bool parseCompare(Kernel &k, Expr &e);
  bool parseAdditive(Kernel &k, Expr &e);
  bool parseMultiplicative(Kernel &k, Expr &e);
  bool parseUnary(Kernel &k, Expr &e);
  bool parsePrimary(Kernel &k, Expr &e);

  Lexer lex;
  Token tok;
  StringRef bufferName;
  std::string error;
  Program prog;
  bool sawVersion = false;

  // Forward references inside one kernel/task, resolved at its end.
  struct Fixup {
    Token at;
    std::string name;
    Operand *op;
  };
  std::vector<std::pair<Token, std::pair<size_t, size_t>>> labelFixups;
  std::vector<std::pair<Token, std::pair<size_t, std::pair<size_t, size_t>>>>
      taskFixups;
  std::vector<std::string> pendingLabelNames;
  std::vector<std::string> pendingTaskNames;
  unsigned exprNesting = 0;
};

bool Parser::parseFloat(float &out) {
  bool neg = false;
  if (isPunct("-")) {
    neg = true;
    consume();
  }
  if (tok.kind == Token::Ident && (tok.text == "inf" || tok.text == "nan")) {
    out = tok.text == "inf" ? INFINITY : NAN;
  } else if (tok.kind == Token::Int || tok.kind == Token::Float) {
    std::string s = tok.text.str();
    out = std::strtof(s.c_str(), nullptr);
  } else {
    return fail("expected a floating-point number" + found());
  }
  if (neg)
    out = -out;
  consume();
  return false;
}

bool Parser::parseRect(Rect &r) {
  if (expectKeyword("rect") || expectPunct("(") || parseU32(r.x, "x") ||
      expectPunct(",") || parseU32(r.y, "y") || expectPunct(",") ||
      parseU32(r.w, "width") || expectPunct(",") || parseU32(r.h, "height") ||
      expectPunct(")"))
    return true;
  return false;
}

bool Parser::parseDir(Dir &d) {
  if (tok.kind == Token::Ident && tok.text.size() == 1) {
    switch (tok.text[0]) {
    case 'N':
      d = North;
      break;
    case 'E':
      d = East;
      break;
    case 'S':
      d = South;
      break;
    case 'W':
      d = West;
      break;
    case 'R':
      d = Ramp;
      break;
    default:
      return fail("expected a direction N, E, S, W or R" + found());
    }
    consume();
    return false;
  }
  return fail("expected a direction N, E, S, W or R" + found());
}

bool Parser::parseTensor(std::vector<TensorDecl> &list, bool isParam) {
  TensorDecl t;
  if (parseIdent(t.name, "a tensor name") || expectPunct(":"))
    return true;
  std::string dt;
  Token at = tok;
  if (parseIdent(dt, "a dtype"))
    return true;
  if (!parseDType(dt, t.dtype))
    return failAt(at, "unknown dtype '" + dt +
                          "' (f32, f16, bf16, i32, i64, bool)");
  if (expectPunct("["))
    return true;
  while (!isPunct("]")) {
    uint64_t d;
    if (parseUInt(d, "a dimension"))
      return true;
    t.shape.push_back(d);
    if (!isPunct("]") && expectPunct(","))
      return true;
  }
  consume();
  if (isParam) {
    if (expectKeyword("file") || parseString(t.file, "a weight file name") ||
        expectKeyword("offset") || parseUInt(t.offset, "a byte offset"))
      return true;
  }
  if (&list == &prog.inputs && isIdent("range")) {
    Token at = tok;
    consume();
    if (prog.version < 2)
      return failAt(at, "an input range needs 'version 2'");
    int64_t lo, hi;
    if (expectPunct("(") || parseSInt(lo, "the range's lowest value") ||
        expectPunct(",") || parseSInt(hi, "the range's end") ||
        expectPunct(")"))
      return true;
    t.range = std::make_pair(lo, hi);
  }
  if (&list == &prog.outputs && isIdent("gradient")) {
    Token at = tok;
    consume();
    if (prog.version < 3)
      return failAt(at, "a gradient output needs 'version 3'");
    if (expectPunct("(") || parseIdent(t.gradientOf, "a parameter name") ||
        expectPunct(")"))
      return true;
  }
  list.push_back(std::move(t));
  return false;
}

bool Parser::parsePlace() {
  std::string name;
  Token at = tok;
  if (parseIdent(name, "a kernel name"))
    return true;
  Placement pl;
  bool found = false;
  for (size_t i = 0; i < prog.kernels.size(); ++i)
    if (prog.kernels[i].name == name) {
      pl.kernel = i;
      found = true;
    }
  if (!found)
    return failAt(at, "unknown kernel '" + name +
                          "' (define it before placing it)");
  if (parseRect(pl.rect))
    return true;
  prog.placements.push_back(pl);
  return false;
}

bool Parser::parseRoute() {
  Route r;
  if (parseRect(r.rect) || expectKeyword("color") ||
      parseU32(r.color, "a color") || expectPunct(":") || parseDir(r.in) ||
      expectPunct("->"))
    return true;
  while (true) {
    Dir d;
    Token at = tok;
    if (parseDir(d))
      return true;
    if (r.outMask & (1u << d))
      return failAt(at, "direction listed twice");
    r.outMask |= 1u << d;
    if (!isPunct(","))
      break;
    consume();
  }
  prog.routes.push_back(r);
  return false;
}

bool Parser::parseStream() {
  StreamOp s;
  Token at = tok;
  std::string dir;
  if (parseIdent(dir, "'in' or 'out'"))
    return true;
  if (dir != "in" && dir != "out")
    return failAt(at, "expected 'in' or 'out' after 'stream'");
  s.inbound = dir == "in";
  std::string name;
  at = tok;
  if (parseIdent(name, "a tensor name"))
    return true;
  bool found = false;
  auto lookup = [&](const std::vector<TensorDecl> &ts, TensorKind kind) {
    for (size_t i = 0; i < ts.size(); ++i)
      if (ts[i].name == name) {
        s.kind = kind;
        s.tensor = i;
        found = true;
      }
  };
  if (s.inbound) {
    lookup(prog.params, TensorKind::Param);
    lookup(prog.inputs, TensorKind::Input);
    if (!found)
      return failAt(at, "'" + name + "' is not a declared param or input");
  } else {
    lookup(prog.outputs, TensorKind::Output);
    if (!found)
      return failAt(at, "'" + name + "' is not a declared output");
  }
  const TensorDecl &t = prog.tensors(s.kind)[s.tensor];
  if (isIdent("offset")) {
    consume();
    if (parseUInt(s.slice.offset, "an element offset") ||
        expectKeyword("shape") || expectPunct("["))
      return true;
    while (!isPunct("]")) {
      uint64_t d;
      if (parseUInt(d, "a dimension"))
        return true;
      s.slice.shape.push_back(d);
      if (!isPunct("]") && expectPunct(","))
        return true;
    }
    consume();
    if (expectKeyword("strides") || expectPunct("["))
      return true;
    while (!isPunct("]")) {
      uint64_t d;
      if (parseUInt(d, "a stride"))
        return true;
      s.slice.strides.push_back(d);
      if (!isPunct("]") && expectPunct(","))
        return true;
    }
    consume();
  } else {
    s.slice.shape = t.shape;
    s.slice.strides.assign(t.shape.size(), 1);
    for (size_t d = t.shape.size(); d-- > 1;)
      s.slice.strides[d - 1] = s.slice.strides[d] * t.shape[d];
  }
  if (expectKeyword(s.inbound ? "to" : "from"))
    return true;
  at = tok;
  std::string port;
  if (parseIdent(port, "a port name (W0, E1, ...)"))
    return true;
  if (port.size() < 2 || (port[0] != 'W' && port[0] != 'E') ||
      StringRef(port).drop_front().getAsInteger(10, s.port))
    return failAt(at,
                  "expected a port name like W0 or E1, found '" + port + "'");
  s.side = port[0] == 'W' ? machine::Side::West : machine::Side::East;
  if (expectKeyword("color") || parseU32(s.color, "a color"))
    return true;
  prog.streams.push_back(std::move(s));
  return false;
}

bool Parser::parseKernel() {
  Kernel k;
  if (parseIdent(k.name, "a kernel name") || expectPunct("{"))
    return true;
  for (const Kernel &o : prog.kernels)
    if (o.name == k.name)
      return fail("kernel '" + k.name + "' is defined twice");
  pendingTaskNames.clear();
  taskFixups.clear();
  while (!isPunct("}")) {
    Token at = tok;
    std::string kw;
    if (parseIdent(kw, "'const', 'table', 'buffer', 'task' or '}'"))
      return true;
    bool bad;
    if (kw == "const")
      bad = parseConst(k);
    else if (kw == "table")
      bad = parseTable(k);
    else if (kw == "buffer")
      bad = parseBuffer(k);
    else if (kw == "task")
      bad = parseTask(k);
    else
      return failAt(at, "unknown kernel item '" + kw +
                            "' (expected const, table, buffer or task)");
    if (bad)
      return true;
  }
  consume();
  for (auto &[at, ref] : taskFixups) {
    const std::string &name = pendingTaskNames[ref.first];
    bool found = false;
    for (size_t i = 0; i < k.tasks.size(); ++i)
      if (k.tasks[i].name == name) {
        k.tasks[ref.second.first].code[ref.second.second].ops[0].index = i;
        found = true;
      }
    if (!found)
      return failAt(at,
                    "unknown task '" + name + "' in kernel '" + k.name + "'");
  }
  prog.kernels.push_back(std::move(k));
  return false;
}

bool Parser::parseConst(Kernel &k) {
  ConstDef c;
  if (parseIdent(c.name, "a constant name") || expectPunct("=") ||
      parseExpr(k, c.expr))
    return true;
  k.consts.push_back(std::move(c));
  return false;
}

bool Parser::parseTable(Kernel &k) {
  TableDef t;
  if (parseIdent(t.name, "a table name") || expectPunct("=") ||
      expectPunct("["))
    return true;
  while (!isPunct("]")) {
    int64_t v;
    if (parseSInt(v, "a table entry"))
      return true;
    t.values.push_back(v);
    if (!isPunct("]") && expectPunct(","))
      return true;
  }
  consume();
  k.tables.push_back(std::move(t));
  return false;
}

bool Parser::parseBuffer(Kernel &k) {
  Buffer b;
  if (parseIdent(b.name, "a buffer name") || expectPunct("[") ||
      parseUInt(b.size, "a buffer size in words") || expectPunct("]") ||
      expectKeyword("at") || parseUInt(b.address, "a word address"))
    return true;
  if (isIdent("init")) {
    consume();
    b.hasInit = true;
    if (parseFloat(b.init))
      return true;
  }
  k.buffers.push_back(std::move(b));
  return false;
}

bool Parser::parseTask(Kernel &k) {
  Task t;
  if (parseIdent(t.name, "a task name"))
    return true;
  if (isIdent("entry")) {
    consume();
    t.trigger = TriggerKind::Entry;
  } else if (isIdent("on")) {
    consume();
    t.trigger = TriggerKind::Color;
    Token at = tok;
    if (parseValue(k, t.color))
      return true;
    if (t.color.kind == Value::Reg)
      return failAt(at, "a task's color must be a number or a constant");
  }
  if (expectPunct("{"))
    return true;
  labelFixups.clear();
  pendingLabelNames.clear();
  size_t taskIndex = k.tasks.size();
  k.tasks.push_back(std::move(t));
  while (!isPunct("}")) {
    Task &cur = k.tasks[taskIndex];
    if (tok.kind != Token::Ident)
      return fail("expected an instruction, a label or '}'" + found());
    Token at = tok;
    std::string name = tok.text.str();
    consume();
    if (isPunct(":")) {
      consume();
      for (const Label &l : cur.labels)
        if (l.name == name)
          return failAt(at, "label '" + name + "' is defined twice");
      cur.labels.push_back({name, uint32_t(cur.code.size())});
      continue;
    }
    Instr in;
    if (!lookupOpcode(name, in.op))
      return failAt(at, "unknown instruction '" + name + "'");
    StringRef sig = opcodeInfo(in.op).signature;
    in.numOperands = sig.size();
    cur.code.push_back(in);
    for (size_t i = 0; i < sig.size(); ++i) {
      if (i && expectPunct(","))
        return true;
      if (parseOperand(k, k.tasks[taskIndex], sig[i],
                       k.tasks[taskIndex].code.back().ops[i]))
        return true;
    }
  }
  consume();
  Task &done = k.tasks[taskIndex];
  for (auto &[at, ref] : labelFixups) {
    const std::string &name = pendingLabelNames[ref.first];
    const Label *found = nullptr;
    for (const Label &l : done.labels)
      if (l.name == name) {
        found = &l;
        break;
      }
    if (!found)
      return failAt(at,
                    "unknown label '" + name + "' in task '" + done.name + "'");
    done.code[ref.second].ops[done.code[ref.second].numOperands - 1].index =
        found->pc;
  }
  return false;
}

bool Parser::parseValue(Kernel &k, Value &v) {
  if (tok.kind == Token::Int || isPunct("-")) {
    int64_t i;
    if (parseSInt(i, "a value"))
      return true;
    v = Value::imm(i);
    return false;
  }
  if (tok.kind != Token::Ident)
    return fail("expected a value (integer, register or constant)" + found());
  StringRef s = tok.text;
  if (s.size() >= 2 && s[0] == 'r' && isdigit((unsigned char)s[1])) {
    unsigned r;
    if (s.drop_front().getAsInteger(10, r) || r >= kNumRegs)
      return fail(
          formatv("register '{0}' does not exist (r0-r{1})", s, kNumRegs - 1));
    v = Value::reg(r);
    consume();
    return false;
  }
  for (size_t i = 0; i < k.consts.size(); ++i)
    if (k.consts[i].name == s) {
      v = Value::cnst(i);
      consume();
      return false;
    }
  return fail("unknown constant '" + s + "'");
}

bool Parser::parseOperand(Kernel &k, Task &t, char sig, Operand &o) {
  Token at = tok;
  switch (sig) {
  case 'F':
    o.kind = OperandKind::Float;
    return parseFloat(o.f);
  case 'R':
  case 'V':
    o.kind = OperandKind::Value;
    if (parseValue(k, o.a))
      return true;
    if (sig == 'R' && o.a.kind != Value::Reg)
      return failAt(at, "expected a register");
    return false;
  case 'L': {
    o.kind = OperandKind::Label;
    std::string name;
    if (parseIdent(name, "a label"))
      return true;
    pendingLabelNames.push_back(name);
    labelFixups.push_back(
        {at, {pendingLabelNames.size() - 1, t.code.size() - 1}});
    return false;
  }
  case 'T': {
    o.kind = OperandKind::Task;
    std::string name;
    if (parseIdent(name, "a task name"))
      return true;
    pendingTaskNames.push_back(name);
    size_t taskIndex = &t - k.tasks.data();
    taskFixups.push_back(
        {at, {pendingTaskNames.size() - 1, {taskIndex, t.code.size() - 1}}});
    return false;
  }
  default:
    break;
  }
  // Descriptors.
  std::string kw;
  if (parseIdent(kw, "a descriptor (mem, in or out)"))
    return true;
  bool allowMem = true, allowIn = sig == 'S', allowOut = sig == 'D';
  if (kw == "mem" && allowMem) {
    o.kind = OperandKind::Mem;
    if (expectPunct("("))
      return true;
    o.a = Value::imm(0);
    bool isBuffer = false;
    if (tok.kind == Token::Ident)
      for (size_t i = 0; i < k.buffers.size(); ++i)
        if (k.buffers[i].name == tok.text) {
          o.buffer = i;
          isBuffer = true;
        }
    if (isBuffer) {
      consume();
      if (isPunct("+")) {
        consume();
        if (parseValue(k, o.a))
          return true;
      }
    } else {
      o.buffer = -1;
      if (tok.kind == Token::Ident &&
          !(tok.text.size() >= 2 && tok.text[0] == 'r' &&
            isdigit((unsigned char)tok.text[1]))) {
        bool isConst = false;
        for (const ConstDef &c : k.consts)
          isConst |= c.name == tok.text;
        if (!isConst)
          return fail("unknown buffer or constant '" + tok.text + "'");
      }
      if (parseValue(k, o.a))
        return true;
    }
    if (expectPunct(",") || parseValue(k, o.b))
      return true;
    o.c = Value::imm(1);
    if (isPunct(",")) {
      consume();
      if (parseValue(k, o.c))
        return true;
    }
    return expectPunct(")");
  }
  if ((kw == "in" && allowIn) || (kw == "out" && allowOut)) {
    o.kind = kw == "in" ? OperandKind::FabIn : OperandKind::FabOut;
    return expectPunct("(") || parseValue(k, o.a) || expectPunct(",") ||
           parseValue(k, o.b) || expectPunct(")");
  }
  if (kw == "mem" || kw == "in" || kw == "out")
    return failAt(at, "'" + kw +
                          "' descriptor not allowed here (operand wants " +
                          (sig == 'S'   ? "mem or in"
                           : sig == 'D' ? "mem or out"
                                        : "mem") +
                          ")");
  return failAt(at,
                "expected a descriptor (mem, in or out), found '" + kw + "'");
}

bool Parser::enterNested() {
  if (++exprNesting > kMaxExprNesting)
    return fail(formatv("expression nested deeper than {0} levels "
                        "(parentheses, calls, subscripts, unary minuses)",
                        kMaxExprNesting)
                    .str());
  return false;
}

bool Parser::parseExpr(Kernel &k, Expr &e) {
  Token start = tok;
  bool failed = enterNested() || parseCompare(k, e);
  --exprNesting;
  if (!failed && e.ops.size() > kMaxExprOps)
    return failAt(
        start,
        formatv("expression longer than {0} operations", kMaxExprOps).str());
  return failed;
}

bool Parser::parseCompare(Kernel &k, Expr &e) {
  if (parseAdditive(k, e))
    return true;
  while (tok.kind == Token::Punct) {
    ExprOpKind op;
    if (tok.text == "<")
      op = ExprOpKind::Lt;
    else if (tok.text == "<=")
      op = ExprOpKind::Le;
    else if (tok.text == ">")
      op = ExprOpKind::Gt;
    else if (tok.text == ">=")
      op = ExprOpKind::Ge;
    else if (tok.text == "==")
      op = ExprOpKind::Eq;
    else if (tok.text == "!=")
      op = ExprOpKind::Ne;
    else
      break;
    consume();
    if (parseAdditive(k, e))
      return true;
    e.ops.push_back({op, 0});
  }
  return false;
}

bool Parser::parseAdditive(Kernel &k, Expr &e) {
  if (parseMultiplicative(k, e))
    return true;
  while (isPunct("+") || isPunct("-")) {
    ExprOpKind op = isPunct("+") ? ExprOpKind::Add : ExprOpKind::Sub;
    consume();
    if (parseMultiplicative(k, e))
      return true;
    e.ops.push_back({op, 0});
  }
  return false;
}

bool Parser::parseMultiplicative(Kernel &k, Expr &e) {
  if (parseUnary(k, e))
    return true;
  while (isPunct("*") || isPunct("/") || isPunct("%")) {
    ExprOpKind op = isPunct("*")   ? ExprOpKind::Mul
                    : isPunct("/") ? ExprOpKind::Div
                                   : ExprOpKind::Rem;
    consume();
    if (parseUnary(k, e))
      return true;
    e.ops.push_back({op, 0});
  }
  return false;
}

bool Parser::parseUnary(Kernel &k, Expr &e) {
  if (!isPunct("-"))
    return parsePrimary(k, e);
  consume();
  // "-5" is a literal; "-(5)" and "-x" negate, which keeps printing exact.
  if (tok.kind == Token::Int) {
    if (tok.intValue > (1ull << 63))
      return fail("integer literal out of range");
    e.ops.push_back({ExprOpKind::Int, int64_t(0ull - tok.intValue)});
    consume();
    return false;
  }
  bool failed = enterNested() || parseUnary(k, e);
  --exprNesting;
  if (failed)
    return true;
  e.ops.push_back({ExprOpKind::Neg, 0});
  return false;
}

bool Parser::parsePrimary(Kernel &k, Expr &e) {
  if (tok.kind == Token::Int) {
    if (tok.intValue > uint64_t(INT64_MAX))
      return fail("integer literal out of range");
    e.ops.push_back({ExprOpKind::Int, int64_t(tok.intValue)});
    consume();
    return false;
  }
  if (isPunct("(")) {
    consume();
    return parseExpr(k, e) || expectPunct(")");
  }
  if (tok.kind != Token::Ident)
    return fail("expected an expression" + found());
  std::string name = tok.text.str();
  Token at = tok;
  consume();
  for (unsigned v = 0; v < kNumExprVars; ++v)
    if (exprVarName(ExprVar(v)) == name) {
      e.ops.push_back({ExprOpKind::Var, int64_t(v)});
      return false;
    }
  if (name == "min" || name == "max" || name == "select") {
    unsigned n = name == "select" ? 3 : 2;
    if (expectPunct("("))
      return true;
    for (unsigned i = 0; i < n; ++i)
      if ((i && expectPunct(",")) || parseExpr(k, e))
        return true;
    if (expectPunct(")"))
      return true;
    e.ops.push_back({name == "min"   ? ExprOpKind::Min
                     : name == "max" ? ExprOpKind::Max
                                     : ExprOpKind::Select,
                     0});
    return false;
  }
  for (size_t i = 0; i < k.tables.size(); ++i)
    if (k.tables[i].name == name) {
      if (expectPunct("[") || parseExpr(k, e) || expectPunct("]"))
        return true;
      e.ops.push_back({ExprOpKind::Table, int64_t(i)});
      return false;
    }
  for (size_t i = 0; i < k.consts.size(); ++i)
    if (k.consts[i].name == name) {
      e.ops.push_back({ExprOpKind::Const, int64_t(i)});
      return false;
    }
  return failAt(at, "unknown name '" + name +
                        "' in expression (variables: x y rx ry pw ph mw mh, "
                        "earlier constants, tables)");
}

bool Parser::parseTopLevel() {
  Token at = tok;
  std::string kw;
  if (parseIdent(kw, "a statement"))
    return true;
  if (!sawVersion && kw != "version")
    return failAt(at, formatv("a program must start with 'version {0}'",
                              kProgramVersion));
  if (kw == "version") {
    if (sawVersion)
      return failAt(at, "'version' given twice");
    sawVersion = true;
    Token vt = tok;
    if (parseU32(prog.version, "a version number"))
      return true;
    if (prog.version < kMinProgramVersion || prog.version > kProgramVersion)
      return failAt(vt,
                    formatv("unsupported program version {0} (this "
                            "emulator reads versions {1} to {2})",
                            prog.version, kMinProgramVersion, kProgramVersion));
    return false;
  }
  if (kw == "machine")
    return parseString(prog.machine, "a machine name");
  if (kw == "param")
    return parseTensor(prog.params, true);
  if (kw == "input")
    return parseTensor(prog.inputs, false);
  if (kw == "output")
    return parseTensor(prog.outputs, false);
  if (kw == "kernel")
    return parseKernel();
  if (kw == "place")
    return parsePlace();
  if (kw == "route")
    return parseRoute();
  if (kw == "stream")
    return parseStream();
  return failAt(at, "unknown statement '" + kw +
                        "' (expected version, machine, param, input, output, "
                        "kernel, place, route or stream)");
}

Expected<Program> Parser::run() {
  while (tok.kind != Token::Eof) {
    if (tok.kind == Token::Error) {
      fail(tok.str);
      break;
    }
    if (parseTopLevel())
      break;
  }
  if (error.empty() && !sawVersion)
    failAt(tok, "empty program (a program must start with 'version 1')");
  if (!error.empty())
    return createStringError(inconvertibleErrorCode(), error);
  if (Error e = verifyProgram(prog))
    return createStringError(inconvertibleErrorCode(),
                             bufferName + ": " + toString(std::move(e)));
  return std::move(prog);
}

} // namespace

Expected<Program> parseProgramText(StringRef text, StringRef bufferName) {
  return Parser(text, bufferName).run();
}

} // namespace wse::emu

//===- Lexer.cpp - Tokens of the text program format ----------------------===//

#include "Lexer.h"

#include <cctype>

using namespace llvm;

namespace wse::emu {

void Lexer::advance(size_t n) {
  for (size_t i = 0; i < n && pos < buf.size(); ++i, ++pos) {
    if (buf[pos] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
}

void Lexer::skipSpaceAndComments() {
  while (pos < buf.size()) {
    char c = buf[pos];
    if (isspace((unsigned char)c)) {
      advance(1);
    } else if (c == '#') {
      while (pos < buf.size() && buf[pos] != '\n')
        advance(1);
    } else {
      break;
    }
  }
}

static bool isIdentStart(char c) {
  return isalpha((unsigned char)c) || c == '_';
}
static bool isIdentChar(char c) {
  return isalnum((unsigned char)c) || c == '_' || c == '.';
}

Token Lexer::next() {
  skipSpaceAndComments();
  Token t;
  t.line = line;
  t.col = col;
  if (pos >= buf.size())
    return t;
  size_t start = pos;
  char c = buf[pos];
  if (isIdentStart(c)) {
    size_t n = 1;
    while (pos + n < buf.size() && isIdentChar(buf[pos + n]))
      ++n;
    t.kind = Token::Ident;
    t.text = buf.substr(start, n);
    advance(n);
    return t;
  }
  if (isdigit((unsigned char)c)) {
    size_t n = 0;
    bool isFloat = false;
    if (c == '0' && pos + 1 < buf.size() &&
        (buf[pos + 1] == 'x' || buf[pos + 1] == 'X')) {
      n = 2;
      while (pos + n < buf.size() && isxdigit((unsigned char)buf[pos + n]))
        ++n;
    } else {
      while (pos + n < buf.size() && isdigit((unsigned char)buf[pos + n]))
        ++n;
      if (pos + n < buf.size() && buf[pos + n] == '.') {
        isFloat = true;
        ++n;
        while (pos + n < buf.size() && isdigit((unsigned char)buf[pos + n]))
          ++n;
      }
      if (pos + n < buf.size() &&
          (buf[pos + n] == 'e' || buf[pos + n] == 'E')) {
        size_t m = n + 1;
        if (pos + m < buf.size() &&
            (buf[pos + m] == '+' || buf[pos + m] == '-'))
          ++m;
        if (pos + m < buf.size() && isdigit((unsigned char)buf[pos + m])) {
          isFloat = true;
          n = m;
          while (pos + n < buf.size() && isdigit((unsigned char)buf[pos + n]))
            ++n;
        }
      }
    }
    t.text = buf.substr(start, n);
    advance(n);
    if (isFloat) {
      t.kind = Token::Float;
      return t;
    }
    t.kind = Token::Int;
    if (t.text.getAsInteger(0, t.intValue)) {
      t.kind = Token::Error;
      t.str = "integer literal '" + t.text.str() + "' is too large";
    }
    return t;
  }
  if (c == '"') {
    std::string s;
    size_t n = 1;
    while (pos + n < buf.size() && buf[pos + n] != '"' &&
           buf[pos + n] != '\n') {
      // A backslash escapes the next character, but not a line break: a
      // string is one line (a name with a line break could not be printed
      // back; found by wse-fuzz-assembler).
      if (buf[pos + n] == '\\' && pos + n + 1 < buf.size() &&
          buf[pos + n + 1] != '\n') {
        ++n;
      }
      s += buf[pos + n];
      ++n;
    }
    if (pos + n >= buf.size() || buf[pos + n] != '"') {
      t.kind = Token::Error;
      t.str = "unterminated string";
      advance(n);
      return t;
    }
    t.kind = Token::String;
    t.text = buf.substr(start, n + 1);
    t.str = std::move(s);
    advance(n + 1);
    return t;
  }
  static const char *twoChar[] = {"->", "<=", ">=", "==", "!="};
  for (const char *p : twoChar)
    if (buf.substr(pos).starts_with(p)) {
      t.kind = Token::Punct;
      t.text = buf.substr(start, 2);
      advance(2);
      return t;
    }
  if (StringRef("()[]{},:=+-*/%<>").contains(c)) {
    t.kind = Token::Punct;
    t.text = buf.substr(start, 1);
    advance(1);
    return t;
  }
  t.kind = Token::Error;
  t.str = std::string("unexpected character '") + c + "'";
  t.text = buf.substr(start, 1);
  advance(1);
  return t;
}

} // namespace wse::emu

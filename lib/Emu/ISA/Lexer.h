//===- Lexer.h - Tokens of the text program format ------------------------===//

#ifndef WSE_EMU_LIB_LEXER_H
#define WSE_EMU_LIB_LEXER_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace wse::emu {

struct Token {
  enum Kind { Eof, Ident, Int, Float, String, Punct, Error };
  Kind kind = Eof;
  llvm::StringRef text; ///< spelling (for String: without quotes, unescaped
                        ///< in `str`)
  std::string str;
  uint64_t intValue = 0;
  unsigned line = 1, col = 1;
};

class Lexer {
public:
  explicit Lexer(llvm::StringRef buf) : buf(buf) {}
  Token next();

private:
  void skipSpaceAndComments();
  llvm::StringRef buf;
  size_t pos = 0;
  unsigned line = 1, col = 1;
  void advance(size_t n);
};

} // namespace wse::emu

#endif

//===- TensorName.h - Program names of model tensors -------------*- C++
//-*-===//
//
// The name a program gives a model's tensor: every character other than a
// letter, digit or '_' becomes '_', and a name that would start with a digit
// (or be empty) gets "t_" in front. The pe lowering names parameters this
// way, and the emulator's weight store (wse-emu --store) finds a model's
// parameter in a program by it.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_SUPPORT_TENSORNAME_H
#define WSE_SUPPORT_TENSORNAME_H

#include "llvm/ADT/StringRef.h"

#include <cctype>
#include <string>

namespace wse {

inline std::string programTensorName(llvm::StringRef name) {
  std::string s;
  for (char c : name)
    s += (isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (s.empty() || isdigit(static_cast<unsigned char>(s[0])))
    s = "t_" + s;
  return s;
}

} // namespace wse

#endif

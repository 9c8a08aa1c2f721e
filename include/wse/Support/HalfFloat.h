//===- HalfFloat.h - 16-bit float conversions -------------------*- C++ -*-===//
//
// Exact fp16/bf16 -> fp32 conversions shared by the .npy reader and the
// weight store (header-only: no library to link).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_SUPPORT_HALFFLOAT_H
#define WSE_SUPPORT_HALFFLOAT_H

#include <cmath>
#include <cstdint>
#include <cstring>

namespace wse {

/// IEEE binary16 to binary32 (exact, including subnormals, inf and nan).
inline float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h >> 15);
  int exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  float f;
  if (exp == 0)
    f = std::ldexp(float(mant), -24);
  else if (exp == 31)
    f = mant ? NAN : INFINITY;
  else
    f = std::ldexp(float(mant | 0x400), exp - 25);
  return sign ? -f : f;
}

/// bfloat16 to binary32: the high half of the fp32 bit pattern.
inline float bf16ToFloat(uint16_t b) {
  uint32_t bits = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

} // namespace wse

#endif

//===- Npy.cpp - NumPy .npy reading and writing ---------------------------===//

#include "wse/Support/Npy.h"
#include "wse/Support/HalfFloat.h"
#include "wse/Support/InputFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>

using namespace llvm;

namespace wse {

/// Finds `'key': value` in the header dict; returns the raw value text.
static std::optional<StringRef> dictValue(StringRef header, StringRef key) {
  std::string quoted = "'" + key.str() + "'";
  size_t at = header.find(quoted);
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.substr(at + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  if (rest.starts_with("(")) {
    size_t end = rest.find(')');
    if (end == StringRef::npos)
      return std::nullopt;
    return rest.substr(0, end + 1);
  }
  size_t end = rest.find_first_of(",}");
  return rest.substr(0, end).trim();
}

static unsigned dtypeBytes(StringRef d) {
  if (d == "<f4" || d == "<i4")
    return 4;
  if (d == "<f8" || d == "<i8")
    return 8;
  if (d == "<f2")
    return 2;
  if (d == "|i1" || d == "|u1" || d == "|b1")
    return 1;
  return 0;
}

uint64_t NpyHeader::numElements() const {
  uint64_t n = 1;
  for (uint64_t d : shape)
    n *= d;
  return n;
}

Expected<NpyHeader> parseNpyHeader(StringRef bytes, StringRef name,
                                   uint64_t fileSize) {
  auto bad = [&](const Twine &msg) {
    return createStringError(inconvertibleErrorCode(),
                             name + ": invalid .npy file: " + msg);
  };
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return bad("missing the \\x93NUMPY magic");
  uint8_t major = bytes[6];
  size_t headerLen, start;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | (size_t(uint8_t(bytes[9])) << 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return bad("truncated header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= size_t(uint8_t(bytes[8 + i])) << (8 * i);
    start = 12;
  } else {
    return bad(formatv("unsupported format version {0}", major));
  }
  if (headerLen > bytes.size() - start)
    return bad("truncated header");
  StringRef header = bytes.substr(start, headerLen);
  std::optional<StringRef> descr = dictValue(header, "descr");
  std::optional<StringRef> order = dictValue(header, "fortran_order");
  std::optional<StringRef> shapeText = dictValue(header, "shape");
  if (!descr || !order || !shapeText)
    return bad("header lacks descr, fortran_order or shape");
  if (*order != "False")
    return bad("Fortran-order arrays are not supported (use C order)");
  NpyHeader h;
  h.descr = descr->trim("'\"").str();
  unsigned size = dtypeBytes(h.descr);
  if (!size)
    return bad("unsupported dtype '" + h.descr +
               "' (float32, float64, float16, int32, int64, int8, uint8, bool; "
               "little-endian)");
  StringRef dims = shapeText->trim("()");
  uint64_t n = 1;
  while (!dims.trim().empty()) {
    auto [head, tail] = dims.split(',');
    head = head.trim();
    dims = tail;
    if (head.empty())
      continue;
    uint64_t v;
    if (head.getAsInteger(10, v))
      return bad("malformed shape " + *shapeText);
    if (v != 0 && n > (1ull << 40) / v)
      return bad("shape too large");
    n *= v;
    h.shape.push_back(v);
  }
  h.dataOffset = start + headerLen;
  if ((fileSize - h.dataOffset) / size < n)
    return bad(formatv("data is truncated: {0} elements need {1} bytes, file "
                       "has {2}",
                       n, n * size, fileSize - h.dataOffset));
  return h;
}

Expected<HostTensor> parseNpy(StringRef bytes, StringRef name) {
  Expected<NpyHeader> h = parseNpyHeader(bytes, name, bytes.size());
  if (!h)
    return h.takeError();
  StringRef d = h->descr;
  unsigned size = dtypeBytes(d);
  uint64_t n = h->numElements();
  HostTensor t;
  t.shape = h->shape;
  size_t dataStart = h->dataOffset;
  const char *p = bytes.data() + dataStart;
  t.data.resize(n);
  for (uint64_t i = 0; i < n; ++i, p += size) {
    if (d == "<f4") {
      memcpy(&t.data[i], p, 4);
    } else if (d == "<f8") {
      double v;
      memcpy(&v, p, 8);
      t.data[i] = float(v);
    } else if (d == "<f2") {
      uint16_t half;
      memcpy(&half, p, 2);
      t.data[i] = wse::halfToFloat(half);
    } else if (d == "<i4") {
      int32_t v;
      memcpy(&v, p, 4);
      t.data[i] = float(v);
    } else if (d == "<i8") {
      int64_t v;
      memcpy(&v, p, 8);
      t.data[i] = float(v);
    } else if (d == "|i1") {
      t.data[i] = float(int8_t(*p));
    } else if (d == "|b1") {
      t.data[i] = *p ? 1.0f : 0.0f;
    } else {
      t.data[i] = float(uint8_t(*p));
    }
  }
  return t;
}

Expected<HostTensor> readNpy(StringRef path) {
  Expected<std::unique_ptr<MemoryBuffer>> buf =
      readInputFile(path, kMaxInputFileBytes, ".npy file");
  if (!buf)
    return buf.takeError();
  return parseNpy((*buf)->getBuffer(), path);
}

Expected<NpyHeader> readNpyHeader(StringRef path) {
  // Headers are short (numpy pads them to 64-byte multiples, and rarely
  // past a few hundred bytes): the data is not read.
  Expected<sys::fs::file_t> fd = sys::fs::openNativeFileForRead(path);
  if (!fd)
    return createStringError(inconvertibleErrorCode(),
                             "cannot open '" + path +
                                 "': " + toString(fd.takeError()));
  uint64_t size = 0;
  std::error_code ec = sys::fs::file_size(path, size);
  std::string head(65536, '\0');
  size_t got = 0;
  while (!ec && got < head.size()) {
    Expected<size_t> n = sys::fs::readNativeFile(
        *fd, MutableArrayRef<char>(head.data() + got, head.size() - got));
    if (!n) {
      ec = errorToErrorCode(n.takeError());
      break;
    }
    if (*n == 0)
      break;
    got += *n;
  }
  sys::fs::closeFile(*fd);
  if (ec)
    return createStringError(ec, "cannot read '" + path + "': " + ec.message());
  head.resize(got);
  return parseNpyHeader(head, path, size);
}

Error writeNpy(StringRef path, const HostTensor &t) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < t.shape.size(); ++i)
    header += std::to_string(t.shape[i]) +
              (t.shape.size() == 1 || i + 1 < t.shape.size() ? "," : "");
  header += "), }";
  // Pad so that the data starts 64-byte aligned, ending the header with \n.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_None);
  if (ec)
    return createStringError(ec,
                             "cannot write '" + path + "': " + ec.message());
  os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
     << char(header.size() >> 8) << header;
  os.write(reinterpret_cast<const char *>(t.data.data()), t.data.size() * 4);
  os.close();
  if (os.has_error())
    return createStringError(os.error(), "cannot write '" + path + "'");
  return Error::success();
}

} // namespace wse

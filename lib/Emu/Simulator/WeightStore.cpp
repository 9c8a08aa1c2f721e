//===- WeightStore.cpp - Lazy parameter reads -----------------------------===//

#include "wse/Emu/WeightStore.h"
#include "wse/Support/HalfFloat.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <cstring>

using namespace llvm;

namespace wse::emu {

static constexpr uint64_t kBlockElements = 16384;

Expected<std::unique_ptr<WeightStore>>
WeightStore::open(const std::vector<TensorDecl> &decls, StringRef weightsPath,
                  StringRef programDir) {
  std::unique_ptr<WeightStore> ws(new WeightStore());
  bool singleFile =
      !weightsPath.empty() && sys::fs::is_regular_file(weightsPath);
  if (!weightsPath.empty() && !singleFile &&
      !sys::fs::is_directory(weightsPath))
    return createStringError(inconvertibleErrorCode(),
                             "--weights '" + weightsPath +
                                 "' is neither a file nor a directory");
  for (const TensorDecl &d : decls) {
    SmallString<256> path;
    if (singleFile) {
      path = weightsPath;
    } else if (sys::path::is_absolute(d.file)) {
      path = d.file;
    } else {
      path = weightsPath.empty() ? programDir : weightsPath;
      sys::path::append(path, d.file);
    }
    uint64_t size;
    if (std::error_code ec = sys::fs::file_size(path, size))
      return createStringError(ec, "param '" + d.name +
                                       "': cannot open weight "
                                       "file '" +
                                       path + "': " + ec.message() +
                                       " (use --weights DIR or FILE)");
    uint64_t need = d.numElements() * dtypeSize(d.dtype);
    if (d.offset > size || need > size - d.offset)
      return createStringError(
          inconvertibleErrorCode(),
          formatv("param '{0}': weight file '{1}' has {2} bytes, but the "
                  "param needs bytes [{3}, {4})",
                  d.name, path, size, d.offset, d.offset + need));
    uint32_t fileIndex = ws->files.size();
    for (size_t i = 0; i < ws->files.size(); ++i)
      if (ws->files[i].path == path)
        fileIndex = i;
    if (fileIndex == ws->files.size()) {
      // Opened here, before any thread reads: reads are positional, so the
      // ports' threads then share the descriptor without locking.
      Expected<sys::fs::file_t> fd = sys::fs::openNativeFileForRead(path);
      if (!fd)
        return createStringError(inconvertibleErrorCode(),
                                 "param '" + d.name +
                                     "': cannot open weight file '" + path +
                                     "': " + toString(fd.takeError()));
      ws->files.push_back({path.str().str(), *fd, true});
    }
    Param p;
    p.file = fileIndex;
    p.offset = d.offset;
    p.dtype = d.dtype;
    p.name = d.name;
    ws->params.push_back(std::move(p));
  }
  return std::move(ws);
}

WeightStore::~WeightStore() {
  for (File &f : files)
    if (f.open)
      sys::fs::closeFile(f.fd);
}

bool WeightStore::loadBlock(Reader &r, const Param &p, Reader::Block &b,
                            uint64_t blockStart) const {
  const File &f = files[p.file];
  unsigned size = dtypeSize(p.dtype);
  b.data.resize(kBlockElements * size);
  // The file size was checked at open, but a short read near the end is
  // normal: the block may extend past the parameter.
  uint64_t at = p.offset + blockStart * size;
  size_t got = 0;
  while (got < b.data.size()) {
    Expected<size_t> n = sys::fs::readNativeFileSlice(
        f.fd, MutableArrayRef<char>(b.data.data() + got, b.data.size() - got),
        at + got);
    if (!n) {
      if (r.error.empty())
        r.error = "reading weight file '" + f.path +
                  "' failed: " + toString(n.takeError());
      return false;
    }
    if (*n == 0)
      break;
    got += *n;
  }
  r.totalRead += got;
  b.start = blockStart;
  return true;
}

float WeightStore::get(Reader &r, uint32_t param, uint64_t index) const {
  const Param &p = params[param];
  if (r.blocks.size() <= param)
    r.blocks.resize(params.size());
  Reader::Block &b = r.blocks[param];
  uint64_t blockStart = index - index % kBlockElements;
  if (b.start != blockStart && !loadBlock(r, p, b, blockStart))
    return 0;
  const char *at = b.data.data() + (index - blockStart) * dtypeSize(p.dtype);
  switch (p.dtype) {
  case DType::F32: {
    float f;
    memcpy(&f, at, 4);
    return f;
  }
  case DType::F16:
  case DType::BF16: {
    uint16_t h;
    memcpy(&h, at, 2);
    return p.dtype == DType::F16 ? wse::halfToFloat(h) : wse::bf16ToFloat(h);
  }
  case DType::I32: {
    int32_t v;
    memcpy(&v, at, 4);
    return float(v);
  }
  case DType::I64: {
    int64_t v;
    memcpy(&v, at, 8);
    return float(v);
  }
  case DType::Bool:
    return *at ? 1.0f : 0.0f;
  }
  return 0;
}

Error WeightStore::Reader::takeError() {
  if (error.empty())
    return Error::success();
  return createStringError(inconvertibleErrorCode(), error);
}

} // namespace wse::emu

//===- WireScanner.cpp - Byte offsets of tensor payloads ------------------===//
#include "WireScanner.h"

#include <optional>

using namespace wse::import;

namespace {

// Field numbers from onnx.proto.
constexpr unsigned kModelGraph = 7;
constexpr unsigned kGraphNode = 1;
constexpr unsigned kGraphInitializer = 5;
constexpr unsigned kNodeOutput = 2;
constexpr unsigned kNodeOpType = 4;
constexpr unsigned kNodeAttribute = 5;
constexpr unsigned kAttrTensor = 5;
constexpr unsigned kTensorFloatData = 4;
constexpr unsigned kTensorName = 8;
constexpr unsigned kTensorRawData = 9;

enum WireType { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 };

/// A bounds-checked cursor over one protobuf message.
class Cursor {
public:
  Cursor(llvm::StringRef file, uint64_t begin, uint64_t end)
      : file(file), pos(begin), end(end) {}

  bool atEnd() const { return pos >= end; }

  std::optional<uint64_t> varint() {
    uint64_t value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (pos >= end)
        return std::nullopt;
      uint8_t byte = file[pos++];
      value |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return value;
    }
    return std::nullopt;
  }

  struct Field {
    unsigned number;
    unsigned wireType;
    uint64_t begin, end; // payload of length-delimited fields
  };

  /// Reads the next field; skips scalar payloads. Returns nullopt on
  /// malformed data.
  std::optional<Field> next() {
    auto key = varint();
    if (!key)
      return std::nullopt;
    Field field{unsigned(*key >> 3), unsigned(*key & 7), 0, 0};
    switch (field.wireType) {
    case Varint:
      if (!varint())
        return std::nullopt;
      return field;
    case Fixed64:
      return skip(8) ? std::optional<Field>(field) : std::nullopt;
    case Fixed32:
      return skip(4) ? std::optional<Field>(field) : std::nullopt;
    case LengthDelimited: {
      auto length = varint();
      if (!length || *length > end - pos)
        return std::nullopt;
      field.begin = pos;
      field.end = pos + *length;
      pos = field.end;
      return field;
    }
    default:
      return std::nullopt;
    }
  }

private:
  bool skip(uint64_t n) {
    if (n > end - pos)
      return false;
    pos += n;
    return true;
  }

  llvm::StringRef file;
  uint64_t pos, end;
};

struct TensorPayload {
  std::string name;
  std::optional<ByteRange> range;
};

TensorPayload scanTensor(llvm::StringRef file, uint64_t begin, uint64_t end) {
  TensorPayload tensor;
  Cursor cursor(file, begin, end);
  while (!cursor.atEnd()) {
    auto field = cursor.next();
    if (!field)
      break;
    if (field->wireType != LengthDelimited)
      continue;
    if (field->number == kTensorName)
      tensor.name = file.slice(field->begin, field->end).str();
    else if (field->number == kTensorRawData)
      tensor.range = ByteRange{field->begin, field->end - field->begin, false};
    else if (field->number == kTensorFloatData)
      tensor.range = ByteRange{field->begin, field->end - field->begin, true};
  }
  return tensor;
}

void scanNode(llvm::StringRef file, uint64_t begin, uint64_t end,
              llvm::StringMap<ByteRange> &out) {
  Cursor cursor(file, begin, end);
  std::string output, opType;
  std::optional<ByteRange> payload;
  while (!cursor.atEnd()) {
    auto field = cursor.next();
    if (!field)
      return;
    if (field->wireType != LengthDelimited)
      continue;
    llvm::StringRef bytes = file.slice(field->begin, field->end);
    if (field->number == kNodeOutput && output.empty())
      output = bytes.str();
    else if (field->number == kNodeOpType)
      opType = bytes.str();
    else if (field->number == kNodeAttribute) {
      Cursor attr(file, field->begin, field->end);
      while (!attr.atEnd()) {
        auto attrField = attr.next();
        if (!attrField)
          break;
        if (attrField->number == kAttrTensor &&
            attrField->wireType == LengthDelimited)
          payload = scanTensor(file, attrField->begin, attrField->end).range;
      }
    }
  }
  if (opType == "Constant" && payload && !output.empty())
    out[output] = *payload;
}

} // namespace

llvm::StringMap<ByteRange>
wse::import::scanTensorPayloads(llvm::StringRef file) {
  llvm::StringMap<ByteRange> result;
  Cursor model(file, 0, file.size());
  while (!model.atEnd()) {
    auto field = model.next();
    if (!field)
      break;
    if (field->number != kModelGraph || field->wireType != LengthDelimited)
      continue;
    Cursor graph(file, field->begin, field->end);
    while (!graph.atEnd()) {
      auto item = graph.next();
      if (!item)
        break;
      if (item->wireType != LengthDelimited)
        continue;
      if (item->number == kGraphInitializer) {
        TensorPayload tensor = scanTensor(file, item->begin, item->end);
        if (tensor.range && !tensor.name.empty())
          result[tensor.name] = *tensor.range;
      } else if (item->number == kGraphNode) {
        scanNode(file, item->begin, item->end, result);
      }
    }
  }
  return result;
}

//===- WireScannerTest.cpp - Byte ranges of tensor payloads ---------------===//
#include "lib/Import/WireScanner.h"

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include <cstring>

using namespace wse::import;

namespace {

onnx::TensorProto *addFloatInit(onnx::GraphProto *graph, const char *name,
                                std::vector<float> values, bool raw) {
  onnx::TensorProto *t = graph->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_dims(values.size());
  if (raw)
    t->set_raw_data(std::string(reinterpret_cast<const char *>(values.data()),
                                values.size() * sizeof(float)));
  else
    for (float v : values)
      t->add_float_data(v);
  return t;
}

std::string serializedModel() {
  onnx::ModelProto model;
  model.set_ir_version(8);
  onnx::GraphProto *graph = model.mutable_graph();
  graph->set_name("g");
  addFloatInit(graph, "raw", {1.5f, 2.5f, 3.5f}, /*raw=*/true);
  addFloatInit(graph, "typed", {4.0f, 5.0f}, /*raw=*/false);
  onnx::NodeProto *node = graph->add_node();
  node->set_op_type("Constant");
  node->add_output("c_out");
  onnx::AttributeProto *attr = node->add_attribute();
  attr->set_name("value");
  attr->set_type(onnx::AttributeProto::TENSOR);
  onnx::TensorProto *t = attr->mutable_t();
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_dims(1);
  float seven = 7.0f;
  t->set_raw_data(std::string(reinterpret_cast<const char *>(&seven), 4));
  return model.SerializeAsString();
}

float floatAt(const std::string &bytes, uint64_t offset) {
  float v;
  std::memcpy(&v, bytes.data() + offset, 4);
  return v;
}

TEST(WireScanner, FindsRawTypedAndConstantPayloads) {
  std::string bytes = serializedModel();
  auto ranges = scanTensorPayloads(bytes);
  ASSERT_EQ(ranges.size(), 3u);

  ByteRange raw = ranges.lookup("raw");
  EXPECT_EQ(raw.length, 12u);
  EXPECT_FALSE(raw.packedFloats);
  EXPECT_EQ(floatAt(bytes, raw.offset), 1.5f);
  EXPECT_EQ(floatAt(bytes, raw.offset + 8), 3.5f);

  ByteRange typed = ranges.lookup("typed");
  EXPECT_TRUE(typed.packedFloats);
  EXPECT_EQ(typed.length, 8u);
  EXPECT_EQ(floatAt(bytes, typed.offset + 4), 5.0f);

  ByteRange constant = ranges.lookup("c_out");
  EXPECT_EQ(constant.length, 4u);
  EXPECT_EQ(floatAt(bytes, constant.offset), 7.0f);
}

TEST(WireScanner, EveryTruncationStaysInBounds) {
  std::string bytes = serializedModel();
  for (size_t cut = 0; cut <= bytes.size(); ++cut) {
    std::string prefix = bytes.substr(0, cut);
    for (const auto &entry : scanTensorPayloads(prefix)) {
      EXPECT_LE(entry.second.offset + entry.second.length, prefix.size())
          << "cut at " << cut << " for " << entry.first().str();
    }
  }
}

TEST(WireScanner, CorruptedBytesStayInBounds) {
  std::string bytes = serializedModel();
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned char value : {0x00, 0x7f, 0x80, 0xff}) {
      std::string corrupted = bytes;
      corrupted[i] = static_cast<char>(value);
      for (const auto &entry : scanTensorPayloads(corrupted))
        EXPECT_LE(entry.second.offset + entry.second.length, corrupted.size());
    }
  }
}

TEST(WireScanner, GarbageYieldsNothing) {
  EXPECT_TRUE(scanTensorPayloads("").empty());
  EXPECT_TRUE(scanTensorPayloads(std::string(64, '\xff')).empty());
}

} // namespace

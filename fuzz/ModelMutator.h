//===- ModelMutator.h - Structure-aware ONNX model mutations ----*- C++ -*-===//
#ifndef WSE_FUZZ_MODELMUTATOR_H
#define WSE_FUZZ_MODELMUTATOR_H

#include <cstddef>
#include <cstdint>

namespace wse::fuzz {

/// libFuzzer's custom mutator for ModelProto bytes: parses the model, applies
/// one to three structural edits and serializes it back. Bytes that do not
/// parse (or a result over maxSize) get libFuzzer's own byte mutations.
size_t mutateModel(uint8_t *data, size_t size, size_t maxSize, unsigned seed);

} // namespace wse::fuzz

#endif

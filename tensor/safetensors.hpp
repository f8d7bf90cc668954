/// \file
/// The safetensors format (Hugging Face's safe, pickle-free weight files), so
/// weights move between iotgrad and PyTorch (or anything else that reads it).
///
/// Layout, as documented in the format's reference implementation
/// (github.com/huggingface/safetensors, README "Format"):
/// - 8 bytes: N, the header length, an unsigned 64-bit little-endian integer;
/// - N bytes: a UTF-8 JSON object
///   `{"__metadata__": {"key": "value", ...}, "name": {"dtype": "F32",
///   "shape": [2, 3], "data_offsets": [begin, end]}, ...}`, padded at the end
///   with spaces so that N is a multiple of 8 (the data then starts 8-byte aligned);
/// - the data section: each tensor's values, row-major, little-endian, at
///   bytes [begin, end) counted from the start of the data section.
///
/// The reader is strict: the tensors' byte ranges must tile the data section
/// exactly (no overlap, no gap, nothing left over), each range's length must
/// equal numel x 4, keys may not repeat, and anything else malformed is
/// refused with a message naming the byte and the problem. Only F32 tensors
/// are supported; a file with F16, BF16, F64 or integer tensors is refused
/// with a message naming the tensor and its dtype.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::tensor {

/// A malformed or unsupported safetensors file (or one that cannot be read or
/// written); the message names the file and the problem.
class SafetensorsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The largest header accepted (the reference implementation's limit too):
/// bigger ones are refused before any parsing.
inline constexpr uint64_t kMaxSafetensorsHeader = 100000000;

/// The contents of one safetensors file: tensors in file order and the
/// optional `__metadata__` string map.
struct Safetensors {
    std::vector<std::pair<std::string, Tensor>> tensors;
    std::vector<std::pair<std::string, std::string>> metadata;

    /// The tensor named `name`, or nullptr.
    const Tensor* find(const std::string& name) const;
};

/// The file as bytes: tensors in the given order, contiguous in the data
/// section. Throws std::invalid_argument for an undefined tensor, a repeated
/// name or the reserved name `__metadata__`.
std::vector<uint8_t> encode_safetensors(const Safetensors& file);
/// Parses and validates; `source` names the bytes in messages. Tensors come
/// back in data order (the order of their offsets). Throws SafetensorsError.
Safetensors decode_safetensors(const std::vector<uint8_t>& bytes, const std::string& source = "<memory>");

/// Writes through `path.tmp` + rename (see write_file_atomic); throws SafetensorsError on I/O failure.
void write_safetensors(const std::string& path, const Safetensors& file);
/// Reads and validates the whole file; throws SafetensorsError.
Safetensors read_safetensors(const std::string& path);

}  // namespace iotgrad::tensor

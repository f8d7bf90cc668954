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
/// Element types (the header's "dtype"), all read into iotgrad's float32
/// tensors: F32 as is; F16 and BF16 exactly (every half and bfloat16 value is
/// a float32 value: see half_to_float and bfloat16_to_float); F64 rounded to
/// the nearest float32, as PyTorch's `.float()` does, but a finite value
/// beyond float32's range (which would become inf) is refused; I64, I32, I16,
/// I8 and U8 when float32 holds the integer exactly (always for |v| <= 2^24;
/// beyond that only integers float32 can represent, e.g. 2^24 + 2 but not
/// 2^24 + 1: a value float32 would round is refused, naming the tensor and
/// the value); BOOL as 0 or 1 (another byte is refused). NaN and infinities
/// stored in F32, F64, F16 or BF16 are accepted and kept, as PyTorch loads
/// them (a checkpoint of a diverged run still loads; checking the values is
/// the caller's choice).
///
/// The reader is strict: the tensors' byte ranges must tile the data section
/// exactly (no overlap, no gap, nothing left over), each range's length must
/// equal numel x the dtype's size, keys may not repeat, and anything else
/// malformed (an unknown dtype, a truncated file, a wrong byte length, a value
/// float32 cannot hold) refuses the whole file with a message naming the
/// tensor, or the byte, and the problem.
///
/// The writer stores float32 (F32) unless Safetensors::dtypes names another
/// dtype for a tensor, e.g. I64 for BatchNorm's `num_batches_tracked`, which
/// PyTorch keeps as an int64 scalar.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
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

/// The element types of the format, as the header names them.
enum class Dtype { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

/// The header's name of a dtype: "F64", "F32", ..., "BOOL".
const char* dtype_name(Dtype dtype);
/// Bytes per element: 8 for F64 and I64, 4 for F32 and I32, 2 for F16, BF16
/// and I16, 1 for I8, U8 and BOOL.
std::size_t dtype_size(Dtype dtype);

/// An IEEE 754 half (binary16: 1 sign bit, 5 exponent bits with bias 15, 10
/// mantissa bits) as float32, exactly:
/// - exponent 1..30: \f$ (-1)^s\, 2^{e - 15} (1 + m / 2^{10}) \f$ (the bits move
///   into float32's wider fields, the exponent rebiased from 15 to 127);
/// - exponent 0: zero or a subnormal, \f$ (-1)^s\, m \cdot 2^{-24} \f$ (a normal
///   float32, since float32 reaches down to \f$ 2^{-149} \f$); -0 stays -0;
/// - exponent 31: infinity (m = 0) or NaN (the payload kept).
float half_to_float(uint16_t bits);
/// A bfloat16 (the upper 16 bits of a float32: same sign and 8-bit exponent,
/// 7 mantissa bits) as float32, exactly: the bits shifted up by 16, so
/// subnormals, infinities and NaN carry over unchanged.
float bfloat16_to_float(uint16_t bits);
/// float32 to the nearest half, ties to even (used by the writer); finite
/// values beyond the half range (|x| >= 65520) become infinity, NaN stays NaN.
uint16_t float_to_half(float x);
/// float32 to the nearest bfloat16, ties to even (used by the writer); NaN stays NaN.
uint16_t float_to_bfloat16(float x);

/// The contents of one safetensors file: tensors in file order and the
/// optional `__metadata__` string map.
struct Safetensors {
    std::vector<std::pair<std::string, Tensor>> tensors;
    std::vector<std::pair<std::string, std::string>> metadata;
    /// The dtype each tensor has in the file. Writing: a tensor not listed is
    /// stored as F32; one listed is converted, and refused (naming it and
    /// the value) when the conversion would change a value other than by
    /// rounding a float: an integer dtype takes only whole numbers in its
    /// range (BOOL only 0 and 1), F16 and BF16 round to nearest but refuse a
    /// finite value that would overflow to infinity. Reading fills it with
    /// every tensor's dtype in the file.
    std::map<std::string, Dtype> dtypes;

    /// The tensor named `name`, or nullptr.
    const Tensor* find(const std::string& name) const;
};

/// The file as bytes: tensors in the given order, contiguous in the data
/// section, each in its dtype (see Safetensors::dtypes). Throws
/// std::invalid_argument for an undefined tensor, a repeated name, the
/// reserved name `__metadata__`, a dtype given for no tensor, or a value
/// its dtype cannot hold.
std::vector<uint8_t> encode_safetensors(const Safetensors& file);
/// Parses and validates; `source` names the bytes in messages. Tensors come
/// back in data order (the order of their offsets). Throws SafetensorsError.
Safetensors decode_safetensors(const std::vector<uint8_t>& bytes, const std::string& source = "<memory>");

/// Writes through `path.tmp` + rename (see write_file_atomic); throws SafetensorsError on I/O failure.
void write_safetensors(const std::string& path, const Safetensors& file);
/// Reads and validates the whole file; throws SafetensorsError.
Safetensors read_safetensors(const std::string& path);

}  // namespace iotgrad::tensor

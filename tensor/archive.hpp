/// \file
/// The checkpoint file format: a list of named tensors, named scalars and
/// named strings in one self-checking binary file.
///
/// Layout (every integer and float little-endian, whatever the host):
///
/// | bytes        | what |
/// |--------------|------|
/// | 0..8         | magic: the bytes `IOTGRAD` and a zero byte |
/// | 8..12        | u32 format version (kArchiveVersion) |
/// | 12..16       | u32 number of entries |
/// | 16..24       | u64 size of the whole file in bytes, checksum included |
/// | 24..size-4   | the entries, one after another |
/// | size-4..size | u32 CRC-32 of bytes 0..size-4 |
///
/// One entry: u8 kind (0 tensor, 1 scalar, 2 string), u32 name length, the
/// name (UTF-8, not terminated), then
/// - tensor: u32 rank, rank x u64 sizes, numel x f32 values in row-major order;
/// - scalar: one f64;
/// - string: u32 length, the bytes.
///
/// The first 24 bytes and the trailing checksum keep this layout in every
/// future version, so any version's file can be checked for truncation and
/// corruption before its version number is trusted.
///
/// Reading validates the whole file (magic, declared size, checksum, version,
/// every length against the bytes that remain) before returning anything, so
/// a corrupt file never yields half a checkpoint and a corrupt length never
/// allocates more than the file itself could hold.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::tensor {

/// The format version this build writes, and the newest it reads.
inline constexpr uint32_t kArchiveVersion = 1;

/// A file that is not a valid archive (or cannot be read or written). The
/// message names the file and the problem, e.g. `model.ckpt: truncated at byte
/// 37 (the header says the file has 120 bytes)`, `model.ckpt: checksum mismatch
/// (stored 0x1c291ca3, computed 0x5d3c1b8e): the file is corrupt`.
class ArchiveError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What one archive holds. Names are unique within each list; order is kept.
struct Archive {
    std::vector<std::pair<std::string, Tensor>> tensors;
    std::vector<std::pair<std::string, double>> scalars;
    /// Free-form text, e.g. which optimizer wrote a state.
    std::vector<std::pair<std::string, std::string>> strings;

    /// The tensor / scalar / string named `name`, or nullptr.
    const Tensor* find_tensor(const std::string& name) const;
    const double* find_scalar(const std::string& name) const;
    const std::string* find_string(const std::string& name) const;
};

/// CRC-32 as in IEEE 802.3, zlib and PNG: reflected polynomial 0xEDB88320,
/// initial value and final XOR 0xFFFFFFFF, computed with a 256-entry table
/// (the algorithm of the PNG specification, Annex D, and RFC 1952, section 8).
/// Pass the previous result as `crc` to continue over more bytes.
/// Check value: crc32("123456789") = 0xCBF43926.
uint32_t crc32(const uint8_t* data, std::size_t n, uint32_t crc = 0);

/// The archive as bytes. Throws std::invalid_argument for an undefined
/// tensor, a name used twice in one list, or a name or string over 4 GiB.
std::vector<uint8_t> encode_archive(const Archive& archive);
/// Parses bytes written by encode_archive; `source` names them in messages
/// (usually the file path). Throws ArchiveError naming the first problem.
Archive decode_archive(const std::vector<uint8_t>& bytes, const std::string& source = "<memory>");

/// Writes the archive to `path` through a temporary file `path.tmp` that is
/// flushed and then renamed over `path`: a crash mid-write leaves either the
/// old file or the new one, never half of one. Throws ArchiveError on I/O failure.
void write_archive(const std::string& path, const Archive& archive);
/// Reads and validates the whole file; throws ArchiveError naming the file and the problem.
Archive read_archive(const std::string& path);

/// Reads a whole file into memory; throws ArchiveError when it cannot be
/// opened or read. (Shared with the safetensors reader.)
std::vector<uint8_t> read_file_bytes(const std::string& path);
/// Writes bytes to `path` through `path.tmp` + rename, as write_archive does.
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace iotgrad::tensor

#include "tensor/archive.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace iotgrad::tensor {

namespace {

constexpr std::array<uint8_t, 8> kMagic = {'I', 'O', 'T', 'G', 'R', 'A', 'D', '\0'};
constexpr std::size_t kHeaderBytes = 24;  // magic, version, count, file size
constexpr std::size_t kCrcBytes = 4;
enum EntryKind : uint8_t { kTensor = 0, kScalar = 1, kString = 2 };

/// The CRC-32 table: entry n is the CRC of the single byte n, i.e. n shifted
/// right eight times, XOR-ing the reflected polynomial whenever a 1 falls off.
constexpr std::array<uint32_t, 256> make_crc_table() {
    std::array<uint32_t, 256> table{};
    for (uint32_t n = 0; n < 256; ++n) {
        uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

// ---- little-endian encoding by shifts: the same bytes on any host ----------------
// Floats go through their 32-bit pattern (memcpy to uint32_t), so a big-endian
// host writes and reads the same little-endian file; this assumes IEEE 754
// floats whose byte order is that of integers, as on every current platform.
static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4, "archive: needs IEEE 754 float32");
static_assert(std::numeric_limits<double>::is_iec559 && sizeof(double) == 8, "archive: needs IEEE 754 float64");

void put_u8(std::vector<uint8_t>& out, uint8_t v) { out.push_back(v); }
void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put_u64(std::vector<uint8_t>& out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint32_t get_u32(const uint8_t* p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
    return v;
}
uint64_t get_u64(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return v;
}
void set_u64(std::vector<uint8_t>& out, std::size_t at, uint64_t v) {
    for (int i = 0; i < 8; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

void put_name(std::vector<uint8_t>& out, const std::string& s, const char* what) {
    if (s.size() > std::numeric_limits<uint32_t>::max())
        throw std::invalid_argument(std::string("encode_archive: ") + what + " longer than 4 GiB");
    put_u32(out, static_cast<uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
}

void put_tensor(std::vector<uint8_t>& out, const std::string& name, const Tensor& t) {
    if (!t.defined()) throw std::invalid_argument("encode_archive: tensor '" + name + "' is undefined");
    put_u32(out, static_cast<uint32_t>(t.dim()));
    for (int64_t d : t.shape()) put_u64(out, static_cast<uint64_t>(d));
    const Tensor c = t.contiguous();
    const float* p = c.data();
    out.reserve(out.size() + static_cast<std::size_t>(c.numel()) * 4);
    for (int64_t i = 0; i < c.numel(); ++i) {
        uint32_t bits;
        std::memcpy(&bits, &p[i], 4);
        put_u32(out, bits);
    }
}

template <class V>
void require_unique(const std::vector<std::pair<std::string, V>>& list, const char* what) {
    std::set<std::string> seen;
    for (const auto& kv : list)
        if (!seen.insert(kv.first).second)
            throw std::invalid_argument(std::string("encode_archive: ") + what + " name '" + kv.first +
                                        "' appears more than once");
}

/// Reads entries from [pos, end) where end is the start of the checksum.
/// Every length is checked against the bytes that remain before it is used,
/// so a corrupt length throws instead of allocating or reading past the end.
class EntryReader {
public:
    EntryReader(const std::vector<uint8_t>& b, std::size_t end, const std::string& source)
        : b_(b), pos_(kHeaderBytes), end_(end), source_(source) {}

    std::size_t pos() const { return pos_; }
    std::size_t remaining() const { return end_ - pos_; }

    const uint8_t* take(std::size_t n, const std::string& what) {
        if (n > remaining())
            fail(what + " needs " + std::to_string(n) + " bytes at byte " + std::to_string(pos_) + " but only " +
                 std::to_string(remaining()) + " remain before the checksum");
        const uint8_t* p = b_.data() + pos_;
        pos_ += n;
        return p;
    }
    uint8_t u8(const std::string& what) { return *take(1, what); }
    uint32_t u32(const std::string& what) { return get_u32(take(4, what)); }
    uint64_t u64(const std::string& what) { return get_u64(take(8, what)); }
    std::string str(const std::string& what) {
        const uint32_t n = u32(what + " length");
        const uint8_t* p = take(n, what);
        return std::string(reinterpret_cast<const char*>(p), n);
    }
    [[noreturn]] void fail(const std::string& msg) const { throw ArchiveError(source_ + ": corrupt entry: " + msg); }

private:
    const std::vector<uint8_t>& b_;
    std::size_t pos_, end_;
    const std::string& source_;
};

Tensor read_tensor(EntryReader& r, const std::string& who) {
    const uint32_t rank = r.u32(who + " rank");
    if (rank > static_cast<uint32_t>(Tensor::kMaxRank))
        r.fail(who + " has rank " + std::to_string(rank) + " (at most " + std::to_string(Tensor::kMaxRank) + ")");
    Shape shape;
    uint64_t numel = 1;
    const uint64_t max_numel = r.remaining() / 4;  // what the bytes left could hold, at best
    // The product of the non-zero sizes must fit in int64 too: a [0, 2^62, 2^62]
    // tensor holds no data but its strides would overflow.
    uint64_t span = 1;
    constexpr auto kMaxSpan = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    for (uint32_t d = 0; d < rank; ++d) {
        const uint64_t size = r.u64(who + " size");
        if (size != 0 && span > kMaxSpan / size)
            r.fail(who + " has an impossible shape (a dimension of size " + std::to_string(size) + ")");
        span *= size != 0 ? size : 1;
        if (size != 0 && numel > max_numel / size) r.fail(who + " claims more elements than the file holds");
        numel *= size;
        shape.push_back(static_cast<int64_t>(size));
    }
    const uint8_t* p = r.take(static_cast<std::size_t>(numel) * 4, who + " data");
    Tensor t = Tensor::empty(shape);
    float* out = t.data();
    for (uint64_t i = 0; i < numel; ++i) {
        const uint32_t bits = get_u32(p + 4 * i);
        std::memcpy(&out[i], &bits, 4);
    }
    return t;
}

template <class V>
void add_unique(std::vector<std::pair<std::string, V>>& list, std::string name, V value, EntryReader& r,
                const char* what) {
    for (const auto& kv : list)
        if (kv.first == name) r.fail(std::string(what) + " name '" + name + "' appears more than once");
    list.emplace_back(std::move(name), std::move(value));
}

std::string hex32(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

/// Magic, declared size and checksum: everything that must hold before the
/// version number or any length inside the file is trusted.
void check_frame(const std::vector<uint8_t>& b, const std::string& source) {
    const std::size_t n = b.size();
    if (n == 0) throw ArchiveError(source + ": empty file (0 bytes), not an iotgrad checkpoint");
    if (std::memcmp(b.data(), kMagic.data(), std::min(n, kMagic.size())) != 0)
        throw ArchiveError(source + ": not an iotgrad checkpoint (it does not start with \"IOTGRAD\")");
    if (n < kHeaderBytes + kCrcBytes)
        throw ArchiveError(source + ": truncated at byte " + std::to_string(n) + " (even an empty archive has " +
                           std::to_string(kHeaderBytes + kCrcBytes) + " bytes)");
    const uint64_t declared = get_u64(b.data() + 16);
    if (declared > n)
        throw ArchiveError(source + ": truncated at byte " + std::to_string(n) + " (the header says the file has " +
                           std::to_string(declared) + " bytes)");
    if (declared < kHeaderBytes + kCrcBytes)
        throw ArchiveError(source + ": corrupt header: it declares a file size of " + std::to_string(declared) +
                           " bytes, less than the header itself");
    if (declared < n)
        throw ArchiveError(source + ": " + std::to_string(n - declared) + " unexpected bytes after the end at byte " +
                           std::to_string(declared) + " (the file is corrupt or was appended to)");
    const uint32_t stored = get_u32(b.data() + n - kCrcBytes);
    const uint32_t computed = crc32(b.data(), n - kCrcBytes);
    if (stored != computed)
        throw ArchiveError(source + ": checksum mismatch (stored " + hex32(stored) + ", computed " + hex32(computed) +
                           "): the file is corrupt");
}

}  // namespace

uint32_t crc32(const uint8_t* data, std::size_t n, uint32_t crc) {
    crc = ~crc;
    for (std::size_t i = 0; i < n; ++i) crc = kCrcTable[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

const Tensor* Archive::find_tensor(const std::string& name) const {
    for (const auto& kv : tensors)
        if (kv.first == name) return &kv.second;
    return nullptr;
}
const double* Archive::find_scalar(const std::string& name) const {
    for (const auto& kv : scalars)
        if (kv.first == name) return &kv.second;
    return nullptr;
}
const std::string* Archive::find_string(const std::string& name) const {
    for (const auto& kv : strings)
        if (kv.first == name) return &kv.second;
    return nullptr;
}

std::vector<uint8_t> encode_archive(const Archive& a) {
    require_unique(a.tensors, "tensor");
    require_unique(a.scalars, "scalar");
    require_unique(a.strings, "string");
    const std::size_t count = a.tensors.size() + a.scalars.size() + a.strings.size();
    if (count > std::numeric_limits<uint32_t>::max()) throw std::invalid_argument("encode_archive: too many entries");
    std::vector<uint8_t> out(kMagic.begin(), kMagic.end());
    put_u32(out, kArchiveVersion);
    put_u32(out, static_cast<uint32_t>(count));
    put_u64(out, 0);  // file size, filled in below
    for (const auto& [name, t] : a.tensors) {
        put_u8(out, kTensor);
        put_name(out, name, "a tensor name");
        put_tensor(out, name, t);
    }
    for (const auto& [name, v] : a.scalars) {
        put_u8(out, kScalar);
        put_name(out, name, "a scalar name");
        uint64_t bits;
        std::memcpy(&bits, &v, 8);
        put_u64(out, bits);
    }
    for (const auto& [name, s] : a.strings) {
        put_u8(out, kString);
        put_name(out, name, "a string name");
        put_name(out, s, "a string value");
    }
    set_u64(out, 16, out.size() + kCrcBytes);
    put_u32(out, crc32(out.data(), out.size()));
    return out;
}

Archive decode_archive(const std::vector<uint8_t>& b, const std::string& source) {
    check_frame(b, source);
    const uint32_t version = get_u32(b.data() + 8);
    if (version == 0) throw ArchiveError(source + ": unknown archive version 0");
    if (version > kArchiveVersion)
        throw ArchiveError(source + ": version " + std::to_string(version) +
                           " is newer than this build supports (newest: " + std::to_string(kArchiveVersion) +
                           "); update iotgrad to read it");
    const uint32_t count = get_u32(b.data() + 12);
    EntryReader r(b, b.size() - kCrcBytes, source);
    if (count > r.remaining() / 5)  // each entry takes at least a kind byte and a name length
        r.fail("the header announces " + std::to_string(count) + " entries, more than the file could hold");
    Archive a;
    for (uint32_t e = 0; e < count; ++e) {
        const uint8_t kind = r.u8("entry " + std::to_string(e) + " kind");
        std::string name = r.str("entry " + std::to_string(e) + " name");
        const std::string who = "entry " + std::to_string(e) + " ('" + name + "')";
        if (kind == kTensor) {
            add_unique(a.tensors, std::move(name), read_tensor(r, who), r, "tensor");
        } else if (kind == kScalar) {
            const uint64_t bits = r.u64(who + " value");
            double v;
            std::memcpy(&v, &bits, 8);
            add_unique(a.scalars, std::move(name), v, r, "scalar");
        } else if (kind == kString) {
            add_unique(a.strings, std::move(name), r.str(who + " value"), r, "string");
        } else {
            r.fail(who + " has unknown kind " + std::to_string(kind));
        }
    }
    if (r.remaining() != 0)
        r.fail(std::to_string(r.remaining()) + " unexplained bytes after the last entry, at byte " +
               std::to_string(r.pos()));
    return a;
}

std::vector<uint8_t> read_file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw ArchiveError(path + ": cannot open for reading");
    const std::streamoff size = in.tellg();
    if (size < 0) throw ArchiveError(path + ": cannot determine the file size");
    std::vector<uint8_t> bytes(static_cast<std::size_t>(size));
    in.seekg(0);
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size))
        throw ArchiveError(path + ": read failed after " + std::to_string(in.gcount()) + " bytes");
    return bytes;
}

void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes) {
    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw ArchiveError(tmp + ": cannot open for writing: " + std::strerror(errno));
    bool ok = bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = std::fflush(f) == 0 && ok;
#if defined(__unix__) || defined(__APPLE__)
    // On disk before the rename makes it visible: otherwise a power cut could
    // leave the new name pointing at a file whose data never arrived.
    ok = ::fsync(::fileno(f)) == 0 && ok;
#endif
    ok = std::fclose(f) == 0 && ok;
    std::error_code ec;
    if (!ok) {
        std::filesystem::remove(tmp, ec);
        throw ArchiveError(tmp + ": write failed (disk full?)");
    }
    std::filesystem::rename(tmp, path, ec);  // atomic replacement on POSIX file systems
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        throw ArchiveError(path + ": cannot rename " + tmp + " into place: " + ec.message());
    }
}

void write_archive(const std::string& path, const Archive& archive) {
    write_file_atomic(path, encode_archive(archive));
}

Archive read_archive(const std::string& path) { return decode_archive(read_file_bytes(path), path); }

}  // namespace iotgrad::tensor

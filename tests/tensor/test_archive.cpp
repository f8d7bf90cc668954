#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "tensor/archive.hpp"
#include "tensor/random.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

using namespace iotgrad;
using tensor::Archive;
using tensor::ArchiveError;

namespace {

/// A scratch directory unique to this process, removed at the end of the test.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& tag) {
#if defined(__unix__) || defined(__APPLE__)
        const std::string pid = std::to_string(::getpid());
#else
        const std::string pid = "0";
#endif
        path = std::filesystem::temp_directory_path() / ("iotgrad_" + tag + "_" + pid);
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

bool same_bits(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape()) return false;
    const std::vector<float> x = a.to_vector(), y = b.to_vector();
    return x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

Archive small_archive() {
    Archive a;
    a.tensors.emplace_back("w", Tensor::from({2, 3}, {1, -2, 3.5f, 0, -0.0f, 1e-30f}));
    a.tensors.emplace_back("b", Tensor::scalar(7.25f));
    a.scalars.emplace_back("lr", 0.001);
    a.strings.emplace_back("kind", "Adam");
    return a;
}

void put_u32(std::vector<uint8_t>& b, std::size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
/// Recomputes the trailing checksum after a deliberate edit, so the test
/// reaches the check that comes after the checksum.
void reseal(std::vector<uint8_t>& b) { put_u32(b, b.size() - 4, tensor::crc32(b.data(), b.size() - 4)); }

}  // namespace

TEST_CASE("crc32 matches the standard check value", "[tensor][archive]") {
    const std::string s = "123456789";
    CHECK(tensor::crc32(reinterpret_cast<const uint8_t*>(s.data()), s.size()) == 0xCBF43926u);
    CHECK(tensor::crc32(nullptr, 0) == 0u);
    // Continuing over a split gives the same result as one pass.
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    CHECK(tensor::crc32(p + 4, 5, tensor::crc32(p, 4)) == 0xCBF43926u);
}

TEST_CASE("archive round trip keeps names, shapes, bits and order", "[tensor][archive]") {
    Generator gen(3);
    Archive a;
    a.tensors.emplace_back("big", Tensor::randn({3, 4, 5}, gen));
    a.tensors.emplace_back("rank0", Tensor::scalar(-1.5f));
    a.tensors.emplace_back("empty", Tensor::zeros({0, 3}));
    a.tensors.emplace_back("transposed", Tensor::arange(6).reshape({2, 3}).t());  // non-contiguous
    a.tensors.emplace_back("special", Tensor::from({3}, {std::numeric_limits<float>::infinity(), -0.0f, 1e-42f}));
    a.scalars.emplace_back("step.0", 12345.0);
    a.scalars.emplace_back("tiny", 1e-300);
    a.strings.emplace_back("kind", "AdamW");
    a.strings.emplace_back("utf8 name \xC3\xA9", std::string("with\0zero", 9));

    const Archive b = tensor::decode_archive(tensor::encode_archive(a));
    REQUIRE(b.tensors.size() == a.tensors.size());
    for (std::size_t i = 0; i < a.tensors.size(); ++i) {
        INFO(a.tensors[i].first);
        CHECK(b.tensors[i].first == a.tensors[i].first);
        CHECK(b.tensors[i].second.is_contiguous());
        CHECK(same_bits(b.tensors[i].second, a.tensors[i].second));
    }
    CHECK(shape_str(b.find_tensor("transposed")->shape()) == "[3, 2]");
    CHECK(b.find_tensor("transposed")->to_vector() == std::vector<float>{0, 3, 1, 4, 2, 5});
    REQUIRE(b.scalars.size() == 2);
    CHECK(*b.find_scalar("step.0") == 12345.0);
    CHECK(*b.find_scalar("tiny") == 1e-300);
    CHECK(*b.find_string("kind") == "AdamW");
    CHECK(*b.find_string("utf8 name \xC3\xA9") == std::string("with\0zero", 9));
    CHECK(b.find_tensor("nope") == nullptr);
}

TEST_CASE("archive bytes are little-endian with the documented header", "[tensor][archive]") {
    Archive a;
    a.tensors.emplace_back("x", Tensor::from({1}, {1.0f}));
    const std::vector<uint8_t> b = tensor::encode_archive(a);
    // 24 header + kind 1 + name length 4 + "x" 1 + rank 4 + one size 8 + one float 4 + CRC 4
    REQUIRE(b.size() == 50);
    CHECK(std::string(b.begin(), b.begin() + 8) == std::string("IOTGRAD\0", 8));
    CHECK(b[8] == 1);   // version 1, least significant byte first
    CHECK(b[12] == 1);  // one entry
    CHECK(b[16] == 50);
    const std::vector<uint8_t> one_le = {0x00, 0x00, 0x80, 0x3F};  // 1.0f = 0x3F800000
    CHECK(std::vector<uint8_t>(b.end() - 8, b.end() - 4) == one_le);
}

TEST_CASE("archive files are written atomically and read back", "[tensor][archive]") {
    TempDir dir("archive");
    const std::string path = dir.file("a.ckpt");
    tensor::write_archive(path, small_archive());
    CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
    const Archive b = tensor::read_archive(path);
    CHECK(same_bits(*b.find_tensor("w"), small_archive().tensors[0].second));
    // Overwriting replaces the file as a whole.
    Archive c;
    c.scalars.emplace_back("only", 2.0);
    tensor::write_archive(path, c);
    const Archive d = tensor::read_archive(path);
    CHECK(d.tensors.empty());
    CHECK(*d.find_scalar("only") == 2.0);
    CHECK_THROWS_WITH(tensor::read_archive(dir.file("missing.ckpt")), IOTGRAD_HAS("cannot open"));
}

TEST_CASE("every truncation of an archive is refused", "[tensor][archive]") {
    const std::vector<uint8_t> full = tensor::encode_archive(small_archive());
    for (std::size_t n = 0; n < full.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        const std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
        CHECK_THROWS_AS(tensor::decode_archive(cut, "f"), ArchiveError);
        if (n >= 8) CHECK_THROWS_WITH(tensor::decode_archive(cut, "f"), IOTGRAD_HAS("f: truncated at byte " + std::to_string(n)));
    }
    // The same through a real file, with the path in the message.
    TempDir dir("archive_trunc");
    const std::string path = dir.file("cut.ckpt");
    {
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(full.data()), 30);
    }
    CHECK_THROWS_WITH(tensor::read_archive(path), IOTGRAD_HAS(path + ": truncated at byte 30"));
}

TEST_CASE("an archive with any single bit flipped is refused", "[tensor][archive]") {
    const std::vector<uint8_t> full = tensor::encode_archive(small_archive());
    for (std::size_t i = 0; i < full.size(); ++i)
        for (int bit = 0; bit < 8; ++bit) {
            std::vector<uint8_t> bad = full;
            bad[i] ^= static_cast<uint8_t>(1u << bit);
            INFO("byte " << i << " bit " << bit);
            CHECK_THROWS_AS(tensor::decode_archive(bad), ArchiveError);
        }
    std::vector<uint8_t> bad = full;
    bad[40] ^= 0x10;
    CHECK_THROWS_WITH(tensor::decode_archive(bad), IOTGRAD_HAS("checksum mismatch"));
    // Appended bytes are refused too.
    bad = full;
    bad.push_back(0);
    CHECK_THROWS_WITH(tensor::decode_archive(bad), IOTGRAD_HAS("1 unexpected bytes after the end"));
}

TEST_CASE("archive refuses other files and newer versions", "[tensor][archive]") {
    const std::string text = "hello, this is not a checkpoint at all";
    CHECK_THROWS_WITH(tensor::decode_archive(std::vector<uint8_t>(text.begin(), text.end()), "notes.txt"),
                      IOTGRAD_HAS("notes.txt: not an iotgrad checkpoint"));
    CHECK_THROWS_WITH(tensor::decode_archive({}, "e"), IOTGRAD_HAS("empty file"));

    std::vector<uint8_t> b = tensor::encode_archive(small_archive());
    put_u32(b, 8, 7);
    reseal(b);
    CHECK_THROWS_WITH(tensor::decode_archive(b), IOTGRAD_HAS("version 7 is newer than this build supports"));
    put_u32(b, 8, 0);
    reseal(b);
    CHECK_THROWS_WITH(tensor::decode_archive(b), IOTGRAD_HAS("unknown archive version 0"));
}

TEST_CASE("archive refuses lengths the file cannot hold, without allocating", "[tensor][archive]") {
    Archive a;
    a.tensors.emplace_back("t", Tensor::zeros({2}));
    std::vector<uint8_t> b = tensor::encode_archive(a);
    // The tensor's one size is at byte 24 + 1 + 4 + 1 + 4 = 34: claim 2^40 elements (4 TiB).
    for (int i = 0; i < 8; ++i) b[34 + i] = i == 5 ? 1 : 0;
    reseal(b);
    CHECK_THROWS_WITH(tensor::decode_archive(b), IOTGRAD_HAS("claims more elements than the file holds"));

    // An empty [0, 2^62, 4] tensor: no data, but its strides would overflow.
    Archive z;
    z.tensors.emplace_back("t", Tensor::zeros({0, 1, 4}));
    std::vector<uint8_t> zb = tensor::encode_archive(z);
    zb[42 + 7] = 0x40;  // the second size (bytes 42..50) becomes 2^62 + 1
    reseal(zb);
    CHECK_THROWS_WITH(tensor::decode_archive(zb), IOTGRAD_HAS("impossible shape"));

    std::vector<uint8_t> c = tensor::encode_archive(a);
    put_u32(c, 25, 0xFFFFFFF0u);  // the name's length
    reseal(c);
    CHECK_THROWS_WITH(tensor::decode_archive(c), IOTGRAD_HAS("name needs 4294967280 bytes"));

    std::vector<uint8_t> d = tensor::encode_archive(a);
    put_u32(d, 12, 1000000);  // entry count
    reseal(d);
    CHECK_THROWS_WITH(tensor::decode_archive(d), IOTGRAD_HAS("announces 1000000 entries"));

    std::vector<uint8_t> e = tensor::encode_archive(a);
    e[24] = 9;  // entry kind
    reseal(e);
    CHECK_THROWS_WITH(tensor::decode_archive(e), IOTGRAD_HAS("unknown kind 9"));
}

TEST_CASE("archive encoding refuses repeated names and undefined tensors", "[tensor][archive]") {
    Archive a;
    a.tensors.emplace_back("w", Tensor::zeros({1}));
    a.tensors.emplace_back("w", Tensor::zeros({1}));
    CHECK_THROWS_WITH(tensor::encode_archive(a), IOTGRAD_HAS("'w' appears more than once"));
    Archive b;
    b.tensors.emplace_back("u", Tensor());
    CHECK_THROWS_WITH(tensor::encode_archive(b), IOTGRAD_HAS("'u' is undefined"));
}

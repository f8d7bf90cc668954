#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "tensor/random.hpp"
#include "tensor/safetensors.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

using namespace iotgrad;
using tensor::Safetensors;
using tensor::SafetensorsError;

namespace {

/// A file from a header text and raw data bytes, as another writer might produce it.
std::vector<uint8_t> make_file(const std::string& header, const std::vector<uint8_t>& data) {
    std::vector<uint8_t> out;
    const uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

/// Little-endian float32 bytes.
std::vector<uint8_t> f32(const std::vector<float>& v) {
    std::vector<uint8_t> out;
    for (float x : v) {
        uint32_t bits;
        std::memcpy(&bits, &x, 4);
        for (int k = 0; k < 4; ++k) out.push_back(static_cast<uint8_t>(bits >> (8 * k)));
    }
    return out;
}

/// N, the header length in the first 8 bytes.
std::size_t header_len(const std::vector<uint8_t>& b) {
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(b[i]) << (8 * i);
    return static_cast<std::size_t>(n);
}

Safetensors decode(const std::string& header, const std::vector<uint8_t>& data) {
    return tensor::decode_safetensors(make_file(header, data), "f.safetensors");
}

Safetensors small_file() {
    Safetensors f;
    f.tensors.emplace_back("layer.weight", Tensor::from({2, 2}, {1, 2, 3, 4}));
    f.tensors.emplace_back("layer.bias", Tensor::from({2}, {-1, 0.5f}));
    f.metadata = {{"format", "pt"}};
    return f;
}

}  // namespace

TEST_CASE("safetensors writes the documented layout", "[tensor][safetensors]") {
    Safetensors f;
    f.tensors.emplace_back("a", Tensor::from({2}, {1.0f, 2.0f}));
    const std::vector<uint8_t> b = tensor::encode_safetensors(f);
    const std::string json = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    const std::size_t padded = (json.size() + 7) / 8 * 8;
    REQUIRE(b.size() == 8 + padded + 8);
    CHECK(b[0] == padded);
    for (int i = 1; i < 8; ++i) CHECK(b[i] == 0);
    const std::string header(b.begin() + 8, b.begin() + 8 + static_cast<std::ptrdiff_t>(padded));
    CHECK(header == json + std::string(padded - json.size(), ' '));
    CHECK(std::vector<uint8_t>(b.end() - 8, b.end()) == f32({1.0f, 2.0f}));
}

TEST_CASE("safetensors round trip keeps names, order, values and metadata", "[tensor][safetensors]") {
    Generator gen(5);
    Safetensors f;
    f.tensors.emplace_back("conv.weight", Tensor::randn({4, 3, 5}, gen));
    f.tensors.emplace_back("scalar", Tensor::scalar(3.0f));
    f.tensors.emplace_back("empty", Tensor::zeros({0}));
    f.tensors.emplace_back("quote\"back\\slash\ttab \xC3\xA9", Tensor::arange(6).reshape({3, 2}).t());
    f.metadata = {{"format", "pt"}, {"note", "line\nbreak"}};
    const std::vector<uint8_t> bytes = tensor::encode_safetensors(f);
    CHECK(header_len(bytes) % 8 == 0);  // the data section starts 8-byte aligned
    CHECK(bytes.size() - 8 - header_len(bytes) == (4 * 3 * 5 + 1 + 0 + 6) * 4);
    const Safetensors g = tensor::decode_safetensors(bytes);
    REQUIRE(g.tensors.size() == f.tensors.size());
    for (std::size_t i = 0; i < f.tensors.size(); ++i) {
        INFO(f.tensors[i].first);
        CHECK(g.tensors[i].first == f.tensors[i].first);
        CHECK(shape_str(g.tensors[i].second.shape()) == shape_str(f.tensors[i].second.shape()));
        CHECK(g.tensors[i].second.to_vector() == f.tensors[i].second.to_vector());
    }
    CHECK(g.metadata == f.metadata);

    const auto dir = std::filesystem::temp_directory_path();
#if defined(__unix__) || defined(__APPLE__)
    const std::string path = (dir / ("iotgrad_st_" + std::to_string(::getpid()) + ".safetensors")).string();
#else
    const std::string path = (dir / "iotgrad_st.safetensors").string();
#endif
    tensor::write_safetensors(path, f);
    const Safetensors h = tensor::read_safetensors(path);
    std::filesystem::remove(path);
    CHECK(h.find("conv.weight")->to_vector() == f.tensors[0].second.to_vector());
    CHECK_THROWS_AS(tensor::read_safetensors(path), SafetensorsError);
}

TEST_CASE("safetensors reads headers written by other tools", "[tensor][safetensors]") {
    // Spaces after separators, metadata last, offsets out of header order,
    // escapes (\u00e9 = é, a surrogate pair for U+1F600) in a name.
    const std::string header =
        "{\"b\": {\"shape\": [1], \"dtype\": \"F32\", \"data_offsets\": [8, 12]},\n"
        " \"\\u00e9\\ud83d\\ude00\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},\n"
        " \"__metadata__\": {\"format\": \"pt\"}}    ";
    const Safetensors f = decode(header, f32({1, 2, 3}));
    REQUIRE(f.tensors.size() == 2);
    CHECK(f.tensors[0].first == "\xC3\xA9\xF0\x9F\x98\x80");  // data order: the [0, 8) tensor first
    CHECK(f.tensors[0].second.to_vector() == std::vector<float>{1, 2});
    CHECK(f.find("b")->to_vector() == std::vector<float>{3});
    CHECK(f.metadata.size() == 1);
    // An empty header object is a valid file with no tensors.
    CHECK(decode("{}      ", {}).tensors.empty());
}

TEST_CASE("every truncation of a safetensors file is refused", "[tensor][safetensors]") {
    const std::vector<uint8_t> full = tensor::encode_safetensors(small_file());
    for (std::size_t n = 0; n < full.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        const std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
        CHECK_THROWS_AS(tensor::decode_safetensors(cut), SafetensorsError);
    }
    const std::vector<uint8_t> cut(full.begin(), full.end() - 1);
    CHECK_THROWS_WITH(tensor::decode_safetensors(cut), IOTGRAD_HAS("(the file is truncated)"));
    const std::vector<uint8_t> head_cut(full.begin(), full.begin() + 20);
    CHECK_THROWS_WITH(tensor::decode_safetensors(head_cut), IOTGRAD_HAS("truncated at byte 20"));
}

TEST_CASE("safetensors survives every single bit flip without reading out of bounds", "[tensor][safetensors]") {
    // The format has no checksum: a flipped data bit is undetectable. What
    // must hold is that no flip crashes the reader or makes it read or
    // allocate outside the file (the sanitizer builds check that), and that
    // a flip in the length prefix or the JSON structure is refused.
    const std::vector<uint8_t> full = tensor::encode_safetensors(small_file());
    const std::size_t header_end = 8 + header_len(full);
    int refused = 0, accepted = 0;
    for (std::size_t i = 0; i < full.size(); ++i)
        for (int bit = 0; bit < 8; ++bit) {
            std::vector<uint8_t> bad = full;
            bad[i] ^= static_cast<uint8_t>(1u << bit);
            INFO("byte " << i << " bit " << bit);
            try {
                const Safetensors f = tensor::decode_safetensors(bad);
                ++accepted;
                CHECK(i >= 8);  // a changed length prefix never parses
                int64_t bytes = 0;
                for (const auto& kv : f.tensors) bytes += kv.second.numel() * 4;
                CHECK(bytes == static_cast<int64_t>(full.size() - header_end));
            } catch (const SafetensorsError&) {
                ++refused;
            }
        }
    CHECK(refused > 0);
    CHECK(accepted > 0);
    std::vector<uint8_t> bad = full;
    bad[8] = '[';  // the opening brace
    CHECK_THROWS_WITH(tensor::decode_safetensors(bad), IOTGRAD_HAS("must be a JSON object starting with '{'"));
}

TEST_CASE("safetensors refuses dtypes other than F32, naming them", "[tensor][safetensors]") {
    CHECK_THROWS_WITH(decode(R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})", {0, 0, 0, 0}),
                      IOTGRAD_HAS("tensor \"w\" has dtype F16; iotgrad reads only F32"));
    CHECK_THROWS_WITH(decode(R"({"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})", std::vector<uint8_t>(8)),
                      IOTGRAD_HAS("has dtype I64"));
}

TEST_CASE("safetensors refuses overlapping, gapped or mis-sized offsets", "[tensor][safetensors]") {
    const std::vector<uint8_t> data = f32({1, 2, 3, 4});
    CHECK_THROWS_WITH(decode(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},)"
                             R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                             data),
                      IOTGRAD_HAS("tensors \"a\" and \"b\" overlap"));
    CHECK_THROWS_WITH(decode(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                             f32({1, 2})),
                      IOTGRAD_HAS("overlap"));
    CHECK_THROWS_WITH(decode(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", f32({1, 2})),
                      IOTGRAD_HAS("a gap of 4 bytes before tensor \"a\""));
    CHECK_THROWS_WITH(decode(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", f32({1, 2})),
                      IOTGRAD_HAS("of shape [3] needs 12 bytes but its data_offsets [0, 8) span 8"));
    CHECK_THROWS_WITH(decode(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", f32({1, 2})),
                      IOTGRAD_HAS("unindexed bytes at the end"));
    CHECK_THROWS_WITH(decode(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", {}),
                      IOTGRAD_HAS("end before they begin"));
    CHECK_THROWS_WITH(decode(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}})", {}),
                      IOTGRAD_HAS("too large"));
    CHECK_THROWS_WITH(decode(R"({"a":{"dtype":"F32","shape":[0,4611686018427387904,4],"data_offsets":[0,0]}})", {}),
                      IOTGRAD_HAS("too large"));  // empty, but its strides would overflow
    CHECK(decode(R"({"a":{"dtype":"F32","shape":[0,1000,1000],"data_offsets":[0,0]}})", {}).find("a")->numel() == 0);
}

TEST_CASE("safetensors refuses malformed headers with a clear message", "[tensor][safetensors]") {
    const std::vector<uint8_t> d = f32({1});
    const std::string ok_entry = R"({"dtype":"F32","shape":[1],"data_offsets":[0,4]})";
    struct Case {
        std::string header, message;
    };
    const std::vector<Case> cases = {
        {" {\"a\":" + ok_entry + "}", "starting with '{'"},
        {"{\"a\":" + ok_entry + ",}", "expected a key (a string)"},
        {"{\"a\":" + ok_entry + ",\"a\":" + ok_entry + "}", "key \"a\" appears more than once"},
        {"{\"a\":" + ok_entry, "expected '}' after the entry \"a\""},
        {"{\"a\":" + ok_entry + "} x", "unexpected 'x' after the header's closing '}'"},
        {R"({"a":{"dtype":"F32","shape":[1]}})", "tensor \"a\" lacks data_offsets"},
        {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}})", "unexpected or repeated key \"extra\""},
        {R"({"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}})", "unexpected or repeated key \"dtype\""},
        {R"({"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}})", "leading zero"},
        {R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", "must be a non-negative integer"},
        {R"({"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}})", "must be an integer, not a fraction"},
        {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]}})", "does not fit in 64 bits"},
        {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}})", "must be [begin, end]"},
        {R"({"a":{"dtype":"F32","shape":[1,],"data_offsets":[0,4]}})", "must be a non-negative integer, found ']'"},
        {R"({"a\q":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", "unknown escape \\q"},
        {R"({"\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", "lone high surrogate"},
        {"{\"a\x01\":" + ok_entry + "}", "raw control character"},
        {"{\"a\xFF\":" + ok_entry + "}", "not valid UTF-8"},
        {R"({"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
         "expected a __metadata__ value (a string)"},
        {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":"x"})", "to open __metadata__"},
        {R"({"__metadata__":{"k":"v","k":"w"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
         "__metadata__ key \"k\" appears more than once"},
        {"{\"a\":" + ok_entry + "}\x01", "unexpected byte 1"},
    };
    for (const Case& c : cases) {
        INFO(c.header);
        CHECK_THROWS_WITH(decode(c.header, d), IOTGRAD_HAS(c.message));
    }
    // A header length beyond the limit is refused before anything is read.
    std::vector<uint8_t> huge(16, 0);
    huge[5] = 1;  // 2^40
    CHECK_THROWS_WITH(tensor::decode_safetensors(huge), IOTGRAD_HAS("exceeds the 100000000-byte limit"));
    CHECK_THROWS_WITH(tensor::decode_safetensors({1, 2, 3}), IOTGRAD_HAS("truncated at byte 3"));
}

TEST_CASE("safetensors encoding refuses repeated and reserved names", "[tensor][safetensors]") {
    Safetensors f;
    f.tensors.emplace_back("w", Tensor::zeros({1}));
    f.tensors.emplace_back("w", Tensor::zeros({1}));
    CHECK_THROWS_WITH(tensor::encode_safetensors(f), IOTGRAD_HAS("'w' appears more than once"));
    Safetensors g;
    g.tensors.emplace_back("__metadata__", Tensor::zeros({1}));
    CHECK_THROWS_WITH(tensor::encode_safetensors(g), IOTGRAD_HAS("reserved"));
}

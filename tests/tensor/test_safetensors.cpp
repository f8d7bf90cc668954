#include <cmath>
#include <cstring>
#include <limits>
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

TEST_CASE("safetensors refuses unknown dtypes and wrong byte lengths, naming the tensor", "[tensor][safetensors]") {
    CHECK_THROWS_WITH(decode(R"({"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}})", {0, 0}),
                      IOTGRAD_HAS("tensor \"w\" has dtype F8_E4M3, which iotgrad does not read"));
    CHECK_THROWS_WITH(decode(R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}})", std::vector<uint8_t>(8)),
                      IOTGRAD_HAS("tensor \"w\" of shape [2] needs 4 bytes but its data_offsets [0, 8) span 8"));
    CHECK_THROWS_WITH(decode(R"({"w":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}})", std::vector<uint8_t>(12)),
                      IOTGRAD_HAS("(the file is truncated)"));
    CHECK_THROWS_WITH(decode(R"({"w":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})", {1, 2}),
                      IOTGRAD_HAS("tensor \"w\" (BOOL) element 1 is the byte 2, not 0 (false) or 1 (true)"));
    // 2^24 + 1 (I32 bytes 01 00 00 01) is the first integer float32 would round.
    CHECK_THROWS_WITH(decode(R"({"w":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}})", {1, 0, 0, 1}),
                      IOTGRAD_HAS("tensor \"w\" (I32) element 0 is 16777217, which float32 cannot hold exactly"));
    CHECK(decode(R"({"w":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}})", {2, 0, 0, 1}).find("w")->item() ==
          16777218.0f);  // a multiple of float32's spacing 2 there: exact
    // The most negative I64 is -2^63, a power of two: exact. -2^63 + 1 is not.
    CHECK(decode(R"({"w":{"dtype":"I64","shape":[],"data_offsets":[0,8]}})", {0, 0, 0, 0, 0, 0, 0, 0x80})
              .find("w")->item() == -9223372036854775808.0f);
    CHECK_THROWS_WITH(decode(R"({"w":{"dtype":"I64","shape":[],"data_offsets":[0,8]}})", {1, 0, 0, 0, 0, 0, 0, 0x80}),
                      IOTGRAD_HAS("is -9223372036854775807, which float32 cannot hold exactly"));
    CHECK_THROWS_WITH(decode(R"({"w":{"dtype":"I64","shape":[],"data_offsets":[0,8]}})",
                             {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}),
                      IOTGRAD_HAS("is 9223372036854775807, which float32 cannot hold exactly"));
}

TEST_CASE("half and bfloat16 convert exactly; float rounds to them to nearest even", "[tensor][safetensors]") {
    // Known values.
    CHECK(tensor::half_to_float(0x3C00) == 1.0f);
    CHECK(tensor::half_to_float(0xC000) == -2.0f);
    CHECK(tensor::half_to_float(0x7BFF) == 65504.0f);
    CHECK(tensor::half_to_float(0x0001) == std::ldexp(1.0f, -24));
    CHECK(tensor::half_to_float(0x03FF) == std::ldexp(1023.0f, -24));
    CHECK(tensor::half_to_float(0x0400) == std::ldexp(1.0f, -14));
    CHECK(std::signbit(tensor::half_to_float(0x8000)));
    CHECK(std::isinf(tensor::half_to_float(0xFC00)));
    CHECK(std::isnan(tensor::half_to_float(0x7E00)));
    CHECK(tensor::bfloat16_to_float(0x3F80) == 1.0f);
    CHECK(tensor::bfloat16_to_float(0x0001) == std::ldexp(1.0f, -133));
    CHECK(tensor::bfloat16_to_float(0x7F7F) == 3.3895313892515355e38f);
    // Every half and bfloat16 pattern survives float32 and back (NaN stays NaN).
    for (uint32_t h = 0; h < 65536; ++h) {
        const auto b = static_cast<uint16_t>(h);
        const float f = tensor::half_to_float(b), g = tensor::bfloat16_to_float(b);
        if (std::isnan(f)) {
            CHECK(std::isnan(tensor::half_to_float(tensor::float_to_half(f))));
        } else if (tensor::float_to_half(f) != b) {
            FAIL("half " << h << " -> " << f << " -> " << tensor::float_to_half(f));
        }
        if (std::isnan(g)) {
            CHECK(std::isnan(tensor::bfloat16_to_float(tensor::float_to_bfloat16(g))));
        } else if (tensor::float_to_bfloat16(g) != b) {
            FAIL("bfloat16 " << h << " -> " << g << " -> " << tensor::float_to_bfloat16(g));
        }
    }
    // Rounding: ties go to the even mantissa; beyond 65504 + half a step is infinity; below 2^-25 is zero.
    CHECK(tensor::float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);                    // tie -> even (down)
    CHECK(tensor::float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3C02);                // tie -> even (up)
    CHECK(tensor::float_to_half(65519.0f) == 0x7BFF);
    CHECK(tensor::float_to_half(65520.0f) == 0x7C00);
    CHECK(tensor::float_to_half(std::ldexp(1.0f, -25)) == 0x0000);                           // tie -> even (zero)
    CHECK(tensor::float_to_half(std::ldexp(1.5f, -25)) == 0x0001);
    CHECK(tensor::float_to_half(std::ldexp(1023.5f, -24)) == 0x0400);                        // carries into the normals
    CHECK(tensor::float_to_bfloat16(1.0f + std::ldexp(1.0f, -8)) == 0x3F80);                 // tie -> even
    CHECK(tensor::float_to_bfloat16(1.0f + 3 * std::ldexp(1.0f, -8)) == 0x3F82);
}

TEST_CASE("safetensors writes each tensor in its requested dtype and reads it back", "[tensor][safetensors]") {
    Safetensors f;
    const std::vector<std::pair<std::string, tensor::Dtype>> cases = {
        {"f64", tensor::Dtype::F64}, {"f32", tensor::Dtype::F32}, {"f16", tensor::Dtype::F16},
        {"bf16", tensor::Dtype::BF16}, {"i64", tensor::Dtype::I64}, {"i32", tensor::Dtype::I32},
        {"i16", tensor::Dtype::I16},  {"i8", tensor::Dtype::I8},   {"u8", tensor::Dtype::U8},
        {"bool", tensor::Dtype::BOOL}};
    const std::vector<std::vector<float>> values = {
        {0.1f, -3e38f}, {0.1f, -0.0f}, {-1.5f, 65504.0f}, {1.0f, -2.0f}, {16777216.0f, -9223372036854775808.0f},
        {-2147483648.0f, 7.0f}, {-32768.0f, 32767.0f}, {-128.0f, 127.0f}, {0.0f, 255.0f}, {1.0f, 0.0f}};
    for (std::size_t i = 0; i < cases.size(); ++i) {
        f.tensors.emplace_back(cases[i].first, Tensor::from({2}, values[i]));
        f.dtypes[cases[i].first] = cases[i].second;
    }
    f.tensors.emplace_back("default", Tensor::scalar(2.5f));  // not in dtypes: F32
    const std::vector<uint8_t> bytes = tensor::encode_safetensors(f);
    const std::string header(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(header_len(bytes)));
    CHECK(header.find(R"("i64":{"dtype":"I64","shape":[2],"data_offsets":[)") != std::string::npos);
    CHECK(header.find(R"("bool":{"dtype":"BOOL","shape":[2],"data_offsets":[)") != std::string::npos);
    CHECK(header.find(R"("default":{"dtype":"F32","shape":[],"data_offsets":[)") != std::string::npos);
    const Safetensors back = tensor::decode_safetensors(bytes);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        INFO(cases[i].first);
        CHECK(back.dtypes.at(cases[i].first) == cases[i].second);
        CHECK(back.find(cases[i].first)->to_vector() == values[i]);
    }
    CHECK(back.dtypes.at("default") == tensor::Dtype::F32);
    CHECK(tensor::encode_safetensors(back) == bytes);  // read then written: the same bytes
}

TEST_CASE("safetensors refuses to write a value its dtype cannot hold, naming the tensor", "[tensor][safetensors]") {
    auto one = [](float v, tensor::Dtype d) {
        Safetensors f;
        f.tensors.emplace_back("t", Tensor::from({1}, {v}));
        f.dtypes["t"] = d;
        return tensor::encode_safetensors(f);
    };
    CHECK_THROWS_WITH(one(1.5f, tensor::Dtype::I64), IOTGRAD_HAS("tensor 't' cannot be written as I64: its value 1.5"));
    CHECK_THROWS_WITH(one(256.0f, tensor::Dtype::U8), IOTGRAD_HAS("is not a whole number in [0, 255]"));
    CHECK_THROWS_WITH(one(-1.0f, tensor::Dtype::U8), IOTGRAD_HAS("[0, 255]"));
    CHECK_THROWS_WITH(one(2.0f, tensor::Dtype::BOOL), IOTGRAD_HAS("[0, 1]"));
    CHECK_THROWS_WITH(one(9223372036854775808.0f, tensor::Dtype::I64), IOTGRAD_HAS("not a whole number in"));
    CHECK_THROWS_WITH(one(std::nanf(""), tensor::Dtype::I32), IOTGRAD_HAS("cannot be written as I32"));
    CHECK_THROWS_WITH(one(70000.0f, tensor::Dtype::F16), IOTGRAD_HAS("is beyond its range"));
    CHECK(one(std::numeric_limits<float>::infinity(), tensor::Dtype::F16).size() > 8);  // inf stays inf
    Safetensors g;
    g.tensors.emplace_back("a", Tensor::zeros({1}));
    g.dtypes["b"] = tensor::Dtype::I64;
    CHECK_THROWS_WITH(tensor::encode_safetensors(g), IOTGRAD_HAS("a dtype is given for 'b', which is not one of the tensors"));
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

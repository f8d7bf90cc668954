#include "tensor/safetensors.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <set>

#include "tensor/archive.hpp"

namespace iotgrad::tensor {

namespace {

constexpr std::size_t kPrefixBytes = 8;  // the u64 header length
// Floats are written and read through their 32-bit pattern with shifts, so the
// file is little-endian on any host (IEEE 754 floats assumed, as everywhere today).
static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4, "safetensors: needs IEEE 754 float32");

constexpr Dtype kAllDtypes[] = {Dtype::F64, Dtype::F32, Dtype::F16, Dtype::BF16, Dtype::I64,
                                Dtype::I32, Dtype::I16, Dtype::I8,  Dtype::U8,   Dtype::BOOL};

bool dtype_from_name(const std::string& name, Dtype& out) {
    for (const Dtype d : kAllDtypes)
        if (name == dtype_name(d)) {
            out = d;
            return true;
        }
    return false;
}

uint32_t float_bits(float x) {
    uint32_t bits;
    std::memcpy(&bits, &x, 4);
    return bits;
}

float bits_float(uint32_t bits) {
    float x;
    std::memcpy(&x, &bits, 4);
    return x;
}

/// The n-byte little-endian unsigned integer at p.
uint64_t load_le(const uint8_t* p, std::size_t n) {
    uint64_t v = 0;
    for (std::size_t k = 0; k < n; ++k) v |= static_cast<uint64_t>(p[k]) << (8 * k);
    return v;
}

void store_le(std::vector<uint8_t>& out, uint64_t v, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) out.push_back(static_cast<uint8_t>(v >> (8 * k)));
}

/// The smallest and largest value of an integer dtype.
void int_range(Dtype d, int64_t& lo, int64_t& hi) {
    switch (d) {
        case Dtype::I64: lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max(); break;
        case Dtype::I32: lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max(); break;
        case Dtype::I16: lo = std::numeric_limits<int16_t>::min(), hi = std::numeric_limits<int16_t>::max(); break;
        case Dtype::I8: lo = std::numeric_limits<int8_t>::min(), hi = std::numeric_limits<int8_t>::max(); break;
        case Dtype::U8: lo = 0, hi = 255; break;
        default: lo = 0, hi = 1; break;  // BOOL
    }
}

/// An integer as float32 when float32 holds it exactly: every |v| <= 2^24
/// does; a bigger one only if it is a multiple of the float spacing there.
bool int_to_float_exact(int64_t v, float& out) {
    out = static_cast<float>(v);
    // 2^63 is the first float beyond int64's range: converting it back is undefined.
    if (out >= 9.2233720368547758e18f) return false;
    return static_cast<int64_t>(out) == v;
}

/// A number as text, shortest round-trip form ("1e+39", "16777216").
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

/// Converts element i (at p) of a tensor in dtype d to float32; a value
/// float32 cannot hold as the format means it is refused.
float element_to_float(Dtype d, const uint8_t* p, const std::string& source, const std::string& name, int64_t i) {
    auto refuse = [&](const std::string& what) {
        throw SafetensorsError(source + ": tensor \"" + name + "\" (" + dtype_name(d) + ") element " +
                               std::to_string(i) + " " + what);
    };
    switch (d) {
        case Dtype::F32: return bits_float(static_cast<uint32_t>(load_le(p, 4)));
        case Dtype::F16: return half_to_float(static_cast<uint16_t>(load_le(p, 2)));
        case Dtype::BF16: return bfloat16_to_float(static_cast<uint16_t>(load_le(p, 2)));
        case Dtype::F64: {
            const uint64_t bits = load_le(p, 8);
            double v;
            std::memcpy(&v, &bits, 8);
            const float f = static_cast<float>(v);
            if (std::isfinite(v) && !std::isfinite(f))
                refuse("is " + num(v) + ", beyond float32's range (it would become infinity)");
            return f;
        }
        case Dtype::BOOL:
            if (p[0] > 1) refuse("is the byte " + std::to_string(p[0]) + ", not 0 (false) or 1 (true)");
            return p[0];
        default: {  // the integers: sign-extend from their width
            const std::size_t n = dtype_size(d);
            uint64_t u = load_le(p, n);
            if (d != Dtype::U8 && n < 8 && (u >> (8 * n - 1)) != 0) u |= ~uint64_t{0} << (8 * n);
            const auto v = static_cast<int64_t>(u);
            float f = 0.0f;
            if (!int_to_float_exact(v, f))
                refuse("is " + std::to_string(v) + ", which float32 cannot hold exactly (it would become " +
                       num(f) + "; float32 holds every integer only up to 2^24)");
            return f;
        }
    }
}

/// Appends x in dtype d; a value d cannot hold is refused (a float only rounds).
void append_element(std::vector<uint8_t>& out, Dtype d, float x, const std::string& name) {
    auto refuse = [&](const std::string& what) {
        throw std::invalid_argument("encode_safetensors: tensor '" + name + "' cannot be written as " +
                                    dtype_name(d) + ": its value " + num(x) + " " + what);
    };
    switch (d) {
        case Dtype::F32: store_le(out, float_bits(x), 4); return;
        case Dtype::F64: {
            const double v = x;
            uint64_t bits;
            std::memcpy(&bits, &v, 8);
            store_le(out, bits, 8);
            return;
        }
        case Dtype::F16:
        case Dtype::BF16: {
            const uint16_t h = d == Dtype::F16 ? float_to_half(x) : float_to_bfloat16(x);
            const float back = d == Dtype::F16 ? half_to_float(h) : bfloat16_to_float(h);
            if (std::isfinite(x) && !std::isfinite(back)) refuse("is beyond its range");
            store_le(out, h, 2);
            return;
        }
        default: {
            int64_t lo = 0, hi = 0;
            int_range(d, lo, hi);
            // hi + 1.0 is exact in double for every width (2^63 for I64), so "< hi + 1" is "<= hi".
            const double v = x;
            if (!(v == std::floor(v) && v >= static_cast<double>(lo) && v < static_cast<double>(hi) + 1.0))
                refuse("is not a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
            store_le(out, static_cast<uint64_t>(static_cast<int64_t>(x)), dtype_size(d));
            return;
        }
    }
}

// ---- writing: a tiny JSON writer for exactly the header's shape ------------------

void json_string(std::string& out, const std::string& s) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {  // control characters must be escaped in JSON
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;  // UTF-8 passes through unchanged
        }
    }
    out += '"';
}

std::string header_json(const Safetensors& f) {
    std::string out = "{";
    bool first = true;
    if (!f.metadata.empty()) {
        out += "\"__metadata__\":{";
        for (std::size_t i = 0; i < f.metadata.size(); ++i) {
            if (i) out += ',';
            json_string(out, f.metadata[i].first);
            out += ':';
            json_string(out, f.metadata[i].second);
        }
        out += '}';
        first = false;
    }
    uint64_t offset = 0;
    for (const auto& [name, t] : f.tensors) {
        if (!first) out += ',';
        first = false;
        const auto it = f.dtypes.find(name);
        const Dtype dtype = it == f.dtypes.end() ? Dtype::F32 : it->second;
        json_string(out, name);
        out += std::string(":{\"dtype\":\"") + dtype_name(dtype) + "\",\"shape\":[";
        for (int64_t d = 0; d < t.dim(); ++d) out += (d ? "," : "") + std::to_string(t.size(d));
        const uint64_t end = offset + static_cast<uint64_t>(t.numel()) * dtype_size(dtype);
        out += "],\"data_offsets\":[" + std::to_string(offset) + "," + std::to_string(end) + "]}";
        offset = end;
    }
    out += '}';
    out.append((8 - out.size() % 8) % 8, ' ');  // data section 8-byte aligned, as the reference writer does
    return out;
}

// ---- reading: a strict parser for exactly the header's shape ------------------------

/// One tensor as the header describes it, before its data is touched.
struct TensorInfo {
    std::string name;
    Dtype dtype = Dtype::F32;
    Shape shape;
    uint64_t begin = 0, end = 0;
};

/// True when [p, p+n) is well-formed UTF-8 (no overlong forms, no surrogates,
/// nothing above U+10FFFF); `bad` is set to the offset of the first bad byte.
bool valid_utf8(const uint8_t* p, std::size_t n, std::size_t& bad) {
    for (std::size_t i = 0; i < n;) {
        const uint8_t c = p[i];
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bad = i;
        if (len == 0 || i + len > n) return false;
        uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

class HeaderParser {
public:
    HeaderParser(const uint8_t* p, std::size_t n, const std::string& source) : p_(p), n_(n), source_(source) {}

    void parse(std::vector<TensorInfo>& tensors, std::vector<std::pair<std::string, std::string>>& metadata) {
        if (n_ == 0 || p_[0] != '{') fail("the header must be a JSON object starting with '{'");
        ++i_;
        std::set<std::string> keys;
        ws();
        if (peek() == '}') {
            ++i_;
        } else {
            for (;;) {
                const std::string key = string("a key");
                if (!keys.insert(key).second) fail("key \"" + key + "\" appears more than once");
                ws();
                expect(':', "after key \"" + key + "\"");
                ws();
                if (key == "__metadata__")
                    parse_metadata(metadata);
                else
                    tensors.push_back(parse_tensor(key));
                ws();
                if (peek() == ',') {
                    ++i_;
                    ws();
                    continue;
                }
                expect('}', "after the entry \"" + key + "\" (expected ',' or '}')");
                break;
            }
        }
        // What follows the object may only be padding.
        for (; i_ < n_; ++i_)
            if (!is_ws(p_[i_])) fail("unexpected " + shown(p_[i_]) + " after the header's closing '}'");
    }

private:
    static bool is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    void ws() {
        while (i_ < n_ && is_ws(p_[i_])) ++i_;
    }
    int peek() const { return i_ < n_ ? p_[i_] : -1; }
    static std::string shown(int c) {
        if (c < 0) return "end of header";
        if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
        return "byte " + std::to_string(c);
    }
    [[noreturn]] void fail(const std::string& msg) const {
        throw SafetensorsError(source_ + ": malformed header at byte " + std::to_string(kPrefixBytes + i_) + ": " +
                               msg);
    }
    void expect(char c, const std::string& where) {
        if (peek() != static_cast<uint8_t>(c))
            fail(std::string("expected '") + c + "' " + where + ", found " + shown(peek()));
        ++i_;
    }

    uint32_t hex4() {
        uint32_t v = 0;
        for (int k = 0; k < 4; ++k, ++i_) {
            const int c = peek();
            const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) fail("bad \\u escape: " + shown(c) + " is not a hex digit");
            v = v * 16 + static_cast<uint32_t>(d);
        }
        return v;
    }

    std::string string(const std::string& what) {
        if (peek() != '"') fail("expected " + what + " (a string), found " + shown(peek()));
        ++i_;
        std::string out;
        for (;;) {
            const int c = peek();
            if (c < 0) fail("unterminated string");
            ++i_;
            if (c == '"') return out;
            if (c < 0x20) fail("raw control character " + shown(c) + " inside a string");
            if (c != '\\') {
                out += static_cast<char>(c);  // UTF-8 was validated up front
                continue;
            }
            const int e = peek();
            ++i_;
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    uint32_t cp = hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF) {  // a UTF-16 surrogate pair
                        if (peek() != '\\' || i_ + 1 >= n_ || p_[i_ + 1] != 'u') fail("lone high surrogate in \\u escape");
                        i_ += 2;
                        const uint32_t lo = hex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) fail("bad low surrogate in \\u escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        fail("lone low surrogate in \\u escape");
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: --i_; fail("unknown escape \\" + (e < 0 ? std::string() : std::string(1, static_cast<char>(e))));
            }
        }
    }

    /// A non-negative integer without sign, fraction, exponent or leading zeros.
    uint64_t integer(const std::string& what) {
        const int c = peek();
        if (c < '0' || c > '9') fail(what + " must be a non-negative integer, found " + shown(c));
        if (c == '0' && i_ + 1 < n_ && p_[i_ + 1] >= '0' && p_[i_ + 1] <= '9') fail(what + " has a leading zero");
        uint64_t v = 0;
        while (peek() >= '0' && peek() <= '9') {
            const uint64_t d = static_cast<uint64_t>(peek() - '0');
            if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) fail(what + " does not fit in 64 bits");
            v = v * 10 + d;
            ++i_;
        }
        if (peek() == '.' || peek() == 'e' || peek() == 'E') fail(what + " must be an integer, not a fraction");
        return v;
    }

    std::vector<uint64_t> int_array(const std::string& what) {
        expect('[', "to open " + what);
        std::vector<uint64_t> out;
        ws();
        if (peek() == ']') {
            ++i_;
            return out;
        }
        for (;;) {
            ws();
            out.push_back(integer(what + " element"));
            if (out.size() > static_cast<std::size_t>(Tensor::kMaxRank) + 1) fail(what + " is too long");
            ws();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            expect(']', "to close " + what);
            return out;
        }
    }

    void parse_metadata(std::vector<std::pair<std::string, std::string>>& metadata) {
        expect('{', "to open __metadata__ (an object of strings)");
        ws();
        if (peek() == '}') {
            ++i_;
            return;
        }
        std::set<std::string> keys;
        for (;;) {
            ws();
            std::string key = string("a __metadata__ key");
            if (!keys.insert(key).second) fail("__metadata__ key \"" + key + "\" appears more than once");
            ws();
            expect(':', "after __metadata__ key \"" + key + "\"");
            ws();
            metadata.emplace_back(std::move(key), string("a __metadata__ value"));
            ws();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            expect('}', "to close __metadata__");
            return;
        }
    }

    TensorInfo parse_tensor(const std::string& name) {
        const std::string who = "tensor \"" + name + "\"";
        expect('{', "to open " + who);
        TensorInfo info;
        info.name = name;
        bool has_dtype = false, has_shape = false, has_offsets = false;
        ws();
        for (bool more = peek() != '}'; more;) {
            const std::string key = string("a key of " + who);
            ws();
            expect(':', "after \"" + key + "\" in " + who);
            ws();
            if (key == "dtype" && !has_dtype) {
                const std::string dtype = string("the dtype of " + who);
                if (!dtype_from_name(dtype, info.dtype))
                    fail(who + " has dtype " + dtype +
                         ", which iotgrad does not read (it reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
                has_dtype = true;
            } else if (key == "shape" && !has_shape) {
                const std::vector<uint64_t> dims = int_array("the shape of " + who);
                if (dims.size() > static_cast<std::size_t>(Tensor::kMaxRank)) fail(who + " has more than 8 dimensions");
                for (uint64_t d : dims) {
                    if (d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) fail(who + " has a huge size");
                    info.shape.push_back(static_cast<int64_t>(d));
                }
                has_shape = true;
            } else if (key == "data_offsets" && !has_offsets) {
                const std::vector<uint64_t> off = int_array("the data_offsets of " + who);
                if (off.size() != 2) fail("the data_offsets of " + who + " must be [begin, end]");
                info.begin = off[0];
                info.end = off[1];
                has_offsets = true;
            } else {
                fail("unexpected or repeated key \"" + key + "\" in " + who + " (expected dtype, shape, data_offsets)");
            }
            ws();
            more = peek() == ',';
            if (more) {
                ++i_;
                ws();
            } else if (peek() != '}') {
                fail("expected ',' or '}' in " + who + ", found " + shown(peek()));
            }
        }
        ++i_;  // the closing '}'
        if (!has_dtype || !has_shape || !has_offsets)
            fail(who + " lacks " + std::string(!has_dtype ? "dtype" : !has_shape ? "shape" : "data_offsets"));
        return info;
    }

    const uint8_t* p_;
    std::size_t n_, i_ = 0;
    const std::string& source_;
};

/// The byte ranges must tile [0, data_size) exactly, and each must hold
/// numel x dtype_size bytes: then no tensor reads outside the file or shares bytes.
void check_layout(std::vector<TensorInfo>& ts, uint64_t data_size, const std::string& source) {
    auto bad = [&](const std::string& msg) { throw SafetensorsError(source + ": " + msg); };
    for (const TensorInfo& t : ts) {
        const std::string range = "[" + std::to_string(t.begin) + ", " + std::to_string(t.end) + ")";
        if (t.end < t.begin) bad("tensor \"" + t.name + "\" has data_offsets " + range + " that end before they begin");
        // Byte count with overflow checks; the non-zero sizes' product must fit
        // in int64 even when a zero size makes the tensor empty (its strides must).
        uint64_t bytes = dtype_size(t.dtype), span = 1;
        constexpr auto kMaxSpan = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
        for (int64_t d : t.shape) {
            const auto u = static_cast<uint64_t>(d);
            if (u != 0 && (bytes > kMaxSpan / u || span > kMaxSpan / u)) bad("tensor \"" + t.name + "\" is too large");
            bytes *= u;
            span *= u != 0 ? u : 1;
        }
        if (t.end - t.begin != bytes)
            bad("tensor \"" + t.name + "\" of shape " + shape_str(t.shape) + " needs " + std::to_string(bytes) +
                " bytes but its data_offsets " + range + " span " + std::to_string(t.end - t.begin));
    }
    std::stable_sort(ts.begin(), ts.end(), [](const TensorInfo& a, const TensorInfo& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t at = 0;
    for (std::size_t i = 0; i < ts.size(); ++i) {
        if (ts[i].begin < at)
            bad("tensors \"" + ts[i - 1].name + "\" and \"" + ts[i].name + "\" overlap (at data byte " +
                std::to_string(ts[i].begin) + ")");
        if (ts[i].begin > at)
            bad("a gap of " + std::to_string(ts[i].begin - at) + " bytes before tensor \"" + ts[i].name +
                "\" (the data section must be fully indexed)");
        at = ts[i].end;
    }
    if (at != data_size)
        bad("the tensors cover " + std::to_string(at) + " bytes but the data section has " + std::to_string(data_size) +
            (at > data_size ? " (the file is truncated)" : " (unindexed bytes at the end)"));
}

}  // namespace

const char* dtype_name(Dtype d) {
    switch (d) {
        case Dtype::F64: return "F64";
        case Dtype::F32: return "F32";
        case Dtype::F16: return "F16";
        case Dtype::BF16: return "BF16";
        case Dtype::I64: return "I64";
        case Dtype::I32: return "I32";
        case Dtype::I16: return "I16";
        case Dtype::I8: return "I8";
        case Dtype::U8: return "U8";
        case Dtype::BOOL: return "BOOL";
    }
    return "?";
}

std::size_t dtype_size(Dtype d) {
    switch (d) {
        case Dtype::F64:
        case Dtype::I64: return 8;
        case Dtype::F32:
        case Dtype::I32: return 4;
        case Dtype::F16:
        case Dtype::BF16:
        case Dtype::I16: return 2;
        default: return 1;  // I8, U8, BOOL
    }
}

float half_to_float(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1Fu, mantissa = h & 0x3FFu;
    if (exponent == 0) {  // zero or subnormal: m * 2^-24, exact in float32
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    }
    if (exponent == 31) return bits_float(sign | 0x7F800000u | (mantissa << 13));  // inf, or NaN with its payload
    return bits_float(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
}

float bfloat16_to_float(uint16_t b) { return bits_float(static_cast<uint32_t>(b) << 16); }

uint16_t float_to_half(float x) {
    const uint32_t bits = float_bits(x);
    const auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
    const uint32_t exponent = (bits >> 23) & 0xFFu;
    uint32_t mantissa = bits & 0x7FFFFFu;
    if (exponent == 0xFF) return static_cast<uint16_t>(sign | 0x7C00u | (mantissa ? 0x200u : 0u));  // inf, NaN
    const int e = static_cast<int>(exponent) - 127 + 15;  // the half's biased exponent
    if (e >= 31) return static_cast<uint16_t>(sign | 0x7C00u);  // |x| >= 2^16: infinity
    // Keep the top bits, then round to nearest, ties to even; a carry may move
    // into the exponent (and up to infinity), which is the right encoding.
    auto round_shift = [](uint32_t m, int shift) {
        uint32_t h = m >> shift;
        const uint32_t rest = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rest > half || (rest == half && (h & 1u))) ++h;
        return h;
    };
    if (e <= 0) {  // a half subnormal m * 2^-24 (or zero)
        if (e < -10) return sign;  // below 2^-25: rounds to zero
        return static_cast<uint16_t>(sign | round_shift(mantissa | 0x800000u, 14 - e));
    }
    return static_cast<uint16_t>(sign | round_shift((static_cast<uint32_t>(e) << 23) | mantissa, 13));
}

uint16_t float_to_bfloat16(float x) {
    uint32_t bits = float_bits(x);
    if (std::isnan(x)) return static_cast<uint16_t>((bits >> 16) | 0x40u);  // stays a (quiet) NaN
    bits += 0x7FFFu + ((bits >> 16) & 1u);                                 // round to nearest, ties to even
    return static_cast<uint16_t>(bits >> 16);
}

const Tensor* Safetensors::find(const std::string& name) const {
    for (const auto& kv : tensors)
        if (kv.first == name) return &kv.second;
    return nullptr;
}

std::vector<uint8_t> encode_safetensors(const Safetensors& f) {
    std::set<std::string> names;
    for (const auto& [name, t] : f.tensors) {
        if (!t.defined()) throw std::invalid_argument("encode_safetensors: tensor '" + name + "' is undefined");
        if (name == "__metadata__") throw std::invalid_argument("encode_safetensors: '__metadata__' is a reserved name");
        if (!names.insert(name).second)
            throw std::invalid_argument("encode_safetensors: tensor name '" + name + "' appears more than once");
    }
    for (const auto& kv : f.dtypes)
        if (!names.count(kv.first))
            throw std::invalid_argument("encode_safetensors: a dtype is given for '" + kv.first +
                                        "', which is not one of the tensors");
    const std::string header = header_json(f);
    std::vector<uint8_t> out;
    const uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    for (const auto& [name, t] : f.tensors) {
        const auto it = f.dtypes.find(name);
        const Dtype dtype = it == f.dtypes.end() ? Dtype::F32 : it->second;
        const Tensor c = t.contiguous();
        const float* p = c.data();
        for (int64_t i = 0; i < c.numel(); ++i) append_element(out, dtype, p[i], name);
    }
    return out;
}

Safetensors decode_safetensors(const std::vector<uint8_t>& b, const std::string& source) {
    if (b.size() < kPrefixBytes)
        throw SafetensorsError(source + ": truncated at byte " + std::to_string(b.size()) +
                               " (a safetensors file starts with an 8-byte header length)");
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(b[i]) << (8 * i);
    if (n > kMaxSafetensorsHeader)
        throw SafetensorsError(source + ": header length " + std::to_string(n) + " exceeds the " +
                               std::to_string(kMaxSafetensorsHeader) + "-byte limit (not a safetensors file?)");
    if (n > b.size() - kPrefixBytes)
        throw SafetensorsError(source + ": truncated at byte " + std::to_string(b.size()) + " (the header alone needs " +
                               std::to_string(kPrefixBytes + n) + " bytes)");
    const uint8_t* header = b.data() + kPrefixBytes;
    std::size_t bad = 0;
    if (!valid_utf8(header, n, bad))
        throw SafetensorsError(source + ": header is not valid UTF-8 (at byte " + std::to_string(kPrefixBytes + bad) + ")");
    std::vector<TensorInfo> infos;
    Safetensors out;
    HeaderParser(header, n, source).parse(infos, out.metadata);
    const std::size_t data_start = kPrefixBytes + n;
    check_layout(infos, b.size() - data_start, source);
    for (const TensorInfo& info : infos) {
        Tensor t = Tensor::empty(info.shape);
        float* dst = t.data();
        const uint8_t* src = b.data() + data_start + info.begin;
        const std::size_t size = dtype_size(info.dtype);
        for (int64_t i = 0; i < t.numel(); ++i)
            dst[i] = element_to_float(info.dtype, src + size * static_cast<std::size_t>(i), source, info.name, i);
        out.tensors.emplace_back(info.name, std::move(t));
        out.dtypes[info.name] = info.dtype;
    }
    return out;
}

void write_safetensors(const std::string& path, const Safetensors& file) {
    const std::vector<uint8_t> bytes = encode_safetensors(file);
    try {
        write_file_atomic(path, bytes);
    } catch (const ArchiveError& e) {
        throw SafetensorsError(e.what());
    }
}

Safetensors read_safetensors(const std::string& path) {
    std::vector<uint8_t> bytes;
    try {
        bytes = read_file_bytes(path);
    } catch (const ArchiveError& e) {
        throw SafetensorsError(e.what());
    }
    return decode_safetensors(bytes, path);
}

}  // namespace iotgrad::tensor

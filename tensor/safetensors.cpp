#include "tensor/safetensors.hpp"

#include <algorithm>
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
        json_string(out, name);
        out += ":{\"dtype\":\"F32\",\"shape\":[";
        for (int64_t d = 0; d < t.dim(); ++d) out += (d ? "," : "") + std::to_string(t.size(d));
        const uint64_t end = offset + static_cast<uint64_t>(t.numel()) * 4;
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
                if (dtype != "F32")
                    fail(who + " has dtype " + dtype + "; iotgrad reads only F32 (float32) tensors");
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
/// numel x 4 bytes: then no tensor reads outside the file or shares bytes.
void check_layout(std::vector<TensorInfo>& ts, uint64_t data_size, const std::string& source) {
    auto bad = [&](const std::string& msg) { throw SafetensorsError(source + ": " + msg); };
    for (const TensorInfo& t : ts) {
        const std::string range = "[" + std::to_string(t.begin) + ", " + std::to_string(t.end) + ")";
        if (t.end < t.begin) bad("tensor \"" + t.name + "\" has data_offsets " + range + " that end before they begin");
        // Byte count with overflow checks; the non-zero sizes' product must fit
        // in int64 even when a zero size makes the tensor empty (its strides must).
        uint64_t bytes = 4, span = 1;
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
    const std::string header = header_json(f);
    std::vector<uint8_t> out;
    const uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    for (const auto& [name, t] : f.tensors) {
        const Tensor c = t.contiguous();
        const float* p = c.data();
        for (int64_t i = 0; i < c.numel(); ++i) {
            uint32_t bits;
            std::memcpy(&bits, &p[i], 4);
            for (int k = 0; k < 4; ++k) out.push_back(static_cast<uint8_t>(bits >> (8 * k)));
        }
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
        for (int64_t i = 0; i < t.numel(); ++i) {
            uint32_t bits = 0;
            for (int k = 0; k < 4; ++k) bits |= static_cast<uint32_t>(src[4 * i + k]) << (8 * k);
            std::memcpy(&dst[i], &bits, 4);
        }
        out.tensors.emplace_back(info.name, std::move(t));
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

#include "iot/uci_har.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace iotgrad::iot {
namespace {

[[noreturn]] void fail(const std::string& file, size_t line, size_t col, const std::string& reason) {
    throw std::runtime_error(file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + reason);
}

/// The file's lines without trailing blank lines (a final newline, or a few).
std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error(path + ": cannot open (expected the UCI HAR layout <dir>/<split>/y_<split>.txt, "
                                        "subject_<split>.txt and Inertial Signals/<signal>_<split>.txt)");
    std::vector<std::string> lines;
    for (std::string s; std::getline(in, s);) {
        if (!s.empty() && s.back() == '\r') s.pop_back();  // files saved on Windows
        lines.push_back(std::move(s));
    }
    auto blank = [](const std::string& s) {
        for (char c : s)
            if (!std::isspace(static_cast<unsigned char>(c))) return false;
        return true;
    };
    while (!lines.empty() && blank(lines.back())) lines.pop_back();
    return lines;
}

/// A whitespace-separated token and its 1-based column.
struct Token {
    std::string text;
    size_t col;
};

std::vector<Token> tokens(const std::string& line) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        size_t start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        if (i > start) out.push_back({line.substr(start, i - start), start + 1});
    }
    return out;
}

/// The token as a finite number, or fail() at its column.
double number(const Token& tok, const std::string& file, size_t line) {
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(tok.text.c_str(), &end);
    if (end != tok.text.c_str() + tok.text.size() || !std::isfinite(v) || errno == ERANGE)
        fail(file, line, tok.col, "'" + tok.text + "' is not a number");
    return v;
}

/// One whole number per line (labels, subject ids), checked by `ok`.
template <class Check>
std::vector<int> read_ints(const std::string& path, const char* what, Check ok, const char* expected) {
    const std::vector<std::string> lines = read_lines(path);
    std::vector<int> out;
    out.reserve(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::vector<Token> toks = tokens(lines[i]);
        if (toks.size() != 1)
            fail(path, i + 1, toks.empty() ? 1 : toks[std::min<size_t>(1, toks.size() - 1)].col,
                 "expected one " + std::string(what) + ", found " + std::to_string(toks.size()) + " values");
        const double v = number(toks[0], path, i + 1);
        if (v != std::floor(v) || !ok(v))
            fail(path, i + 1, toks[0].col, std::string(what) + " " + toks[0].text + " is not " + expected);
        out.push_back(static_cast<int>(v));
    }
    return out;
}

std::string join(const std::string& a, const std::string& b) {
    if (a.empty()) return b;
    return a.back() == '/' ? a + b : a + "/" + b;
}

}  // namespace

const std::array<std::string, 9>& uci_har_signals() {
    static const std::array<std::string, 9> names{"body_acc_x",  "body_acc_y",  "body_acc_z",
                                                  "body_gyro_x", "body_gyro_y", "body_gyro_z",
                                                  "total_acc_x", "total_acc_y", "total_acc_z"};
    return names;
}

Tensor UciHarSplit::targets() const {
    Tensor t = Tensor::empty({static_cast<int64_t>(labels.size())});
    for (size_t i = 0; i < labels.size(); ++i) t.data()[i] = static_cast<float>(labels[i]);
    return t;
}

UciHarSplit read_uci_har(const std::string& dir, const std::string& split) {
    if (split.empty()) throw std::invalid_argument("read_uci_har: split is empty (use \"train\" or \"test\")");
    const std::string base = join(dir, split);
    const std::string y_path = join(base, "y_" + split + ".txt");
    const std::string s_path = join(base, "subject_" + split + ".txt");

    UciHarSplit out;
    out.labels = read_ints(y_path, "label", [](double v) { return v >= 1 && v <= 6; }, "in 1..6");
    for (int& l : out.labels) --l;
    out.subjects = read_ints(s_path, "subject id", [](double v) { return v >= 1 && v <= 1e9; },
                             "a positive whole number");
    const size_t n = out.labels.size();
    if (out.subjects.size() != n)
        throw std::runtime_error(s_path + " has " + std::to_string(out.subjects.size()) + " lines but " + y_path +
                                 " has " + std::to_string(n) + "; every file needs one line per window");

    out.x = Tensor::empty({static_cast<int64_t>(n), kUciHarWindow, 9});
    float* x = out.x.data();
    for (size_t c = 0; c < 9; ++c) {
        const std::string path = join(join(base, "Inertial Signals"), uci_har_signals()[c] + "_" + split + ".txt");
        const std::vector<std::string> lines = read_lines(path);
        if (lines.size() != n)
            throw std::runtime_error(path + " has " + std::to_string(lines.size()) + " lines but " + y_path +
                                     " has " + std::to_string(n) + "; every file needs one line per window");
        for (size_t i = 0; i < n; ++i) {
            const std::vector<Token> toks = tokens(lines[i]);
            if (toks.size() != static_cast<size_t>(kUciHarWindow))
                fail(path, i + 1,
                     toks.size() > static_cast<size_t>(kUciHarWindow) ? toks[kUciHarWindow].col : lines[i].size() + 1,
                     "expected " + std::to_string(kUciHarWindow) + " values, found " + std::to_string(toks.size()));
            for (size_t t = 0; t < toks.size(); ++t)
                x[(i * kUciHarWindow + t) * 9 + c] = static_cast<float>(number(toks[t], path, i + 1));
        }
    }
    return out;
}

}  // namespace iotgrad::iot

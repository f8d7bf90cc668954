// Table (Markdown, CSV) and Json of table.hpp.
#include "iot/report/table.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace iotgrad::iot::report {

std::string fmt(double v, int decimals) {
    if (std::isnan(v)) return "n/a";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string fmt_sig(double v, int digits) {
    if (std::isnan(v)) return "n/a";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

// ---- Table ---------------------------------------------------------------------

Table::Table(std::vector<std::string> columns) : columns_(std::move(columns)) {
    if (columns_.empty()) throw std::invalid_argument("Table: needs at least one column");
}

Table& Table::add_row(std::vector<std::string> cells) {
    if (cells.size() != columns_.size())
        throw std::invalid_argument("Table::add_row: " + std::to_string(cells.size()) + " cells for " +
                                    std::to_string(columns_.size()) + " columns (first column '" + columns_[0] +
                                    "')");
    rows_.push_back(std::move(cells));
    return *this;
}

std::string Table::markdown() const {
    auto cell = [](const std::string& s) {
        std::string out;
        for (char c : s) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
        return out;
    };
    // Numbers align right, text left: a column is numeric when every cell starts like a number.
    auto numeric = [&](size_t c) {
        for (const auto& r : rows_) {
            const std::string& v = r[c];
            const bool num = !v.empty() && (std::isdigit(static_cast<unsigned char>(v[0])) || v == "n/a" ||
                                            (v.size() > 1 && (v[0] == '-' || v[0] == '.')));
            if (!num) return false;
        }
        return !rows_.empty();
    };
    std::string out = "|";
    for (const auto& c : columns_) out += " " + cell(c) + " |";
    out += "\n|";
    for (size_t i = 0; i < columns_.size(); ++i) out += numeric(i) ? " ---: |" : " :--- |";
    out += "\n";
    for (const auto& r : rows_) {
        out += "|";
        for (const auto& c : r) out += " " + cell(c) + " |";
        out += "\n";
    }
    return out;
}

std::string Table::csv() const {
    auto cell = [](const std::string& s) {
        if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
        std::string out = "\"";
        for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        return out + "\"";
    };
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cell(cells[i]);
        return out + "\n";
    };
    std::string out = line(columns_);
    for (const auto& r : rows_) out += line(r);
    return out;
}

// ---- Json ----------------------------------------------------------------------

Json::Json(bool b) : kind_(Kind::Bool), b_(b) {}
Json::Json(double v) : kind_(std::isfinite(v) ? Kind::Number : Kind::Null), d_(v) {}
Json::Json(int64_t v) : kind_(Kind::Integer), i_(v) {}
Json::Json(const char* s) : kind_(Kind::String), s_(s) {}
Json::Json(std::string s) : kind_(Kind::String), s_(std::move(s)) {}

Json Json::array() {
    Json j;
    j.kind_ = Kind::Array;
    return j;
}

Json Json::object() {
    Json j;
    j.kind_ = Kind::Object;
    return j;
}

Json& Json::push(Json v) {
    if (kind_ != Kind::Array) throw std::logic_error("Json::push: not an array");
    items_.push_back(std::move(v));
    return *this;
}

Json& Json::set(const std::string& key, Json v) {
    if (kind_ != Kind::Object) throw std::logic_error("Json::set(\"" + key + "\"): not an object");
    for (auto& f : fields_)
        if (f.first == key) {
            f.second = std::move(v);
            return *this;
        }
    fields_.emplace_back(key, std::move(v));
    return *this;
}

std::string json_quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

void Json::write(std::string& out, int indent, int level) const {
    const std::string pad(static_cast<size_t>(indent * (level + 1)), ' '), end_pad(static_cast<size_t>(indent * level), ' ');
    const char* nl = indent > 0 ? "\n" : "";
    switch (kind_) {
        case Kind::Null: out += "null"; return;
        case Kind::Bool: out += b_ ? "true" : "false"; return;
        case Kind::Integer: out += std::to_string(i_); return;
        case Kind::String: out += json_quote(s_); return;
        case Kind::Number: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.10g", d_);  // round-trips the digits a report shows
            out += buf;
            return;
        }
        case Kind::Array:
            if (items_.empty()) { out += "[]"; return; }
            out += std::string("[") + nl;
            for (size_t i = 0; i < items_.size(); ++i) {
                out += pad;
                items_[i].write(out, indent, level + 1);
                out += (i + 1 < items_.size() ? "," : "") + std::string(nl);
            }
            out += end_pad + "]";
            return;
        case Kind::Object:
            if (fields_.empty()) { out += "{}"; return; }
            out += std::string("{") + nl;
            for (size_t i = 0; i < fields_.size(); ++i) {
                out += pad + json_quote(fields_[i].first) + (indent > 0 ? ": " : ":");
                fields_[i].second.write(out, indent, level + 1);
                out += (i + 1 < fields_.size() ? "," : "") + std::string(nl);
            }
            out += end_pad + "}";
            return;
    }
}

std::string Json::dump(int indent) const {
    std::string out;
    write(out, indent < 0 ? 0 : indent, 0);
    return out + "\n";
}

void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot open '" + path + "' for writing");
    f << text;
    if (!f) throw std::runtime_error("writing '" + path + "' failed");
}

}  // namespace iotgrad::iot::report

#include "iot/csv.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace iotgrad::iot {

CsvError::CsvError(const std::string& file, int64_t line, int64_t column, const std::string& reason)
    : std::runtime_error(file + ":" + std::to_string(line) + (column > 0 ? ":" + std::to_string(column) : "") +
                         ": " + reason),
      file_(file), line_(line), column_(column), reason_(reason) {}

int64_t CsvTable::find(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int64_t>(i);
    return -1;
}

int64_t CsvTable::require(const std::string& name, const std::string& what) const {
    const int64_t i = find(name);
    if (i >= 0) return i;
    std::string cols;
    for (const std::string& h : header) cols += (cols.empty() ? "" : ", ") + h;
    throw CsvError(source, 1, 0, "no column '" + name + "' (" + what + "); the columns are: " + cols);
}

CsvError CsvTable::error(std::size_t row, std::size_t col, const std::string& reason) const {
    return CsvError(source, lines.at(row), static_cast<int64_t>(col) + 1, reason);
}

namespace {

/// One pass over the text: splits records into fields, honouring quotes.
/// `emit(fields, line)` receives each non-blank record and the line it starts on.
template <class Emit>
void scan(const std::string& text, const std::string& source, Emit emit) {
    std::size_t i = 0;
    const std::size_t n = text.size();
    if (n >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 byte-order mark
    int64_t line = 1;
    std::vector<std::string> fields;
    std::string field;
    while (i < n) {
        const int64_t start_line = line;
        fields.clear();
        bool record_done = false;
        while (!record_done) {
            field.clear();
            if (i < n && text[i] == '"') {
                const int64_t quote_line = line;
                ++i;
                for (;;) {
                    if (i >= n)
                        throw CsvError(source, quote_line, static_cast<int64_t>(fields.size()) + 1,
                                       "a quoted field is never closed (missing '\"')");
                    const char c = text[i++];
                    if (c == '"') {
                        if (i < n && text[i] == '"') { field += '"'; ++i; continue; }
                        break;
                    }
                    if (c == '\n') ++line;
                    field += c;
                }
                if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    throw CsvError(source, line, static_cast<int64_t>(fields.size()) + 1,
                                   "text after the closing quote of a quoted field");
            } else {
                const std::size_t b = i;
                while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') ++i;
                field.assign(text, b, i - b);
            }
            fields.push_back(field);
            if (i < n && text[i] == ',') { ++i; continue; }
            if (i < n && text[i] == '\r') ++i;
            if (i < n && text[i] == '\n') { ++i; ++line; }
            record_done = true;
        }
        const bool blank = fields.size() == 1 && fields[0].find_first_not_of(" \t") == std::string::npos;
        if (!blank) emit(fields, start_line);
    }
}

}  // namespace

CsvTable parse_csv(const std::string& text, const std::string& source) {
    CsvTable t;
    t.source = source;
    bool have_header = false;
    scan(text, source, [&](std::vector<std::string>& fields, int64_t line) {
        if (!have_header) {
            std::set<std::string> seen;
            for (std::size_t c = 0; c < fields.size(); ++c) {
                if (fields[c].empty())
                    throw CsvError(source, line, static_cast<int64_t>(c) + 1, "empty column name in the header");
                if (!seen.insert(fields[c]).second)
                    throw CsvError(source, line, static_cast<int64_t>(c) + 1,
                                   "column name '" + fields[c] + "' appears twice in the header");
            }
            t.header = fields;
            have_header = true;
            return;
        }
        if (fields.size() != t.header.size())
            throw CsvError(source, line, 0,
                           "wrong number of fields: " + std::to_string(fields.size()) + " (the header has " +
                               std::to_string(t.header.size()) + ")");
        t.rows.push_back(std::move(fields));
        t.lines.push_back(line);
    });
    if (!have_header) throw CsvError(source, 1, 0, "the file is empty (a header row is needed)");
    return t;
}

CsvTable read_csv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CsvError(path, 0, 0, "cannot open the file");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw CsvError(path, 0, 0, "read error");
    return parse_csv(ss.str(), path);
}

bool parse_number(const std::string& cell, double& value) {
    const char* b = cell.c_str();
    while (*b == ' ' || *b == '\t') ++b;
    if (*b == '\0') return false;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(b, &end);  // no copy: the cell is NUL-terminated
    if (end == b || errno == ERANGE || !std::isfinite(v)) return false;
    while (*end == ' ' || *end == '\t') ++end;
    if (end != cell.c_str() + cell.size()) return false;
    value = v;
    return true;
}

int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

namespace {

bool digits(const std::string& s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const char c = s[at + k];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

int days_in_month(int y, int m) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

bool parse_time(const std::string& cell, double& seconds, std::string& why) {
    std::size_t b = cell.find_first_not_of(" \t");
    if (b == std::string::npos) { why = "the time is empty"; return false; }
    const bool looks_like_date = cell.size() >= b + 5 && cell[b + 4] == '-';  // YYYY-...
    if (!looks_like_date && parse_number(cell, seconds)) return true;
    const std::string s = cell.substr(b, cell.find_last_not_of(" \t") + 1 - b);
    int y, mo, d;
    if (!(digits(s, 0, 4, y) && s.size() >= 10 && s[4] == '-' && digits(s, 5, 2, mo) && s[7] == '-' &&
          digits(s, 8, 2, d))) {
        why = "'" + s + "' is neither a number nor an ISO 8601 date (YYYY-MM-DD[THH:MM:SS[.fff][Z|+HH:MM]])";
        return false;
    }
    if (mo < 1 || mo > 12) { why = "month " + std::to_string(mo) + " is not 1-12 in '" + s + "'"; return false; }
    if (d < 1 || d > days_in_month(y, mo)) {
        why = "day " + std::to_string(d) + " does not exist in month " + std::to_string(mo) + " of '" + s + "'";
        return false;
    }
    double t = static_cast<double>(days_from_civil(y, mo, d)) * 86400.0;
    std::size_t i = 10;
    if (i < s.size()) {
        int hh, mm, ss = 0;
        if (!((s[i] == 'T' || s[i] == ' ') && digits(s, i + 1, 2, hh) && i + 3 < s.size() && s[i + 3] == ':' &&
              digits(s, i + 4, 2, mm))) {
            why = "bad time of day in '" + s + "' (expected THH:MM[:SS])";
            return false;
        }
        i += 6;
        if (i < s.size() && s[i] == ':') {
            if (!digits(s, i + 1, 2, ss)) { why = "bad seconds in '" + s + "'"; return false; }
            i += 3;
        }
        if (hh > 23 || mm > 59 || ss > 60) { why = "time of day out of range in '" + s + "'"; return false; }
        double frac = 0.0, scale = 0.1;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
            ++i;
            if (i >= s.size() || s[i] < '0' || s[i] > '9') { why = "bad fraction of a second in '" + s + "'"; return false; }
            for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale *= 0.1) frac += (s[i] - '0') * scale;
        }
        t += hh * 3600.0 + mm * 60.0 + ss + frac;
        if (i < s.size()) {
            int oh = 0, om = 0;
            if (s[i] == 'Z' && i + 1 == s.size()) {
                i += 1;
            } else if ((s[i] == '+' || s[i] == '-') && digits(s, i + 1, 2, oh)) {
                std::size_t j = i + 3;
                if (j < s.size() && s[j] == ':') ++j;
                if (!digits(s, j, 2, om) || j + 2 != s.size() || oh > 23 || om > 59) {
                    why = "bad UTC offset in '" + s + "' (expected +HH:MM)";
                    return false;
                }
                const double off = oh * 3600.0 + om * 60.0;
                t += s[i] == '+' ? -off : off;  // local time minus offset = UTC
                i = s.size();
            } else {
                why = "unexpected text after the time in '" + s + "'";
                return false;
            }
        }
    }
    seconds = t;
    return true;
}

std::string format_iso8601(double seconds) {
    const int64_t ms_total = static_cast<int64_t>(std::llround(seconds * 1000.0));
    int64_t days = ms_total >= 0 ? ms_total / 86400000 : -((-ms_total + 86399999) / 86400000);
    const int64_t ms_day = ms_total - days * 86400000;
    // civil_from_days (Hinnant), the inverse of days_from_civil.
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2);
    char buf[128];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(ms_day / 3600000),
                  static_cast<long long>(ms_day / 60000 % 60), static_cast<long long>(ms_day / 1000 % 60),
                  static_cast<long long>(ms_day % 1000));
    return buf;
}

std::string csv_quote(const std::string& cell) {
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string q = "\"";
    for (char c : cell) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

}  // namespace iotgrad::iot

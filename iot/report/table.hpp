/// \file
/// The raw-number side of a report: a Table written as Markdown or CSV, and a
/// tiny JSON value type with a writer (no JSON library: the project writes
/// its own small ones).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace iotgrad::iot::report {

/// `v` with `decimals` digits after the point; "n/a" for NaN (a value that was
/// not measured), "inf"/"-inf" for infinities.
std::string fmt(double v, int decimals);
/// `v` with `digits` significant digits in plain or scientific notation ("%.*g").
std::string fmt_sig(double v, int digits);

/// Rows of cells under named columns. Every row must have one cell per column.
class Table {
public:
    explicit Table(std::vector<std::string> columns);
    /// Throws std::invalid_argument when the row's cell count is not the column count.
    Table& add_row(std::vector<std::string> cells);
    const std::vector<std::string>& columns() const { return columns_; }
    const std::vector<std::vector<std::string>>& rows() const { return rows_; }
    /// A GitHub-flavoured Markdown table ("|" in cells escaped); columns whose
    /// every cell looks like a number are right-aligned, the others left.
    std::string markdown() const;
    /// RFC 4180 CSV: a header line, then one line per row; cells with a comma,
    /// quote or newline are quoted, quotes doubled.
    std::string csv() const;

private:
    std::vector<std::string> columns_;
    std::vector<std::vector<std::string>> rows_;
};

/// A JSON value: null, bool, number, string, array or object (keys kept in
/// insertion order, so files diff well).
class Json {
public:
    Json() = default;  ///< null
    Json(bool b);
    Json(double v);    ///< NaN and infinities are written as null (JSON has no NaN)
    Json(int v) : Json(static_cast<int64_t>(v)) {}
    Json(int64_t v);
    Json(const char* s);
    Json(std::string s);
    static Json array();
    static Json object();
    /// Appends to an array (throws std::logic_error on a non-array).
    Json& push(Json v);
    /// Sets a key of an object (throws std::logic_error on a non-object).
    Json& set(const std::string& key, Json v);
    /// The text, pretty-printed with `indent` spaces per level.
    std::string dump(int indent = 2) const;

private:
    enum class Kind { Null, Bool, Number, Integer, String, Array, Object };
    void write(std::string& out, int indent, int level) const;

    Kind kind_ = Kind::Null;
    bool b_ = false;
    double d_ = 0;
    int64_t i_ = 0;
    std::string s_;
    std::vector<Json> items_;
    std::vector<std::pair<std::string, Json>> fields_;
};

/// `s` as a JSON string literal with quotes and escapes.
std::string json_quote(const std::string& s);

/// Writes text to a file; throws std::runtime_error naming the path when it cannot.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace iotgrad::iot::report

/// \file
/// Reading a user's own sensor data: a CSV file with a header row, in the
/// RFC 4180 basics (comma separated; a field may be quoted with `"`, and a
/// quoted field may hold commas, line breaks and doubled quotes `""`).
/// Lines may end in LF or CRLF; a UTF-8 byte-order mark is skipped; blank
/// lines are ignored.
///
/// The reader keeps the cells as text and remembers where each row started,
/// so the code that turns cells into numbers (iot/tasks.hpp) can refuse a bad
/// cell with its file, line and column. Positions are 1-based; the column is
/// the field's number in the row (the CSV column), which is what a
/// spreadsheet shows, rather than a character offset.
///
/// Time values (parse_time) are ISO 8601 dates (`2024-03-01`), date-times
/// (`2024-03-01T12:00:05Z`, `2024-03-01 12:00:05.250+02:00`; no zone means
/// UTC) or plain numbers (seconds, or any unit the user chooses). Dates
/// become seconds since 1970-01-01T00:00:00Z.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace iotgrad::iot {

/// Bad input data. what() reads `file:line:column: reason`; the parts are
/// kept too (column 0 when the problem is the whole line).
class CsvError : public std::runtime_error {
public:
    CsvError(const std::string& file, int64_t line, int64_t column, const std::string& reason);
    const std::string& file() const { return file_; }
    int64_t line() const { return line_; }
    int64_t column() const { return column_; }
    const std::string& reason() const { return reason_; }

private:
    std::string file_;
    int64_t line_, column_;
    std::string reason_;
};

/// A CSV file as text cells: the header and the data rows (every row has
/// exactly header.size() fields; the reader refuses any other row).
struct CsvTable {
    std::string source;                          ///< File name, for messages.
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<int64_t> lines;                  ///< Line number where each row starts.

    /// Index of the column named `name`, or -1.
    int64_t find(const std::string& name) const;
    /// Index of the column named `name`; throws CsvError (line 1, the
    /// header) listing the columns there are when it is absent.
    int64_t require(const std::string& name, const std::string& what) const;
    /// A CsvError positioned at cell (row, col) of this table.
    CsvError error(std::size_t row, std::size_t col, const std::string& reason) const;
};

/// Parses CSV text; `source` names it in messages. Throws CsvError for an
/// empty input, a row with the wrong number of fields, a repeated or empty
/// column name, or an unterminated quote.
CsvTable parse_csv(const std::string& text, const std::string& source = "<text>");
/// Reads and parses a file; throws CsvError (line 0) when it cannot be opened.
CsvTable read_csv(const std::string& path);

/// A whole cell as a finite number (leading/trailing spaces allowed).
/// Returns false for an empty cell, text, "nan" or "inf".
bool parse_number(const std::string& cell, double& value);
/// Parses a time cell (see the file comment) into `seconds`. On failure
/// returns false and puts the reason in `why` (e.g. "month 13 is not 1-12").
bool parse_time(const std::string& cell, double& seconds, std::string& why);
/// Seconds since 1970 as `2024-03-01T12:00:05.020Z` (milliseconds, UTC).
std::string format_iso8601(double seconds);

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
/// days_from_civil), so a date difference is exact at any distance.
int64_t days_from_civil(int64_t y, int m, int d);

/// A value for a CSV cell: quoted (with doubled inner quotes) only when it
/// holds a comma, a quote or a line break.
std::string csv_quote(const std::string& cell);

}  // namespace iotgrad::iot

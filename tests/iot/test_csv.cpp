#include <cmath>
#include <string>

#include "catch_compat.hpp"
#include "iot/csv.hpp"
#include "iot/tasks.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

TEST_CASE("csv: header, rows, quoted fields with commas, quotes and line breaks", "[iot][csv]") {
    const CsvTable t = parse_csv("\xEF\xBB\xBFtime,name,value\r\n"
                                 "1,\"a, b\",2.5\r\n"
                                 "\n"
                                 "2,\"say \"\"hi\"\"\",\n"
                                 "3,\"two\nlines\",-1e3\n",
                                 "t.csv");
    REQUIRE(t.header == std::vector<std::string>{"time", "name", "value"});
    REQUIRE(t.rows.size() == 3u);
    CHECK(t.rows[0][1] == "a, b");
    CHECK(t.rows[1][1] == "say \"hi\"");
    CHECK(t.rows[1][2] == "");  // trailing empty cell = missing
    CHECK(t.rows[2][1] == "two\nlines");
    CHECK(t.lines == std::vector<int64_t>{2, 4, 5});  // blank line 3 skipped; row 3 starts on line 5
    CHECK(t.find("value") == 2);
    CHECK(t.find("nope") == -1);
    CHECK(csv_quote("a,b") == "\"a,b\"");
    CHECK(csv_quote("x\"y") == "\"x\"\"y\"");
    CHECK(csv_quote("plain") == "plain");
}

TEST_CASE("csv: bad structure is refused with file:line and the reason", "[iot][csv]") {
    CHECK_THROWS_WITH(parse_csv("a,b\n1,2\n3\n", "f.csv"),
                      IOTGRAD_HAS("f.csv:3: wrong number of fields: 1 (the header has 2)"));
    CHECK_THROWS_WITH(parse_csv("a,b\n1,\"open\n", "f.csv"), IOTGRAD_HAS("f.csv:2:2: a quoted field is never closed"));
    CHECK_THROWS_WITH(parse_csv("a,a\n", "f.csv"), IOTGRAD_HAS("f.csv:1:2: column name 'a' appears twice"));
    CHECK_THROWS_WITH(parse_csv("", "f.csv"), IOTGRAD_HAS("the file is empty"));
    CHECK_THROWS_WITH(read_csv("/nonexistent/dir/x.csv"), IOTGRAD_HAS("cannot open"));
    try {
        parse_csv("a,b\n1,2,3\n", "g.csv");
        FAIL("no throw");
    } catch (const CsvError& e) {
        CHECK(e.file() == "g.csv");
        CHECK(e.line() == 2);
    }
}

TEST_CASE("csv: numbers and ISO 8601 times", "[iot][csv]") {
    double v = 0;
    CHECK(parse_number(" 2.5 ", v));
    CHECK(v == 2.5);
    CHECK_FALSE(parse_number("", v));
    CHECK_FALSE(parse_number("3x", v));
    CHECK_FALSE(parse_number("nan", v));
    CHECK_FALSE(parse_number("inf", v));

    std::string why;
    double t = 0;
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    REQUIRE(parse_time("2024-03-01", t, why));
    CHECK(t == 1709251200.0);  // date -u -d 2024-03-01 +%s
    REQUIRE(parse_time("2024-03-01T12:00:05Z", t, why));
    CHECK(t == 1709251200.0 + 12 * 3600 + 5);
    REQUIRE(parse_time("2024-03-01T12:00:05.250+02:00", t, why));
    CHECK(t == Approx(1709251200.0 + 10 * 3600 + 5.25));
    REQUIRE(parse_time("2024-03-01 12:00", t, why));
    CHECK(t == 1709251200.0 + 12 * 3600);
    REQUIRE(parse_time("17.5", t, why));
    CHECK(t == 17.5);
    CHECK_FALSE(parse_time("2024-13-01", t, why));
    CHECK_THAT(why, IOTGRAD_HAS("month 13"));
    CHECK_FALSE(parse_time("2023-02-29", t, why));
    CHECK_THAT(why, IOTGRAD_HAS("day 29 does not exist"));
    CHECK(parse_time("2024-02-29", t, why));  // leap year
    CHECK_FALSE(parse_time("2024-03-01T25:00", t, why));
    CHECK_FALSE(parse_time("yesterday", t, why));
    CHECK_THAT(why, IOTGRAD_HAS("neither a number nor an ISO 8601 date"));
    CHECK(format_iso8601(1709251200.0 + 5.02) == "2024-03-01T00:00:05.020Z");
    REQUIRE(parse_time(format_iso8601(1234567890.125), t, why));
    CHECK(t == Approx(1234567890.125));
}

TEST_CASE("csv: a table becomes numbers; bad cells name file:line:column", "[iot][csv]") {
    const CsvTable t = parse_csv("time,device,x,y,label\n"
                                 "2024-03-01T00:00:00Z,a,1,,walking\n"
                                 "2024-03-01T00:00:01Z,b,2,3,sitting\n"
                                 "2024-03-01T00:00:02Z,a,4,5,walking\n",
                                 "d.csv");
    ColumnSpec cols{"time", "device", {"x", "y"}, "label"};
    CHECK(default_features(t, cols, {}) == std::vector<std::string>{"x", "y"});
    CHECK(default_features(t, cols, {"y"}) == std::vector<std::string>{"x"});
    std::vector<std::string> classes;
    const SeriesTable s = load_series(t, cols, Task::kClassify, classes, true);
    CHECK(classes == std::vector<std::string>{"sitting", "walking"});  // sorted
    CHECK(s.target == std::vector<float>{1, 0, 1});
    CHECK(s.device == std::vector<int>{0, 1, 0});
    CHECK(s.device_names == std::vector<std::string>{"a", "b"});
    CHECK(s.time[2] - s.time[0] == 2.0);
    CHECK(std::isnan(s.x[1]));
    CHECK(s.x[2] == 2.0f);

    // numeric class names sort as numbers
    const CsvTable n = parse_csv("x,c\n1,10\n2,2\n3,1\n", "n.csv");
    std::vector<std::string> nc;
    load_series(n, ColumnSpec{"", "", {"x"}, "c"}, Task::kClassify, nc, true);
    CHECK(nc == std::vector<std::string>{"1", "2", "10"});

    std::vector<std::string> known = {"sitting", "walking"};
    const CsvTable unseen = parse_csv("time,device,x,y,label\n1,a,1,2,walking\n2,a,1,2,running\n", "e.csv");
    CHECK_THROWS_WITH(load_series(unseen, cols, Task::kClassify, known, false),
                      IOTGRAD_HAS("e.csv:3:5: label 'running' was never seen in training"));
    const CsvTable word = parse_csv("time,device,x,y,label\n1,a,1,oops,walking\n", "e.csv");
    CHECK_THROWS_WITH(load_series(word, cols, Task::kClassify, known, false),
                      IOTGRAD_HAS("e.csv:2:4: 'oops' is not a number (feature 'y')"));
    const CsvTable date = parse_csv("time,device,x,y,label\n2024-02-30,a,1,2,walking\n", "e.csv");
    CHECK_THROWS_WITH(load_series(date, cols, Task::kClassify, known, false), IOTGRAD_HAS("e.csv:2:1: bad time"));
    CHECK_THROWS_WITH(load_series(t, ColumnSpec{"time", "device", {"z"}, "label"}, Task::kClassify, known, false),
                      IOTGRAD_HAS("no column 'z'"));
    const CsvTable back = parse_csv("time,device,x,y,label\n5,a,1,2,walking\n1,b,1,2,walking\n4,a,1,2,walking\n", "o.csv");
    CHECK_THROWS_WITH(load_series(back, cols, Task::kClassify, known, false),
                      IOTGRAD_HAS("o.csv:4:1: time goes backwards for device 'a'"));
    const CsvTable reg = parse_csv("x,y\n1,2\n2,abc\n", "r.csv");
    std::vector<std::string> none;
    CHECK_THROWS_WITH(load_series(reg, ColumnSpec{"", "", {"x"}, "y"}, Task::kRegress, none, true),
                      IOTGRAD_HAS("r.csv:3:2: 'abc' is not a number (target 'y')"));
}

TEST_CASE("csv: anomaly labels from numbers or words", "[iot][csv]") {
    const CsvTable t = parse_csv("x,a\n1,0\n2,1\n3,normal\n4,spike\n5,2\n6,\n", "a.csv");
    std::vector<std::string> none;
    const SeriesTable s = load_series(t, ColumnSpec{"", "", {"x"}, "a"}, Task::kAnomaly, none, true);
    CHECK(s.target[0] == 0.0f);
    CHECK(s.target[1] == 1.0f);
    CHECK(s.target[2] == 0.0f);
    CHECK(s.target[3] == 1.0f);
    CHECK(s.target[4] == 1.0f);
    CHECK(std::isnan(s.target[5]));
}

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "iot/report/svg_plot.hpp"
#include "iot/report/table.hpp"

using namespace iotgrad::iot::report;

namespace {

// A small well-formedness check: every element closed in order, attribute
// quotes balanced, nothing after the root. Returns "" or the first problem.
std::string xml_problem(const std::string& s) {
    std::vector<std::string> stack;
    size_t i = 0;
    bool root_closed = false;
    while ((i = s.find('<', i)) != std::string::npos) {
        const size_t end = s.find('>', i);
        if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
        const std::string tag = s.substr(i + 1, end - i - 1);
        i = end + 1;
        if (tag.empty()) return "empty tag";
        if (tag[0] == '?') continue;  // <?xml ...?>
        size_t quotes = 0;
        for (char c : tag) quotes += c == '"';
        if (quotes % 2) return "unbalanced quotes in <" + tag + ">";
        if (root_closed) return "content after the root element";
        if (tag[0] == '/') {
            const std::string name = tag.substr(1);
            if (stack.empty() || stack.back() != name) return "</" + name + "> does not close the open element";
            stack.pop_back();
            if (stack.empty()) root_closed = true;
        } else if (tag.back() != '/') {
            stack.push_back(tag.substr(0, tag.find_first_of(" \n")));
        }
    }
    if (!stack.empty()) return "<" + stack.back() + "> never closed";
    return root_closed ? "" : "no root element";
}

size_t occurrences(const std::string& s, const std::string& what) {
    size_t n = 0;
    for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("nice_axis picks 1-2-5 steps and widens the range to whole steps", "[iot][svg]") {
    const Axis a = nice_axis(0.0, 9.3, 5);  // rough step 9.3/4 = 2.3 -> 2
    CHECK(a.lo == 0.0);
    CHECK(a.hi == 10.0);
    REQUIRE(a.ticks.size() == 6);
    for (size_t k = 0; k < 6; ++k) CHECK(a.ticks[k] == IOTGRAD_APPROX(2.0 * k));

    const Axis b = nice_axis(0.13, 0.87, 5);  // rough 0.185 -> 0.2
    REQUIRE(b.ticks.size() == 6);
    CHECK(b.lo == IOTGRAD_APPROX(0.0));
    CHECK(b.hi == IOTGRAD_APPROX(1.0));
    std::vector<std::string> labels;
    for (double t : b.ticks) labels.push_back(format_tick(t));
    CHECK(labels == std::vector<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1"});

    const Axis c = nice_axis(-3.0, 12.0, 4);  // rough 5 -> 5
    CHECK(c.lo == -5.0);
    CHECK(c.hi == 15.0);
    CHECK(c.ticks.size() == 5);

    const Axis flat = nice_axis(7.0, 7.0);  // widened, not a division by zero
    CHECK(flat.lo < 7.0);
    CHECK(flat.hi > 7.0);
    CHECK_THROWS_WITH(nice_axis(0.0, std::numeric_limits<double>::infinity()), IOTGRAD_HAS("finite"));
}

TEST_CASE("log_axis uses decades, or 1-2-5 inside short ranges", "[iot][svg]") {
    const Axis wide = log_axis(3.0, 700.0);  // 1 .. 1000: three decades
    CHECK(wide.ticks == std::vector<double>{1, 10, 100, 1000});
    const Axis narrow = log_axis(1.0, 64.0);  // 1 .. 100: two decades
    CHECK(narrow.ticks == std::vector<double>{1, 2, 5, 10, 20, 50, 100});
    CHECK_THROWS_WITH(log_axis(0.0, 10.0), IOTGRAD_HAS("> 0"));
}

TEST_CASE("format_tick and xml_escape", "[iot][svg]") {
    CHECK(format_tick(0) == "0");
    CHECK(format_tick(3) == "3");
    CHECK(format_tick(0.25) == "0.25");
    CHECK(format_tick(2500) == "2500");
    CHECK(format_tick(20000) == "20k");
    CHECK(format_tick(1e6) == "1M");
    CHECK(format_tick(1.5e6) == "1.5M");
    CHECK(format_tick(0.1 + 0.2) == "0.3");
    CHECK(xml_escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
}

TEST_CASE("LinePlot writes a well-formed SVG with its series, ticks, labels and legend", "[iot][svg]") {
    LinePlot p("Time <per> epoch", "windows", "seconds");
    p.subtitle("measured");
    p.add({"cnn", {0, 1, 2, 3}, {0.5, 1.5, 2.5, 9.3}});
    p.add({"lstm", {0, 3}, {1, 2}, false, true, false, {"a", "b"}});
    const std::string svg = p.svg();
    CHECK(xml_problem(svg).empty());
    CHECK(svg.rfind("<?xml", 0) == 0);
    CHECK_THAT(svg, IOTGRAD_HAS("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    CHECK_THAT(svg, IOTGRAD_HAS("Time &lt;per&gt; epoch"));  // title escaped
    CHECK_THAT(svg, IOTGRAD_HAS(">windows</text>"));
    CHECK_THAT(svg, IOTGRAD_HAS(">seconds</text>"));
    CHECK_THAT(svg, IOTGRAD_HAS(">measured</text>"));
    CHECK(occurrences(svg, "<polyline points=") == 1);  // only cnn is a line
    CHECK(occurrences(svg, "r=\"4\"") == 4 + 2 + 2);    // 6 markers + 2 legend markers
    CHECK_THAT(svg, IOTGRAD_HAS(">a</text>"));
    // y: 0.5 .. 9.3 plus 5% headroom -> nice ticks 0, 2, ..., 10
    for (const char* t : {">0</text>", ">2</text>", ">4</text>", ">6</text>", ">8</text>", ">10</text>"})
        CHECK_THAT(svg, IOTGRAD_HAS(t));
    CHECK(occurrences(svg, "class=\"ytick\"") == 6);
    CHECK_THAT(svg, IOTGRAD_HAS("class=\"legend\""));
    CHECK_THAT(svg, IOTGRAD_HAS(">lstm</text>"));
}

TEST_CASE("LinePlot log axes and explicit ticks", "[iot][svg]") {
    LinePlot p("throughput", "nodes", "windows/s");
    p.x_scale(Scale::Log).y_scale(Scale::Log).x_ticks({1, 2, 4, 8});
    p.add({"cnn", {1, 2, 4, 8}, {30, 60, 110, 200}});
    const std::string svg = p.svg();
    CHECK(xml_problem(svg).empty());
    CHECK(occurrences(svg, "class=\"xtick\"") == 4);
    for (const char* t : {">1</text>", ">2</text>", ">4</text>", ">8</text>", ">10</text>", ">100</text>", ">1000</text>"})
        CHECK_THAT(svg, IOTGRAD_HAS(t));

    LinePlot bad("x", "x", "y");
    bad.y_scale(Scale::Log).add({"zero", {1, 2}, {0, 1}});
    CHECK_THROWS_WITH(bad.svg(), IOTGRAD_HAS("logarithmic"));
    CHECK_THROWS_WITH(LinePlot("t", "x", "y").svg(), IOTGRAD_HAS("no point"));
    CHECK_THROWS_WITH(LinePlot("t", "x", "y").add({"s", {1, 2}, {1}}), IOTGRAD_HAS("\"s\""));
}

TEST_CASE("BarChart draws one bar per value with its label", "[iot][svg]") {
    BarChart b("energy", "uJ");
    b.categories({"CNN", "LSTM", "Transformer"}).add("MCU", {57.8, 179, 316}).add("laptop", {19, 45.4, 71.3});
    const std::string svg = b.svg();
    CHECK(xml_problem(svg).empty());
    CHECK(occurrences(svg, "class=\"bar\"") == 6);
    CHECK_THAT(svg, IOTGRAD_HAS(">57.8</text>"));
    CHECK_THAT(svg, IOTGRAD_HAS(">Transformer</text>"));
    CHECK_THAT(svg, IOTGRAD_HAS(">400</text>"));  // 316 * 1.08 = 341, rough step 85 -> 100
    CHECK_THROWS_WITH(BarChart("t", "y").categories({"a"}).add("s", {1, 2}), IOTGRAD_HAS("2 values for 1"));
    CHECK_THROWS_WITH(BarChart("t", "y").categories({"a"}).add("s", {-1}), IOTGRAD_HAS(">= 0"));
}

TEST_CASE("BarChart::y_max fixes a percent axis at 100 and refuses taller bars", "[iot][svg]") {
    BarChart free("accuracy", "percent"), capped("accuracy", "percent");
    free.categories({"CNN"}).add("accuracy", {96.1});
    capped.categories({"CNN"}).add("accuracy", {96.1}).y_max(100);
    CHECK_THAT(free.svg(), IOTGRAD_HAS(">120</text>"));  // 96.1 * 1.08 = 103.8 -> steps of 20 -> 120
    const std::string svg = capped.svg();
    CHECK(xml_problem(svg).empty());
    CHECK_THAT(svg, IOTGRAD_HAS(">100</text>"));
    CHECK(svg.find(">120</text>") == std::string::npos);
    CHECK_THROWS_WITH(BarChart("t", "y").categories({"a"}).add("s", {101}).y_max(100).svg(),
                      IOTGRAD_HAS("above y_max"));
    CHECK_THROWS_WITH(BarChart("t", "y").y_max(0), IOTGRAD_HAS("> 0"));
}

TEST_CASE("Table writes Markdown and RFC 4180 CSV; Json writes valid text", "[iot][svg]") {
    Table t({"model", "note"});
    t.add_row({"cnn", "a,b"}).add_row({"lstm", "say \"hi\""});
    CHECK(t.csv() == "model,note\ncnn,\"a,b\"\nlstm,\"say \"\"hi\"\"\"\n");
    CHECK(t.markdown() == "| model | note |\n| :--- | :--- |\n| cnn | a,b |\n| lstm | say \"hi\" |\n");
    Table n({"model", "accuracy %"});
    n.add_row({"cnn", "95.5"}).add_row({"lstm", "n/a"});
    CHECK(n.markdown() == "| model | accuracy % |\n| :--- | ---: |\n| cnn | 95.5 |\n| lstm | n/a |\n");
    CHECK_THROWS_WITH(t.add_row({"x"}), IOTGRAD_HAS("1 cells for 2 columns"));

    Json j = Json::object();
    Json arr = Json::array();
    arr.push(Json(true)).push(Json(std::nan(""))).push(Json(int64_t{3}));
    j.set("name", "a\"b").set("values", arr).set("x", 0.5);
    CHECK(j.dump(0) == "{\"name\":\"a\\\"b\",\"values\":[true,null,3],\"x\":0.5}\n");
    CHECK(fmt(std::nan(""), 2) == "n/a");
    CHECK(fmt(1.23456, 2) == "1.23");
}

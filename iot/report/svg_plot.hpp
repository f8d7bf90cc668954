/// \file
/// A small SVG plotting library for the experiment reports: line/scatter
/// plots (linear or logarithmic axes) and grouped bar charts, with title,
/// axis labels, "nice" ticks, grid lines and a legend. The output is a plain
/// SVG 1.1 document that any browser shows; no plotting dependency.
///
/// \code
/// report::LinePlot p("Training time per epoch", "windows", "seconds");
/// p.x_scale(report::Scale::Log).y_scale(report::Scale::Log);
/// p.add({"cnn", {1e3, 1e4}, {0.3, 3.1}});
/// report::write_text_file("fig4.svg", p.svg());  // iot/report/table.hpp
/// \endcode
#pragma once
#include <string>
#include <vector>

namespace iotgrad::iot::report {

/// One axis's range and tick positions.
struct Axis {
    double lo = 0, hi = 1;       ///< the plotted range (ticks included)
    std::vector<double> ticks;   ///< where the labelled ticks go, increasing
};

/// Linear axis covering [lo, hi] with about `target` ticks, spaced 1, 2 or 5
/// times a power of ten (P. Heckbert, "Nice numbers for graph labels",
/// Graphics Gems, 1990). The range is widened to whole steps, so the first
/// and last ticks sit on the axis ends. lo == hi is widened to a unit range.
/// Throws std::invalid_argument for a non-finite bound or target < 2.
Axis nice_axis(double lo, double hi, int target = 5);

/// Logarithmic axis covering [lo, hi] (both > 0): the range is widened to
/// whole decades; ticks are the powers of ten, or 1-2-5 steps inside each
/// decade when it spans fewer than three decades. Throws
/// std::invalid_argument for a bound <= 0 or non-finite.
Axis log_axis(double lo, double hi);

/// A tick label: the fewest decimals that show the value exactly (up to 6),
/// thousands as "10k", millions as "1M" ("0.25", "3", "20k", "1.5M").
std::string format_tick(double v);

/// `s` with & < > " ' escaped for SVG text and attributes.
std::string xml_escape(const std::string& s);

enum class Scale { Linear, Log };

/// One data series of a LinePlot.
struct Series {
    std::string name;              ///< shown in the legend
    std::vector<double> x, y;      ///< same length
    bool line = true;              ///< connect the points in the given order
    bool markers = true;           ///< draw a dot at each point
    bool dashed = false;           ///< dashed line (e.g. a reference or a front)
    std::vector<std::string> labels;  ///< optional text beside each point (empty or one per point)
};

/// Line and scatter plots sharing one pair of axes.
class LinePlot {
public:
    LinePlot(std::string title, std::string x_label, std::string y_label);
    LinePlot& x_scale(Scale s);
    LinePlot& y_scale(Scale s);
    /// Use exactly these x ticks (e.g. 1, 2, 4, 8 nodes) instead of computed ones.
    LinePlot& x_ticks(std::vector<double> ticks);
    /// A smaller line of text under the title (units, what was measured).
    LinePlot& subtitle(std::string text);
    /// Throws std::invalid_argument naming the series when x and y (or the
    /// labels) differ in length or a value is not finite.
    LinePlot& add(Series s);
    /// The SVG document. Throws std::invalid_argument when there is no point to
    /// plot, or a series has a value <= 0 on a log axis.
    std::string svg(int width = 760, int height = 460) const;

private:
    std::string title_, x_label_, y_label_, subtitle_;
    Scale x_scale_ = Scale::Linear, y_scale_ = Scale::Linear;
    std::vector<double> x_ticks_;
    std::vector<Series> series_;
};

/// Grouped bars: one group per category along x, one bar per series in each
/// group, y from zero (linear).
class BarChart {
public:
    BarChart(std::string title, std::string y_label);
    BarChart& categories(std::vector<std::string> names);
    BarChart& subtitle(std::string text);
    /// One value per category; throws std::invalid_argument naming the series
    /// when the count differs from the categories' or a value is negative or
    /// not finite.
    BarChart& add(std::string series_name, std::vector<double> values);
    /// Writes each bar's value above it with this many significant digits (0: none).
    BarChart& value_labels(int significant_digits);
    /// Fixes the top of the y axis, e.g. 100 for percentages, instead of the
    /// largest bar plus headroom (which can put a percent axis at 120).
    /// svg() throws std::invalid_argument if a bar is taller than `top`.
    BarChart& y_max(double top);
    std::string svg(int width = 760, int height = 460) const;

private:
    std::string title_, y_label_, subtitle_;
    std::vector<std::string> categories_;
    std::vector<std::string> names_;
    std::vector<std::vector<double>> values_;
    int digits_ = 3;
    double y_max_ = 0;  // 0: from the data
};

/// The colour of series i (a colour-blind-safe palette, Okabe & Ito 2008).
const char* series_color(size_t i);

}  // namespace iotgrad::iot::report

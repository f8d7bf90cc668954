// LinePlot and BarChart: layout and drawing (axes and ticks: svg_axis.cpp).
#include "iot/report/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace iotgrad::iot::report {
namespace {

// Coordinates with one decimal: enough for a screen, short files.
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// The plot area inside the canvas: margins for title, tick labels, axis labels, legend.
struct Frame {
    double left, top, right, bottom;  // plot-area edges in pixels
    int width, height;
};

Frame make_frame(int width, int height, bool has_subtitle, bool has_legend) {
    if (width < 300 || height < 200)
        throw std::invalid_argument("svg: canvas must be at least 300x200, got " + std::to_string(width) + "x" +
                                    std::to_string(height));
    Frame f;
    f.width = width;
    f.height = height;
    f.left = 84;
    f.top = has_subtitle ? 64 : 48;
    f.right = width - (has_legend ? 190 : 24);
    f.bottom = height - 58;
    return f;
}

// Maps a data value to a pixel coordinate along [p0, p1] for the axis range.
double project(double v, const Axis& a, Scale s, double p0, double p1) {
    double t;
    if (s == Scale::Log)
        t = (std::log10(v) - std::log10(a.lo)) / (std::log10(a.hi) - std::log10(a.lo));
    else
        t = (v - a.lo) / (a.hi - a.lo);
    return p0 + t * (p1 - p0);
}

void header(std::ostringstream& os, const Frame& f, const std::string& title, const std::string& subtitle) {
    os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << f.width << "\" height=\""
       << f.height << "\" viewBox=\"0 0 " << f.width << " " << f.height
       << "\" font-family=\"Helvetica, Arial, sans-serif\">\n"
       << "<rect x=\"0\" y=\"0\" width=\"" << f.width << "\" height=\"" << f.height << "\" fill=\"white\"/>\n"
       << "<text class=\"title\" x=\"" << num(f.width / 2.0) << "\" y=\"26\" text-anchor=\"middle\" font-size=\"17\" "
       << "font-weight=\"bold\">" << xml_escape(title) << "</text>\n";
    if (!subtitle.empty())
        os << "<text class=\"subtitle\" x=\"" << num(f.width / 2.0)
           << "\" y=\"46\" text-anchor=\"middle\" font-size=\"12\" fill=\"#444\">" << xml_escape(subtitle)
           << "</text>\n";
}

// Horizontal grid line, tick and label for every y tick; the y axis label rotated.
void y_axis(std::ostringstream& os, const Frame& f, const Axis& a, Scale s, const std::string& label) {
    for (double t : a.ticks) {
        const double y = project(t, a, s, f.bottom, f.top);
        os << "<line class=\"grid\" x1=\"" << num(f.left) << "\" y1=\"" << num(y) << "\" x2=\"" << num(f.right)
           << "\" y2=\"" << num(y) << "\" stroke=\"#ddd\" stroke-width=\"1\"/>\n"
           << "<text class=\"ytick\" x=\"" << num(f.left - 7) << "\" y=\"" << num(y + 4)
           << "\" text-anchor=\"end\" font-size=\"12\">" << format_tick(t) << "</text>\n";
    }
    const double cy = (f.top + f.bottom) / 2;
    os << "<text class=\"ylabel\" x=\"20\" y=\"" << num(cy) << "\" text-anchor=\"middle\" font-size=\"13\" "
       << "transform=\"rotate(-90 20 " << num(cy) << ")\">" << xml_escape(label) << "</text>\n";
}

void x_axis_label(std::ostringstream& os, const Frame& f, const std::string& label) {
    os << "<text class=\"xlabel\" x=\"" << num((f.left + f.right) / 2) << "\" y=\"" << num(f.height - 14)
       << "\" text-anchor=\"middle\" font-size=\"13\">" << xml_escape(label) << "</text>\n";
}

void axis_lines(std::ostringstream& os, const Frame& f) {
    os << "<polyline class=\"axes\" points=\"" << num(f.left) << "," << num(f.top) << " " << num(f.left) << ","
       << num(f.bottom) << " " << num(f.right) << "," << num(f.bottom)
       << "\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.2\"/>\n";
}

// One legend row per name at the right of the plot area: a swatch and the name.
// Swatch styles: boxes (bars), or per series a line (dashed or not) and/or a marker.
struct LegendStyle {
    bool line = true, dashed = false, marker = true;
};

void legend(std::ostringstream& os, const Frame& f, const std::vector<std::string>& names,
            const std::vector<LegendStyle>& style, bool boxes) {
    const double x = f.right + 16;
    double y = f.top + 8;
    os << "<g class=\"legend\">\n";
    for (size_t i = 0; i < names.size(); ++i, y += 22) {
        const char* c = series_color(i);
        if (boxes)
            os << "<rect x=\"" << num(x) << "\" y=\"" << num(y - 6) << "\" width=\"18\" height=\"12\" fill=\"" << c
               << "\"/>\n";
        if (!boxes && style[i].line)
            os << "<line x1=\"" << num(x) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x + 22) << "\" y2=\""
               << num(y) << "\" stroke=\"" << c << "\" stroke-width=\"2.5\""
               << (style[i].dashed ? " stroke-dasharray=\"6 4\"" : "") << "/>\n";
        if (!boxes && style[i].marker)
            os << "<circle cx=\"" << num(x + 11) << "\" cy=\"" << num(y) << "\" r=\"4\" fill=\"" << c << "\"/>\n";
        os << "<text x=\"" << num(x + 28) << "\" y=\"" << num(y + 4) << "\" font-size=\"12\">" << xml_escape(names[i])
           << "</text>\n";
    }
    os << "</g>\n";
}

// A text label's rough extent (12 px font: ~6.5 px per character).
struct Box {
    double x0, y0, x1, y1;
    bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

// Writes a label beside a point: to its right, or to its left in the right
// half of the plot (so it stays inside), moved down a line at a time while it
// would overlap a label already placed.
void point_label(std::ostringstream& os, const Frame& f, double px, double py, const std::string& text,
                 const char* color, std::vector<Box>& placed) {
    const bool left = px > (f.left + f.right) / 2;
    const double w = 6.5 * static_cast<double>(text.size()), x = left ? px - 7 : px + 7;
    double y = py - 7;
    Box b{left ? x - w : x, y - 12, left ? x : x + w, y + 3};
    for (int tries = 0; tries < 8; ++tries) {
        bool clash = false;
        for (const Box& p : placed) clash = clash || b.overlaps(p);
        if (!clash) break;
        y += 15;
        b.y0 += 15;
        b.y1 += 15;
    }
    placed.push_back(b);
    os << "<text x=\"" << num(x) << "\" y=\"" << num(y) << "\" font-size=\"12\" fill=\"" << color << "\""
       << (left ? " text-anchor=\"end\"" : "") << ">" << xml_escape(text) << "</text>\n";
}

void check_finite(const std::vector<double>& v, const std::string& what) {
    for (size_t i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i]))
            throw std::invalid_argument(what + ": value " + std::to_string(i) + " is not finite");
}

// The axis for all values of one coordinate, linear or log.
Axis data_axis(const std::vector<double>& values, Scale s, const std::string& which) {
    if (values.empty()) throw std::invalid_argument("svg: no point to plot");
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    if (s == Scale::Log) {
        if (*mn <= 0)
            throw std::invalid_argument("svg: " + which + " axis is logarithmic but a value is " +
                                        std::to_string(*mn) + " (must be > 0)");
        return log_axis(*mn, *mx);
    }
    return nice_axis(*mn, *mx);
}

// Data coordinates to pixels for one plot.
struct Mapper {
    Axis ax, ay;
    Scale sx, sy;
    double x0, x1, y0, y1;  // pixel ends of each axis (y0 = bottom)
    double px(double x) const { return project(x, ax, sx, x0, x1); }
    double py(double y) const { return project(y, ay, sy, y0, y1); }
};

// One series: its line (when drawn), markers and point labels.
void draw_series(std::ostringstream& os, const Frame& f, const Mapper& m, const Series& s, const char* color,
                 std::vector<Box>& placed) {
    os << "<g class=\"series\" data-name=\"" << xml_escape(s.name) << "\">\n";
    if (s.line && s.x.size() > 1) {
        os << "<polyline points=\"";
        for (size_t k = 0; k < s.x.size(); ++k) os << (k ? " " : "") << num(m.px(s.x[k])) << "," << num(m.py(s.y[k]));
        os << "\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2.2\""
           << (s.dashed ? " stroke-dasharray=\"6 4\"" : "") << "/>\n";
    }
    for (size_t k = 0; k < s.x.size(); ++k) {
        const double px = m.px(s.x[k]), py = m.py(s.y[k]);
        if (s.markers)
            os << "<circle cx=\"" << num(px) << "\" cy=\"" << num(py) << "\" r=\"4\" fill=\"" << color << "\"/>\n";
        if (!s.labels.empty()) point_label(os, f, px, py, s.labels[k], color, placed);
    }
    os << "</g>\n";
}

}  // namespace

// ---- LinePlot ----------------------------------------------------------------

LinePlot::LinePlot(std::string title, std::string x_label, std::string y_label)
    : title_(std::move(title)), x_label_(std::move(x_label)), y_label_(std::move(y_label)) {}

LinePlot& LinePlot::x_scale(Scale s) {
    x_scale_ = s;
    return *this;
}
LinePlot& LinePlot::y_scale(Scale s) {
    y_scale_ = s;
    return *this;
}
LinePlot& LinePlot::x_ticks(std::vector<double> ticks) {
    std::sort(ticks.begin(), ticks.end());
    x_ticks_ = std::move(ticks);
    return *this;
}
LinePlot& LinePlot::subtitle(std::string text) {
    subtitle_ = std::move(text);
    return *this;
}

LinePlot& LinePlot::add(Series s) {
    const std::string what = "LinePlot::add(\"" + s.name + "\")";
    if (s.x.size() != s.y.size())
        throw std::invalid_argument(what + ": x has " + std::to_string(s.x.size()) + " values but y has " +
                                    std::to_string(s.y.size()));
    if (!s.labels.empty() && s.labels.size() != s.x.size())
        throw std::invalid_argument(what + ": " + std::to_string(s.labels.size()) + " labels for " +
                                    std::to_string(s.x.size()) + " points");
    check_finite(s.x, what + " x");
    check_finite(s.y, what + " y");
    series_.push_back(std::move(s));
    return *this;
}

std::string LinePlot::svg(int width, int height) const {
    std::vector<double> xs = x_ticks_, ys;
    std::vector<std::string> names;
    std::vector<LegendStyle> styles;
    for (const Series& s : series_) {
        xs.insert(xs.end(), s.x.begin(), s.x.end());
        ys.insert(ys.end(), s.y.begin(), s.y.end());
        names.push_back(s.name);
        styles.push_back({s.line && s.x.size() > 1, s.dashed, s.markers});
    }
    if (ys.empty()) throw std::invalid_argument("LinePlot::svg: no point to plot (\"" + title_ + "\")");
    Axis ax = data_axis(xs, x_scale_, "x");
    if (!x_ticks_.empty()) {  // explicit ticks: the range is exactly theirs and the data's
        ax.ticks = x_ticks_;
        const auto [mn, mx] = std::minmax_element(xs.begin(), xs.end());
        ax.lo = *mn;
        ax.hi = *mx == *mn ? *mn + 1 : *mx;
    }
    if (y_scale_ == Scale::Linear && ys.size() > 1) {  // 5% headroom so no point sits on the frame
        const auto [mn_it, mx_it] = std::minmax_element(ys.begin(), ys.end());
        const double mn = *mn_it, mx = *mx_it;  // copies: push_back may move the elements
        const double pad = (mx - mn) * 0.05;
        ys.push_back(mx + pad);
        ys.push_back(mn - pad);
    }
    const Axis ay = data_axis(ys, y_scale_, "y");
    const Frame f = make_frame(width, height, !subtitle_.empty(), true);
    // Explicit-tick plots get a little room so end points are not on the frame.
    const double pad = x_ticks_.empty() ? 0.0 : 12.0;
    const double x0 = f.left + pad, x1 = f.right - pad;

    std::ostringstream os;
    header(os, f, title_, subtitle_);
    y_axis(os, f, ay, y_scale_, y_label_);
    for (double t : ax.ticks) {
        const double x = project(t, ax, x_scale_, x0, x1);
        os << "<line class=\"grid\" x1=\"" << num(x) << "\" y1=\"" << num(f.top) << "\" x2=\"" << num(x)
           << "\" y2=\"" << num(f.bottom) << "\" stroke=\"#eee\" stroke-width=\"1\"/>\n"
           << "<text class=\"xtick\" x=\"" << num(x) << "\" y=\"" << num(f.bottom + 18)
           << "\" text-anchor=\"middle\" font-size=\"12\">" << format_tick(t) << "</text>\n";
    }
    axis_lines(os, f);
    x_axis_label(os, f, x_label_);
    const Mapper m{ax, ay, x_scale_, y_scale_, x0, x1, f.bottom, f.top};
    std::vector<Box> placed;  // point labels drawn so far, so later ones can avoid them
    for (size_t i = 0; i < series_.size(); ++i) draw_series(os, f, m, series_[i], series_color(i), placed);
    legend(os, f, names, styles, false);
    os << "</svg>\n";
    return os.str();
}

// ---- BarChart ------------------------------------------------------------------

BarChart::BarChart(std::string title, std::string y_label) : title_(std::move(title)), y_label_(std::move(y_label)) {}

BarChart& BarChart::categories(std::vector<std::string> names) {
    categories_ = std::move(names);
    return *this;
}
BarChart& BarChart::subtitle(std::string text) {
    subtitle_ = std::move(text);
    return *this;
}
BarChart& BarChart::value_labels(int significant_digits) {
    digits_ = std::max(0, significant_digits);
    return *this;
}

BarChart& BarChart::y_max(double top) {
    if (!(top > 0) || !std::isfinite(top))
        throw std::invalid_argument("BarChart::y_max: the top must be finite and > 0, got " + std::to_string(top));
    y_max_ = top;
    return *this;
}

BarChart& BarChart::add(std::string series_name, std::vector<double> values) {
    const std::string what = "BarChart::add(\"" + series_name + "\")";
    if (values.size() != categories_.size())
        throw std::invalid_argument(what + ": " + std::to_string(values.size()) + " values for " +
                                    std::to_string(categories_.size()) + " categories");
    check_finite(values, what);
    for (double v : values)
        if (v < 0) throw std::invalid_argument(what + ": bars start at zero, so values must be >= 0, got " +
                                               std::to_string(v));
    names_.push_back(std::move(series_name));
    values_.push_back(std::move(values));
    return *this;
}

std::string BarChart::svg(int width, int height) const {
    if (values_.empty() || categories_.empty())
        throw std::invalid_argument("BarChart::svg: no bars to draw (\"" + title_ + "\")");
    double top = 0;
    for (const auto& v : values_) top = std::max(top, *std::max_element(v.begin(), v.end()));
    if (y_max_ > 0 && top > y_max_)
        throw std::invalid_argument("BarChart::svg: a bar of " + std::to_string(top) + " is above y_max " +
                                    std::to_string(y_max_) + " (\"" + title_ + "\")");
    const Axis ay = y_max_ > 0 ? nice_axis(0.0, y_max_)
                               : nice_axis(0.0, top > 0 ? top * 1.08 : 1.0);  // headroom for the value labels
    const Frame f = make_frame(width, height, !subtitle_.empty(), true);

    std::ostringstream os;
    header(os, f, title_, subtitle_);
    y_axis(os, f, ay, Scale::Linear, y_label_);
    const double group_w = (f.right - f.left) / categories_.size();
    const double bar_w = group_w * 0.8 / values_.size();
    for (size_t c = 0; c < categories_.size(); ++c) {
        const double gx = f.left + c * group_w;
        os << "<text class=\"xtick\" x=\"" << num(gx + group_w / 2) << "\" y=\"" << num(f.bottom + 18)
           << "\" text-anchor=\"middle\" font-size=\"12\">" << xml_escape(categories_[c]) << "</text>\n";
        for (size_t s = 0; s < values_.size(); ++s) {
            const double v = values_[s][c];
            const double x = gx + group_w * 0.1 + s * bar_w, y = project(v, ay, Scale::Linear, f.bottom, f.top);
            os << "<rect class=\"bar\" x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"" << num(bar_w - 2)
               << "\" height=\"" << num(f.bottom - y) << "\" fill=\"" << series_color(s) << "\"/>\n";
            if (digits_ > 0) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.*g", digits_, v);
                os << "<text x=\"" << num(x + (bar_w - 2) / 2) << "\" y=\"" << num(y - 4)
                   << "\" text-anchor=\"middle\" font-size=\"10\">" << buf << "</text>\n";
            }
        }
    }
    axis_lines(os, f);
    legend(os, f, names_, std::vector<LegendStyle>(names_.size()), true);
    os << "</svg>\n";
    return os.str();
}

}  // namespace iotgrad::iot::report

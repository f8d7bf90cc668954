// Axis ranges, tick positions and tick labels for svg_plot.hpp.
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "iot/report/svg_plot.hpp"

namespace iotgrad::iot::report {
namespace {

// Rounds a rough tick step to 1, 2, 5 or 10 times a power of ten (Heckbert's
// rounding), so tick labels are short decimals.
double nice_step(double rough) {
    const double mag = std::pow(10.0, std::floor(std::log10(rough)));
    const double r = rough / mag;
    const double m = r < 1.5 ? 1.0 : r < 3.0 ? 2.0 : r < 7.0 ? 5.0 : 10.0;
    return m * mag;
}

// Removes trailing zeros after a decimal point ("2.50" -> "2.5", "3.0" -> "3").
std::string trim_zeros(std::string s) {
    if (s.find('.') == std::string::npos) return s;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace

Axis nice_axis(double lo, double hi, int target) {
    if (!std::isfinite(lo) || !std::isfinite(hi))
        throw std::invalid_argument("nice_axis: bounds must be finite, got [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + "]");
    if (target < 2) throw std::invalid_argument("nice_axis: target must be >= 2, got " + std::to_string(target));
    if (lo > hi) std::swap(lo, hi);
    if (lo == hi) {
        const double pad = lo == 0 ? 1.0 : std::fabs(lo) * 0.1;
        lo -= pad;
        hi += pad;
    }
    const double step = nice_step((hi - lo) / (target - 1));
    Axis a;
    const double first = std::floor(lo / step + 1e-9), last = std::ceil(hi / step - 1e-9);
    a.lo = first * step;
    a.hi = last * step;
    for (double k = first; k <= last + 0.5; k += 1.0) {
        double v = k * step;
        if (std::fabs(v) < step * 1e-9) v = 0.0;  // no "-0" or 1e-17 at zero
        a.ticks.push_back(v);
    }
    return a;
}

Axis log_axis(double lo, double hi) {
    if (!(lo > 0) || !(hi > 0) || !std::isfinite(lo) || !std::isfinite(hi))
        throw std::invalid_argument("log_axis: bounds must be finite and > 0, got [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + "]");
    if (lo > hi) std::swap(lo, hi);
    const int d0 = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
    int d1 = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
    if (d1 == d0) ++d1;
    Axis a;
    a.lo = std::pow(10.0, d0);
    a.hi = std::pow(10.0, d1);
    const bool fine = d1 - d0 < 3;
    for (int d = d0; d <= d1; ++d) {
        const double p = std::pow(10.0, d);
        a.ticks.push_back(p);
        if (fine && d < d1) {
            a.ticks.push_back(2 * p);
            a.ticks.push_back(5 * p);
        }
    }
    return a;
}

std::string format_tick(double v) {
    if (v == 0) return "0";
    const double a = std::fabs(v);
    if (a >= 1e6) return trim_zeros(fixed(v / 1e6, 2)) + "M";
    if (a >= 1e4) return trim_zeros(fixed(v / 1e3, 2)) + "k";
    for (int d = 0; d <= 6; ++d) {
        const double scaled = v * std::pow(10.0, d);
        if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, std::fabs(scaled))) return fixed(v, d);
    }
    return trim_zeros(fixed(v, 6));
}

std::string xml_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

const char* series_color(size_t i) {
    static const char* const kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                           "#E69F00", "#56B4E9", "#000000", "#F0E442"};
    return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

}  // namespace iotgrad::iot::report

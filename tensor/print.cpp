// operator<< for Tensor, in PyTorch's style:
//
//   tensor([[ 0.5000, -1.2500],
//           [ 2.0000,  3.0000]], shape=[2, 2])
//
// Every shown value uses one format, chosen from all of them the way PyTorch's
// _Formatter does: integers as "3.", else 4 decimals, else scientific when the
// magnitudes span too much. Values are right-aligned to a common width, long
// rows wrap at 80 columns, and tensors over 1000 elements show only the first
// and last 3 entries of each dimension, with "..." between.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad {

namespace {
constexpr int64_t kElideAbove = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int64_t kLineWidth = 80;

/// True when dimension of size n shows only its first and last kEdgeItems.
bool elided(int64_t n, bool summarize) { return summarize && n > 2 * kEdgeItems; }

/// The shown values in printing order (row-major, skipping elided middles).
void collect(const Tensor& t, int64_t d, std::vector<int64_t>& idx, bool summarize, std::vector<float>& out) {
    const int64_t n = t.shape()[d];
    for (int64_t i = 0; i < n; ++i) {
        if (elided(n, summarize) && i == kEdgeItems) i = n - kEdgeItems;
        idx[d] = i;
        if (d + 1 == t.dim()) out.push_back(t.at(idx));
        else collect(t, d + 1, idx, summarize, out);
    }
}

enum class Style { Integer, Fixed, Scientific };

/// PyTorch's rule: integers (below 1e8) as "3."; otherwise fixed with 4
/// decimals unless the nonzero magnitudes exceed 1e8, fall below 1e-4, or
/// span more than a factor of 1000, which need scientific notation.
Style choose_style(const std::vector<float>& values) {
    bool integral = true;
    double lo = INFINITY, hi = 0;
    for (float v : values) {
        if (!std::isfinite(v)) continue;
        integral = integral && v == std::nearbyint(v);
        const double a = std::fabs(v);
        if (a != 0) lo = std::min(lo, a), hi = std::max(hi, a);
    }
    if (hi == 0) return Style::Integer;  // only zeros and non-finite values
    if (integral) return hi < 1e8 ? Style::Integer : Style::Scientific;
    return hi / lo > 1000 || hi > 1e8 || lo < 1e-4 ? Style::Scientific : Style::Fixed;
}

std::string format(float v, Style style) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    switch (style) {
        case Style::Integer: std::snprintf(buf, sizeof buf, "%.0f.", static_cast<double>(v)); break;
        case Style::Fixed: std::snprintf(buf, sizeof buf, "%.4f", static_cast<double>(v)); break;
        case Style::Scientific: std::snprintf(buf, sizeof buf, "%.4e", static_cast<double>(v)); break;
    }
    return buf;
}

/// Writes dimension d; `indent` is the column of its '['. Cells are the
/// formatted shown values, consumed in order through `next`.
void emit(std::ostream& os, const Tensor& t, int64_t d, bool summarize, const std::vector<std::string>& cells,
          size_t& next, size_t width, int64_t indent) {
    const int64_t n = t.shape()[d];
    const std::string pad(static_cast<size_t>(indent + 1), ' ');
    os << '[';
    if (d + 1 == t.dim()) {
        // The last dimension: cells separated by ", ", wrapped to the line width.
        const int64_t per_line = std::max<int64_t>(1, (kLineWidth - indent - 1) / static_cast<int64_t>(width + 2));
        int64_t on_line = 0;
        for (int64_t i = 0; i < n; ++i) {
            if (on_line == per_line) os << '\n' << pad, on_line = 0;
            if (elided(n, summarize) && i == kEdgeItems) {
                os << "...";
                i = n - kEdgeItems - 1;
            } else {
                const std::string& c = cells[next++];
                os << std::string(width - c.size(), ' ') << c;
            }
            ++on_line;
            if (i + 1 < n) os << (on_line == per_line ? "," : ", ");
        }
    } else {
        // Outer dimensions: one sub-block per line, a blank line per extra level.
        const std::string sep = "," + std::string(static_cast<size_t>(t.dim() - d - 1), '\n') + pad;
        for (int64_t i = 0; i < n; ++i) {
            if (elided(n, summarize) && i == kEdgeItems) {
                os << "..." << sep;
                i = n - kEdgeItems;
            }
            emit(os, t, d + 1, summarize, cells, next, width, indent + 1);
            if (i + 1 < n) os << sep;
        }
    }
    os << ']';
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
    if (!t.defined()) return os << "tensor(undefined)";
    const bool summarize = t.numel() > kElideAbove;
    std::vector<int64_t> idx(static_cast<size_t>(t.dim()), 0);
    std::vector<float> values;
    if (t.dim() == 0) values.push_back(t.item());
    else if (t.numel() > 0) collect(t, 0, idx, summarize, values);

    const Style style = choose_style(values);
    std::vector<std::string> cells;
    size_t width = 0;
    for (float v : values) {
        cells.push_back(format(v, style));
        width = std::max(width, cells.back().size());
    }
    os << "tensor(";
    if (t.dim() == 0) {
        os << cells[0];
    } else {
        size_t next = 0;
        emit(os, t, 0, summarize, cells, next, width, 7);  // 7 = length of "tensor("
    }
    return os << ", shape=" << shape_str(t.shape()) << ")";
}

}  // namespace iotgrad

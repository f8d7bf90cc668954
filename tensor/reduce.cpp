#include "tensor/reduce.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "tensor/elementwise.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad::tensor {

namespace {
std::vector<bool> axis_mask(int64_t rank, const std::vector<int64_t>& axes, const char* op) {
    std::vector<bool> mask(rank, axes.empty());
    for (int64_t a : axes) {
        const int64_t d = normalize_axis(a, rank, op);
        if (mask[d] && !axes.empty()) throw ShapeError(std::string(op) + ": axis " + std::to_string(a) + " repeats");
        mask[d] = true;
    }
    return mask;
}

/// Moves the reduced axes last and makes the result contiguous, so each
/// output element reduces one contiguous row of length `row`. f(row_ptr, row) -> float.
template <class F>
Tensor reduce_rows(const Tensor& a, const std::vector<int64_t>& axes, bool keepdim, const char* op, F f) {
    require_defined(a, op);
    const std::vector<bool> mask = axis_mask(a.dim(), axes, op);
    std::vector<int64_t> order;
    Shape out_shape;
    int64_t row = 1;
    for (int64_t d = 0; d < a.dim(); ++d)
        if (!mask[d]) order.push_back(d), out_shape.push_back(a.shape()[d]);
    for (int64_t d = 0; d < a.dim(); ++d)
        if (mask[d]) order.push_back(d), row *= a.shape()[d];
    const Tensor src = a.permute(order).contiguous();
    Tensor out = Tensor::empty(out_shape);
    const int64_t rows = out.numel();
    const float* s = src.data();
    float* o = out.data();
    parallel_for(rows, row, [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) o[r] = f(s + r * row, row);
    });
    return keepdim ? out.reshape(reduced_shape(a.shape(), axes, true)) : out;
}

// Checked before any parallel loop: an exception must not leave an OpenMP region.
void require_nonempty(const Tensor& a, const std::vector<int64_t>& axes, const char* op) {
    require_defined(a, op);
    const std::vector<bool> mask = axis_mask(a.dim(), axes, op);
    for (int64_t d = 0; d < a.dim(); ++d)
        if (mask[d] && a.shape()[d] == 0)
            throw ShapeError(std::string(op) + ": reduction over a zero-size dimension of " + shape_str(a.shape()) +
                             " (the " + op + " of no elements is undefined)");
}
}  // namespace

Shape reduced_shape(const Shape& shape, const std::vector<int64_t>& axes, bool keepdim) {
    const std::vector<bool> mask = axis_mask(static_cast<int64_t>(shape.size()), axes, "reduce");
    Shape out;
    for (size_t d = 0; d < shape.size(); ++d) {
        if (!mask[d]) out.push_back(shape[d]);
        else if (keepdim) out.push_back(1);
    }
    return out;
}

Tensor sum(const Tensor& a, const std::vector<int64_t>& axes, bool keepdim) {
    // Accumulate in double: sums of many float32 values lose digits otherwise,
    // and gradient checks compare against these sums.
    return reduce_rows(a, axes, keepdim, "sum", [](const float* p, int64_t n) {
        double acc = 0;
        for (int64_t i = 0; i < n; ++i) acc += p[i];
        return static_cast<float>(acc);
    });
}
Tensor sum(const Tensor& a) { return sum(a, {}, false); }

Tensor mean(const Tensor& a, const std::vector<int64_t>& axes, bool keepdim) {
    return reduce_rows(a, axes, keepdim, "mean", [](const float* p, int64_t n) {
        double acc = 0;
        for (int64_t i = 0; i < n; ++i) acc += p[i];
        return n ? static_cast<float>(acc / n) : NAN;  // mean of nothing is NaN, as in PyTorch
    });
}
Tensor mean(const Tensor& a) { return mean(a, {}, false); }

Tensor max(const Tensor& a, const std::vector<int64_t>& axes, bool keepdim) {
    require_nonempty(a, axes, "max");
    return reduce_rows(a, axes, keepdim, "max", [](const float* p, int64_t n) {
        float m = p[0];
        for (int64_t i = 1; i < n; ++i) m = std::isnan(p[i]) || p[i] > m ? p[i] : m;
        return m;
    });
}
Tensor max(const Tensor& a) { return max(a, {}, false); }

Tensor min(const Tensor& a, const std::vector<int64_t>& axes, bool keepdim) {
    require_nonempty(a, axes, "min");
    return reduce_rows(a, axes, keepdim, "min", [](const float* p, int64_t n) {
        float m = p[0];
        for (int64_t i = 1; i < n; ++i) m = std::isnan(p[i]) || p[i] < m ? p[i] : m;
        return m;
    });
}
Tensor min(const Tensor& a) { return min(a, {}, false); }

Tensor argmax(const Tensor& a, int64_t axis, bool keepdim) {
    require_defined(a, "argmax");
    const int64_t d = normalize_axis(axis, a.dim(), "argmax");
    require_nonempty(a, {d}, "argmax");
    // Strict > keeps the first of tied maxima; a NaN counts as the largest,
    // consistent with max() propagating NaN (and with PyTorch).
    return reduce_rows(a, {d}, keepdim, "argmax", [](const float* p, int64_t n) {
        int64_t best = 0;
        for (int64_t i = 1; i < n && !std::isnan(p[best]); ++i)
            if (std::isnan(p[i]) || p[i] > p[best]) best = i;
        return static_cast<float>(best);
    });
}

Tensor var(const Tensor& a, const std::vector<int64_t>& axes, bool unbiased, bool keepdim) {
    // Two passes (mean, then squared deviations) in double: stable for data
    // far from zero, where E[x^2] - E[x]^2 would cancel.
    return reduce_rows(a, axes, keepdim, "var", [unbiased](const float* p, int64_t n) {
        if (n == 0) return NAN;  // variance of nothing, as in PyTorch
        double m = 0, s = 0;
        for (int64_t i = 0; i < n; ++i) m += p[i];
        m /= n;
        for (int64_t i = 0; i < n; ++i) s += (p[i] - m) * (p[i] - m);
        const int64_t denom = unbiased ? n - 1 : n;
        return denom > 0 ? static_cast<float>(s / denom) : NAN;
    });
}

}  // namespace iotgrad::tensor

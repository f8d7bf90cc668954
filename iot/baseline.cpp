#include "iot/baseline.hpp"

#include <cmath>
#include <map>
#include <stdexcept>

#include "tensor/shape.hpp"

namespace iotgrad::iot {

int64_t majority_class(const std::vector<int64_t>& labels) {
    if (labels.empty()) throw std::invalid_argument("majority_class: no labels");
    std::map<int64_t, int64_t> counts;
    for (int64_t l : labels) ++counts[l];
    int64_t best = counts.begin()->first, best_n = 0;
    for (const auto& [label, n] : counts)
        if (n > best_n) { best = label; best_n = n; }  // map order: ties keep the smallest
    return best;
}

double training_mean(const std::vector<float>& values) {
    double sum = 0.0;
    int64_t n = 0;
    for (float v : values)
        if (!std::isnan(v)) { sum += v; ++n; }
    if (n == 0) throw std::invalid_argument("training_mean: no values (all missing)");
    return sum / static_cast<double>(n);
}

float last_observed(const std::vector<float>& values, int64_t begin, int64_t end, float fallback) {
    for (int64_t i = end - 1; i >= begin; --i)
        if (!std::isnan(values[static_cast<std::size_t>(i)])) return values[static_cast<std::size_t>(i)];
    return fallback;
}

std::vector<double> rolling_zscore(const Tensor& x, int64_t w) {
    if (x.dim() != 2) throw ShapeError("rolling_zscore: expected x [T, C], got " + shape_str(x.shape()));
    if (w < 2) throw std::invalid_argument("rolling_zscore: the window must be >= 2, got " + std::to_string(w));
    const Tensor m = x.contiguous();
    const int64_t T = m.size(0), C = m.size(1);
    const float* p = m.data();
    std::vector<double> z(static_cast<std::size_t>(T), 0.0);
    // Running sums over the trailing window, per channel: O(T C).
    std::vector<double> sum(static_cast<std::size_t>(C), 0.0), sq(static_cast<std::size_t>(C), 0.0);
    std::vector<int64_t> n(static_cast<std::size_t>(C), 0);
    for (int64_t t = 0; t < T; ++t) {
        double best = 0.0;
        for (int64_t c = 0; c < C; ++c) {
            const std::size_t k = static_cast<std::size_t>(c);
            const float v = p[t * C + c];
            if (std::isnan(v) || n[k] < 2) continue;
            const double mean = sum[k] / static_cast<double>(n[k]);
            const double var = std::max(0.0, sq[k] / static_cast<double>(n[k]) - mean * mean);
            if (var <= 1e-12 * (1.0 + mean * mean)) continue;
            best = std::max(best, std::abs(v - mean) / std::sqrt(var));
        }
        z[static_cast<std::size_t>(t)] = best;
        for (int64_t c = 0; c < C; ++c) {  // slide: add row t, remove row t - w
            const std::size_t k = static_cast<std::size_t>(c);
            const float add = p[t * C + c];
            if (!std::isnan(add)) { sum[k] += add; sq[k] += double(add) * add; ++n[k]; }
            if (t - w >= 0) {
                const float drop = p[(t - w) * C + c];
                if (!std::isnan(drop)) { sum[k] -= drop; sq[k] -= double(drop) * drop; --n[k]; }
            }
        }
    }
    return z;
}

}  // namespace iotgrad::iot

#include "iot/fed/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "iot/fed/params.hpp"

namespace iotgrad::iot::fed {

namespace {

size_t check_updates(const std::vector<const Update*>& updates, const char* who) {
    if (updates.empty()) throw std::invalid_argument(std::string(who) + ": no updates to aggregate");
    const size_t n = updates[0]->size();
    for (size_t k = 1; k < updates.size(); ++k)
        if (updates[k]->size() != n)
            throw std::invalid_argument(std::string(who) + ": update " + std::to_string(k) + " has " +
                                        std::to_string(updates[k]->size()) + " values, update 0 has " + std::to_string(n));
    return n;
}

/// Applies f(sorted values of coordinate i) for every coordinate.
template <class F>
Update per_coordinate(const std::vector<const Update*>& updates, const char* who, F f) {
    const size_t n = check_updates(updates, who);
    Update out(n);
    std::vector<double> column(updates.size());
    for (size_t i = 0; i < n; ++i) {
        for (size_t k = 0; k < updates.size(); ++k) column[k] = (*updates[k])[i];
        std::sort(column.begin(), column.end());
        out[i] = f(column);
    }
    return out;
}

}  // namespace

Update weighted_mean(const std::vector<const Update*>& updates, const std::vector<double>& weights) {
    const size_t n = check_updates(updates, "fed::weighted_mean");
    if (weights.size() != updates.size())
        throw std::invalid_argument("fed::weighted_mean: " + std::to_string(weights.size()) + " weights for " +
                                    std::to_string(updates.size()) + " updates");
    double total = 0.0;
    for (double w : weights) {
        if (!(w >= 0.0)) throw std::invalid_argument("fed::weighted_mean: weights must be >= 0, got " + std::to_string(w));
        total += w;
    }
    if (total <= 0.0) throw std::invalid_argument("fed::weighted_mean: the weights sum to 0");
    Update out(n, 0.0);
    for (size_t k = 0; k < updates.size(); ++k) {
        const double p = weights[k] / total;
        const Update& u = *updates[k];
        for (size_t i = 0; i < n; ++i) out[i] += p * u[i];
    }
    return out;
}

Update coordinate_median(const std::vector<const Update*>& updates) {
    return per_coordinate(updates, "fed::coordinate_median", [](const std::vector<double>& s) {
        const size_t m = s.size();
        return m % 2 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    });
}

Update trimmed_mean(const std::vector<const Update*>& updates, double trim_fraction) {
    if (!(trim_fraction >= 0.0 && trim_fraction < 0.5))
        throw std::invalid_argument("fed::trimmed_mean: trim_fraction must be in [0, 0.5), got " +
                                    std::to_string(trim_fraction));
    const size_t b = static_cast<size_t>(std::floor(trim_fraction * static_cast<double>(updates.size())));
    return per_coordinate(updates, "fed::trimmed_mean", [b](const std::vector<double>& s) {
        double sum = 0.0;
        for (size_t k = b; k < s.size() - b; ++k) sum += s[k];
        return sum / static_cast<double>(s.size() - 2 * b);
    });
}

double clip_to_norm(Update& v, double clip_norm) {
    if (!(clip_norm > 0.0)) throw std::invalid_argument("fed::clip_to_norm: the clip norm must be > 0, got " + std::to_string(clip_norm));
    const double norm = l2_norm(v);
    if (norm > clip_norm) {
        const double s = clip_norm / norm;
        for (double& x : v) x *= s;
    }
    return norm;
}

void add_gaussian_noise(Update& v, double stddev, Generator& gen) {
    if (stddev <= 0.0) return;
    for (double& x : v) x += stddev * static_cast<double>(gen.normal());
}

}  // namespace iotgrad::iot::fed

// The accuracy/latency Pareto front of results.hpp (Fig. 6).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "iot/experiments/results.hpp"

namespace iotgrad::iot::experiments {

std::vector<size_t> pareto_front(const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() != y.size())
        throw std::invalid_argument("pareto_front: " + std::to_string(x.size()) + " x values but " +
                                    std::to_string(y.size()) + " y values");
    auto valid = [&](size_t i) { return !std::isnan(x[i]) && !std::isnan(y[i]); };
    std::vector<size_t> front;
    for (size_t i = 0; i < x.size(); ++i) {
        if (!valid(i)) continue;
        bool dominated = false;
        for (size_t j = 0; j < x.size() && !dominated; ++j)
            dominated = j != i && valid(j) && x[j] <= x[i] && y[j] >= y[i] && (x[j] < x[i] || y[j] > y[i]);
        if (!dominated) front.push_back(i);
    }
    std::stable_sort(front.begin(), front.end(), [&](size_t a, size_t b) { return x[a] != x[b] ? x[a] < x[b] : y[a] > y[b]; });
    return front;
}

}  // namespace iotgrad::iot::experiments

#include "iot/split.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "tensor/random.hpp"

namespace iotgrad::iot {
namespace {

void check_fractions(double validation, double test, const char* op) {
    if (!(validation >= 0.0) || !(test >= 0.0) || !(validation + test < 1.0))
        throw std::invalid_argument(std::string(op) + ": need validation >= 0, test >= 0 and validation + test < 1, got " +
                                    std::to_string(validation) + " and " + std::to_string(test));
}

}  // namespace

SplitIndices split_by_time(const std::vector<SampleSpan>& spans, double validation, double test) {
    check_fractions(validation, test, "split_by_time");
    SplitIndices out;
    if (spans.empty()) return out;
    std::vector<double> starts;
    starts.reserve(spans.size());
    for (const SampleSpan& s : spans) starts.push_back(s.t_first);
    std::sort(starts.begin(), starts.end());
    const auto quantile = [&](double q) {
        const std::size_t k = static_cast<std::size_t>(std::floor(q * static_cast<double>(starts.size())));
        return k >= starts.size() ? std::numeric_limits<double>::infinity() : starts[k];
    };
    const double c1 = validation + test > 0 ? quantile(1.0 - validation - test) : quantile(1.0);
    const double c2 = test > 0 ? quantile(1.0 - test) : quantile(1.0);
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const SampleSpan& s = spans[i];
        const int64_t id = static_cast<int64_t>(i);
        if (s.t_last < c1) out.train.push_back(id);
        else if (s.t_first >= c1 && s.t_last < c2) out.validation.push_back(id);
        else if (s.t_first >= c2) out.test.push_back(id);
        else ++out.dropped;
    }
    return out;
}

SplitIndices split_by_device(const std::vector<SampleSpan>& spans, double validation, double test, uint64_t seed) {
    check_fractions(validation, test, "split_by_device");
    std::set<int> distinct;
    for (const SampleSpan& s : spans) distinct.insert(s.device);
    std::vector<int> devices(distinct.begin(), distinct.end());
    Generator gen(seed);
    for (std::size_t i = devices.size(); i > 1; --i) {  // Fisher-Yates
        const std::size_t j = static_cast<std::size_t>(gen.next_u64() % i);
        std::swap(devices[i - 1], devices[j]);
    }
    const int64_t D = static_cast<int64_t>(devices.size());
    const auto count = [&](double f) {
        int64_t k = static_cast<int64_t>(std::llround(f * static_cast<double>(D)));
        if (f > 0 && k == 0) k = 1;
        return k;
    };
    int64_t n_val = count(validation), n_test = count(test);
    while (n_val + n_test > D - 1 && (n_val > 0 || n_test > 0)) {  // train keeps at least one device
        if (n_test >= n_val && n_test > 0) --n_test;
        else --n_val;
    }
    std::map<int, int> part;  // 0 train, 1 validation, 2 test
    for (int64_t i = 0; i < D; ++i) part[devices[static_cast<std::size_t>(i)]] = i >= D - n_val ? 1 : i >= D - n_val - n_test ? 2 : 0;
    SplitIndices out;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const int p = part[spans[i].device];
        (p == 0 ? out.train : p == 1 ? out.validation : out.test).push_back(static_cast<int64_t>(i));
    }
    return out;
}

}  // namespace iotgrad::iot

#include "iot/resample.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace iotgrad::iot {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
/// Grid sizes beyond this are a unit mistake (ms for s, kHz for Hz), not a request.
constexpr double kMaxGridPoints = 1e8;

std::string label(const TimedSeries& s) { return "resample: channel '" + s.name + "'"; }

/// The valid (non-NaN) samples of a channel, in time order.
struct Valid {
    std::vector<double> t;
    std::vector<float> v;
};

Valid valid_samples(const TimedSeries& s) {
    Valid out;
    for (size_t i = 0; i < s.t.size(); ++i)
        if (!std::isnan(s.v[i])) {
            out.t.push_back(s.t[i]);
            out.v.push_back(s.v[i]);
        }
    return out;
}

/// One grid time: see the file comment of resample.hpp for the rules.
float read_at(const Valid& s, double tau, ResampleMethod method, double max_gap_s, double tol) {
    // a = the last valid sample at or before tau (within tol).
    const auto it = std::upper_bound(s.t.begin(), s.t.end(), tau + tol);
    if (it == s.t.begin()) return kNaN;
    const size_t a = static_cast<size_t>(it - s.t.begin()) - 1;
    if (method == ResampleMethod::kHold) return tau - s.t[a] > max_gap_s ? kNaN : s.v[a];
    if (std::fabs(s.t[a] - tau) <= tol) return s.v[a];  // on a sample: its value, exactly
    const size_t b = a + 1;
    if (b >= s.t.size() || s.t[b] - s.t[a] > max_gap_s) return kNaN;
    const double w = (tau - s.t[a]) / (s.t[b] - s.t[a]);
    return static_cast<float>(s.v[a] + (static_cast<double>(s.v[b]) - s.v[a]) * w);
}

}  // namespace

ResampleMethod parse_resample_method(const std::string& name) {
    if (name == "linear") return ResampleMethod::kLinear;
    if (name == "hold") return ResampleMethod::kHold;
    throw std::invalid_argument("resample: unknown method '" + name + "' (choose linear or hold)");
}

std::string resample_method_name(ResampleMethod m) { return m == ResampleMethod::kLinear ? "linear" : "hold"; }

void check_series(const TimedSeries& s) {
    if (s.t.empty()) throw std::invalid_argument(label(s) + " is empty (no samples)");
    if (s.t.size() != s.v.size())
        throw std::invalid_argument(label(s) + " has " + std::to_string(s.t.size()) + " timestamps but " +
                                    std::to_string(s.v.size()) + " values");
    for (size_t i = 0; i < s.t.size(); ++i) {
        if (!std::isfinite(s.t[i]))
            throw std::invalid_argument(label(s) + ": timestamp " + std::to_string(i) + " is not finite");
        if (i > 0 && !(s.t[i] > s.t[i - 1]))
            throw std::invalid_argument(label(s) + ": timestamp " + std::to_string(i) + " (t = " +
                                        std::to_string(s.t[i]) + " s) is not after timestamp " +
                                        std::to_string(i - 1) + " (t = " + std::to_string(s.t[i - 1]) +
                                        " s); timestamps must increase");
    }
}

std::vector<float> resample(const TimedSeries& s, const std::vector<double>& times, ResampleMethod method,
                            double max_gap_s) {
    check_series(s);
    if (!(max_gap_s > 0)) throw std::invalid_argument(label(s) + ": max_gap_s must be > 0");
    const Valid valid = valid_samples(s);
    // Tolerance: a millionth of the typical grid step, or of a second for one time.
    double step = 1.0;
    if (times.size() > 1) step = std::fabs(times[1] - times[0]);
    const double tol = 1e-6 * (step > 0 ? step : 1.0);
    std::vector<float> out;
    out.reserve(times.size());
    for (double tau : times) out.push_back(read_at(valid, tau, method, max_gap_s, tol));
    return out;
}

std::vector<double> common_grid(const std::vector<TimedSeries>& channels, double rate_hz) {
    if (channels.empty()) throw std::invalid_argument("resample: no channels given");
    if (!(rate_hz > 0) || !std::isfinite(rate_hz))
        throw std::invalid_argument("resample: rate_hz must be a positive number, got " + std::to_string(rate_hz));
    double start = -std::numeric_limits<double>::infinity(), end = std::numeric_limits<double>::infinity();
    for (const TimedSeries& s : channels) {
        check_series(s);
        start = std::max(start, s.t.front());
        end = std::min(end, s.t.back());
    }
    if (end < start)
        throw std::invalid_argument("resample: the channels' time spans do not overlap (latest start " +
                                    std::to_string(start) + " s is after earliest end " + std::to_string(end) +
                                    " s)");
    const double steps = std::floor((end - start) * rate_hz + 1e-6);
    if (steps + 1 > kMaxGridPoints)
        throw std::invalid_argument("resample: " + std::to_string(end - start) + " s at " + std::to_string(rate_hz) +
                                    " Hz would be more than 1e8 grid points (are the units seconds and Hz?)");
    std::vector<double> grid(static_cast<size_t>(steps) + 1);
    for (size_t k = 0; k < grid.size(); ++k) grid[k] = start + static_cast<double>(k) / rate_hz;
    return grid;
}

Resampled resample_channels(const std::vector<TimedSeries>& channels, double rate_hz, ResampleMethod method,
                            double max_gap_s) {
    Resampled r;
    r.t = common_grid(channels, rate_hz);
    const int64_t T = static_cast<int64_t>(r.t.size()), C = static_cast<int64_t>(channels.size());
    r.x = Tensor::empty({T, C});
    float* x = r.x.data();
    for (int64_t c = 0; c < C; ++c) {
        const std::vector<float> col = resample(channels[static_cast<size_t>(c)], r.t, method, max_gap_s);
        for (int64_t k = 0; k < T; ++k) x[k * C + c] = col[static_cast<size_t>(k)];
    }
    return r;
}

}  // namespace iotgrad::iot

#include "iot/window.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "tensor/shape.hpp"

namespace iotgrad::iot {

Windower::Windower(WindowConfig cfg) : cfg_(cfg) {
    if (cfg_.length < 1 || cfg_.step < 1)
        throw std::invalid_argument("Windower: length and step must be >= 1 (got " + std::to_string(cfg_.length) +
                                    ", " + std::to_string(cfg_.step) + ")");
}

int Windower::pick_label(const std::deque<int>& labels) const {
    if (cfg_.label == WindowLabel::kLast) return labels.back();
    if (cfg_.label == WindowLabel::kMax) {
        int m = labels.front();
        for (int l : labels) m = l > m ? l : m;
        return m;
    }
    std::map<int, int> counts;
    for (int l : labels) ++counts[l];
    int best = counts.begin()->first, best_n = 0;
    for (const auto& [l, n] : counts)  // ascending labels: ties keep the smallest
        if (n > best_n) best = l, best_n = n;
    return best;
}

std::optional<Window> Windower::push(const Record& r) {
    Buffer& b = buffers_[r.device];
    if (b.last_seen.empty()) b.last_seen.assign(r.values.size(), std::numeric_limits<float>::quiet_NaN());
    if (r.values.size() != b.last_seen.size())
        throw std::invalid_argument("Windower::push: device " + std::to_string(r.device) + " sent " +
                                    std::to_string(r.values.size()) + " values after " +
                                    std::to_string(b.last_seen.size()));
    std::vector<float> row = r.values;
    for (size_t c = 0; c < row.size(); ++c) {
        if (!is_missing(row[c])) b.last_seen[c] = row[c];
        else if (cfg_.forward_fill) row[c] = b.last_seen[c];
    }
    if (b.skip > 0) {  // a gap between windows (step > length)
        --b.skip;
        return std::nullopt;
    }
    b.rows.push_back(std::move(row));
    b.labels.push_back(r.label);
    b.times.push_back(r.timestamp_s);
    if (static_cast<int>(b.rows.size()) < cfg_.length) return std::nullopt;

    Window w;
    int64_t c = static_cast<int64_t>(b.last_seen.size());
    w.x = Tensor::empty({cfg_.length, c});
    float* p = w.x.data();
    for (const auto& rr : b.rows)
        for (float v : rr) *p++ = v;
    w.label = pick_label(b.labels);
    w.target = r.target;
    w.device = r.device;
    w.t0 = b.times.front();
    int drop = cfg_.step < cfg_.length ? cfg_.step : cfg_.length;
    b.rows.erase(b.rows.begin(), b.rows.begin() + drop);
    b.labels.erase(b.labels.begin(), b.labels.begin() + drop);
    b.times.erase(b.times.begin(), b.times.begin() + drop);
    b.skip = cfg_.step > cfg_.length ? cfg_.step - cfg_.length : 0;
    return w;
}

RunningStats::RunningStats(int channels) {
    if (channels < 1) throw std::invalid_argument("RunningStats: channels must be >= 1");
    n_.assign(static_cast<size_t>(channels), 0);
    mean_.assign(static_cast<size_t>(channels), 0.0);
    m2_.assign(static_cast<size_t>(channels), 0.0);
}

void RunningStats::update(const std::vector<float>& values) {
    if (values.size() != n_.size())
        throw std::invalid_argument("RunningStats::update: " + std::to_string(values.size()) + " values for " +
                                    std::to_string(n_.size()) + " channels");
    for (size_t c = 0; c < values.size(); ++c) {
        if (is_missing(values[c])) continue;
        double x = values[c];
        double delta = x - mean_[c];
        mean_[c] += delta / static_cast<double>(++n_[c]);
        m2_[c] += delta * (x - mean_[c]);
    }
}

double RunningStats::variance(int c) const {
    int64_t n = count(c);
    return n < 2 ? 0.0 : m2_[static_cast<size_t>(c)] / static_cast<double>(n);
}

double RunningStats::sample_variance(int c) const {
    int64_t n = count(c);
    return n < 2 ? 0.0 : m2_[static_cast<size_t>(c)] / static_cast<double>(n - 1);
}

std::vector<float> RunningStats::normalize(const std::vector<float>& values, double eps) const {
    if (values.size() != n_.size())
        throw std::invalid_argument("RunningStats::normalize: " + std::to_string(values.size()) + " values for " +
                                    std::to_string(n_.size()) + " channels");
    std::vector<float> out(values.size());
    for (size_t c = 0; c < values.size(); ++c)
        out[c] = static_cast<float>((values[c] - mean_[c]) / std::sqrt(variance(static_cast<int>(c)) + eps));
    return out;
}

void RunningStats::normalize_(Tensor& x, double eps) const {
    if (x.dim() != 2 || x.size(1) != channels())
        throw ShapeError("RunningStats::normalize_: expected [T, " + std::to_string(channels()) + "], got " +
                         shape_str(x.shape()));
    for (int64_t t = 0; t < x.size(0); ++t)
        for (int c = 0; c < channels(); ++c) {
            float& v = x.at({t, c});
            v = static_cast<float>((v - mean_[static_cast<size_t>(c)]) / std::sqrt(variance(c) + eps));
        }
}

}  // namespace iotgrad::iot

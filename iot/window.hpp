/// \file
/// From a record stream to model inputs: sliding and tumbling windows per
/// device, and online normalisation by Welford's running mean and variance.
///
/// Both work in one pass with memory independent of the stream's length
/// (one buffer of `length` rows per device, two numbers per channel), which
/// is what an endless IoT stream needs.
///
/// \code
/// iot::CitySimulator city;
/// iot::Windower win({/*length*/ 24, /*step*/ 12});       // 50% overlap
/// iot::RunningStats stats(iot::kCityChannels);
/// for (int i = 0; i < 100000; ++i) {
///     iot::Record r = city.next();
///     stats.update(r.values);
///     if (auto w = win.push(r)) { stats.normalize_(w->x); /* feed w->x [24, 4] */ }
/// }
/// \endcode
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "iot/record.hpp"

namespace iotgrad::iot {

/// How a window's label is made from its records' labels.
enum class WindowLabel {
    kLast,      ///< The last record's (forecasting, RUL: the state "now").
    kMajority,  ///< The most frequent (ties: the smallest label).
    kMax,       ///< The largest (anomaly types: any anomaly flags the window).
};

struct WindowConfig {
    int length = 128;                         ///< Rows per window (T).
    int step = 64;                            ///< Start-to-start distance: < length slides, == length tumbles.
    WindowLabel label = WindowLabel::kMajority;
    bool forward_fill = true;                 ///< Replace NaN by the channel's last seen value (NaN until one is seen).
};

/// Cuts each device's records into windows. Records of different devices may
/// interleave; a window only ever holds one device's records, in arrival order.
/// For N records of one device: sliding gives floor((N - length) / step) + 1
/// windows (N >= length), tumbling (step == length) floor(N / length).
class Windower {
public:
    explicit Windower(WindowConfig cfg);
    /// Adds a record; returns a window when one completes. Throws
    /// std::invalid_argument when a device's channel count changes.
    std::optional<Window> push(const Record& r);
    /// Forgets all buffered records.
    void reset() { buffers_.clear(); }

private:
    struct Buffer {
        std::deque<std::vector<float>> rows;
        std::deque<int> labels;
        std::deque<double> times;
        std::vector<float> last_seen;
        int skip = 0;  // records to drop before the next window starts (step > length)
    };
    int pick_label(const std::deque<int>& labels) const;

    WindowConfig cfg_;
    std::map<int, Buffer> buffers_;
};

/// Per-channel running mean and variance by Welford's update, numerically
/// stable in one pass: with \f$\delta = x - \mu_{n-1}\f$,
/// \f$ \mu_n = \mu_{n-1} + \delta / n \f$,
/// \f$ M_n = M_{n-1} + \delta\,(x - \mu_n) \f$, variance \f$ M_n / n \f$.
/// NaN values (missing) are skipped, so each channel has its own count.
class RunningStats {
public:
    explicit RunningStats(int channels);
    int channels() const { return static_cast<int>(n_.size()); }
    /// Adds one record's values (one per channel).
    void update(const std::vector<float>& values);
    int64_t count(int c) const { return n_.at(static_cast<size_t>(c)); }
    double mean(int c) const { return mean_.at(static_cast<size_t>(c)); }
    /// Population variance \f$ M_n / n \f$ (0 before two values).
    double variance(int c) const;
    /// Sample variance \f$ M_n / (n - 1) \f$ (0 before two values).
    double sample_variance(int c) const;
    /// \f$ (x - \mu) / \sqrt{\sigma^2 + \epsilon} \f$ per channel; NaN stays NaN.
    std::vector<float> normalize(const std::vector<float>& values, double eps = 1e-8) const;
    /// The same in place on a [T, C] tensor (C == channels(); throws ShapeError otherwise).
    void normalize_(Tensor& x, double eps = 1e-8) const;

private:
    std::vector<int64_t> n_;
    std::vector<double> mean_, m2_;
};

}  // namespace iotgrad::iot

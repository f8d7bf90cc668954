/// \file
/// Resampling: channels that arrive at different rates (a 50 Hz
/// accelerometer, a 1 Hz thermometer, a radio that reports whenever it can)
/// brought onto one common time grid, so they can be stacked into one
/// [T, C] window.
///
/// Each channel is a series of (timestamp, value) pairs, timestamps strictly
/// increasing but otherwise irregular; a NaN value is a missing reading (see
/// iot/record.hpp) and is treated as if the sample had not arrived. Two ways
/// to read a channel at a grid time \f$\tau\f$:
///
/// - **linear**: between the valid samples \f$(t_a, v_a)\f$ and \f$(t_b, v_b)\f$
///   with \f$t_a \le \tau \le t_b\f$,
///   \f$ v(\tau) = v_a + (v_b - v_a)\,\frac{\tau - t_a}{t_b - t_a} \f$.
///   Exact for a straight line; for a sine of frequency f sampled at
///   \f$f_s\f$ the error is at most \f$ A\,(\pi f / f_s)^2 / 2 \f$.
/// - **hold** (zero-order hold): the last valid value at or before
///   \f$\tau\f$, \f$ v(\tau) = v_a \f$: what a live system knows at time
///   \f$\tau\f$, never a value from the future (causal).
///
/// Where a channel has nothing to say the result is NaN, left to the
/// missing-value strategies of iot/missing.hpp: before its first valid
/// sample (both methods), after its last (linear: no extrapolation), and
/// where the valid samples around \f$\tau\f$ are more than `max_gap_s` apart
/// (linear) or the last one is more than `max_gap_s` old (hold).
///
/// A sample counts as "at" \f$\tau\f$ when it is within a millionth of a grid
/// step, so a 50 Hz sample at 0.04 s lands on a 25 Hz grid point computed as
/// 1 / 25 despite floating-point rounding.
///
/// \code
/// iot::TimedSeries acc{"acc", times_50hz, values_50hz}, temp{"temp", times_1hz, values_1hz};
/// iot::Resampled r = iot::resample_channels({acc, temp}, /*rate_hz*/ 10.0, iot::ResampleMethod::kLinear);
/// // r.x [T, 2], r.t[k] = r.t[0] + k / 10
/// \endcode
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::iot {

/// One channel as it arrived: t[i] in seconds (strictly increasing), v[i]
/// its value (NaN = missing). The name only labels error messages.
struct TimedSeries {
    std::string name;
    std::vector<double> t;
    std::vector<float> v;
};

enum class ResampleMethod {
    kLinear,  ///< Straight line between the neighbouring valid samples.
    kHold,    ///< Last valid value (zero-order hold).
};

/// "linear" or "hold" -> the method; throws std::invalid_argument naming the choices.
ResampleMethod parse_resample_method(const std::string& name);
std::string resample_method_name(ResampleMethod m);

/// Throws std::invalid_argument naming the channel (and sample index) for an
/// empty channel, t and v of different lengths, a timestamp that is not
/// finite, or one that is not after the previous one.
void check_series(const TimedSeries& s);

/// The channel read at each of `times` (any order), NaN where it has no
/// value (see the file comment). Checks the channel first.
std::vector<float> resample(const TimedSeries& s, const std::vector<double>& times, ResampleMethod method,
                            double max_gap_s = std::numeric_limits<double>::infinity());

/// The common grid of `rate_hz` for a set of channels: from the latest
/// first timestamp to the earliest last timestamp (the span every channel
/// covers), \f$ \tau_k = t_{start} + k / \text{rate} \f$. Throws
/// std::invalid_argument for no channels, rate_hz <= 0 or not finite, or
/// channels whose spans do not overlap.
std::vector<double> common_grid(const std::vector<TimedSeries>& channels, double rate_hz);

/// Channels on one grid: t [T] and x [T, C] (column c = channel c).
struct Resampled {
    std::vector<double> t;
    Tensor x;
};

/// Every channel resampled onto common_grid(channels, rate_hz).
Resampled resample_channels(const std::vector<TimedSeries>& channels, double rate_hz, ResampleMethod method,
                            double max_gap_s = std::numeric_limits<double>::infinity());

}  // namespace iotgrad::iot

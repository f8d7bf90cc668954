/// \file
/// Missing readings (NaN, see iot/record.hpp) in a [T, C] block of one
/// device's records, handled in one of four ways:
///
/// | strategy      | what happens to a NaN at (t, c) |
/// |---------------|---------------------------------|
/// | `drop`        | row t is removed (every channel) |
/// | `ffill`       | the channel's last earlier value (the value a live stream has) |
/// | `interpolate` | linear between the nearest earlier and later values of the channel |
/// | `mask`        | 0, and C indicator channels are appended (1 = was missing), so the model sees which values were made up |
///
/// Ends: before a channel's first value, ffill and interpolate use that first
/// value (there is nothing earlier); after its last value interpolate keeps
/// the last one; a channel with no value at all becomes 0. The CLI applies
/// these after normalising, so the 0 of `mask` and of an empty channel is the
/// channel's training mean.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::iot {

enum class MissingStrategy { kDrop, kForwardFill, kInterpolate, kMask };

/// "drop", "ffill", "interpolate", "mask" -> the strategy; throws
/// std::invalid_argument naming the choices for anything else.
MissingStrategy parse_missing_strategy(const std::string& name);
std::string missing_strategy_name(MissingStrategy s);

/// Channels after the strategy: 2C for mask, C otherwise.
int64_t channels_after(MissingStrategy s, int64_t channels);

/// Indices of the rows of x [T, C] without a NaN.
std::vector<int64_t> complete_rows(const Tensor& x);
/// x without its incomplete rows ([T', C]); `kept` (optional) receives their indices.
Tensor drop_missing(const Tensor& x, std::vector<int64_t>* kept = nullptr);
/// x [T, C] with each NaN replaced by its channel's last earlier value.
Tensor forward_fill(const Tensor& x);
/// x [T, C] with each NaN run replaced by the straight line between its neighbours:
/// \f$ x_t = x_a + (x_b - x_a)\,\frac{t - a}{b - a} \f$ for a < t < b observed.
Tensor interpolate_missing(const Tensor& x);
/// [T, 2C]: x with NaN -> 0, then C columns of 1 where x was NaN, 0 elsewhere.
Tensor mask_missing(const Tensor& x);

/// The strategy applied to x [T, C] (drop fills `kept` as drop_missing does;
/// the other strategies keep every row and leave `kept` as 0..T-1).
Tensor apply_missing(const Tensor& x, MissingStrategy s, std::vector<int64_t>* kept = nullptr);

}  // namespace iotgrad::iot

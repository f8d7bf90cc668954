/// \file
/// The naive baselines a model has to beat before it is worth anything:
///
/// | task     | baseline | prediction |
/// |----------|----------|------------|
/// | classify | majority class | the most frequent training class, for every sample |
/// | regress  | training mean  | the mean training target, for every sample |
/// | forecast | persistence    | the last observed value: \f$ \hat y_{t+h} = y_t \f$ |
/// | anomaly  | rolling z-score | flag when \f$ \max_c |x_{t,c} - \mu_c| / \sigma_c > 3 \f$ over the previous records |
///
/// A classifier at 60% sounds good until the majority class is 60% of the
/// data; a forecaster with RMSE 0.8 °C is useless if "same as now" scores
/// 0.5 °C. Every report of the CLI prints one of these beside the model.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::iot {

/// The z-score above which the rolling baseline flags an anomaly (the
/// three-sigma rule).
inline constexpr double kZScoreThreshold = 3.0;

/// The most frequent label (ties: the smallest). Throws std::invalid_argument for no labels.
int64_t majority_class(const std::vector<int64_t>& labels);

/// Mean of the finite values (NaN skipped). Throws std::invalid_argument when there is none.
double training_mean(const std::vector<float>& values);

/// The last non-NaN value of values[begin, end), or `fallback` when all are NaN
/// (persistence: a forecast of "the same as the last reading").
float last_observed(const std::vector<float>& values, int64_t begin, int64_t end, float fallback);

/// The rolling z-score of every row of x [T, C] (one device's records in time
/// order): for row t and channel c, with \f$\mu, \sigma\f$ the mean and
/// population standard deviation of that channel's non-NaN values in rows
/// t-w .. t-1, \f$ z_t = \max_c |x_{t,c} - \mu_c| / \sigma_c \f$. A channel
/// with fewer than 2 earlier values, \f$\sigma_c = 0\f$, or NaN at t does not
/// count; a row where no channel counts scores 0.
std::vector<double> rolling_zscore(const Tensor& x, int64_t w);

}  // namespace iotgrad::iot

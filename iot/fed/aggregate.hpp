/// \file
/// Server-side aggregation of client updates \f$\Delta_1, \dots, \Delta_m\f$
/// (all the same length), and the DP-FedAvg clipping and noise.
///
/// The weighted mean is FedAvg's rule. The median and trimmed mean are robust
/// aggregators (Yin et al., ICML 2018, "Byzantine-Robust Distributed Learning:
/// Towards Optimal Statistical Rates"): per coordinate, a client that sends a
/// huge or sign-flipped value moves the median by at most one rank and is cut
/// off by the trimmed mean, while it drags the mean arbitrarily far.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor/random.hpp"

namespace iotgrad::iot::fed {

using Update = std::vector<double>;

/// \f$ \bar\Delta = \sum_k \frac{w_k}{\sum_j w_j} \Delta_k \f$, summed in client order.
/// Throws std::invalid_argument for no updates, unequal lengths, a negative
/// weight or weights summing to 0.
Update weighted_mean(const std::vector<const Update*>& updates, const std::vector<double>& weights);

/// Per coordinate, the median of the m values (the mean of the middle two when m is even).
Update coordinate_median(const std::vector<const Update*>& updates);

/// Per coordinate, sorts the m values, drops \f$ b = \lfloor \beta m \rfloor \f$
/// from each end and averages the remaining \f$ m - 2b \f$. Throws for
/// \f$\beta \notin [0, 0.5)\f$.
Update trimmed_mean(const std::vector<const Update*>& updates, double trim_fraction);

/// Scales v in place to L2 norm at most S: \f$ v \leftarrow v \min(1, S/\lVert v\rVert_2) \f$.
/// Returns the norm before clipping. Throws for S <= 0.
double clip_to_norm(Update& v, double clip_norm);

/// Adds independent \f$\mathcal N(0, \sigma^2)\f$ noise to every coordinate.
void add_gaussian_noise(Update& v, double stddev, Generator& gen);

}  // namespace iotgrad::iot::fed

/// \file
/// Secure aggregation by pairwise additive masks (Bonawitz et al., CCS 2017,
/// "Practical Secure Aggregation for Privacy-Preserving Machine Learning",
/// the masking core without the cryptography around it).
///
/// Every pair of participants i < j shares a seed \f$ s_{ij} \f$ (in the real
/// protocol from a Diffie–Hellman key agreement; here derived from the round
/// seed, which is the simulation's stand-in). From it both expand the same
/// mask \f$ m_{ij} \in \mathbb Z_{2^{64}}^n \f$. Client i sends
/// \f[ y_i = q(x_i) + \sum_{j > i} m_{ij} - \sum_{j < i} m_{ji} \pmod{2^{64}} \f]
/// where \f$ q(x) = \mathrm{round}(x \cdot 2^{32}) \f$ is x in fixed point.
/// Each \f$ y_i \f$ alone is uniformly random (a one-time pad), but every mask
/// appears once with + and once with −, so
/// \f[ \sum_i y_i = \sum_i q(x_i) \pmod{2^{64}} \f]
/// exactly, in integer arithmetic: the server learns the sum and nothing else.
///
/// Dropouts: if client d was sent the masks' partners but never reports, its
/// masks stay in the survivors' vectors and the sum is garbage. The survivors
/// then reveal their seeds \f$ s_{sd} \f$ with d (Bonawitz et al. recover them
/// from secret shares), and the server removes those masks.
///
/// Fixed point with 32 fractional bits in 64-bit words: resolution
/// \f$ 2^{-32} \approx 2.3\cdot 10^{-10} \f$, range \f$ \pm 2^{31} \f$ for the sum.
/// The price is 8 bytes per value on the uplink instead of 4.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "iot/fed/aggregate.hpp"

namespace iotgrad::iot::fed {

using Masked = std::vector<uint64_t>;
constexpr int kSecAggFracBits = 32;
constexpr int64_t kSecAggBytesPerValue = 8;

/// \f$ q(x) \f$: x in fixed point, two's complement in \f$\mathbb Z_{2^{64}}\f$.
/// Throws std::invalid_argument when |x| >= 2^31 (it would wrap).
uint64_t encode_fixed(double x);
/// The inverse of encode_fixed for a (possibly summed) word.
double decode_fixed(uint64_t word);

/// The seed participants i and j share in a round (symmetric in i, j).
uint64_t pair_seed(uint64_t round_seed, int i, int j);
/// The mask \f$ m_{ij} \f$ of length n expanded from a pair seed.
Masked pair_mask(uint64_t pair_seed_value, size_t n);

/// Client `me`'s masked vector \f$ y_{me} \f$. `participants` lists everyone
/// who was sent the round's masks (me included). Throws when me is not one of them.
Masked mask_update(const Update& x, int me, const std::vector<int>& participants, uint64_t round_seed);

/// Server: \f$ \sum_i y_i \pmod{2^{64}} \f$ over the vectors received.
Masked sum_masked(const std::vector<const Masked*>& received);

/// Server: removes from `sum` the masks that `survivors` share with the
/// `dropped` participants (after the survivors reveal those pair seeds).
void remove_dropped_masks(Masked& sum, const std::vector<int>& survivors, const std::vector<int>& dropped,
                          uint64_t round_seed);

/// Decodes every word of a summed vector.
Update decode_sum(const Masked& sum);

}  // namespace iotgrad::iot::fed

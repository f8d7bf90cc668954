#include "iot/fed/secure_agg.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "iot/record.hpp"
#include "tensor/random.hpp"

namespace iotgrad::iot::fed {

uint64_t encode_fixed(double x) {
    const double scaled = std::round(x * std::ldexp(1.0, kSecAggFracBits));
    if (!(std::fabs(scaled) < std::ldexp(1.0, 63)))
        throw std::invalid_argument("fed::encode_fixed: " + std::to_string(x) +
                                    " does not fit the fixed-point range (|x| < 2^31)");
    return static_cast<uint64_t>(static_cast<int64_t>(scaled));
}

double decode_fixed(uint64_t word) {
    return std::ldexp(static_cast<double>(static_cast<int64_t>(word)), -kSecAggFracBits);
}

uint64_t pair_seed(uint64_t round_seed, int i, int j) {
    const int lo = std::min(i, j), hi = std::max(i, j);
    return stream_seed(round_seed, static_cast<uint64_t>(lo), static_cast<uint64_t>(hi));
}

Masked pair_mask(uint64_t pair_seed_value, size_t n) {
    Generator gen(pair_seed_value);
    Masked m(n);
    for (uint64_t& w : m) w = gen.next_u64();
    return m;
}

Masked mask_update(const Update& x, int me, const std::vector<int>& participants, uint64_t round_seed) {
    if (std::find(participants.begin(), participants.end(), me) == participants.end())
        throw std::invalid_argument("fed::mask_update: client " + std::to_string(me) + " is not a participant");
    Masked y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = encode_fixed(x[i]);
    for (int j : participants) {
        if (j == me) continue;
        const Masked m = pair_mask(pair_seed(round_seed, me, j), x.size());
        // The lower index adds the pair's mask, the higher subtracts it (unsigned wrap-around is mod 2^64).
        if (me < j)
            for (size_t i = 0; i < y.size(); ++i) y[i] += m[i];
        else
            for (size_t i = 0; i < y.size(); ++i) y[i] -= m[i];
    }
    return y;
}

Masked sum_masked(const std::vector<const Masked*>& received) {
    if (received.empty()) throw std::invalid_argument("fed::sum_masked: nothing received");
    Masked s(received[0]->size(), 0);
    for (const Masked* y : received) {
        if (y->size() != s.size())
            throw std::invalid_argument("fed::sum_masked: masked vectors of different lengths (" +
                                        std::to_string(y->size()) + " vs " + std::to_string(s.size()) + ")");
        for (size_t i = 0; i < s.size(); ++i) s[i] += (*y)[i];
    }
    return s;
}

void remove_dropped_masks(Masked& sum, const std::vector<int>& survivors, const std::vector<int>& dropped,
                          uint64_t round_seed) {
    for (int d : dropped)
        for (int s : survivors) {
            const Masked m = pair_mask(pair_seed(round_seed, s, d), sum.size());
            // Survivor s added +m when s < d and -m when s > d: undo that.
            if (s < d)
                for (size_t i = 0; i < sum.size(); ++i) sum[i] -= m[i];
            else
                for (size_t i = 0; i < sum.size(); ++i) sum[i] += m[i];
        }
}

Update decode_sum(const Masked& sum) {
    Update out(sum.size());
    for (size_t i = 0; i < sum.size(); ++i) out[i] = decode_fixed(sum[i]);
    return out;
}

}  // namespace iotgrad::iot::fed

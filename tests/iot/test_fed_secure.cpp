// Secure aggregation by pairwise masks: one masked update is noise, the masks
// cancel exactly in the sum, and a dropped client's masks are removed by recovery.
#include <bitset>
#include <cmath>
#include <vector>

#include "catch_compat.hpp"
#include "fed_helpers.hpp"
#include "iot/fed/fedavg.hpp"
#include "iot/fed/params.hpp"
#include "iot/fed/partition.hpp"
#include "iot/fed/secure_agg.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;
using namespace iotgrad::iot::fed;

namespace {

std::vector<Update> random_updates(int clients, size_t n, uint64_t seed) {
    Generator g(seed);
    std::vector<Update> u(static_cast<size_t>(clients), Update(n));
    for (auto& v : u)
        for (double& x : v) x = 0.01 * g.normal();
    return u;
}

/// Fraction of the 64-bit words whose top 20 bits are all equal (true of every small fixed-point number).
double small_word_fraction(const Masked& y) {
    int small = 0;
    for (uint64_t w : y) {
        const uint64_t top = w >> 44;
        small += (top == 0 || top == (uint64_t{1} << 20) - 1);
    }
    return static_cast<double>(small) / static_cast<double>(y.size());
}

}  // namespace

TEST_CASE("secure agg: fixed point round trip", "[iot][fed]") {
    for (double x : {0.0, 1.0, -1.0, 0.123456789, -3.5e-6, 1000.25})
        CHECK(decode_fixed(encode_fixed(x)) == Approx(x).margin(1e-9));
    CHECK(decode_fixed(encode_fixed(-2.0) + encode_fixed(0.5)) == -1.5);  // addition wraps mod 2^64 correctly
    CHECK_THROWS_WITH(encode_fixed(3e9), IOTGRAD_HAS("fixed-point range"));
}

TEST_CASE("secure agg: one masked update looks like noise; the masks cancel exactly in the sum", "[iot][fed]") {
    const std::vector<int> who{0, 1, 2, 3, 4};
    const std::vector<Update> x = random_updates(5, 400, 3);
    const uint64_t round_seed = 99;
    std::vector<Masked> y;
    for (int k : who) y.push_back(mask_update(x[k], k, who, round_seed));

    // Alone: the plain encoding of a small update is mostly sign bits; masked, about half of all bits are set.
    Masked plain(x[2].size());
    for (size_t i = 0; i < plain.size(); ++i) plain[i] = encode_fixed(x[2][i]);
    CHECK(small_word_fraction(plain) == 1.0);
    CHECK(small_word_fraction(y[2]) < 0.01);
    int64_t ones = 0;
    for (uint64_t w : y[2]) ones += static_cast<int64_t>(std::bitset<64>(w).count());
    CHECK(static_cast<double>(ones) / (64.0 * 400) == Approx(0.5).margin(0.02));
    // Decoded, a masked value says nothing about x: its magnitude is of the order of the range, 2^31.
    double mean_abs = 0.0;
    for (uint64_t w : y[2]) mean_abs += std::fabs(decode_fixed(w)) / 400.0;
    CHECK(mean_abs > 1e8);

    // Together: the sum of the masked words equals the sum of the plain words, exactly.
    std::vector<const Masked*> all;
    for (const Masked& v : y) all.push_back(&v);
    const Masked s = sum_masked(all);
    Masked expected(400, 0);
    for (const Update& v : x)
        for (size_t i = 0; i < v.size(); ++i) expected[i] += encode_fixed(v[i]);
    CHECK(s == expected);
    const Update decoded = decode_sum(s);
    for (size_t i = 0; i < 400; ++i)
        CHECK(decoded[i] == Approx(x[0][i] + x[1][i] + x[2][i] + x[3][i] + x[4][i]).margin(5e-9));
}

TEST_CASE("secure agg: a dropped masked client breaks the sum until its pair masks are removed", "[iot][fed]") {
    const std::vector<int> who{0, 3, 5, 8};
    const std::vector<Update> x = random_updates(9, 100, 4);
    const uint64_t round_seed = 7;
    std::vector<Masked> y;
    for (int k : {0, 3, 8}) y.push_back(mask_update(x[k], k, who, round_seed));  // client 5 never reports
    Masked s = sum_masked({&y[0], &y[1], &y[2]});
    Masked expected(100, 0);
    for (int k : {0, 3, 8})
        for (size_t i = 0; i < 100; ++i) expected[i] += encode_fixed(x[k][i]);
    CHECK(s != expected);
    double garbage = 0.0;
    for (double v : decode_sum(s)) garbage += std::fabs(v) / 100.0;
    CHECK(garbage > 1e6);  // masks of pairs (0,5), (3,5), (5,8) are left in
    remove_dropped_masks(s, {0, 3, 8}, {5}, round_seed);
    CHECK(s == expected);
    CHECK_THROWS_WITH(mask_update(x[1], 1, who, round_seed), IOTGRAD_HAS("not a participant"));
}

TEST_CASE("secure agg: FedAvg with masks trains the same model as without, dropouts included", "[iot][fed]") {
    const TensorDataset data = fedtest::blobs(120, 4, 3, 8);
    const auto parts = make_subsets(data, partition_dirichlet(dataset_labels(data), 6, 1.0, 1, 5));
    std::vector<const Dataset*> clients;
    for (const auto& s : parts) clients.push_back(s.get());
    auto make = [] { return fedtest::linear_model(4, 3); };
    FedConfig cfg;
    cfg.rounds = 4;
    cfg.client_fraction = 0.7;
    cfg.dropout_rate = 0.3;
    auto plain = make(), secure = make();
    const FedResult a = train_federated(*plain, make, clients, cfg);
    cfg.secure_aggregation = true;
    const FedResult b = train_federated(*secure, make, clients, cfg);
    const std::vector<float> wa = get_flat(*plain), wb = get_flat(*secure);
    for (size_t i = 0; i < wa.size(); ++i) CHECK(wb[i] == Approx(wa[i]).margin(1e-6));
    int missing = 0;
    for (size_t t = 0; t < b.rounds.size(); ++t) {
        missing += b.rounds[t].missing;
        CHECK(b.rounds[t].bytes_up == 2 * a.rounds[t].bytes_up);  // 64-bit masked words
    }
    CHECK(missing > 0);
}

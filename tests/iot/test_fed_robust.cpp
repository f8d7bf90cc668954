// Robust aggregation against poisoning clients, and DP-FedAvg's clipping and noise.
#include <cmath>
#include <vector>

#include "catch_compat.hpp"
#include "fed_helpers.hpp"
#include "iot/fed/aggregate.hpp"
#include "iot/fed/fedavg.hpp"
#include "iot/fed/params.hpp"
#include "iot/fed/partition.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;
using namespace iotgrad::iot::fed;

TEST_CASE("robust: coordinate-wise median and trimmed mean by hand", "[iot][fed]") {
    const Update a{1, 10}, b{2, 20}, c{3, 30}, d{4, 40}, e{100, -1000};
    CHECK(coordinate_median({&a, &b, &c, &d, &e}) == Update{3, 20});
    CHECK(coordinate_median({&a, &b, &c, &d}) == Update{2.5, 25});
    // 5 values, trim 0.2: drop 1 at each end, average the middle 3.
    CHECK(trimmed_mean({&a, &b, &c, &d, &e}, 0.2) == Update{3, 20});
    CHECK(trimmed_mean({&a, &b, &c, &d, &e}, 0.0) == Update{22, -180});  // the plain mean
    CHECK_THROWS_WITH(trimmed_mean({&a}, 0.5), IOTGRAD_HAS("trim_fraction"));
}

TEST_CASE("robust: with 20% poisoning clients, median and trimmed mean stay within 5 points of clean; the mean does not", "[iot][fed]") {
    const TensorDataset train = fedtest::blobs(300, 4, 3, 11, 0.6f), test = fedtest::blobs(150, 4, 3, 12, 0.6f);
    const auto parts = make_subsets(train, partition_iid(300, 10, 1));
    std::vector<const Dataset*> clients;
    for (const auto& s : parts) clients.push_back(s.get());
    auto make = [] { return fedtest::linear_model(4, 3); };
    FedConfig cfg;
    cfg.rounds = 8;
    cfg.client_fraction = 1.0;
    cfg.local_epochs = 1;
    auto accuracy = [&](FedConfig c) {
        auto g = make();
        const FedResult r = train_federated(*g, make, clients, c, &test);
        if (c.poison_fraction > 0) CHECK(r.poisoned_clients.size() == 2u);
        return r.final_accuracy();
    };
    const double clean = accuracy(cfg);
    CHECK(clean > 0.9);
    FedConfig attacked = cfg;
    attacked.poison_fraction = 0.2;  // 2 of 10 send -10 x their update
    attacked.poison = Poison::SignFlip;
    attacked.poison_scale = 10.0;
    const double mean_acc = accuracy(attacked);
    attacked.aggregator = Aggregator::Median;
    const double median_acc = accuracy(attacked);
    attacked.aggregator = Aggregator::TrimmedMean;
    attacked.trim_fraction = 0.2;
    const double trimmed_acc = accuracy(attacked);
    CHECK(median_acc >= clean - 0.05);
    CHECK(trimmed_acc >= clean - 0.05);
    CHECK(mean_acc < clean - 0.2);

    // Scaled (not flipped) updates of size 100x: the median ignores them too.
    attacked.poison = Poison::Scale;
    attacked.poison_scale = 100.0;
    attacked.aggregator = Aggregator::Median;
    CHECK(accuracy(attacked) >= clean - 0.05);
}

TEST_CASE("dp: clipping bounds the update norm, the noise std is z S / m and is reported", "[iot][fed]") {
    Update v{3.0, 4.0};
    CHECK(clip_to_norm(v, 1.0) == 5.0);  // returns the norm before clipping
    CHECK(v[0] == Approx(0.6));
    CHECK(v[1] == Approx(0.8));
    Update small{0.3, 0.4};
    clip_to_norm(small, 1.0);
    CHECK(small == Update{0.3, 0.4});  // inside the ball: unchanged
    Update zeros(20000, 0.0);
    Generator g(1);
    add_gaussian_noise(zeros, 0.5, g);
    double s2 = 0.0;
    for (double x : zeros) s2 += x * x / 20000.0;
    CHECK(std::sqrt(s2) == Approx(0.5).margin(0.01));

    const TensorDataset data = fedtest::blobs(100, 4, 3, 13);
    const auto parts = make_subsets(data, partition_iid(100, 5, 2));
    std::vector<const Dataset*> clients;
    for (const auto& s : parts) clients.push_back(s.get());
    auto make = [] { return fedtest::linear_model(4, 3); };
    FedConfig cfg;
    cfg.rounds = 2;
    cfg.client_fraction = 1.0;
    cfg.dp.enabled = true;
    cfg.dp.clip_norm = 0.05;
    cfg.dp.noise_multiplier = 0.0;
    auto g1 = make();
    const FedResult clipped = train_federated(*g1, make, clients, cfg);
    for (const RoundStats& s : clipped.rounds) {
        CHECK(s.update_norm <= 0.05 + 1e-12);  // a mean of vectors in the ball stays in the ball
        CHECK(s.update_norm > 0.04);           // and clipping was active (the raw updates are larger)
        CHECK(s.dp_noise_std == 0.0);
    }
    cfg.dp.noise_multiplier = 1.2;
    auto g2 = make();
    const FedResult noisy = train_federated(*g2, make, clients, cfg);
    CHECK(noisy.rounds[0].dp_noise_std == Approx(1.2 * 0.05 / 5));
    CHECK(get_flat(*g2) != get_flat(*g1));

    // A huge clip norm and no noise: DP-FedAvg is the equal-weight mean, here FedAvg on equal clients.
    cfg.dp.clip_norm = 1e6;
    cfg.dp.noise_multiplier = 0.0;
    auto g3 = make(), g4 = make();
    train_federated(*g3, make, clients, cfg);
    cfg.dp.enabled = false;
    train_federated(*g4, make, clients, cfg);
    const std::vector<float> a = get_flat(*g3), b = get_flat(*g4);
    for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(b[i]).margin(1e-6));
}

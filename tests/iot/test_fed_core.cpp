// FedAvg against its definition: one client = gradient descent, FedSGD = centralized
// full-batch GD, the sample-count weighting, variants that reduce to FedAvg, faults.
#include <cmath>
#include <vector>

#include "catch_compat.hpp"
#include "fed_helpers.hpp"
#include "iot/fed/aggregate.hpp"
#include "iot/fed/fedavg.hpp"
#include "iot/fed/params.hpp"
#include "iot/fed/partition.hpp"
#include "layers/loss.hpp"
#include "optim/sgd.hpp"
#include "tensor/parallel.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;
using namespace iotgrad::iot::fed;

namespace {

auto make_linear = [] { return fedtest::linear_model(4, 3); };

/// One full-batch gradient-descent step (equation 1) on `data`, starting from `w`.
std::vector<float> gd_step(const std::vector<float>& w, const Dataset& data, double lr) {
    auto model = make_linear();
    set_flat(*model, w);
    optim::SGD opt(model->parameters(), lr);
    DataLoader all(data, data.size());
    const Batch b = all.batch(0, 0);
    opt.zero_grad();
    cross_entropy((*model)(Variable(b.x)), b.y).backward();
    opt.step();
    return get_flat(*model);
}

FedConfig one_step_config(Algorithm a) {
    FedConfig cfg;
    cfg.algorithm = a;
    cfg.rounds = 1;
    cfg.client_fraction = 1.0;
    cfg.local_epochs = 1;
    cfg.batch_size = 0;  // B = the whole local dataset
    cfg.lr = 0.3;
    return cfg;
}

}  // namespace

TEST_CASE("fedavg: one client, E = 1, B = full is exactly one full-batch GD step", "[iot][fed]") {
    const TensorDataset data = fedtest::blobs(37, 4, 3, 5);
    auto global = make_linear();
    const std::vector<float> w0 = get_flat(*global);
    const std::vector<float> expected = gd_step(w0, data, 0.3);

    const FedResult r = train_federated(*global, make_linear, {&data}, one_step_config(Algorithm::FedAvg));
    const std::vector<float> w1 = get_flat(*global);
    REQUIRE(w1.size() == expected.size());
    int differing = 0, moved = 0;
    for (size_t i = 0; i < w1.size(); ++i) {
        differing += (w1[i] != expected[i]);  // bit-for-bit, not approximately
        moved += (w1[i] != w0[i]);
    }
    CHECK(differing == 0);
    CHECK(moved == static_cast<int>(w1.size()));
    REQUIRE(r.rounds.size() == 1u);
    CHECK(r.rounds[0].finished == 1);
    CHECK(r.rounds[0].bytes_down == 15 * 4);  // Linear(4, 3): 12 weights + 3 biases, float32
    CHECK(r.rounds[0].bytes_up == 15 * 4);
}

TEST_CASE("fedavg: FedSGD with all clients equals centralized full-batch gradient descent", "[iot][fed]") {
    const TensorDataset data = fedtest::blobs(60, 4, 3, 9);
    // Unequal clients: 10, 20 and 30 samples.
    const std::vector<std::unique_ptr<Subset>> parts = make_subsets(data, {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
        [] { std::vector<int64_t> v; for (int64_t i = 10; i < 30; ++i) v.push_back(i); return v; }(),
        [] { std::vector<int64_t> v; for (int64_t i = 30; i < 60; ++i) v.push_back(i); return v; }()});
    std::vector<const Dataset*> clients;
    for (const auto& p : parts) clients.push_back(p.get());

    auto global = make_linear();
    std::vector<float> w = get_flat(*global);
    FedConfig cfg = one_step_config(Algorithm::FedSGD);
    cfg.rounds = 4;
    cfg.local_epochs = 3;  // ignored by FedSGD: one full-batch step per round
    cfg.batch_size = 7;    // ignored too
    train_federated(*global, make_linear, clients, cfg);
    for (int t = 0; t < 4; ++t) w = gd_step(w, data, 0.3);  // centralized: 4 steps on the union

    const std::vector<float> fed = get_flat(*global);
    for (size_t i = 0; i < w.size(); ++i) CHECK(fed[i] == Approx(w[i]).margin(1e-6));
}

TEST_CASE("fedavg: the server weights client models by sample count (hand computation)", "[iot][fed]") {
    // The rule itself: weights 1, 2, 5 -> p = 1/8, 2/8, 5/8.
    const Update a{1.0, 2.0}, b{3.0, 4.0}, c{10.0, -2.0};
    const Update m = weighted_mean({&a, &b, &c}, {1.0, 2.0, 5.0});
    CHECK(m[0] == Approx((1.0 * 1 + 2.0 * 3 + 5.0 * 10) / 8));  // 7.125
    CHECK(m[1] == Approx((1.0 * 2 + 2.0 * 4 + 5.0 * -2) / 8));  // 0
    CHECK_THROWS_WITH(weighted_mean({&a, &b}, {1.0, -1.0}), IOTGRAD_HAS(">= 0"));

    // End to end: clients of 4 and 12 samples, each takes one GD step; the
    // server's model must be (4 w_1 + 12 w_2) / 16.
    const TensorDataset data = fedtest::blobs(16, 4, 3, 2);
    std::vector<int64_t> first{0, 1, 2, 3}, second;
    for (int64_t i = 4; i < 16; ++i) second.push_back(i);
    const Subset s1(data, first), s2(data, second);
    auto global = make_linear();
    const std::vector<float> w0 = get_flat(*global);
    const std::vector<float> w1 = gd_step(w0, s1, 0.3), w2 = gd_step(w0, s2, 0.3);
    train_federated(*global, make_linear, {&s1, &s2}, one_step_config(Algorithm::FedAvg));
    const std::vector<float> got = get_flat(*global);
    for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(0.25 * w1[i] + 0.75 * w2[i]).margin(1e-6));
    // ... which is not the unweighted mean (the test would notice a wrong weighting).
    double unweighted_gap = 0.0;
    for (size_t i = 0; i < got.size(); ++i) unweighted_gap += std::fabs(got[i] - 0.5 * (w1[i] + w2[i]));
    CHECK(unweighted_gap > 1e-3);
}

TEST_CASE("fedavg: FedProx with mu = 0 and FedAvgM with momentum 0 are FedAvg; a large mu holds clients near w_t", "[iot][fed]") {
    const TensorDataset data = fedtest::blobs(80, 4, 3, 3);
    const Partition p = partition_iid(80, 4, 1);
    const auto parts = make_subsets(data, p);
    std::vector<const Dataset*> clients;
    for (const auto& s : parts) clients.push_back(s.get());
    FedConfig cfg;
    cfg.rounds = 3;
    cfg.client_fraction = 0.5;
    cfg.local_epochs = 2;
    cfg.batch_size = 5;
    auto run = [&](FedConfig c) {
        auto g = make_linear();
        train_federated(*g, make_linear, clients, c);
        return get_flat(*g);
    };
    const std::vector<float> fedavg = run(cfg);
    FedConfig prox = cfg;
    prox.algorithm = Algorithm::FedProx;
    prox.mu = 0.0;
    FedConfig avgm = cfg;
    avgm.algorithm = Algorithm::FedAvgM;
    avgm.server_momentum = 0.0;
    CHECK(run(prox) == fedavg);
    CHECK(run(avgm) == fedavg);

    // mu large: the proximal pull keeps the update small.
    const std::vector<float> w0 = get_flat(*make_linear());
    auto dist = [&](const std::vector<float>& w) {
        double s = 0;
        for (size_t i = 0; i < w.size(); ++i) s += (w[i] - w0[i]) * (w[i] - w0[i]);
        return std::sqrt(s);
    };
    prox.mu = 10.0;
    CHECK(dist(run(prox)) < 0.5 * dist(fedavg));
    // Server momentum changes the trajectory.
    avgm.server_momentum = 0.9;
    CHECK(run(avgm) != fedavg);
}

TEST_CASE("fedavg: dropouts are listed, min_clients leaves the model unchanged, stragglers per policy", "[iot][fed]") {
    const TensorDataset data = fedtest::blobs(100, 4, 3, 4);
    const auto parts = make_subsets(data, partition_iid(100, 10, 2));
    std::vector<const Dataset*> clients;
    for (const auto& s : parts) clients.push_back(s.get());
    FedConfig cfg;
    cfg.rounds = 6;
    cfg.client_fraction = 0.5;
    cfg.dropout_rate = 0.4;
    auto g = make_linear();
    const FedResult r = train_federated(*g, make_linear, clients, cfg, &data);
    int missing = 0;
    for (const RoundStats& s : r.rounds) {
        CHECK(s.sampled == 5);
        CHECK(s.finished + s.missing == s.sampled);
        CHECK(static_cast<int>(s.missing_clients.size()) == s.missing);
        CHECK(s.bytes_down == 5 * 15 * 4);
        CHECK(s.bytes_up == s.finished * 15 * 4);
        missing += s.missing;
    }
    CHECK(missing > 0);  // at 40% over 30 draws, some client dropped

    // Nobody can meet min_clients = 6 of 5 sampled: every round is skipped.
    cfg.min_clients = 6;
    auto h = make_linear();
    const std::vector<float> before = get_flat(*h);
    const FedResult skipped = train_federated(*h, make_linear, clients, cfg);
    CHECK(get_flat(*h) == before);
    for (const RoundStats& s : skipped.rounds) CHECK_FALSE(s.applied);

    // Every client a straggler: FedAvg drops them all, FedProx keeps their partial work.
    FedConfig st;
    st.rounds = 1;
    st.client_fraction = 0.5;
    st.straggler_rate = 1.0;
    auto a = make_linear();
    const FedResult dropped = train_federated(*a, make_linear, clients, st);
    CHECK(dropped.rounds[0].finished == 0);
    CHECK(dropped.rounds[0].stragglers == 5);
    st.algorithm = Algorithm::FedProx;
    const FedResult kept = train_federated(*a, make_linear, clients, st);
    CHECK(kept.rounds[0].finished == 5);
    CHECK(kept.rounds[0].stragglers == 5);
}

TEST_CASE("fedavg: learns the blobs, and bad configurations name the option", "[iot][fed]") {
    const TensorDataset train = fedtest::blobs(200, 4, 3, 6, 0.6f), test = fedtest::blobs(90, 4, 3, 7, 0.6f);
    const auto parts = make_subsets(train, partition_iid(200, 10, 3));
    std::vector<const Dataset*> clients;
    for (const auto& s : parts) clients.push_back(s.get());
    FedConfig cfg;
    cfg.rounds = 5;
    cfg.client_fraction = 0.3;
    auto g = make_linear();
    const FedResult r = train_federated(*g, make_linear, clients, cfg, &test);
    CHECK(r.final_accuracy() > 0.9);
    CHECK(r.rounds_to_accuracy(0.9) >= 1);
    CHECK(r.total_bytes_down == 5 * 3 * 15 * 4);

    FedConfig bad = cfg;
    bad.client_fraction = 0.0;
    CHECK_THROWS_WITH(train_federated(*g, make_linear, clients, bad), IOTGRAD_HAS("client_fraction"));
    bad = cfg;
    bad.secure_aggregation = true;
    bad.aggregator = Aggregator::Median;
    CHECK_THROWS_WITH(train_federated(*g, make_linear, clients, bad), IOTGRAD_HAS("secure_aggregation"));
    CHECK_THROWS_WITH(train_federated(*g, [] { return fedtest::linear_model(5, 3); }, clients, cfg),
                      IOTGRAD_HAS("does not match"));
    CHECK_THROWS_WITH(parse_algorithm("fedfoo"), IOTGRAD_HAS("fedprox"));
}

#if defined(_OPENMP)
TEST_CASE("fedavg: the same seed gives the same model on 1 and 2 threads", "[iot][fed]") {
    const TensorDataset data = fedtest::blobs(120, 4, 3, 8);
    const auto parts = make_subsets(data, partition_iid(120, 6, 4));
    std::vector<const Dataset*> clients;
    for (const auto& s : parts) clients.push_back(s.get());
    FedConfig cfg;
    cfg.rounds = 3;
    cfg.client_fraction = 1.0;
    cfg.dropout_rate = 0.2;
    cfg.straggler_rate = 0.3;
    cfg.algorithm = Algorithm::FedProx;
    auto run = [&](int threads) {
        FedConfig c = cfg;
        c.threads = threads;
        auto g = make_linear();
        train_federated(*g, make_linear, clients, c);
        return get_flat(*g);
    };
    set_num_threads(1);
    const std::vector<float> one = run(0);
    set_num_threads(2);
    const std::vector<float> two = run(0);
    set_num_threads(0);  // back to the automatic count
    CHECK(one == two);
    CHECK(run(1) == run(2));
}
#endif

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "catch_compat.hpp"
#include "iot/window.hpp"
#include "tensor/random.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

namespace {
Record rec(int device, int i, int label = 0) {
    Record r;
    r.device = device;
    r.timestamp_s = i;
    r.values = {static_cast<float>(i), static_cast<float>(-i)};
    r.label = label;
    r.target = static_cast<float>(i);
    return r;
}

std::vector<Window> run(WindowConfig cfg, int n) {
    Windower w(cfg);
    std::vector<Window> out;
    for (int i = 0; i < n; ++i)
        if (auto win = w.push(rec(0, i))) out.push_back(*win);
    return out;
}
}  // namespace

TEST_CASE("windows: sliding, tumbling and gapped counts and contents", "[iot][window]") {
    auto sliding = run({128, 64}, 1000);
    CHECK(sliding.size() == 14u);  // floor((1000 - 128) / 64) + 1
    for (size_t k = 0; k < sliding.size(); ++k) {
        CHECK(sliding[k].x.shape() == Shape{128, 2});
        CHECK(sliding[k].x.at({0, 0}) == static_cast<float>(64 * k));
        CHECK(sliding[k].x.at({127, 1}) == -static_cast<float>(64 * k + 127));
        CHECK(sliding[k].t0 == 64.0 * k);
        CHECK(sliding[k].target == static_cast<float>(64 * k + 127));
    }
    auto tumbling = run({100, 100}, 1000);
    CHECK(tumbling.size() == 10u);
    CHECK(tumbling[3].x.at({0, 0}) == 300.0f);
    auto gapped = run({10, 15}, 100);
    CHECK(gapped.size() == 7u);  // starts 0, 15, ..., 90
    CHECK(gapped[6].x.at({0, 0}) == 90.0f);
    CHECK(run({5, 1}, 4).empty());
    CHECK_THROWS_AS(Windower({0, 1}), std::invalid_argument);
}

TEST_CASE("windows: interleaved devices stay apart; NaN forward-filled; label rules", "[iot][window]") {
    Windower w({4, 4});
    std::vector<Window> out;
    for (int i = 0; i < 8; ++i) {
        for (int d : {3, 5}) {
            Record r = rec(d, i, i == 1 ? 2 : (i >= 2 && i < 4 ? 1 : 0));
            if (d == 5 && i == 2) r.values[0] = std::numeric_limits<float>::quiet_NaN();
            if (auto win = w.push(r)) out.push_back(*win);
        }
    }
    REQUIRE(out.size() == 4u);
    CHECK(out[0].device == 3);
    CHECK(out[1].device == 5);
    CHECK(out[1].x.at({2, 0}) == 1.0f);  // record 2's lost value becomes record 1's
    CHECK(out[0].x.at({2, 0}) == 2.0f);
    // Labels of the first window: 0, 2, 1, 1 -> majority 1; of the second 0, 0, 0, 0.
    CHECK(out[0].label == 1);
    CHECK(out[2].label == 0);
    Windower last({4, 4, WindowLabel::kLast}), mx({4, 4, WindowLabel::kMax});
    std::optional<Window> a, b;
    for (int i = 0; i < 4; ++i) {
        a = last.push(rec(0, i, i == 1 ? 2 : 0));
        b = mx.push(rec(0, i, i == 1 ? 2 : 0));
    }
    CHECK(a->label == 0);
    CHECK(b->label == 2);
    Record bad = rec(3, 9);
    bad.values.push_back(1.0f);
    CHECK_THROWS_WITH(w.push(bad), IOTGRAD_HAS("device 3 sent 3 values after 2"));
}

TEST_CASE("Welford running mean and variance equal the two-pass result", "[iot][window]") {
    Generator g(11);
    RunningStats stats(3);
    std::vector<std::vector<double>> cols(3);
    for (int i = 0; i < 5000; ++i) {
        // A large offset is where the naive sum-of-squares formula loses digits.
        std::vector<float> v = {1e4f + g.normal(), 3.0f * g.normal() - 2.0f, g.uniform()};
        if (i % 7 == 0) v[2] = std::numeric_limits<float>::quiet_NaN();  // missing: skipped
        stats.update(v);
        for (int c = 0; c < 3; ++c)
            if (!std::isnan(v[c])) cols[c].push_back(v[c]);
    }
    for (int c = 0; c < 3; ++c) {
        double mean = 0, var = 0;
        for (double x : cols[c]) mean += x;
        mean /= static_cast<double>(cols[c].size());
        for (double x : cols[c]) var += (x - mean) * (x - mean);
        CHECK(stats.count(c) == static_cast<int64_t>(cols[c].size()));
        CHECK(stats.mean(c) == Approx(mean).epsilon(1e-12));
        CHECK(stats.variance(c) == Approx(var / cols[c].size()).epsilon(1e-9));
        CHECK(stats.sample_variance(c) == Approx(var / (cols[c].size() - 1)).epsilon(1e-9));
    }
    CHECK(stats.count(2) == 5000 - 715);
    // Normalising by these statistics gives zero mean and unit variance.
    Tensor x = Tensor::from({2, 3}, {1e4f, -2.0f, 0.5f, 1e4f + 1.0f, 1.0f, 0.5f});
    stats.normalize_(x);
    CHECK(x.at({1, 0}) - x.at({0, 0}) == Approx(1.0 / std::sqrt(stats.variance(0))).epsilon(1e-3));
    std::vector<float> n = stats.normalize({static_cast<float>(stats.mean(0)), std::nanf(""), 0.5f});
    CHECK(n[0] == Approx(0.0).margin(1e-3));
    CHECK(std::isnan(n[1]));
    Tensor wrong = Tensor::zeros({2, 4});
    CHECK_THROWS_AS(stats.normalize_(wrong), ShapeError);
}

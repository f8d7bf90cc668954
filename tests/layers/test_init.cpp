// Initialization: fans as PyTorch computes them, and sample statistics of
// each initializer on a large tensor against its formula.
#include <algorithm>
#include <cmath>

#include "catch_compat.hpp"
#include "layers/init.hpp"

using namespace iotgrad;
namespace init = iotgrad::nn::init;

namespace {
struct Stats {
    double mean = 0, std = 0, min = 0, max = 0;
};
Stats stats(const Tensor& t) {
    const std::vector<float> v = t.to_vector();
    Stats s;
    s.min = *std::min_element(v.begin(), v.end());
    s.max = *std::max_element(v.begin(), v.end());
    for (float x : v) s.mean += x;
    s.mean /= v.size();
    for (float x : v) s.std += (x - s.mean) * (x - s.mean);
    s.std = std::sqrt(s.std / (v.size() - 1));
    return s;
}
}  // namespace

TEST_CASE("fan_in and fan_out follow PyTorch for Linear and Conv weights", "[layers][init]") {
    CHECK(init::fan_in_and_fan_out({32, 9}) == std::pair<int64_t, int64_t>{9, 32});            // Linear [out, in]
    CHECK(init::fan_in_and_fan_out({32, 9, 5}) == std::pair<int64_t, int64_t>{45, 160});       // Conv1d
    CHECK(init::fan_in_and_fan_out({8, 3, 3, 3}) == std::pair<int64_t, int64_t>{27, 72});      // Conv2d
    CHECK_THROWS_AS(init::fan_in_and_fan_out({7}), ShapeError);
    CHECK(init::calculate_gain(init::Nonlinearity::Relu) == Approx(std::sqrt(2.0)));
    CHECK(init::calculate_gain(init::Nonlinearity::Tanh) == Approx(5.0 / 3.0));
    CHECK(init::calculate_gain(init::Nonlinearity::LeakyRelu, std::sqrt(5.0f)) == Approx(std::sqrt(1.0 / 3.0)));
}

TEST_CASE("xavier_uniform and xavier_normal match their variance formula", "[layers][init]") {
    Generator gen(1);
    // fan_in = 100 * 4 = 400, fan_out = 200 * 4 = 800 (a Conv1d weight with K = 4).
    Tensor w = Tensor::empty({200, 100, 4});
    const double std_expected = 2.0 * std::sqrt(2.0 / 1200.0);  // gain 2
    init::xavier_uniform(w, gen, 2.0f);
    Stats s = stats(w);
    const double bound = std::sqrt(3.0) * std_expected;
    CHECK(s.max <= bound);
    CHECK(s.min >= -bound);
    CHECK(s.max > 0.99 * bound);  // 80,000 draws reach the edge of the interval
    CHECK(std::fabs(s.mean) < 0.01 * bound);
    CHECK(s.std == Approx(std_expected).epsilon(0.02));

    init::xavier_normal(w, gen, 2.0f);
    s = stats(w);
    CHECK(std::fabs(s.mean) < 0.02 * std_expected);
    CHECK(s.std == Approx(std_expected).epsilon(0.02));
}

TEST_CASE("kaiming_uniform and kaiming_normal follow gain / sqrt(fan)", "[layers][init]") {
    Generator gen(2);
    Tensor w = Tensor::empty({300, 250});
    SECTION("uniform, ReLU, fan_in") {
        init::kaiming_uniform(w, gen, 0.0f, init::FanMode::FanIn, init::Nonlinearity::Relu);
        const Stats s = stats(w);
        const double std_expected = std::sqrt(2.0) / std::sqrt(250.0), bound = std::sqrt(3.0) * std_expected;
        CHECK(s.max <= bound);
        CHECK(s.min >= -bound);
        CHECK(s.std == Approx(std_expected).epsilon(0.02));
    }
    SECTION("normal, leaky ReLU a = 0.2, fan_out") {
        init::kaiming_normal(w, gen, 0.2f, init::FanMode::FanOut);
        const Stats s = stats(w);
        const double std_expected = std::sqrt(2.0 / (1.0 + 0.04)) / std::sqrt(300.0);
        CHECK(std::fabs(s.mean) < 0.02 * std_expected);
        CHECK(s.std == Approx(std_expected).epsilon(0.02));
    }
    SECTION("PyTorch's Linear default, a = sqrt(5): U(-1/sqrt(fan_in), 1/sqrt(fan_in))") {
        Tensor b = Tensor::empty({300});
        init::default_linear_init(w, &b, gen);
        const double bound = 1.0 / std::sqrt(250.0);
        const Stats s = stats(w), sb = stats(b);
        CHECK(s.max <= bound);
        CHECK(s.min >= -bound);
        CHECK(s.max > 0.99 * bound);
        CHECK(s.std == Approx(bound / std::sqrt(3.0)).epsilon(0.02));
        CHECK(sb.max <= bound);
        CHECK(sb.min >= -bound);
    }
}

TEST_CASE("uniform, normal, zeros and ones fill in place, through views too", "[layers][init]") {
    Generator gen(3);
    Tensor w = Tensor::empty({100, 100});
    Tensor alias = w;  // shares storage: the fill must land in it
    init::uniform(w, gen, -2.0f, 3.0f);
    Stats s = stats(alias);
    CHECK(s.min >= -2.0);
    CHECK(s.max < 3.0);
    CHECK(s.mean == Approx(0.5).margin(0.05));
    init::normal(w, gen, 1.0f, 0.5f);
    s = stats(alias);
    CHECK(s.mean == Approx(1.0).margin(0.02));
    CHECK(s.std == Approx(0.5).epsilon(0.02));
    init::zeros(w);
    CHECK(stats(alias).max == 0.0);
    init::ones(w);
    CHECK(stats(alias).min == 1.0);
    Generator a(9), b(9);
    Tensor x = Tensor::empty({4, 4}), y = Tensor::empty({4, 4});
    init::xavier_uniform(x, a);
    init::xavier_uniform(y, b);
    CHECK(x.to_vector() == y.to_vector());  // same seed, same weights
    CHECK_THROWS_AS(init::uniform(w, gen, 1.0f, 0.0f), std::invalid_argument);
}

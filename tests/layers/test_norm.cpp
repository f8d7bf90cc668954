// BatchNorm1d and LayerNorm: normalized outputs (mean 0, variance 1), the
// running statistics after one step, evaluation with running statistics,
// names of parameters and buffers, and gradient checks.
#include <cmath>

#include "autograd/ops.hpp"
#include "layer_check.hpp"
#include "layers/norm.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/reduce.hpp"

using namespace iotgrad;
using iotgrad::testing::check_module;
using iotgrad::testing::check_values;

TEST_CASE("BatchNorm1d in training normalizes each channel to mean 0, variance 1", "[layers][norm]") {
    Generator gen(1);
    nn::BatchNorm1d bn(3);
    // Channels with very different scales and offsets.
    Tensor x = Tensor::randn({8, 3, 5}, gen);
    for (int64_t c = 0; c < 3; ++c) {
        Tensor ch = x.select(1, c);
        ch.copy_(tensor::add(tensor::mul(ch, 1.0f + 3.0f * c), 10.0f * c));
    }
    const Tensor y = bn(Variable(x)).value();
    const Tensor mean = tensor::mean(y, {0, 2}), var = tensor::var(y, {0, 2}, /*unbiased=*/false);
    for (int64_t c = 0; c < 3; ++c) {
        CHECK(mean.at({c}) == Approx(0).margin(1e-5));
        CHECK(var.at({c}) == Approx(1).epsilon(1e-3));  // eps = 1e-5 shrinks it very slightly
    }

    // Running statistics after one step: 0.9 * initial + 0.1 * batch (unbiased variance).
    const Tensor batch_mean = tensor::mean(x, {0, 2}), batch_var = tensor::var(x, {0, 2}, /*unbiased=*/true);
    for (int64_t c = 0; c < 3; ++c) {
        CHECK(bn.running_mean.at({c}) == Approx(0.9 * 0 + 0.1 * batch_mean.at({c})).epsilon(1e-4));
        CHECK(bn.running_var.at({c}) == Approx(0.9 * 1 + 0.1 * batch_var.at({c})).epsilon(1e-4));
    }
    CHECK(bn.num_batches_tracked.item() == 1);
}

TEST_CASE("BatchNorm1d on [N, C] by hand, then in evaluation with running statistics", "[layers][norm]") {
    nn::BatchNorm1d bn(2, 1e-5f, 0.5f);
    bn.weight.value().copy_(Tensor::from({2}, {2, 1}));
    bn.bias.value().copy_(Tensor::from({2}, {0, 1}));
    // Channel 0: [1, 3] -> mean 2, biased var 1; channel 1: [4, 4] -> var 0.
    const Variable x(Tensor::from({2, 2}, {1, 4, 3, 4}));
    const float s = 1.0f / std::sqrt(1.0f + 1e-5f);
    check_values(bn(x).value(), {2, 2}, {-2 * s, 1, 2 * s, 1}, 1e-5f);
    check_values(bn.running_mean, {2}, {0.5f * 0 + 0.5f * 2, 0.5f * 0 + 0.5f * 4});
    check_values(bn.running_var, {2}, {0.5f * 1 + 0.5f * 2, 0.5f * 1 + 0.5f * 0});  // unbiased var of [1, 3] is 2

    bn.eval();
    bn.running_mean.copy_(Tensor::from({2}, {1, -1}));
    bn.running_var.copy_(Tensor::from({2}, {4, 0.25f}));
    const Variable z(Tensor::from({1, 2}, {5, 0}));
    // (5 - 1)/2 * 2 + 0 = 4 ; (0 + 1)/0.5 * 1 + 1 = 3.
    check_values(bn(z).value(), {1, 2}, {4, 3}, 1e-4f);
    CHECK(bn.num_batches_tracked.item() == 1);  // evaluation does not count
    CHECK(bn.running_mean.at({0}) == 1);        // nor update
}

TEST_CASE("BatchNorm1d has PyTorch's parameter and buffer names", "[layers][norm]") {
    nn::BatchNorm1d bn(4);
    const auto params = bn.named_parameters();
    REQUIRE(params.size() == 2);
    CHECK(params[0].first == "weight");
    CHECK(params[1].first == "bias");
    const auto buffers = bn.named_buffers();
    REQUIRE(buffers.size() == 3);
    CHECK(buffers[0].first == "running_mean");
    CHECK(buffers[1].first == "running_var");
    CHECK(buffers[2].first == "num_batches_tracked");
    CHECK(bn.running_var.to_vector() == std::vector<float>(4, 1.0f));
    CHECK(bn.extra_repr() == "4, eps=1e-05, momentum=0.1");
    CHECK_THROWS_AS(bn(Variable(Tensor::zeros({2, 3}))), ShapeError);
    CHECK_THROWS_AS(bn(Variable(Tensor::zeros({1, 4}))), ShapeError);  // one value per channel
}

TEST_CASE("LayerNorm normalizes over the trailing dimensions", "[layers][norm]") {
    nn::LayerNorm ln({4});
    const Variable x(Tensor::from({2, 4}, {1, 2, 3, 4, 10, 10, 10, 14}));
    // Row 1: mean 2.5, var 1.25. Row 2: mean 11, var 3.
    const float a = 1.0f / std::sqrt(1.25f + 1e-5f), b = 1.0f / std::sqrt(3.0f + 1e-5f);
    check_values(ln(x).value(), {2, 4}, {-1.5f * a, -0.5f * a, 0.5f * a, 1.5f * a, -b, -b, -b, 3 * b}, 1e-5f);

    nn::LayerNorm ln2({2, 3});
    ln2.weight.value().fill_(2.0f);
    ln2.bias.value().fill_(1.0f);
    Generator gen(3);
    const Tensor y = ln2(Variable(Tensor::randn({3, 2, 3}, gen, 5.0f, 4.0f))).value();
    const Tensor mean = tensor::mean(y, {1, 2}), var = tensor::var(y, {1, 2}, false);
    for (int64_t i = 0; i < 3; ++i) {
        CHECK(mean.at({i}) == Approx(1).margin(1e-5));
        CHECK(var.at({i}) == Approx(4).epsilon(1e-3));
    }
    CHECK(ln2.weight.shape() == Shape{2, 3});
    CHECK(ln2.extra_repr() == "[2, 3], eps=1e-05");
    CHECK_THROWS_AS(ln2(Variable(Tensor::zeros({3, 3, 2}))), ShapeError);
}

TEST_CASE("normalization layers' gradients match finite differences", "[layers][norm][gradcheck]") {
    Generator gen(7);
    GradcheckOptions opt;
    opt.atol = 2e-3f;
    SECTION("BatchNorm1d training, [N, C]") {
        nn::BatchNorm1d bn(3);
        bn.weight.value().copy_(Tensor::randn({3}, gen));
        bn.bias.value().copy_(Tensor::randn({3}, gen));
        const auto r = check_module(bn, Tensor::randn({5, 3}, gen), opt);
        INFO(r.message);
        CHECK(r.ok);
    }
    SECTION("BatchNorm1d training, [N, C, L]") {
        nn::BatchNorm1d bn(2);
        bn.weight.value().copy_(Tensor::randn({2}, gen));
        const auto r = check_module(bn, Tensor::randn({3, 2, 4}, gen), opt);
        INFO(r.message);
        CHECK(r.ok);
    }
    SECTION("BatchNorm1d evaluation") {
        nn::BatchNorm1d bn(2);
        bn.running_mean.copy_(Tensor::from({2}, {0.5f, -1}));
        bn.running_var.copy_(Tensor::from({2}, {2, 0.5f}));
        bn.eval();
        const auto r = check_module(bn, Tensor::randn({3, 2, 2}, gen), opt);
        INFO(r.message);
        CHECK(r.ok);
    }
    SECTION("LayerNorm over the last two dims") {
        nn::LayerNorm ln({2, 3});
        ln.weight.value().copy_(Tensor::randn({2, 3}, gen));
        ln.bias.value().copy_(Tensor::randn({2, 3}, gen));
        const auto r = check_module(ln, Tensor::randn({2, 2, 3}, gen), opt);
        INFO(r.message);
        CHECK(r.ok);
    }
}

// Linear (y = x W^T + b) and Flatten: known values, PyTorch's layout, names
// and default init, gradient checks through weight, bias and input.
#include <cmath>
#include <sstream>

#include "autograd/ops.hpp"
#include "layer_check.hpp"
#include "layers/linear.hpp"

using namespace iotgrad;
using iotgrad::testing::check_module;
using iotgrad::testing::check_values;

TEST_CASE("Linear computes x W^T + b with chosen weights", "[layers][linear]") {
    Generator gen(0);
    nn::Linear fc(2, 3, gen);
    fc.weight.value().copy_(Tensor::from({3, 2}, {1, 2, 3, 4, 5, 6}));
    fc.bias.value().copy_(Tensor::from({3}, {0.5f, -1, 0}));
    const Variable y = fc(Variable(Tensor::from({2, 2}, {1, -1, 2, 0.5f})));
    // Row 1: [1-2+0.5, 3-4-1, 5-6] ; row 2: [2+1+0.5, 6+2-1, 10+3].
    check_values(y.value(), {2, 3}, {-0.5f, -2, -1, 3.5f, 7, 13});

    // Any leading shape: [..., in] -> [..., out]; a 1-d input is one sample.
    const Tensor batched = fc(Variable(Tensor::ones({2, 1, 4, 2}))).value();
    CHECK(batched.shape() == Shape{2, 1, 4, 3});
    for (int64_t i = 0; i < 8; ++i) check_values(batched.reshape({8, 3}).select(0, i), {3}, {3.5f, 6, 11});
    check_values(fc(Variable(Tensor::from({2}, {1, 0}))).value(), {3}, {1.5f, 2, 5});
}

TEST_CASE("Linear has PyTorch's weight layout, names and default init", "[layers][linear]") {
    Generator gen(4);
    nn::Linear fc(16, 64, gen);
    const auto named = fc.named_parameters();
    REQUIRE(named.size() == 2);
    CHECK(named[0].first == "weight");
    CHECK(named[1].first == "bias");
    CHECK(fc.weight.shape() == Shape{64, 16});
    CHECK(fc.bias.shape() == Shape{64});
    CHECK(fc.num_parameters() == 64 * 16 + 64);
    const float bound = 1.0f / std::sqrt(16.0f);  // kaiming_uniform(a = sqrt 5) = U(-1/sqrt(in), 1/sqrt(in))
    float wmax = 0, bmax = 0;
    for (float v : fc.weight.value().to_vector()) wmax = std::max(wmax, std::fabs(v));
    for (float v : fc.bias.value().to_vector()) bmax = std::max(bmax, std::fabs(v));
    CHECK(wmax <= bound);
    CHECK(wmax > 0.95f * bound);
    CHECK(bmax <= bound);
    CHECK(bmax > 0.5f * bound);

    nn::Linear no_bias(nn::LinearOptions(3, 2).bias(false), gen);
    CHECK(no_bias.parameters().size() == 1);
    CHECK_FALSE(no_bias.bias.defined());
    CHECK(no_bias.extra_repr() == "3, 2, bias=false");
    CHECK(fc.type_name() == "Linear");
    CHECK(fc.extra_repr() == "16, 64");

    Generator a(7), b(7);
    CHECK(nn::Linear(5, 3, a).weight.value().to_vector() == nn::Linear(5, 3, b).weight.value().to_vector());
}

TEST_CASE("Linear rejects an input whose last dimension is not in_features", "[layers][linear]") {
    Generator gen(0);
    nn::Linear fc(9, 32, gen);
    CHECK_THROWS_AS(fc(Variable(Tensor::zeros({4, 8}))), ShapeError);
    CHECK_THROWS_WITH(fc(Variable(Tensor::zeros({4, 8}))), IOTGRAD_HAS("[4, 8]"));
    CHECK_THROWS_AS(nn::Linear(0, 3, gen), std::invalid_argument);
}

TEST_CASE("Linear's gradients match finite differences", "[layers][linear][gradcheck]") {
    Generator gen(5);
    nn::Linear fc(4, 3, gen);
    const auto r = check_module(fc, Tensor::randn({2, 4}, gen));
    INFO(r.message);
    CHECK(r.ok);
    nn::Linear batched(nn::LinearOptions(3, 2).bias(false), gen);
    const auto r2 = check_module(batched, Tensor::randn({2, 2, 3}, gen));
    INFO(r2.message);
    CHECK(r2.ok);
}

TEST_CASE("Linear's analytic gradients: dW = g^T x, db = sum of g", "[layers][linear]") {
    Generator gen(0);
    nn::Linear fc(2, 1, gen);
    Variable x(Tensor::from({2, 2}, {1, 2, 3, 4}), true);
    sum(fc(x)).backward();
    check_values(fc.weight.grad(), {1, 2}, {4, 6});
    check_values(fc.bias.grad(), {1}, {2});
    const std::vector<float> w = fc.weight.value().to_vector();
    check_values(x.grad(), {2, 2}, {w[0], w[1], w[0], w[1]});
}

TEST_CASE("Flatten merges the dimensions from start_dim on", "[layers][linear]") {
    nn::Flatten flat;
    Variable x(Tensor::arange(24).reshape({2, 3, 4}), true);
    const Variable y = flat(x);
    CHECK(y.shape() == Shape{2, 12});
    CHECK(y.value().to_vector() == x.value().to_vector());
    CHECK(nn::Flatten(0)(x).shape() == Shape{24});
    CHECK(flat.extra_repr() == "start_dim=1");
    Generator gen(1);
    const auto r = check_module(flat, Tensor::randn({2, 3, 2}, gen));
    INFO(r.message);
    CHECK(r.ok);
}

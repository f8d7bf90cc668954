// Conv1d and Conv2d layers: known kernels worked by hand, PyTorch's layout,
// names and init, shape errors, and gradient checks through weight, bias, input.
#include <cmath>

#include "autograd/ops.hpp"
#include "layer_check.hpp"
#include "layers/conv.hpp"

using namespace iotgrad;
using iotgrad::testing::check_module;
using iotgrad::testing::check_values;

TEST_CASE("Conv1d with a difference kernel gives x[t] - x[t+2] + b", "[layers][conv]") {
    Generator gen(0);
    nn::Conv1d conv(1, 1, 3, gen);
    conv.weight.value().copy_(Tensor::from({1, 1, 3}, {1, 0, -1}));
    conv.bias.value().fill_(0.5f);
    const Variable x(Tensor::from({1, 1, 5}, {1, 2, 4, 7, 11}));
    check_values(conv(x).value(), {1, 1, 3}, {-2.5f, -4.5f, -6.5f});

    // stride 2, padding 1: padded [0, 1, 2, 4, 7, 11, 0], windows start at 0, 2, 4.
    nn::Conv1d strided(nn::Conv1dOptions(1, 1, 3).stride(2).padding(1), gen);
    strided.weight.value().copy_(Tensor::from({1, 1, 3}, {1, 0, -1}));
    strided.bias.value().fill_(0.5f);
    check_values(strided(x).value(), {1, 1, 3}, {-1.5f, -4.5f, 7.5f});

    // dilation 2: taps x[t], x[t+2], x[t+4] with weights 1, 0, -1.
    nn::Conv1d dilated(nn::Conv1dOptions(1, 1, 3).dilation(2).bias(false), gen);
    dilated.weight.value().copy_(Tensor::from({1, 1, 3}, {1, 0, -1}));
    check_values(dilated(x).value(), {1, 1, 1}, {1 - 11});
}

TEST_CASE("Conv1d sums over input channels, one kernel per output channel", "[layers][conv]") {
    Generator gen(0);
    nn::Conv1d conv(nn::Conv1dOptions(2, 2, 2).bias(false), gen);
    // Output 0 adds the channels' sums of pairs; output 1 takes channel 1's second tap only.
    conv.weight.value().copy_(Tensor::from({2, 2, 2}, {1, 1, 1, 1, 0, 0, 0, 1}));
    const Variable x(Tensor::from({1, 2, 3}, {1, 2, 3, 10, 20, 30}));
    check_values(conv(x).value(), {1, 2, 2}, {33, 55, 20, 30});
}

TEST_CASE("Conv2d with an all-ones 2x2 kernel sums each 2x2 block", "[layers][conv]") {
    Generator gen(0);
    nn::Conv2d conv(1, 1, 2, gen);
    conv.weight.value().fill_(1.0f);
    conv.bias.value().fill_(-1.0f);
    const Variable x(Tensor::arange(9).reshape({1, 1, 3, 3}));
    check_values(conv(x).value(), {1, 1, 2, 2}, {7, 11, 19, 23});
    // padding 1, stride 2 on the 3x3 grid: windows at (-1,-1), (-1,1), (1,-1), (1,1).
    nn::Conv2d padded(nn::Conv2dOptions(1, 1, 2).stride(2).padding(1).bias(false), gen);
    padded.weight.value().fill_(1.0f);
    check_values(padded(x).value(), {1, 1, 2, 2}, {0, 1 + 2, 3 + 6, 4 + 5 + 7 + 8});
}

TEST_CASE("conv layers have PyTorch's layout, names, default init and printing", "[layers][conv]") {
    Generator gen(3);
    nn::Conv1d c1(9, 32, 5, gen);
    CHECK(c1.weight.shape() == Shape{32, 9, 5});
    CHECK(c1.bias.shape() == Shape{32});
    CHECK(c1.named_parameters()[0].first == "weight");
    CHECK(c1.named_parameters()[1].first == "bias");
    CHECK(c1.type_name() + "(" + c1.extra_repr() + ")" == "Conv1d(9, 32, kernel=5, stride=1)");
    const float bound = 1.0f / std::sqrt(9.0f * 5.0f);  // 1/sqrt(fan_in), fan_in = C_in * K
    float wmax = 0;
    for (float v : c1.weight.value().to_vector()) wmax = std::max(wmax, std::fabs(v));
    CHECK(wmax <= bound);
    CHECK(wmax > 0.95f * bound);
    for (float v : c1.bias.value().to_vector()) CHECK(std::fabs(v) <= bound);

    nn::Conv2d c2(nn::Conv2dOptions(3, 8, 3).stride(2).padding(1).bias(false), gen);
    CHECK(c2.weight.shape() == Shape{8, 3, 3, 3});
    CHECK(c2.parameters().size() == 1);
    CHECK(c2.extra_repr() == "3, 8, kernel=3, stride=2, padding=1, bias=false");
    float w2 = 0;
    for (float v : c2.weight.value().to_vector()) w2 = std::max(w2, std::fabs(v));
    CHECK(w2 <= 1.0f / std::sqrt(27.0f));
}

TEST_CASE("conv layers reject inputs of the wrong rank or channel count", "[layers][conv]") {
    Generator gen(0);
    nn::Conv1d c1(3, 4, 3, gen);
    CHECK_THROWS_AS(c1(Variable(Tensor::zeros({2, 5, 10}))), ShapeError);
    CHECK_THROWS_WITH(c1(Variable(Tensor::zeros({2, 10}))), IOTGRAD_HAS("Conv1d"));
    nn::Conv2d c2(3, 4, 3, gen);
    CHECK_THROWS_AS(c2(Variable(Tensor::zeros({2, 3, 10}))), ShapeError);
    CHECK_THROWS_AS(nn::Conv1d(nn::Conv1dOptions(3, 4, 3).stride(0), gen), std::invalid_argument);
    CHECK(c1(Variable(Tensor::zeros({2, 3, 10}))).shape() == Shape{2, 4, 8});
    CHECK(c2(Variable(Tensor::zeros({2, 3, 5, 6}))).shape() == Shape{2, 4, 3, 4});
}

TEST_CASE("conv layers' gradients match finite differences", "[layers][conv][gradcheck]") {
    Generator gen(11);
    SECTION("Conv1d, stride 2, padding 1") {
        nn::Conv1d conv(nn::Conv1dOptions(2, 3, 3).stride(2).padding(1), gen);
        const auto r = check_module(conv, Tensor::randn({2, 2, 7}, gen));
        INFO(r.message);
        CHECK(r.ok);
    }
    SECTION("Conv1d, dilation 2, no bias") {
        nn::Conv1d conv(nn::Conv1dOptions(2, 2, 2).dilation(2).bias(false), gen);
        const auto r = check_module(conv, Tensor::randn({1, 2, 6}, gen));
        INFO(r.message);
        CHECK(r.ok);
    }
    SECTION("Conv2d, padding 1") {
        nn::Conv2d conv(nn::Conv2dOptions(2, 2, 3).padding(1), gen);
        const auto r = check_module(conv, Tensor::randn({1, 2, 4, 4}, gen));
        INFO(r.message);
        CHECK(r.ok);
    }
}

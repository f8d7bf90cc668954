// Pooling: the ops' values and gradients worked by hand (max routes the
// gradient to the argmax; padding is -inf for max and 0 for average), the
// modules, and global average pooling.
#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"
#include "layer_check.hpp"
#include "layers/pool.hpp"

using namespace iotgrad;
using iotgrad::testing::check_module;
using iotgrad::testing::check_values;

TEST_CASE("max_pool1d picks each window's maximum and routes the gradient to it", "[layers][pool]") {
    Variable x(Tensor::from({1, 1, 6}, {1, 3, 2, 5, 4, 0}), true);
    Variable y = max_pool1d(x, 2);
    check_values(y.value(), {1, 1, 3}, {3, 5, 4});
    y.backward(Tensor::from({1, 1, 3}, {10, 20, 30}));
    check_values(x.grad(), {1, 1, 6}, {0, 10, 0, 20, 30, 0});

    // Overlapping windows (k = 3, s = 1) that share a maximum add their gradients.
    Variable z(Tensor::from({1, 1, 4}, {1, 5, 2, 0}), true);
    const Variable m = max_pool1d(z, 3, 1);
    check_values(m.value(), {1, 1, 2}, {5, 5});
    sum(m).backward();
    check_values(z.grad(), {1, 1, 4}, {0, 2, 0, 0});
}

TEST_CASE("pooling pads with -inf for max and zeros for average", "[layers][pool]") {
    // k = 3, s = 2, p = 1 on length 4: windows [pad, 0, 1] and [1, 2, 3].
    const Variable neg(Tensor::from({1, 1, 4}, {-1, -2, -3, -4}));
    check_values(max_pool1d(neg, 3, 2, 1).value(), {1, 1, 2}, {-1, -2});
    const Variable pos(Tensor::from({1, 1, 4}, {1, 2, 3, 4}));
    check_values(avg_pool1d(pos, 3, 2, 1).value(), {1, 1, 2}, {1, 3});  // (0+1+2)/3, (2+3+4)/3
}

TEST_CASE("2-d pooling over square windows", "[layers][pool]") {
    Variable x(Tensor::arange(16).reshape({1, 1, 4, 4}), true);
    const Variable mx = max_pool2d(x, 2);
    check_values(mx.value(), {1, 1, 2, 2}, {5, 7, 13, 15});
    sum(mx).backward();
    const std::vector<float> g = x.grad().to_vector();
    CHECK(g[5] == 1);
    CHECK(g[15] == 1);
    CHECK(g[0] == 0);
    check_values(avg_pool2d(x, 2).value(), {1, 1, 2, 2}, {2.5f, 4.5f, 10.5f, 12.5f});
    x.zero_grad();
    sum(avg_pool2d(x, 2)).backward();
    check_values(x.grad(), {1, 1, 4, 4}, std::vector<float>(16, 0.25f));
    // Stride 1 on [3, 3]: four overlapping 2x2 windows.
    check_values(max_pool2d(Variable(Tensor::arange(9).reshape({1, 1, 3, 3})), 2, 1).value(), {1, 1, 2, 2},
                 {4, 5, 7, 8});
}

TEST_CASE("pooling checks its arguments", "[layers][pool]") {
    const Variable x(Tensor::zeros({2, 3, 8}));
    CHECK_THROWS_AS(max_pool1d(Variable(Tensor::zeros({3, 8})), 2), ShapeError);
    CHECK_THROWS_WITH(max_pool2d(x, 2), IOTGRAD_HAS("max_pool2d"));
    CHECK_THROWS_AS(max_pool1d(x, 0), std::invalid_argument);
    CHECK_THROWS_AS(avg_pool1d(x, 2, 1, 2), std::invalid_argument);  // padding > kernel/2
    CHECK_THROWS_AS(max_pool1d(x, 9), ShapeError);                    // window larger than the input
    CHECK_THROWS_AS(nn::MaxPool1d(2, 1, 3), std::invalid_argument);
    CHECK(max_pool1d(x, 3).shape() == Shape{2, 3, 2});  // floor((8 - 3) / 3) + 1
}

TEST_CASE("pool modules wrap the ops and print their arguments", "[layers][pool]") {
    nn::MaxPool1d mp(2);
    CHECK(mp.stride == 2);
    CHECK(mp.type_name() + "(" + mp.extra_repr() + ")" == "MaxPool1d(kernel=2, stride=2)");
    nn::AvgPool2d ap(3, 2, 1);
    CHECK(ap.extra_repr() == "kernel=3, stride=2, padding=1");
    CHECK(mp.parameters().empty());
    const Variable x(Tensor::arange(12).reshape({1, 2, 6}));
    check_values(mp(x).value(), {1, 2, 3}, {1, 3, 5, 7, 9, 11});
    check_values(nn::AvgPool1d(3)(x).value(), {1, 2, 2}, {1, 4, 7, 10});
    CHECK(nn::MaxPool2d(2)(Variable(Tensor::zeros({1, 1, 4, 6}))).shape() == Shape{1, 1, 2, 3});

    // Gradient checks through the modules (the ops' own cases are in tests/autograd/cases_pool.cpp).
    // Distinct values 0.1 apart keep every window's maximum unique under a 1e-3 perturbation.
    Tensor spaced = tensor::mul(Tensor::arange(32), 0.1f).reshape({2, 1, 4, 4});
    spaced = spaced.permute({0, 1, 3, 2}).contiguous();
    nn::MaxPool2d mp2(3, 1, 1);
    const auto r1 = check_module(mp2, spaced);
    INFO(r1.message);
    CHECK(r1.ok);
    nn::AvgPool1d ap1(3, 2, 1);
    Generator gen(4);
    const auto r2 = check_module(ap1, Tensor::randn({2, 2, 7}, gen));
    INFO(r2.message);
    CHECK(r2.ok);
}

TEST_CASE("global average pooling averages the spatial axes away", "[layers][pool]") {
    nn::GlobalAvgPool1d g1;
    check_values(g1(Variable(Tensor::arange(12).reshape({2, 2, 3}))).value(), {2, 2}, {1, 4, 7, 10});
    nn::GlobalAvgPool2d g2;
    check_values(g2(Variable(Tensor::arange(8).reshape({1, 2, 2, 2}))).value(), {1, 2}, {1.5f, 5.5f});
    CHECK_THROWS_AS(g1(Variable(Tensor::zeros({2, 3}))), ShapeError);
    CHECK_THROWS_AS(g2(Variable(Tensor::zeros({2, 3, 4}))), ShapeError);
    Generator gen(2);
    const auto r1 = check_module(g1, Tensor::randn({2, 3, 4}, gen));
    INFO(r1.message);
    CHECK(r1.ok);
    const auto r2 = check_module(g2, Tensor::randn({1, 2, 3, 3}, gen));
    INFO(r2.message);
    CHECK(r2.ok);
}

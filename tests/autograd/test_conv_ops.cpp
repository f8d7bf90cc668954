// The differentiable convolutions (equation 4): output shapes, error messages,
// the optional bias, and agreement with the nested-loop reference.
#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "tensor/conv_reference.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;

namespace {
Variable zeros(const Shape& s, bool grad = false) { return Variable(Tensor::zeros(s), grad); }
}  // namespace

TEST_CASE("conv1d and conv2d output shapes follow floor((L + 2p - d(K-1) - 1)/s) + 1", "[autograd][conv][eq4]") {
    CHECK(conv1d(zeros({2, 3, 10}), zeros({4, 3, 3}), Variable()).shape() == Shape{2, 4, 8});
    CHECK(conv1d(zeros({2, 3, 10}), zeros({4, 3, 3}), Variable(), 2, 1).shape() == Shape{2, 4, 5});
    CHECK(conv1d(zeros({2, 3, 10}), zeros({4, 3, 3}), Variable(), 1, 0, 2).shape() == Shape{2, 4, 6});
    CHECK(conv1d(zeros({1, 1, 7}), zeros({2, 1, 7}), zeros({2})).shape() == Shape{1, 2, 1});
    CHECK(conv1d(zeros({1, 2, 9}), zeros({1, 2, 3}), Variable(), 3, 0, 1).shape() == Shape{1, 1, 3});
    CHECK(conv2d(zeros({1, 3, 32, 32}), zeros({8, 3, 3, 3}), zeros({8}), 1, 1).shape() == Shape{1, 8, 32, 32});
    CHECK(conv2d(zeros({1, 3, 32, 32}), zeros({8, 3, 3, 3}), Variable(), 2, 1).shape() == Shape{1, 8, 16, 16});
    CHECK(conv2d(zeros({2, 1, 5, 7}), zeros({2, 1, 2, 3}), Variable()).shape() == Shape{2, 2, 4, 5});
    CHECK(conv2d(zeros({1, 1, 7, 7}), zeros({1, 1, 3, 3}), Variable(), 1, 0, 2).shape() == Shape{1, 1, 3, 3});
    CHECK(conv2d(zeros({0, 2, 4, 4}), zeros({3, 2, 3, 3}), Variable()).shape() == Shape{0, 3, 2, 2});
}

TEST_CASE("convolution shape errors name the op and the shapes", "[autograd][conv][eq4]") {
    CHECK_THROWS_AS(conv1d(zeros({2, 3, 10}), zeros({4, 5, 3}), Variable()), ShapeError);
    CHECK_THROWS_WITH(conv1d(zeros({2, 3, 10}), zeros({4, 5, 3}), Variable()),
                      IOTGRAD_HAS("conv1d: input [2, 3, 10] has 3 channels but weight [4, 5, 3] expects 5"));
    CHECK_THROWS_WITH(conv2d(zeros({3, 8, 8}), zeros({4, 3, 3, 3}), Variable()),
                      IOTGRAD_HAS("conv2d: input must be [N, C_in, H, W], got [3, 8, 8]"));
    CHECK_THROWS_WITH(conv1d(zeros({1, 3, 8}), zeros({4, 3}), Variable()),
                      IOTGRAD_HAS("conv1d: weight must be [C_out, C_in, K], got [4, 3]"));
    CHECK_THROWS_WITH(conv1d(zeros({1, 3, 8}), zeros({4, 3, 3}), zeros({3})),
                      IOTGRAD_HAS("conv1d: bias [3] must be [C_out] = [4]"));
    CHECK_THROWS_WITH(conv1d(zeros({1, 1, 3}), zeros({1, 1, 5}), Variable()),
                      IOTGRAD_HAS("conv1d: kernel [5] with dilation 1 spans [5] but input [1, 1, 3] with padding 0"));
    CHECK_THROWS_AS(conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 3, 3}), Variable(), 1, 0, 2), ShapeError);
    CHECK_THROWS_WITH(conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 3, 3}), Variable(), 1, 0, 2),
                      IOTGRAD_HAS("spans [5, 5]"));
    // Padding makes a kernel that is too long fit.
    CHECK(conv1d(zeros({1, 1, 3}), zeros({1, 1, 5}), Variable(), 1, 1).shape() == Shape{1, 1, 1});
    CHECK_THROWS_WITH(conv1d(zeros({1, 1, 8}), zeros({1, 1, 3}), Variable(), 0),
                      IOTGRAD_HAS("conv1d: stride must be >= 1, got 0"));
    CHECK_THROWS_WITH(conv2d(zeros({1, 1, 8, 8}), zeros({1, 1, 3, 3}), Variable(), 1, -1),
                      IOTGRAD_HAS("conv2d: padding must be >= 0, got -1"));
    CHECK_THROWS_WITH(conv1d(zeros({1, 1, 8}), zeros({1, 1, 3}), Variable(), 1, 0, 0),
                      IOTGRAD_HAS("conv1d: dilation must be >= 1, got 0"));
}

TEST_CASE("conv ops compute the reference convolution and route gradients", "[autograd][conv][eq4]") {
    Generator gen(21);
    Variable x(Tensor::randn({2, 3, 6, 5}, gen), true), w(Tensor::randn({4, 3, 3, 3}, gen), true);
    Variable b(Tensor::randn({4}, gen), true);
    const Variable y = conv2d(x, w, b, 2, 1);
    CHECK(tensor::allclose(y.value(), tensor::conv2d_reference(x.value(), w.value(), b.value(), 2, 1), 1e-5f, 1e-5f));
    REQUIRE(y.grad_fn());
    CHECK(y.grad_fn()->op == Op::Conv2d);
    CHECK(y.grad_fn()->inputs.size() == 3);

    // With upstream ones, dL/db_o counts the output positions of channel o over the batch.
    Variable(y).backward(Tensor::ones(y.shape()));
    CHECK(b.grad().to_vector() == std::vector<float>(4, 2.0f * 3 * 3));
    CHECK(x.grad().shape() == x.shape());
    CHECK(w.grad().shape() == w.shape());

    // Without a bias the node has just x and w; a frozen weight gets no gradient.
    Variable x1(Tensor::randn({1, 2, 7}, gen), true), w1(Tensor::randn({3, 2, 2}, gen), false);
    const Variable y1 = conv1d(x1, w1, Variable(), 1, 1, 2);
    REQUIRE(y1.grad_fn());
    CHECK(y1.grad_fn()->op == Op::Conv1d);
    CHECK(y1.grad_fn()->inputs.size() == 2);
    Variable(y1).backward(Tensor::ones(y1.shape()));
    CHECK(x1.grad().defined());
    CHECK_FALSE(w1.grad().defined());
    CHECK(tensor::allclose(y1.value(), tensor::conv1d_reference(x1.value(), w1.value(), Tensor(), 1, 1, 2), 1e-5f,
                           1e-5f));

    // Under NoGradGuard nothing is recorded.
    NoGradGuard no_grad;
    CHECK_FALSE(conv1d(x1, w1, Variable()).grad_fn());
}

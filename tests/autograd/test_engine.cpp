// The backward engine itself: ordering, accumulation, graph release, no-grad,
// and a graph deep enough that recursion would overflow the stack.
#include "catch_compat.hpp"

#include "autograd/ops.hpp"

using namespace iotgrad;

TEST_CASE("backward of a scalar expression gives the hand-derived gradient", "[autograd][engine]") {
    // L = x*y + x, dL/dx = y + 1, dL/dy = x
    Variable x(Tensor::scalar(3.0f), true), y(Tensor::scalar(-2.0f), true);
    Variable L = x * y + x;
    L.backward();
    CHECK(x.grad().item() == Approx(-1.0f));
    CHECK(y.grad().item() == Approx(3.0f));
}

TEST_CASE("a reused variable accumulates the gradient of every use", "[autograd][engine]") {
    Variable x(Tensor::scalar(1.5f), true);
    Variable L = x * x * x;  // dL/dx = 3x^2
    L.backward();
    CHECK(x.grad().item() == Approx(3 * 1.5f * 1.5f));
    // A second backward on a new graph adds to the existing gradient.
    Variable L2 = x * 2.0f;
    L2.backward();
    CHECK(x.grad().item() == Approx(3 * 1.5f * 1.5f + 2.0f));
}

TEST_CASE("a 10,000-step chain backpropagates and frees without recursion", "[autograd][engine]") {
    Variable x(Tensor::scalar(1.0f), true);
    Variable h = x;
    for (int t = 0; t < 10000; ++t) h = h * 1.0001f;
    h.backward();
    CHECK(x.grad().item() == Approx(std::pow(1.0001, 10000)).epsilon(1e-3));
    // And a graph dropped without backward must also free iteratively.
    Variable k = x;
    for (int t = 0; t < 100000; ++t) k = k + 1.0f;
    k = Variable();
    SUCCEED();
}

TEST_CASE("backward frees the graph unless asked to retain it", "[autograd][engine]") {
    Variable x(Tensor::scalar(2.0f), true);
    Variable L = x * x;
    L.backward(/*retain_graph=*/true);
    L.backward();
    CHECK(x.grad().item() == Approx(8.0f));
    CHECK_THROWS_WITH(L.backward(), IOTGRAD_HAS("already freed"));
}

TEST_CASE("non-scalar backward takes an explicit upstream gradient", "[autograd][engine]") {
    Variable x(Tensor::from({3}, {1, 2, 3}), true);
    Variable y = x * x;
    CHECK_THROWS_AS(y.backward(), ShapeError);
    y.backward(Tensor::from({3}, {1, 0, -1}));
    CHECK(x.grad().to_vector() == std::vector<float>{2, 0, -6});
    CHECK_THROWS_AS(Variable(x * x).backward(Tensor::ones({2})), ShapeError);
}

TEST_CASE("NoGradGuard and detach stop recording", "[autograd][engine]") {
    Variable x(Tensor::scalar(2.0f), true);
    {
        NoGradGuard guard;
        Variable y = x * x;
        CHECK_FALSE(y.requires_grad());
        CHECK(y.is_leaf());
    }
    CHECK(grad_enabled());
    Variable z = x.detach() * x;  // only the second factor carries history
    z.backward();
    CHECK(x.grad().item() == Approx(2.0f));
}

TEST_CASE("retain_grad keeps an intermediate gradient", "[autograd][engine]") {
    Variable x(Tensor::scalar(3.0f), true);
    Variable h = x * 2.0f;
    h.retain_grad();
    Variable L = h * h;  // dL/dh = 2h = 12
    L.backward();
    CHECK(h.grad().item() == Approx(12.0f));
    CHECK(x.grad().item() == Approx(24.0f));
}

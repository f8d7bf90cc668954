// Gradient clipping by total norm and by value.
#include <cmath>
#include <limits>

#include "catch_compat.hpp"

#include "optim/clip.hpp"

using namespace iotgrad;
using namespace iotgrad::optim;

namespace {
Variable with_grad(std::vector<float> g) {
    Variable p(Tensor::zeros({static_cast<int64_t>(g.size())}), true);
    p.grad() = Tensor::from(p.shape(), g);
    return p;
}
double l2(const std::vector<Variable>& ps) {
    double s = 0;
    for (const auto& p : ps)
        for (float x : p.grad().to_vector()) s += double(x) * x;
    return std::sqrt(s);
}
}  // namespace

TEST_CASE("clip_grad_norm scales all gradients to the given total norm", "[optim][clip]") {
    Variable a = with_grad({3, 4}), b = with_grad({12}), none(Tensor::ones({2}), true);
    const std::vector<Variable> ps = {a, b, none};
    // total = sqrt(9 + 16 + 144) = 13; scale = 6.5 / (13 + 1e-6)
    CHECK(clip_grad_norm(ps, 6.5) == Approx(13.0));
    CHECK(a.grad().at({0}) == Approx(1.5f));
    CHECK(a.grad().at({1}) == Approx(2.0f));
    CHECK(b.grad().at({0}) == Approx(6.0f));
    CHECK(l2({a, b}) == Approx(6.5).epsilon(1e-6));
    CHECK_FALSE(none.grad().defined());
    CHECK(none.value().to_vector() == std::vector<float>{1, 1});
}

TEST_CASE("clip_grad_norm leaves gradients within the limit as they are", "[optim][clip]") {
    Variable a = with_grad({3, 4});
    CHECK(clip_grad_norm({a}, 5.0) == Approx(5.0));  // scale = 5 / (5 + 1e-6) < 1: scaled by 1 - 2e-7
    CHECK(a.grad().at({1}) == Approx(4.0f));
    Variable b = with_grad({3, 4});
    CHECK(clip_grad_norm({b}, 10.0) == Approx(5.0));
    CHECK(b.grad().to_vector() == std::vector<float>{3, 4});
}

TEST_CASE("clip_grad_norm with the 1-norm and the max norm", "[optim][clip]") {
    Variable a = with_grad({3, -4}), b = with_grad({-12});
    CHECK(clip_grad_norm({a, b}, 1e9, 1.0) == Approx(19.0));  // |3| + |-4| + |-12|
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(clip_grad_norm({a, b}, 6.0, inf) == Approx(12.0));  // max |g| = 12, scale ~ 0.5
    CHECK(a.grad().at({0}) == Approx(1.5f));
    CHECK(b.grad().at({0}) == Approx(-6.0f));
}

TEST_CASE("clip_grad_value clamps every element into [-clip, clip]", "[optim][clip]") {
    Variable a = with_grad({3, -4, 0.5f}), b = with_grad({12});
    clip_grad_value({a, b}, 3.5);
    CHECK(a.grad().to_vector() == std::vector<float>{3, -3.5f, 0.5f});
    CHECK(b.grad().to_vector() == std::vector<float>{3.5f});
}

TEST_CASE("clipping rejects bad arguments with a message", "[optim][clip]") {
    Variable a = with_grad({1});
    CHECK_THROWS_WITH(clip_grad_norm({a}, -1.0), IOTGRAD_HAS("clip_grad_norm: max_norm must be"));
    CHECK_THROWS_WITH(clip_grad_norm({a}, 1.0, 0.0), IOTGRAD_HAS("norm_type"));
    CHECK_THROWS_WITH(clip_grad_value({a}, -1.0), IOTGRAD_HAS("clip_grad_value: clip must be"));
}

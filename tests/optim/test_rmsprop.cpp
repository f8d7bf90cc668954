// RMSprop (Hinton's lecture 6e, PyTorch's variant) against a double reference.
#include <cmath>

#include "catch_compat.hpp"

#include "optim/rmsprop.hpp"

using namespace iotgrad;
using iotgrad::optim::RMSprop;

namespace {
/// PyTorch's RMSprop on one coordinate, in double, step by step.
struct RefRMSprop {
    double lr, alpha, eps, l2, mu;
    bool centered;
    double s = 0.0, gbar = 0.0, b = 0.0;
    double step(double w, double g) {
        g += l2 * w;
        s = alpha * s + (1 - alpha) * g * g;                           // running mean of g^2
        double r;
        if (centered) {
            gbar = alpha * gbar + (1 - alpha) * g;                     // running mean of g
            r = std::sqrt(s - gbar * gbar) + eps;
        } else {
            r = std::sqrt(s) + eps;
        }
        if (mu > 0) {
            b = mu * b + g / r;
            return w - lr * b;
        }
        return w - lr * g / r;
    }
};

void check_against_reference(double lr, double alpha, double eps, double l2, double mu, bool centered) {
    Variable w(Tensor::from({2}, {1.0f, -0.5f}), true);
    RMSprop opt({w}, lr, alpha, eps, l2, mu, centered);
    RefRMSprop ref[2] = {{lr, alpha, eps, l2, mu, centered}, {lr, alpha, eps, l2, mu, centered}};
    double expect[2] = {1.0, -0.5};
    const std::vector<std::vector<float>> grads = {{0.5f, -2.0f}, {0.1f, 1.0f}, {-0.3f, 0.7f}};
    for (const auto& g : grads) {
        w.grad() = Tensor::from({2}, g);
        opt.step();
        for (int i = 0; i < 2; ++i) {
            expect[i] = ref[i].step(expect[i], g[i]);
            CHECK(w.value().at({i}) == Approx(expect[i]).margin(2e-6));
        }
    }
}
}  // namespace

TEST_CASE("RMSprop first step: s = (1 - alpha) g^2, w -= lr g / (sqrt(s) + eps)", "[optim][rmsprop]") {
    Variable w(Tensor::from({1}, {1.0f}), true);
    RMSprop opt({w}, 0.01);
    w.grad() = Tensor::from({1}, {2.0f});
    opt.step();
    // s = 0.01 * 4 = 0.04, sqrt(s) = 0.2, step = 0.01 * 2 / 0.2 = 0.1
    CHECK(w.value().item() == Approx(0.9f));
}

TEST_CASE("RMSprop matches the reference: plain, centered, momentum, weight decay", "[optim][rmsprop]") {
    SECTION("plain") { check_against_reference(0.01, 0.99, 1e-8, 0.0, 0.0, false); }
    SECTION("centered") { check_against_reference(0.01, 0.9, 1e-8, 0.0, 0.0, true); }
    SECTION("momentum") { check_against_reference(0.01, 0.9, 1e-6, 0.0, 0.8, false); }
    SECTION("everything") { check_against_reference(0.02, 0.9, 1e-6, 0.1, 0.5, true); }
}

TEST_CASE("RMSprop exports only the buffers it uses", "[optim][rmsprop]") {
    Variable w(Tensor::from({1}, {1.0f}), true);
    RMSprop opt({w}, 0.01, 0.99, 1e-8, 0.0, 0.9, false);
    w.grad() = Tensor::from({1}, {1.0f});
    opt.step();
    const auto s = opt.state();
    CHECK(s.find_tensor("square_avg.0") != nullptr);
    CHECK(s.find_tensor("momentum_buffer.0") != nullptr);
    CHECK(s.find_tensor("grad_avg.0") == nullptr);
}

TEST_CASE("RMSprop rejects bad hyper-parameters with a message", "[optim][rmsprop]") {
    Variable w(Tensor::from({1}, {1.0f}), true);
    CHECK_THROWS_WITH(RMSprop({w}, 0.01, 1.5), IOTGRAD_HAS("RMSprop: alpha must be in [0, 1]"));
    CHECK_THROWS_WITH(RMSprop({w}, 0.01, 0.99, -1.0), IOTGRAD_HAS("eps"));
    CHECK_THROWS_WITH(RMSprop({w}, 0.01, 0.99, 1e-8, 0.0, -0.9), IOTGRAD_HAS("momentum"));
}

// SGD: the paper's equation (1) and PyTorch's momentum / Nesterov / weight decay,
// against values worked out by hand.
#include "catch_compat.hpp"

#include "autograd/ops.hpp"
#include "optim/sgd.hpp"

using namespace iotgrad;
using iotgrad::optim::SGD;

namespace {
Variable param(std::vector<float> v) { return Variable(Tensor::from({static_cast<int64_t>(v.size())}, v), true); }
void set_grad(Variable& p, std::vector<float> g) { p.grad() = Tensor::from(p.shape(), g); }

/// Runs three steps on w0 = 1 with gradients 1, 2, 3 (independent of w) and returns the values after each.
std::vector<float> three_steps(SGD& opt, Variable& w) {
    std::vector<float> out;
    for (float g : {1.0f, 2.0f, 3.0f}) {
        set_grad(w, {g});
        opt.step();
        out.push_back(w.value().item());
    }
    return out;
}
}  // namespace

TEST_CASE("plain SGD is equation (1): w <- w - alpha grad", "[optim][eq1][sgd]") {
    Variable w = param({1.0f, -2.0f});
    SGD opt({w}, 0.1);
    set_grad(w, {0.5f, -1.0f});
    opt.step();  // [1 - 0.1*0.5, -2 - 0.1*(-1)] = [0.95, -1.9]
    CHECK(w.value().at({0}) == Approx(0.95f));
    CHECK(w.value().at({1}) == Approx(-1.9f));
    set_grad(w, {2.0f, 4.0f});
    opt.step();  // [0.95 - 0.2, -1.9 - 0.4] = [0.75, -2.3]
    CHECK(w.value().at({0}) == Approx(0.75f));
    CHECK(w.value().at({1}) == Approx(-2.3f));
    CHECK(opt.step_count(0) == 2);
}

TEST_CASE("plain SGD on f(w) = (w - 3)^2 converges to 3", "[optim][eq1][sgd]") {
    Variable w(Tensor::scalar(0.0f), true);
    SGD opt({w}, 0.1);
    for (int t = 0; t < 100; ++t) {
        opt.zero_grad();
        Variable d = w - 3.0f;
        Variable L = d * d;
        L.backward();  // dL/dw = 2 (w - 3), so the error shrinks by 1 - 2*0.1 = 0.8 per step
        opt.step();
    }
    CHECK(w.value().item() == Approx(3.0f).margin(1e-5));  // 3 * 0.8^100 ~ 6e-10
}

TEST_CASE("SGD momentum: b1 = g1, b = mu b + g, w -= lr b", "[optim][sgd]") {
    Variable w = param({1.0f});
    SGD opt({w}, 0.1, 0.9);
    // b: 1, 0.9*1 + 2 = 2.9, 0.9*2.9 + 3 = 5.61
    // w: 1 - 0.1 = 0.9, 0.9 - 0.29 = 0.61, 0.61 - 0.561 = 0.049
    const auto w_t = three_steps(opt, w);
    CHECK(w_t[0] == Approx(0.9f));
    CHECK(w_t[1] == Approx(0.61f));
    CHECK(w_t[2] == Approx(0.049f).margin(1e-6));
}

TEST_CASE("SGD Nesterov: d = g + mu b", "[optim][sgd]") {
    Variable w = param({1.0f});
    SGD opt({w}, 0.1, 0.9, 0.0, 0.0, true);
    // b as above (1, 2.9, 5.61); d: 1 + 0.9 = 1.9, 2 + 2.61 = 4.61, 3 + 5.049 = 8.049
    // w: 1 - 0.19 = 0.81, 0.81 - 0.461 = 0.349, 0.349 - 0.8049 = -0.4559
    const auto w_t = three_steps(opt, w);
    CHECK(w_t[0] == Approx(0.81f));
    CHECK(w_t[1] == Approx(0.349f));
    CHECK(w_t[2] == Approx(-0.4559f));
}

TEST_CASE("SGD dampening applies from the second step on", "[optim][sgd]") {
    Variable w = param({1.0f});
    SGD opt({w}, 0.1, 0.9, 0.5);
    // b: 1 (first step undamped), 0.9 + 0.5*2 = 1.9, 1.71 + 0.5*3 = 3.21
    // w: 0.9, 0.9 - 0.19 = 0.71, 0.71 - 0.321 = 0.389
    const auto w_t = three_steps(opt, w);
    CHECK(w_t[0] == Approx(0.9f));
    CHECK(w_t[1] == Approx(0.71f));
    CHECK(w_t[2] == Approx(0.389f));
}

TEST_CASE("SGD weight decay adds lambda w to the gradient", "[optim][sgd]") {
    Variable w = param({1.0f});
    SGD opt({w}, 0.1, 0.0, 0.0, 0.1);
    // d = 1 + 0.1*1 = 1.1, w = 0.89; d = 2 + 0.1*0.89 = 2.089, w = 0.89 - 0.2089 = 0.6811
    const auto w_t = three_steps(opt, w);
    CHECK(w_t[0] == Approx(0.89f));
    CHECK(w_t[1] == Approx(0.6811f));
    // With momentum too: the buffer holds the decayed gradient.
    Variable v = param({1.0f});
    SGD m({v}, 0.1, 0.9, 0.0, 0.1);
    set_grad(v, {1.0f});
    m.step();  // b = 1.1, v = 0.89
    set_grad(v, {2.0f});
    m.step();  // g = 2.089, b = 0.99 + 2.089 = 3.079, v = 0.89 - 0.3079 = 0.5821
    CHECK(v.value().item() == Approx(0.5821f));
}

TEST_CASE("SGD rejects bad hyper-parameters with a message", "[optim][sgd]") {
    Variable w = param({1.0f});
    CHECK_THROWS_WITH(SGD({w}, -0.1), IOTGRAD_HAS("learning rate must be finite and >= 0"));
    CHECK_THROWS_WITH(SGD({w}, 0.1, -0.5), IOTGRAD_HAS("momentum"));
    CHECK_THROWS_WITH(SGD({w}, 0.1, 0.0, 0.0, -1.0), IOTGRAD_HAS("weight_decay"));
    CHECK_THROWS_WITH(SGD({w}, 0.1, 0.0, 0.0, 0.0, true), IOTGRAD_HAS("Nesterov momentum requires"));
    CHECK_THROWS_AS(SGD({w}, 0.1, 0.9, 0.1, 0.0, true), std::invalid_argument);
    SGD ok({w}, 0.1);
    CHECK_THROWS_WITH(ok.set_lr(-1.0), IOTGRAD_HAS("SGD: learning rate"));
}

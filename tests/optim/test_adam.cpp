// Adam (Kingma & Ba 2015, Algorithm 1) and AdamW (Loshchilov & Hutter 2019),
// against a double-precision reference written from the equations.
#include <cmath>

#include "catch_compat.hpp"

#include "optim/adam.hpp"

using namespace iotgrad;
using iotgrad::optim::Adam;
using iotgrad::optim::AdamOptions;
using iotgrad::optim::AdamW;

namespace {
Variable param(std::vector<float> v) { return Variable(Tensor::from({static_cast<int64_t>(v.size())}, v), true); }
void set_grad(Variable& p, std::vector<float> g) { p.grad() = Tensor::from(p.shape(), g); }

/// Algorithm 1 on one coordinate, in double, step by step.
struct RefAdam {
    double lr, b1, b2, eps, l2 = 0.0, decoupled = 0.0;
    double m = 0.0, v = 0.0;
    int t = 0;
    double step(double w, double g) {
        ++t;
        w -= lr * decoupled * w;                                   // AdamW: w <- w - lr lambda w
        g += l2 * w;                                               // Adam's L2: g <- g + lambda w
        m = b1 * m + (1 - b1) * g;                                 // first moment
        v = b2 * v + (1 - b2) * g * g;                             // second moment
        const double m_hat = m / (1 - std::pow(b1, t));            // bias corrections
        const double v_hat = v / (1 - std::pow(b2, t));
        return w - lr * m_hat / (std::sqrt(v_hat) + eps);          // eps after the sqrt
    }
};

const std::vector<std::vector<float>> kGrads = {{0.5f, -2.0f}, {0.1f, 1.0f}, {-0.3f, 0.7f}};
}  // namespace

TEST_CASE("Adam matches Algorithm 1 over three steps", "[optim][adam]") {
    Variable w = param({1.0f, -0.5f});
    Adam opt({w}, AdamOptions(0.1).betas(0.9, 0.999).eps(1e-8));
    RefAdam ref[2] = {{0.1, 0.9, 0.999, 1e-8}, {0.1, 0.9, 0.999, 1e-8}};
    double expect[2] = {1.0, -0.5};
    for (const auto& g : kGrads) {
        set_grad(w, g);
        opt.step();
        for (int i = 0; i < 2; ++i) {
            expect[i] = ref[i].step(expect[i], g[i]);
            CHECK(w.value().at({i}) == Approx(expect[i]).margin(1e-6));
        }
    }
    CHECK(opt.step_count(0) == 3);
}

TEST_CASE("Adam adds eps after the square root of the bias-corrected v", "[optim][adam]") {
    Variable w = param({1.0f});
    Adam opt({w}, AdamOptions(0.1).eps(0.5));  // a large eps makes its placement visible
    set_grad(w, {0.5f});
    opt.step();
    // m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 0.00025, m_hat = 0.05 / 0.1 = 0.5, v_hat = 0.00025 / 0.001 = 0.25
    // w = 1 - 0.1 * 0.5 / (sqrt(0.25) + 0.5) = 1 - 0.05 = 0.95
    // (eps inside the sqrt would give 1 - 0.05 / 0.866 = 0.9423; eps before the bias correction 0.99689)
    CHECK(w.value().item() == Approx(0.95f));
}

TEST_CASE("Adam's first step moves each coordinate by lr against the sign of g", "[optim][adam]") {
    Variable w = param({1.0f, 1.0f, 1.0f, 1.0f});
    Adam opt({w});
    set_grad(w, {3.0f, -0.002f, 1000.0f, -7.0f});
    opt.step();
    // m_hat = g, v_hat = g^2, so the step is lr g / (|g| + eps) ~ lr sign(g).
    const float expect_delta[4] = {-1e-3f, 1e-3f, -1e-3f, 1e-3f};
    for (int i = 0; i < 4; ++i) CHECK(w.value().at({i}) - 1.0f == Approx(expect_delta[i]).epsilon(1e-3));
}

TEST_CASE("Adam weight decay is L2 inside the moments", "[optim][adam]") {
    Variable w = param({2.0f, -1.0f});
    Adam opt({w}, AdamOptions(0.05).betas(0.8, 0.99).eps(1e-6).weight_decay(0.1));
    RefAdam ref[2] = {{0.05, 0.8, 0.99, 1e-6, 0.1}, {0.05, 0.8, 0.99, 1e-6, 0.1}};
    double expect[2] = {2.0, -1.0};
    for (const auto& g : kGrads) {
        set_grad(w, g);
        opt.step();
        for (int i = 0; i < 2; ++i) {
            expect[i] = ref[i].step(expect[i], g[i]);
            CHECK(w.value().at({i}) == Approx(expect[i]).margin(1e-6));
        }
    }
}

TEST_CASE("AdamW = Adam on the raw gradient plus the decoupled term -lr lambda w", "[optim][adam]") {
    const double lr = 0.05, lambda = 0.1;
    Variable a = param({2.0f, -1.0f}), d = param({2.0f, -1.0f}), l2 = param({2.0f, -1.0f});
    Adam plain({a}, lr);
    AdamW decoupled({d}, AdamOptions(lr).weight_decay(lambda));
    Adam coupled({l2}, AdamOptions(lr).weight_decay(lambda));
    for (const auto& g : kGrads) {
        const std::vector<float> a0 = a.value().to_vector(), d0 = d.value().to_vector();
        for (Variable* p : {&a, &d, &l2}) set_grad(*p, g);
        plain.step();
        decoupled.step();
        coupled.step();
        for (int i = 0; i < 2; ++i) {
            // Same moments (raw g), so the Adam part of the update is the same: u = a0 - a1.
            const double u = static_cast<double>(a0[i]) - a.value().at({i});
            CHECK(d.value().at({i}) == Approx(d0[i] * (1 - lr * lambda) - u).margin(1e-6));
        }
    }
    // Coupled L2 feeds lambda w into m and v, which gives a different trajectory.
    CHECK(std::fabs(l2.value().at({0}) - d.value().at({0})) > 1e-3f);
    // Reference check for AdamW itself.
    RefAdam ref{lr, 0.9, 0.999, 1e-8, 0.0, lambda};
    double expect = 2.0;
    for (const auto& g : kGrads) expect = ref.step(expect, g[0]);
    CHECK(d.value().at({0}) == Approx(expect).margin(1e-6));
}

TEST_CASE("Adam on a large parameter (parallel loop) matches the reference everywhere", "[optim][adam]") {
    const int64_t n = 100000;
    Generator gen(7);
    Variable w(Tensor::randn({n}, gen), true);
    const std::vector<float> w0 = w.value().to_vector();
    const Tensor g1 = Tensor::randn({n}, gen), g2 = Tensor::randn({n}, gen);
    Adam opt({w}, 0.01);
    w.grad() = g1;
    opt.step();
    w.grad() = g2;
    opt.step();
    const std::vector<float> w2 = w.value().to_vector(), a = g1.to_vector(), b = g2.to_vector();
    int64_t bad = 0;
    for (int64_t i = 0; i < n; ++i) {
        RefAdam ref{0.01, 0.9, 0.999, 1e-8};
        const double e = ref.step(ref.step(w0[i], a[i]), b[i]);
        if (std::fabs(e - w2[i]) > 1e-5 * (1 + std::fabs(e))) ++bad;
    }
    CHECK(bad == 0);
}

TEST_CASE("Adam rejects bad hyper-parameters with a message", "[optim][adam]") {
    Variable w = param({1.0f});
    CHECK_THROWS_WITH(Adam({w}, -1e-3), IOTGRAD_HAS("Adam: learning rate"));
    CHECK_THROWS_WITH(Adam({w}, AdamOptions(1e-3).betas(1.0, 0.999)), IOTGRAD_HAS("beta1 must be in [0, 1)"));
    CHECK_THROWS_WITH(Adam({w}, AdamOptions(1e-3).betas(0.9, -0.1)), IOTGRAD_HAS("beta2"));
    CHECK_THROWS_WITH(Adam({w}, AdamOptions(1e-3).eps(-1.0)), IOTGRAD_HAS("eps"));
    CHECK_THROWS_WITH(AdamW({w}, AdamOptions(1e-3).weight_decay(-0.01)), IOTGRAD_HAS("AdamW: weight_decay"));
}

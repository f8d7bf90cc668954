// Softmax (equation 3) and cross-entropy (equation 2): probabilities, numerical
// stability, known values, the fused gradient (softmax - onehot) / N, and errors.
#include <cmath>
#include <vector>

#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "tensor/reduce.hpp"
#include "torch_fixture.hpp"

using namespace iotgrad;

namespace {
// Softmax of each row of [N, C] computed independently of the library, in double.
std::vector<double> softmax_rows(const Tensor& z) {
    const int64_t n = z.size(0), c = z.size(1);
    std::vector<double> p(static_cast<size_t>(n * c));
    for (int64_t i = 0; i < n; ++i) {
        double m = -INFINITY, s = 0;
        for (int64_t j = 0; j < c; ++j) m = std::max(m, static_cast<double>(z.at({i, j})));
        for (int64_t j = 0; j < c; ++j) s += std::exp(z.at({i, j}) - m);
        for (int64_t j = 0; j < c; ++j) p[i * c + j] = std::exp(z.at({i, j}) - m) / s;
    }
    return p;
}
}  // namespace

TEST_CASE("softmax rows sum to 1 along any dim", "[autograd][eq3]") {
    Generator gen(31);
    const Variable z(Tensor::randn({3, 4, 5}, gen, 0.0f, 3.0f));
    for (int64_t dim : {0, 1, 2, -1}) {
        const Tensor y = softmax(z, dim).value();
        const Tensor sums = tensor::sum(y, {dim});
        INFO("dim " << dim);
        for (float s : sums.to_vector()) CHECK(s == Approx(1.0f).margin(1e-6));
        CHECK(tensor::min(y).item() > 0.0f);
    }
}

TEST_CASE("softmax known values and stability for huge logits", "[autograd][eq3]") {
    const std::vector<float> p = softmax(Variable(Tensor::from({3}, {1, 2, 3}))).value().to_vector();
    CHECK(p[0] == Approx(0.09003057).margin(1e-7));
    CHECK(p[1] == Approx(0.24472847).margin(1e-7));
    CHECK(p[2] == Approx(0.66524096).margin(1e-7));

    // e^1000 overflows float; subtracting the max first keeps every term <= 1.
    const std::vector<float> q = softmax(Variable(Tensor::from({3}, {1000, 1000, -1000}))).value().to_vector();
    CHECK(q == std::vector<float>{0.5f, 0.5f, 0.0f});

    // Shifting every logit by a constant changes nothing.
    const std::vector<float> r = softmax(Variable(Tensor::from({3}, {101, 102, 103}))).value().to_vector();
    for (int i = 0; i < 3; ++i) CHECK(r[i] == Approx(p[i]).margin(1e-6));
}

TEST_CASE("log_softmax equals log(softmax) and stays finite for large logits", "[autograd][eq3]") {
    Generator gen(32);
    const Variable z(Tensor::randn({4, 6}, gen, 0.0f, 2.0f));
    for (int64_t dim : {0, 1}) {
        const std::vector<float> ls = log_softmax(z, dim).value().to_vector();
        const std::vector<float> s = softmax(z, dim).value().to_vector();
        for (size_t i = 0; i < ls.size(); ++i) CHECK(ls[i] == Approx(std::log(s[i])).margin(1e-5));
    }
    // Here softmax underflows to 0 (log would give -inf) but log-softmax is exact.
    const std::vector<float> big = log_softmax(Variable(Tensor::from({3}, {1000, 0, -1000}))).value().to_vector();
    CHECK(big == std::vector<float>{0.0f, -1000.0f, -2000.0f});
}

TEST_CASE("softmax and log_softmax gradients have their closed forms", "[autograd][eq3]") {
    // Rows of softmax sum to 1, a constant, so the gradient of their sum is zero.
    Generator gen(33);
    Variable z(Tensor::randn({2, 5}, gen), true);
    Variable(softmax(z, 1)).backward(Tensor::ones({2, 5}));
    for (float g : z.grad().to_vector()) CHECK(g == Approx(0.0f).margin(1e-6));

    // d log_softmax(z)_k / dz = e_k - softmax(z).
    Variable z2(Tensor::from({1, 3}, {0.5f, -1.0f, 2.0f}), true);
    Variable(log_softmax(z2, 1)).backward(Tensor::from({1, 3}, {0, 1, 0}));
    const std::vector<double> p = softmax_rows(z2.value());
    const std::vector<float> g = z2.grad().to_vector();
    CHECK(g[0] == Approx(-p[0]).margin(1e-6));
    CHECK(g[1] == Approx(1 - p[1]).margin(1e-6));
    CHECK(g[2] == Approx(-p[2]).margin(1e-6));
}

TEST_CASE("cross-entropy of uniform logits is log C for every reduction", "[autograd][eq2]") {
    const Variable z(Tensor::zeros({3, 5}));
    const Tensor t = Tensor::from({3}, {0, 4, 2});
    CHECK(cross_entropy(z, t, Reduction::Mean).item() == Approx(std::log(5.0)).margin(1e-6));
    CHECK(cross_entropy(z, t, Reduction::Sum).item() == Approx(3 * std::log(5.0)).margin(1e-5));
    const Variable none = cross_entropy(z, t, Reduction::None);
    REQUIRE(none.shape() == Shape{3});
    for (float v : none.value().to_vector()) CHECK(v == Approx(std::log(5.0)).margin(1e-6));
    CHECK(cross_entropy(z, t).shape() == Shape{});
}

TEST_CASE("cross-entropy known values, and finite for huge logits", "[autograd][eq2]") {
    const Variable z(Tensor::from({2, 3}, {2, 1, 0.1f, 0.5f, 2.5f, 0.3f}));
    const std::vector<float> l = cross_entropy(z, Tensor::from({2}, {0, 1}), Reduction::None).value().to_vector();
    CHECK(l[0] == Approx(0.41703002).margin(1e-6));
    CHECK(l[1] == Approx(0.22004952).margin(1e-6));
    CHECK(cross_entropy(z, Tensor::from({2}, {0, 2})).item() == Approx((0.41703002 + 2.42004952) / 2).margin(1e-6));
    // -log softmax([1000, -1000])[1] = 2000 exactly; log(softmax) would be -log(0) = inf.
    CHECK(cross_entropy(Variable(Tensor::from({1, 2}, {1000, -1000})), Tensor::from({1}, {1})).item() == 2000.0f);
}

TEST_CASE("the gradient of mean cross-entropy is (softmax - onehot) / N", "[autograd][eq2]") {
    Generator gen(34);
    const int64_t n = 4, c = 5;
    Variable z(Tensor::randn({n, c}, gen, 0.0f, 2.0f), true);
    const std::vector<float> t{3, 0, 4, 3};
    cross_entropy(z, Tensor::from({n}, t)).backward();
    const std::vector<double> p = softmax_rows(z.value());
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const double expected = (p[i * c + j] - (j == t[i] ? 1.0 : 0.0)) / n;
            CHECK(z.grad().at({i, j}) == Approx(expected).margin(1e-7));
        }

    // Sum drops the 1/N; None scales row i by its upstream gradient.
    Variable z2(z.value().clone(), true);
    Variable(cross_entropy(z2, Tensor::from({n}, t), Reduction::None)).backward(Tensor::from({n}, {1, 2, 0, -1}));
    const std::vector<float> up{1, 2, 0, -1};
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j)
            CHECK(z2.grad().at({i, j}) == Approx(up[i] * (p[i * c + j] - (j == t[i] ? 1.0 : 0.0))).margin(1e-6));
}

TEST_CASE("cross_entropy with probability targets: one-hot targets agree with cross_entropy, soft ones use sum y", "[autograd][eq2]") {
    Generator gen(35);
    const Tensor zt = Tensor::randn({3, 4}, gen);
    const Tensor onehot = Tensor::from({3, 4}, {0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0});
    Variable a(zt.clone(), true), b(zt.clone(), true);
    const Variable la = cross_entropy(a, Tensor::from({3}, {1, 3, 0}));
    const Variable lb = cross_entropy(b, onehot);
    CHECK(la.item() == Approx(lb.item()).margin(1e-6));
    Variable(la).backward();
    Variable(lb).backward();
    const std::vector<float> ga = a.grad().to_vector(), gb = b.grad().to_vector();
    for (size_t i = 0; i < ga.size(); ++i) CHECK(ga[i] == Approx(gb[i]).margin(1e-7));

    // Soft targets: loss -sum y log softmax, gradient softmax * sum(y) - y.
    const Tensor y = Tensor::from({1, 3}, {0.2f, 0.3f, 0.5f});
    Variable z(Tensor::from({1, 3}, {1, 0, -1}), true);
    const Variable l = cross_entropy(z, y, Reduction::Sum);
    const std::vector<double> p = softmax_rows(z.value());
    CHECK(l.item() == Approx(-(0.2 * std::log(p[0]) + 0.3 * std::log(p[1]) + 0.5 * std::log(p[2]))).margin(1e-6));
    Variable(l).backward();
    CHECK(z.grad().at({0, 0}) == Approx(p[0] - 0.2).margin(1e-6));
    CHECK(z.grad().at({0, 2}) == Approx(p[2] - 0.5).margin(1e-6));
}

TEST_CASE("cross-entropy rejects bad targets and shapes with clear messages", "[autograd][eq2]") {
    const Variable z(Tensor::zeros({2, 3}));
    CHECK_THROWS_AS(cross_entropy(z, Tensor::from({2}, {0, 3})), std::invalid_argument);
    CHECK_THROWS_WITH(cross_entropy(z, Tensor::from({2}, {0, 3})), IOTGRAD_HAS("target 3 at position 1"));
    CHECK_THROWS_WITH(cross_entropy(z, Tensor::from({2}, {0, 3})), IOTGRAD_HAS("C = 3"));
    CHECK_THROWS_WITH(cross_entropy(z, Tensor::from({2}, {-1, 0})), IOTGRAD_HAS("target -1 at position 0"));
    CHECK_THROWS_WITH(cross_entropy(z, Tensor::from({2}, {1.5f, 0})), IOTGRAD_HAS("target 1.5"));
    CHECK_THROWS_WITH(cross_entropy(z, Tensor::from({2, 1}, {0, 1})),
                      IOTGRAD_HAS("cross_entropy: targets [2, 1] must be class indices [N] or probabilities [N, C] for logits [2, 3]"));
    CHECK_THROWS_AS(cross_entropy(Variable(Tensor::zeros({3})), Tensor::from({1}, {0})), ShapeError);
    CHECK_THROWS_WITH(cross_entropy(Variable(Tensor::zeros({3})), Tensor::from({1}, {0})),
                      IOTGRAD_HAS("cross_entropy: logits must be [N, C], got [3]"));
    CHECK_THROWS_WITH(cross_entropy(z, Tensor::zeros({2, 4})),
                      IOTGRAD_HAS("cross_entropy: targets [2, 4] must be class indices [N] or probabilities [N, C] for logits [2, 3]"));
    CHECK_THROWS_AS(softmax(z, 2), ShapeError);
}

TEST_CASE("cross_entropy with ignore_index, class weights and smoothing matches PyTorch", "[autograd][eq2][torch]") {
    const auto f = test::torch_fixture("cross_entropy_ignore_index");
    const Tensor target = f.t("target");
    const Tensor weight = f.t("weight");
    struct Case {
        const char* name;
        CrossEntropyOptions options;
    };
    const std::vector<Case> cases = {
        {"ignore_mean", CrossEntropyOptions()},
        {"ignore_weight_smooth_mean", CrossEntropyOptions(weight, 0.2f)},
        {"ignore_weight_smooth_sum", CrossEntropyOptions(weight, 0.2f, Reduction::Sum)},
        {"ignore_smooth_none", CrossEntropyOptions(Tensor(), 0.3f, Reduction::None)},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        Variable z(f.t("logits").clone(), true);
        const Variable loss = cross_entropy(z, target, c.options);
        const Tensor want = f.t(std::string(c.name) + ".loss");
        REQUIRE(loss.shape() == want.shape());
        for (int64_t i = 0; i < want.numel(); ++i)
            CHECK(loss.value().contiguous().data()[i] == Approx(want.contiguous().data()[i]).margin(1e-6).epsilon(1e-5));
        if (c.options.reduction == Reduction::None)
            loss.backward(f.t("upstream"));
        else
            loss.backward();
        const Tensor g = z.grad().contiguous(), gw = f.t(std::string(c.name) + ".grad").contiguous();
        for (int64_t i = 0; i < gw.numel(); ++i) CHECK(g.data()[i] == Approx(gw.data()[i]).margin(1e-6));
        // Ignored rows get no gradient at all.
        for (int64_t j = 0; j < 4; ++j) CHECK(g.data()[1 * 4 + j] == 0.0f);
    }
}

TEST_CASE("cross_entropy takes integer class labels; every row ignored gives NaN like PyTorch", "[autograd][eq2]") {
    const Tensor z0 = Tensor::from({3, 3}, {1, 2, 3, 0, -1, 4, 2, 2, 0});
    const float want = cross_entropy(Variable(z0), Tensor::from({3}, {2, 0, 1})).item();
    CHECK(cross_entropy(Variable(z0), std::vector<int64_t>{2, 0, 1}).item() == want);
    // ignore_index can be a real class (e.g. a padding class 0): those rows drop out of the mean.
    const float kept = cross_entropy(Variable(Tensor::from({1, 3}, {1, 2, 3})), std::vector<int64_t>{2}).item();
    CHECK(cross_entropy(Variable(z0), std::vector<int64_t>{2, 0, 0}, CrossEntropyOptions({}, 0, Reduction::Mean, 0))
              .item() == Approx(kept));
    CHECK(std::isnan(cross_entropy(Variable(z0), std::vector<int64_t>{-100, -100, -100}).item()));
    CHECK_THROWS_WITH(cross_entropy(Variable(z0), std::vector<int64_t>{0, 3, 1}),
                      IOTGRAD_HAS("target 3 at position 1 is not a class index in [0, 3)"));
    CHECK_THROWS_WITH(cross_entropy(Variable(z0), std::vector<int64_t>{0, -1, 1}),
                      IOTGRAD_HAS("class label -1 at position 1 is negative"));
}

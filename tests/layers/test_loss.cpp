// Losses against PyTorch's definitions worked by hand (in double): cross-entropy
// with class weights and label smoothing, MSE, L1, and BCE with logits at
// extreme logits; gradient checks for each.
#include <cmath>

#include "layer_check.hpp"
#include "layers/loss.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;
using iotgrad::testing::check_values;

namespace {
// log_softmax of one row, in double.
std::vector<double> log_softmax_row(const std::vector<double>& z) {
    double m = z[0], s = 0;
    for (double v : z) m = std::max(m, v);
    for (double v : z) s += std::exp(v - m);
    std::vector<double> out;
    for (double v : z) out.push_back(v - m - std::log(s));
    return out;
}
const std::vector<std::vector<double>> kLogits = {{1, 2, 3}, {1, 1, 1}, {0.5, -1, 2}};
const std::vector<int> kTargets = {2, 0, 1};
Variable logits() { return Variable(Tensor::from({3, 3}, {1, 2, 3, 1, 1, 1, 0.5f, -1, 2}), true); }
Tensor targets() { return Tensor::from({3}, {2, 0, 1}); }

// PyTorch's cross_entropy, straight from its definition:
// l_n = -(1-eps) w[y_n] log p[n, y_n] - eps/C sum_c w[c] log p[n, c]; mean divides by sum_n w[y_n].
double reference_ce(const std::vector<double>& w, double eps) {
    double total = 0, wsum = 0;
    for (size_t n = 0; n < kLogits.size(); ++n) {
        const std::vector<double> lp = log_softmax_row(kLogits[n]);
        double smooth = 0;
        for (size_t c = 0; c < 3; ++c) smooth += w[c] * lp[c];
        total += -(1 - eps) * w[kTargets[n]] * lp[kTargets[n]] - eps / 3 * smooth;
        wsum += w[kTargets[n]];
    }
    return total / wsum;
}
}  // namespace

TEST_CASE("cross_entropy: plain, label smoothing, class weights, both", "[layers][loss]") {
    // Plain: the mean of -log p[n, y_n].
    CHECK(cross_entropy(logits(), targets()).item() == Approx(reference_ce({1, 1, 1}, 0)));
    // By hand for the first row: log(e + e^2 + e^3) - 3.
    const double row0 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3;
    CHECK(cross_entropy(logits(), targets(), {Tensor(), 0.0f, Reduction::None}).value().at({0}) ==
          Approx(row0));

    // Label smoothing 0.1: the target is 0.9 one-hot + 0.1/3 everywhere.
    CHECK(cross_entropy(logits(), targets(), {Tensor(), 0.1f}).item() == Approx(reference_ce({1, 1, 1}, 0.1)));
    // Class weights: the weighted mean divides by the targets' weights, 3 + 1 + 2.
    const Tensor w = Tensor::from({3}, {1, 2, 3});
    CHECK(cross_entropy(logits(), targets(), {w}).item() == Approx(reference_ce({1, 2, 3}, 0)));
    // Both together, as PyTorch combines them.
    CHECK(cross_entropy(logits(), targets(), {w, 0.2f}).item() == Approx(reference_ce({1, 2, 3}, 0.2)));

    // Sum is the mean times the divisor; None gives one loss per sample.
    const float mean = cross_entropy(logits(), targets(), {w, 0.2f}).item();
    CHECK(cross_entropy(logits(), targets(), {w, 0.2f, Reduction::Sum}).item() == Approx(mean * 6));
    const Variable none = cross_entropy(logits(), targets(), {w, 0.2f, Reduction::None});
    CHECK(none.shape() == Shape{3});
    CHECK(none.value().at({0}) + none.value().at({1}) + none.value().at({2}) == Approx(mean * 6));
}

TEST_CASE("cross_entropy with probability targets matches the index form", "[layers][loss]") {
    const Tensor one_hot = Tensor::from({3, 3}, {0, 0, 1, 1, 0, 0, 0, 1, 0});
    CHECK(cross_entropy(logits(), one_hot).item() == Approx(cross_entropy(logits(), targets()).item()));
    CHECK(cross_entropy(logits(), one_hot, {Tensor(), 0.3f}).item() ==
          Approx(cross_entropy(logits(), targets(), {Tensor(), 0.3f}).item()));
    // Smoothed one-hot targets given directly equal label smoothing.
    const Tensor smoothed = tensor::add(tensor::mul(one_hot, 0.7f), 0.1f);
    CHECK(cross_entropy(logits(), smoothed).item() ==
          Approx(cross_entropy(logits(), targets(), {Tensor(), 0.3f}).item()));
}

TEST_CASE("cross_entropy checks its arguments", "[layers][loss]") {
    CHECK_THROWS_AS(cross_entropy(logits(), Tensor::from({2}, {0, 1})), ShapeError);
    CHECK_THROWS_AS(cross_entropy(logits(), Tensor::from({3}, {0, 1, 3}), {Tensor::ones({3})}),
                    std::invalid_argument);
    CHECK_THROWS_AS(cross_entropy(logits(), targets(), {Tensor::ones({2})}), ShapeError);
    CHECK_THROWS_AS(cross_entropy(logits(), targets(), {Tensor(), 1.5f}), std::invalid_argument);
    CHECK_THROWS_AS(cross_entropy(Variable(Tensor::zeros({3})), targets()), ShapeError);
}

TEST_CASE("cross_entropy's gradients match finite differences", "[layers][loss][gradcheck]") {
    const Tensor w = Tensor::from({3}, {0.5f, 2, 1});
    for (const CrossEntropyOptions& opt :
         {CrossEntropyOptions{}, CrossEntropyOptions{w, 0.1f}, CrossEntropyOptions{w, 0.0f, Reduction::Sum},
          CrossEntropyOptions{Tensor(), 0.2f, Reduction::None}}) {
        const auto f = [&](const std::vector<Variable>& v) { return cross_entropy(v[0], targets(), opt); };
        const auto r = gradcheck(f, {logits()});
        INFO(r.message);
        CHECK(r.ok);
    }
    // The soft gradient for a smoothed target is softmax - target, per row, divided by N.
    Variable z = logits();
    cross_entropy(z, targets(), {Tensor(), 0.3f}).backward();
    const std::vector<double> lp = log_softmax_row(kLogits[1]);
    CHECK(z.grad().at({1, 0}) == Approx((std::exp(lp[0]) - (0.7 + 0.1)) / 3));
    CHECK(z.grad().at({1, 2}) == Approx((std::exp(lp[2]) - 0.1) / 3));
}

TEST_CASE("mse_loss and l1_loss with every reduction", "[layers][loss]") {
    const Variable x(Tensor::from({3}, {1, 2, 3}), true);
    const Tensor y = Tensor::from({3}, {1, 0, 0});
    CHECK(nn::mse_loss(x, y).item() == Approx(13.0 / 3));
    CHECK(nn::mse_loss(x, y, Reduction::Sum).item() == Approx(13));
    check_values(nn::mse_loss(x, y, Reduction::None).value(), {3}, {0, 4, 9});
    CHECK(nn::l1_loss(x, y).item() == Approx(5.0 / 3));
    CHECK(nn::l1_loss(x, y, Reduction::Sum).item() == Approx(5));
    check_values(nn::l1_loss(x, y, Reduction::None).value(), {3}, {0, 2, 3});
    CHECK_THROWS_AS(nn::mse_loss(x, Tensor::zeros({4})), ShapeError);
    CHECK_THROWS_AS(nn::l1_loss(x, Tensor::zeros({3, 1})), ShapeError);

    Generator gen(4);
    const Tensor target = Tensor::randn({2, 3}, gen);
    // x - y kept away from 0, where |.| has its kink.
    const Tensor input = tensor::map(target, [](float v) { return v + 0.5f; });
    for (Reduction red : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
        auto r = gradcheck([&](const std::vector<Variable>& v) { return nn::mse_loss(v[0], v[1], red); },
                           {Variable(input.clone(), true), Variable(target.clone(), true)});
        INFO(r.message);
        CHECK(r.ok);
        r = gradcheck([&](const std::vector<Variable>& v) { return nn::l1_loss(v[0], target, red); },
                      {Variable(tensor::mul(input, -1.0f), true)});
        INFO(r.message);
        CHECK(r.ok);
    }
}

TEST_CASE("binary_cross_entropy_with_logits is finite at extreme logits", "[layers][loss]") {
    const Variable z(Tensor::from({5}, {100, -100, 100, -100, 0}), true);
    const Tensor y = Tensor::from({5}, {1, 0, 0, 1, 1});
    const Variable l = nn::binary_cross_entropy_with_logits(z, y, Reduction::None);
    check_values(l.value(), {5}, {0, 0, 100, 100, std::log(2.0f)}, 1e-5f);
    sum(l).backward();
    check_values(z.grad(), {5}, {0, 0, 1, -1, -0.5f}, 1e-6f);  // sigma(z) - y

    // Moderate logits against -[y log s + (1 - y) log(1 - s)] with soft targets.
    const Variable zm(Tensor::from({3}, {0.3f, -1.2f, 2}));
    const Tensor ym = Tensor::from({3}, {0.2f, 0.9f, 0.5f});
    double expected = 0;
    for (int i = 0; i < 3; ++i) {
        const double s = 1 / (1 + std::exp(-double(zm.value().at({i})))), t = ym.at({i});
        expected += -(t * std::log(s) + (1 - t) * std::log(1 - s)) / 3;
    }
    CHECK(nn::binary_cross_entropy_with_logits(zm, ym).item() == Approx(expected));

    // pos_weight p scales the positive term: z = 0.5, y = 1, p = 3 gives -3 log sigma(0.5).
    const Variable one(Tensor::from({1, 2}, {0.5f, 0.5f}));
    const Variable lp = nn::binary_cross_entropy_with_logits(one, Tensor::from({1, 2}, {1, 0}), Reduction::None,
                                                             Tensor::from({2}, {3, 3}));
    CHECK(lp.value().at({0, 0}) == Approx(-3 * std::log(1 / (1 + std::exp(-0.5)))));
    CHECK(lp.value().at({0, 1}) == Approx(-std::log(1 - 1 / (1 + std::exp(-0.5)))));
    CHECK_THROWS_AS(nn::binary_cross_entropy_with_logits(one, Tensor::zeros({2})), ShapeError);
}

TEST_CASE("binary_cross_entropy_with_logits' gradients match finite differences", "[layers][loss][gradcheck]") {
    Generator gen(8);
    const Tensor y = Tensor::rand({2, 3}, gen);
    const Tensor pw = Tensor::from({3}, {0.5f, 2, 4});
    for (const Tensor& p : {Tensor(), pw}) {
        const auto f = [&](const std::vector<Variable>& v) {
            return nn::binary_cross_entropy_with_logits(v[0], v[1], Reduction::Sum, p);
        };
        const auto r = gradcheck(
            f, {Variable(Tensor::randn({2, 3}, gen, 0, 3), true), Variable(y.clone(), true)});
        INFO(r.message);
        CHECK(r.ok);
    }
}

TEST_CASE("loss modules call their functions and print their options", "[layers][loss]") {
    nn::CrossEntropyLoss ce({Tensor::from({3}, {1, 2, 3}), 0.1f});
    CHECK(ce(logits(), targets()).item() == Approx(reference_ce({1, 2, 3}, 0.1)));
    CHECK(ce.extra_repr() == "reduction=mean, label_smoothing=0.1, weight=[3]");
    CHECK(nn::CrossEntropyLoss().type_name() == "CrossEntropyLoss");
    const Variable x(Tensor::from({2}, {1, 3}));
    CHECK(nn::MSELoss()(x, Tensor::zeros({2})).item() == Approx(5));
    CHECK(nn::L1Loss(Reduction::Sum)(x, Tensor::zeros({2})).item() == Approx(4));
    CHECK(nn::L1Loss(Reduction::Sum).extra_repr() == "reduction=sum");
    nn::BCEWithLogitsLoss bce;
    CHECK(bce(Variable(Tensor::zeros({4})), Tensor::ones({4})).item() == Approx(std::log(2.0)));
    CHECK(bce.type_name() == "BCEWithLogitsLoss");
    CHECK_THROWS_AS(ce(logits()), std::logic_error);  // a loss needs its target
}

// Dropout: identity in evaluation; in training, about p of the elements are
// zeroed and the rest scaled by 1/(1-p); the same seed gives the same mask.
#include <cmath>

#include "autograd/ops.hpp"
#include "layer_check.hpp"
#include "layers/dropout.hpp"

using namespace iotgrad;

TEST_CASE("Dropout in training zeros about p of the elements and scales the rest", "[layers][dropout]") {
    nn::Dropout drop(0.3f, uint64_t{42});
    const Tensor x = Tensor::full({100, 100}, 2.0f);
    const std::vector<float> y = drop(Variable(x)).value().to_vector();
    int64_t zeros = 0;
    for (float v : y) {
        if (v == 0.0f) {
            ++zeros;
        } else {
            CHECK(v == Approx(2.0f / 0.7f));
        }
    }
    // 10,000 Bernoulli(0.3) draws: the standard deviation of the fraction is 0.0046.
    CHECK(static_cast<double>(zeros) / y.size() == Approx(0.3).margin(0.02));
}

TEST_CASE("Dropout is the identity in evaluation and for p = 0; p = 1 drops all", "[layers][dropout]") {
    Generator gen(1);
    nn::Dropout drop(0.5f, gen);
    drop.eval();
    const Variable x(Tensor::randn({4, 5}, gen));
    CHECK(drop(x).value().to_vector() == x.value().to_vector());
    nn::Dropout none(0.0f);
    CHECK(none(x).value().to_vector() == x.value().to_vector());
    nn::Dropout all(1.0f);
    CHECK(all(x).value().to_vector() == std::vector<float>(20, 0.0f));
    CHECK_THROWS_AS(nn::Dropout(1.5f), std::invalid_argument);
    CHECK_THROWS_AS(nn::Dropout(-0.1f, gen), std::invalid_argument);
    CHECK(drop.type_name() + "(" + drop.extra_repr() + ")" == "Dropout(p=0.5)");
}

TEST_CASE("Dropout with the same seed draws the same masks, call after call", "[layers][dropout]") {
    nn::Dropout a(0.5f, uint64_t{7}), b(0.5f, uint64_t{7}), c(0.5f, uint64_t{8});
    const Variable x(Tensor::ones({64}));
    const std::vector<float> a1 = a(x).value().to_vector(), a2 = a(x).value().to_vector();
    CHECK(a1 == b(x).value().to_vector());
    CHECK(a2 == b(x).value().to_vector());
    CHECK(a1 != a2);                        // a fresh mask on every call
    CHECK(a1 != c(x).value().to_vector());  // another seed, another mask
    Generator g1(3), g2(3);
    CHECK(nn::Dropout(0.5f, g1)(x).value().to_vector() == nn::Dropout(0.5f, g2)(x).value().to_vector());
}

TEST_CASE("Dropout's gradient is the mask scaled by 1/(1-p)", "[layers][dropout][gradcheck]") {
    nn::Dropout drop(0.25f, uint64_t{5});
    Variable x(Tensor::ones({50}), true);
    const Variable y = drop(x);
    sum(y).backward();
    CHECK(x.grad().to_vector() == y.value().to_vector());  // x = 1, so y is the scaled mask itself
    // Finite differences with a layer rebuilt from the same seed on every call (a fixed mask).
    Generator gen(2);
    const auto r = gradcheck([](const std::vector<Variable>& v) { return nn::Dropout(0.5f, uint64_t{9})(v[0]); },
                             {Variable(Tensor::randn({3, 4}, gen), true)});
    INFO(r.message);
    CHECK(r.ok);
}

// Activation modules: each wraps its op (known values) and can sit in a Sequential.
#include <cmath>

#include "autograd/ops.hpp"
#include "layer_check.hpp"
#include "layers/activation.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;
using iotgrad::testing::check_module;
using iotgrad::testing::check_values;

TEST_CASE("activation modules compute their functions", "[layers][activation]") {
    const Variable z(Tensor::from({4}, {-2, -0.5f, 0.5f, 3}));
    check_values(nn::ReLU()(z).value(), {4}, {0, 0, 0.5f, 3});
    check_values(nn::LeakyReLU(0.1f)(z).value(), {4}, {-0.2f, -0.05f, 0.5f, 3});
    const auto sig = [](float v) { return 1.0f / (1.0f + std::exp(-v)); };
    check_values(nn::Sigmoid()(z).value(), {4}, {sig(-2), sig(-0.5f), sig(0.5f), sig(3)});
    check_values(nn::Tanh()(z).value(), {4}, {std::tanh(-2.0f), std::tanh(-0.5f), std::tanh(0.5f), std::tanh(3.0f)});
    const auto gelu = [](float v) { return 0.5f * v * (1.0f + std::erf(v / std::sqrt(2.0f))); };
    check_values(nn::GELU()(z).value(), {4}, {gelu(-2), gelu(-0.5f), gelu(0.5f), gelu(3)});
    const auto sp = [](float v) { return std::log1p(std::exp(v)); };
    check_values(nn::Softplus()(z).value(), {4}, {sp(-2), sp(-0.5f), sp(0.5f), sp(3)});
}

TEST_CASE("Softmax and LogSoftmax work along the chosen dim", "[layers][activation]") {
    const Variable z(Tensor::from({2, 3}, {1, 2, 3, 0, 0, 0}));
    const double s = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
    check_values(nn::Softmax(1)(z).value(), {2, 3},
                 {float(std::exp(1.0) / s), float(std::exp(2.0) / s), float(std::exp(3.0) / s), 1 / 3.f, 1 / 3.f,
                  1 / 3.f});
    check_values(nn::LogSoftmax()(z).value(), {2, 3},
                 {float(1 - std::log(s)), float(2 - std::log(s)), float(3 - std::log(s)), -std::log(3.f),
                  -std::log(3.f), -std::log(3.f)});
    // Along dim 0 each column sums to 1.
    const Tensor col = nn::Softmax(0)(z).value();
    for (int64_t j = 0; j < 3; ++j) CHECK(col.at({0, j}) + col.at({1, j}) == Approx(1));
}

TEST_CASE("activation modules print their names and arguments", "[layers][activation]") {
    CHECK(nn::ReLU().type_name() == "ReLU");
    CHECK(nn::GELU().type_name() == "GELU");
    CHECK(nn::LeakyReLU(0.2f).extra_repr() == "negative_slope=0.2");
    CHECK(nn::Softmax(1).extra_repr() == "dim=1");
    CHECK(nn::LogSoftmax(-1).type_name() == "LogSoftmax");
    CHECK(nn::Tanh().parameters().empty());
    nn::Sequential seq{nn::ReLU(), nn::Tanh(), nn::Sigmoid()};
    CHECK(seq(Variable(Tensor::from({2}, {-1, 0}))).value().to_vector() ==
          std::vector<float>{0.5f, 0.5f});  // relu -> 0, tanh(0) = 0, sigmoid(0) = 1/2
}

TEST_CASE("activation modules' gradients match finite differences", "[layers][activation][gradcheck]") {
    Generator gen(6);
    // Values kept away from the kinks of ReLU and LeakyReLU at 0.
    const Tensor x = tensor::map(Tensor::randn({2, 5}, gen), [](float v) { return v + (v >= 0 ? 0.1f : -0.1f); });
    nn::ReLU relu;
    nn::LeakyReLU leaky(0.1f);
    nn::Sigmoid sig;
    nn::Tanh th;
    nn::GELU gelu;
    nn::Softplus softplus;
    nn::Softmax softmax(1);
    nn::LogSoftmax log_softmax(0);
    for (nn::Module* m : std::vector<nn::Module*>{&relu, &leaky, &sig, &th, &gelu, &softplus, &softmax, &log_softmax}) {
        INFO(m->type_name());
        const auto r = check_module(*m, x);
        INFO(r.message);
        CHECK(r.ok);
    }
}

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "layers/autoencoder.hpp"
#include "layers/linear.hpp"
#include "layers/loss.hpp"
#include "optim/adam.hpp"

using namespace iotgrad;

namespace {
// Smooth sensor-like windows: a sum of two sinusoids with random amplitude and
// phase per sample, so the data lies near a low-dimensional set.
Tensor sensor_windows(int64_t n, int64_t len, Generator& gen) {
    Tensor x = Tensor::zeros({n, len});
    for (int64_t i = 0; i < n; ++i) {
        const float a = gen.uniform(0.5f, 1.5f), b = gen.uniform(-0.5f, 0.5f), ph = gen.uniform(0.0f, 6.28f);
        for (int64_t t = 0; t < len; ++t) x.at({i, t}) = a * std::sin(0.4f * t + ph) + b * std::cos(0.9f * t);
    }
    return x;
}

void zero_all(nn::Module& m) {
    for (Variable& p : m.parameters()) p.value().fill_(0.0f);
}
}  // namespace

TEST_CASE("the benchmark's dense autoencoder: 304,544 parameters with PyTorch's names", "[layers][autoencoder]") {
    Generator gen(1);
    nn::DenseAutoencoder ae(1152, {128}, 32, gen);
    CHECK(ae.num_parameters() == 304544);
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"encoder.0.weight", {128, 1152}}, {"encoder.0.bias", {128}},       {"encoder.2.weight", {32, 128}},
        {"encoder.2.bias", {32}},          {"decoder.0.weight", {128, 32}}, {"decoder.0.bias", {128}},
        {"decoder.2.weight", {1152, 128}}, {"decoder.2.bias", {1152}}};
    const auto named = ae.named_parameters();
    REQUIRE(named.size() == expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        CHECK(named[k].first == expected[k].first);
        CHECK(named[k].second.shape() == expected[k].second);
    }
    // A [N, 128, 9] window is flattened (index t*9 + c) and reconstructed as [N, 1152].
    const Variable x(Tensor::randn({2, 128, 9}, gen));
    CHECK(ae(x).shape() == Shape{2, 1152});
    CHECK(ae.encode(x).shape() == Shape{2, 32});
    CHECK(ae.reconstruction_error(x).shape() == Shape{2});
}

TEST_CASE("reconstruction error is the per-sample mean squared error", "[layers][autoencoder]") {
    Generator gen(2);
    nn::DenseAutoencoder ae(4, {3}, 2, gen);
    // With every weight zero the reconstruction is the output bias b, whatever x is.
    zero_all(ae);
    auto& out_layer = static_cast<nn::Linear&>(ae.decoder[2]);
    out_layer.bias.value().copy_(Tensor::from({4}, {1, 2, 3, 4}));
    const Tensor x = Tensor::from({2, 4}, {1, 1, 1, 1, 0, 2, 3, 8});
    const Variable err = ae.reconstruction_error(Variable(x));
    CHECK(err.value().at({0}) == Approx((0 + 1 + 4 + 9) / 4.0));
    CHECK(err.value().at({1}) == Approx((1 + 0 + 0 + 16) / 4.0));
    CHECK(ae.loss(Variable(x)).item() == Approx((14 + 17) / 8.0));
    CHECK(ae.loss(Variable(x)).item() == Approx(nn::mse_loss(ae(Variable(x)), x).item()));
}

TEST_CASE("a dense autoencoder's reconstruction error drops with Adam", "[layers][autoencoder]") {
    Generator gen(3);
    const Tensor data = sensor_windows(64, 16, gen);
    nn::DenseAutoencoder ae(16, {12}, 4, gen);
    optim::Adam opt(ae.parameters(), 1e-2);
    const Variable x(data);
    const float before = ae.loss(x).item();
    for (int step = 0; step < 150; ++step) {
        opt.zero_grad();
        Variable loss = ae.loss(x);
        loss.backward();
        opt.step();
    }
    const float after = ae.loss(x).item();
    INFO("before " << before << ", after " << after);
    CHECK(after < 0.25f * before);
    // An anomalous window (a spike train) reconstructs far worse than normal ones.
    Tensor odd = Tensor::zeros({1, 16});
    for (int64_t t = 0; t < 16; t += 4) odd.at({0, t}) = 3.0f;
    ae.eval();
    CHECK(ae.reconstruction_error(Variable(odd)).item() > 5.0f * after);
}

TEST_CASE("Upsample1d repeats each step and its backward sums the copies", "[layers][autoencoder]") {
    nn::Upsample1d up(2);
    Variable x(Tensor::from({1, 1, 3}, {1, 2, 3}), true);
    Variable y = up(x);
    CHECK(y.value().to_vector() == std::vector<float>{1, 1, 2, 2, 3, 3});
    y.backward(Tensor::from({1, 1, 6}, {1, 10, 100, 1000, 2, 20}));
    CHECK(x.grad().to_vector() == std::vector<float>{11, 1100, 22});
    CHECK_THROWS_AS(up(Variable(Tensor::zeros({3, 2}))), ShapeError);
}

TEST_CASE("ConvAutoencoder1d halves and restores the length, with PyTorch-style names", "[layers][autoencoder]") {
    Generator gen(4);
    nn::ConvAutoencoder1d ae(3, {4, 8}, gen, /*kernel*/ 3);
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"encoder.0.weight", {4, 3, 3}}, {"encoder.0.bias", {4}},         {"encoder.2.weight", {8, 4, 3}},
        {"encoder.2.bias", {8}},         {"decoder.1.weight", {4, 8, 3}}, {"decoder.1.bias", {4}},
        {"decoder.4.weight", {3, 4, 3}}, {"decoder.4.bias", {3}}};
    const auto named = ae.named_parameters();
    REQUIRE(named.size() == expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        CHECK(named[k].first == expected[k].first);
        CHECK(named[k].second.shape() == expected[k].second);
    }
    const Variable x(Tensor::randn({2, 3, 16}, gen));
    CHECK(ae.encode(x).shape() == Shape{2, 8, 4});
    CHECK(ae(x).shape() == Shape{2, 3, 16});
    CHECK(ae.reconstruction_error(x).shape() == Shape{2});
    CHECK_THROWS_WITH(ae(Variable(Tensor::zeros({2, 3, 10}))), IOTGRAD_HAS("multiple of 4"));
    CHECK_THROWS_AS(nn::ConvAutoencoder1d(3, {4}, gen, 4), std::invalid_argument);
}

TEST_CASE("autoencoder gradients pass gradcheck (conv and dense)", "[layers][autoencoder]") {
    Generator gen(5);
    nn::ConvAutoencoder1d conv(2, {3}, gen, 3);
    Variable x(Tensor::randn({2, 2, 4}, gen), true);
    std::vector<Variable> inputs{x};
    for (const Variable& p : conv.parameters()) inputs.push_back(p);
    const auto rc =
        gradcheck([&](const std::vector<Variable>& in) { return conv.reconstruction_error(in[0]); }, inputs);
    INFO(rc.message);
    CHECK(rc.ok);

    nn::DenseAutoencoder dense(5, {4}, 2, gen);
    Variable y(Tensor::randn({3, 5}, gen), true);
    std::vector<Variable> dinputs{y};
    for (const Variable& p : dense.parameters()) dinputs.push_back(p);
    const auto rd =
        gradcheck([&](const std::vector<Variable>& in) { return dense.reconstruction_error(in[0]); }, dinputs);
    INFO(rd.message);
    CHECK(rd.ok);
}

TEST_CASE("a convolutional autoencoder learns to reconstruct sensor windows", "[layers][autoencoder]") {
    Generator gen(6);
    // Three channels of the same kind of smooth signal: [N=16, C=3, L=16].
    const Tensor flat = sensor_windows(48, 16, gen);
    const Variable x(flat.reshape({16, 3, 16}));
    nn::ConvAutoencoder1d ae(3, {8}, gen, 5);
    optim::Adam opt(ae.parameters(), 1e-2);
    const float before = ae.loss(x).item();
    for (int step = 0; step < 60; ++step) {
        opt.zero_grad();
        Variable loss = ae.loss(x);
        loss.backward();
        opt.step();
    }
    const float after = ae.loss(x).item();
    INFO("before " << before << ", after " << after);
    CHECK(after < 0.5f * before);
}

TEST_CASE("denoising: corrupt adds Gaussian noise while the target stays clean", "[layers][autoencoder]") {
    Generator gen(7);
    Variable x(Tensor::zeros({100, 100}), true);
    const Variable noisy = nn::corrupt(x, 0.1f, gen);
    double s = 0, s2 = 0;
    for (float v : noisy.value().to_vector()) s += v, s2 += double(v) * v;
    const double m = s / 1e4, sd = std::sqrt(s2 / 1e4 - m * m);
    CHECK(std::fabs(m) < 0.005);
    CHECK(sd == Approx(0.1).epsilon(0.05));
    sum(noisy).backward();  // the noise is a constant: dL/dx = 1
    CHECK(x.grad().at({3, 7}) == 1.0f);
    CHECK(nn::corrupt(x, 0.0f, gen).id() == x.id());

    // A denoising autoencoder whose output ignores its input (all weights 0,
    // output bias b): the error is ||b - x||^2 of the CLEAN x, in training too.
    nn::DenseAutoencoder ae(4, {3}, 2, gen, /*noise_std*/ 0.5f);
    zero_all(ae);
    static_cast<nn::Linear&>(ae.decoder[2]).bias.value().copy_(Tensor::from({4}, {1, 0, 0, 0}));
    const Variable clean(Tensor::from({1, 4}, {1, 1, 1, 1}));
    CHECK(ae.is_training());
    CHECK(ae.reconstruction_error(clean).item() == Approx(0.75));
    // With weights, training-mode forward sees noise (differs call to call); eval does not.
    nn::DenseAutoencoder live(4, {16}, 8, gen, 0.5f);
    const Variable z(Tensor::randn({8, 4}, gen));
    CHECK(live(z).value().to_vector() != live(z).value().to_vector());
    live.eval();
    CHECK(live(z).value().to_vector() == live(z).value().to_vector());
}

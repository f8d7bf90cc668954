#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "layers/recurrent.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;

namespace {
double sigm(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// Sets every element of a parameter from f(row, col) (col = 0 for a bias).
template <class F>
void set_param(Variable& p, F f) {
    Tensor& t = p.value();
    const int64_t cols = t.dim() == 2 ? t.size(1) : 1;
    for (int64_t r = 0; r < t.size(0); ++r)
        for (int64_t c = 0; c < cols; ++c) {
            if (t.dim() == 2)
                t.at({r, c}) = static_cast<float>(f(r, c));
            else
                t.at({r}) = static_cast<float>(f(r, c));
        }
}

// The LSTM equations in double, one step for one sample: the reference the layer must match.
void lstm_step_ref(const Tensor& wih, const Tensor& whh, const Tensor& bih, const Tensor& bhh,
                   const std::vector<double>& x, std::vector<double>& h, std::vector<double>& c) {
    const int64_t H = static_cast<int64_t>(h.size());
    std::vector<double> pre(4 * H);
    for (int64_t r = 0; r < 4 * H; ++r) {
        double s = bih.at({r}) + bhh.at({r});
        for (size_t k = 0; k < x.size(); ++k) s += wih.at({r, static_cast<int64_t>(k)}) * x[k];
        for (int64_t k = 0; k < H; ++k) s += whh.at({r, k}) * h[k];
        pre[r] = s;
    }
    for (int64_t j = 0; j < H; ++j) {
        const double i = sigm(pre[j]), f = sigm(pre[H + j]), g = std::tanh(pre[2 * H + j]), o = sigm(pre[3 * H + j]);
        c[j] = f * c[j] + i * g;
        h[j] = o * std::tanh(c[j]);
    }
}

bool all_finite(const Tensor& t) {
    for (float v : t.to_vector())
        if (!std::isfinite(v)) return false;
    return true;
}
}  // namespace

TEST_CASE("LSTM parameters have PyTorch's names, shapes and init range", "[layers][lstm]") {
    Generator gen(1);
    nn::LSTM lstm(nn::LSTMOptions(3, 4).num_layers(2), gen);
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"weight_ih_l0", {16, 3}}, {"weight_hh_l0", {16, 4}}, {"bias_ih_l0", {16}}, {"bias_hh_l0", {16}},
        {"weight_ih_l1", {16, 4}}, {"weight_hh_l1", {16, 4}}, {"bias_ih_l1", {16}}, {"bias_hh_l1", {16}},
    };
    const auto named = lstm.named_parameters();
    REQUIRE(named.size() == expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        CHECK(named[k].first == expected[k].first);
        CHECK(named[k].second.shape() == expected[k].second);
        CHECK(named[k].second.requires_grad());
        // U(-1/sqrt(hidden), 1/sqrt(hidden)) = U(-0.5, 0.5).
        for (float v : named[k].second.value().to_vector()) {
            CHECK(v >= -0.5f);
            CHECK(v < 0.5f);
        }
    }
    // The benchmark's LSTMNet: nn.LSTM(9, 64) has 19,200 parameters (two bias vectors).
    CHECK(nn::LSTM(9, 64, gen).num_parameters() == 19200);
    nn::LSTM no_bias(nn::LSTMOptions(3, 4).bias(false), gen);
    REQUIRE(no_bias.named_parameters().size() == 2);
    CHECK(no_bias.named_parameters()[1].first == "weight_hh_l0");
}

TEST_CASE("one LSTM step with all weights 0.1 matches the gate equations", "[layers][lstm]") {
    Generator gen(2);
    nn::LSTM lstm(2, 3, gen);
    for (auto& [name, p] : lstm.named_parameters()) p.value().fill_(name.rfind("weight", 0) == 0 ? 0.1f : 0.0f);
    const auto out = lstm.forward(Variable(Tensor::from({1, 1, 2}, {1, 2})), {});
    // Every gate sees the same pre-activation 0.1*1 + 0.1*2 = 0.3 (h0 = c0 = 0).
    const double i = sigm(0.3), f = sigm(0.3), g = std::tanh(0.3), o = sigm(0.3);
    const double c = f * 0.0 + i * g, h = o * std::tanh(c);
    CHECK(out.output.shape() == Shape{1, 1, 3});
    CHECK(out.h_n.shape() == Shape{1, 1, 3});
    CHECK(out.c_n.shape() == Shape{1, 1, 3});
    for (int64_t j = 0; j < 3; ++j) {
        CHECK(out.output.value().at({0, 0, j}) == Approx(h).epsilon(1e-6));
        CHECK(out.h_n.value().at({0, 0, j}) == Approx(h).epsilon(1e-6));
        CHECK(out.c_n.value().at({0, 0, j}) == Approx(c).epsilon(1e-6));
    }
}

TEST_CASE("LSTM with distinct weights and an initial state follows the equations step by step", "[layers][lstm]") {
    Generator gen(3);
    const int64_t T = 3, N = 2, I = 2, H = 2;
    nn::LSTM lstm(I, H, gen);
    // Distinct values in every gate block, so a wrong gate order or layout shows.
    set_param(lstm.weight_ih(0), [](int64_t r, int64_t c) { return 0.05 * (r + 1) - 0.1 * c; });
    set_param(lstm.weight_hh(0), [](int64_t r, int64_t c) { return 0.2 - 0.03 * r + 0.07 * c; });
    set_param(lstm.bias_ih(0), [](int64_t r, int64_t) { return 0.01 * r - 0.05; });
    set_param(lstm.bias_hh(0), [](int64_t r, int64_t) { return 0.02 * (r % 3); });
    const Tensor x = Tensor::from({T, N, I}, {1, 2, -1, 0.5f, 0.3f, -0.7f, 2, 1, -0.2f, 0.4f, 0, -1});
    const Tensor h0 = Tensor::from({1, N, H}, {0.1f, -0.2f, 0.3f, 0.0f});
    const Tensor c0 = Tensor::from({1, N, H}, {-0.5f, 0.25f, 0.0f, 1.0f});
    const auto out = lstm.forward(Variable(x), {Variable(h0), Variable(c0)});
    for (int64_t n = 0; n < N; ++n) {
        std::vector<double> h{h0.at({0, n, 0}), h0.at({0, n, 1})}, c{c0.at({0, n, 0}), c0.at({0, n, 1})};
        for (int64_t t = 0; t < T; ++t) {
            lstm_step_ref(lstm.weight_ih(0).value(), lstm.weight_hh(0).value(), lstm.bias_ih(0).value(),
                          lstm.bias_hh(0).value(), {x.at({t, n, 0}), x.at({t, n, 1})}, h, c);
            for (int64_t j = 0; j < H; ++j) CHECK(out.output.value().at({t, n, j}) == Approx(h[j]).margin(1e-6));
        }
        for (int64_t j = 0; j < H; ++j) {
            CHECK(out.h_n.value().at({0, n, j}) == Approx(h[j]).margin(1e-6));
            CHECK(out.c_n.value().at({0, n, j}) == Approx(c[j]).margin(1e-6));
        }
    }
}

TEST_CASE("a two-layer LSTM feeds layer 0's outputs to layer 1", "[layers][lstm]") {
    Generator gen(4);
    nn::LSTM two(nn::LSTMOptions(3, 2).num_layers(2), gen);
    const Variable x(Tensor::randn({4, 2, 3}, gen));
    const auto out = two.forward(x, {});
    CHECK(out.output.shape() == Shape{4, 2, 2});
    CHECK(out.h_n.shape() == Shape{2, 2, 2});
    // Reference: run the layer equations in double, layer by layer.
    std::vector<std::vector<std::vector<double>>> seq(4, std::vector<std::vector<double>>(2));
    for (int64_t t = 0; t < 4; ++t)
        for (int64_t n = 0; n < 2; ++n)
            seq[t][n] = {x.value().at({t, n, 0}), x.value().at({t, n, 1}), x.value().at({t, n, 2})};
    for (int64_t l = 0; l < 2; ++l) {
        for (int64_t n = 0; n < 2; ++n) {
            std::vector<double> h(2, 0.0), c(2, 0.0);
            for (int64_t t = 0; t < 4; ++t) {
                lstm_step_ref(two.weight_ih(l).value(), two.weight_hh(l).value(), two.bias_ih(l).value(),
                              two.bias_hh(l).value(), seq[t][n], h, c);
                seq[t][n] = h;
            }
            CHECK(out.h_n.value().at({l, n, 0}) == Approx(h[0]).margin(1e-5));
            CHECK(out.c_n.value().at({l, n, 1}) == Approx(c[1]).margin(1e-5));
        }
    }
    for (int64_t t = 0; t < 4; ++t) CHECK(out.output.value().at({t, 1, 1}) == Approx(seq[t][1][1]).margin(1e-5));
}

TEST_CASE("LSTM gradients through inputs, initial state and parameters pass gradcheck", "[layers][lstm]") {
    Generator gen(5);
    nn::LSTM lstm(nn::LSTMOptions(3, 2).num_layers(2), gen);
    Variable x(Tensor::randn({3, 2, 3}, gen), true);
    Variable h0(Tensor::randn({2, 2, 2}, gen, 0, 0.5f), true);
    Variable c0(Tensor::randn({2, 2, 2}, gen, 0, 0.5f), true);
    std::vector<Variable> inputs{x, h0, c0};
    for (const Variable& p : lstm.parameters()) inputs.push_back(p);
    // The output sequence and the final states together (c_n reaches c0 through the cell path).
    const auto res = gradcheck(
        [&](const std::vector<Variable>& in) {
            const auto r = lstm.forward(in[0], {in[1], in[2]});
            return concat({reshape(r.output, {-1}), reshape(r.h_n, {-1}), reshape(r.c_n, {-1})}, 0);
        },
        inputs);
    INFO(res.message);
    CHECK(res.ok);
}

TEST_CASE("batch_first LSTM gives the same numbers as the transposed input", "[layers][lstm]") {
    Generator gen(6);
    nn::LSTM seq_first(3, 4, gen);
    nn::LSTM batch_first(nn::LSTMOptions(3, 4).batch_first(true), gen);
    auto a = seq_first.named_parameters(), b = batch_first.named_parameters();
    for (size_t k = 0; k < a.size(); ++k) b[k].second.value().copy_(a[k].second.value());
    const Tensor x = Tensor::randn({5, 2, 3}, gen);  // [T, N, in]
    const auto ra = seq_first.forward(Variable(x), {});
    const auto rb = batch_first.forward(Variable(x.transpose(0, 1).contiguous()), {});
    CHECK(rb.output.shape() == Shape{2, 5, 4});
    CHECK(tensor::allclose(ra.output.value().transpose(0, 1), rb.output.value(), 1e-5f, 1e-6f));
    CHECK(tensor::allclose(ra.h_n.value(), rb.h_n.value(), 1e-5f, 1e-6f));
    CHECK(tensor::allclose(ra.c_n.value(), rb.c_n.value(), 1e-5f, 1e-6f));
}

TEST_CASE("a 200-step LSTM backpropagates through time with finite gradients", "[layers][lstm]") {
    Generator gen(7);
    nn::LSTM lstm(3, 8, gen);
    Variable x(Tensor::randn({200, 2, 3}, gen), true);
    const auto out = lstm.forward(x, {});
    mean(out.h_n).backward();
    for (auto& [name, p] : lstm.named_parameters()) {
        INFO(name);
        REQUIRE(p.grad().defined());
        CHECK(all_finite(p.grad()));
    }
    REQUIRE(x.grad().defined());
    CHECK(all_finite(x.grad()));
    // The last step's input matters more to h_200 than the first step's does.
    const Tensor g_first = x.grad().select(0, 0), g_last = x.grad().select(0, 199);
    double first = 0, last = 0;
    for (float v : g_first.to_vector()) first += std::fabs(v);
    for (float v : g_last.to_vector()) last += std::fabs(v);
    CHECK(last > first);
    CHECK(last > 0);
}

TEST_CASE("LSTM works inside a Sequential and rejects wrong shapes by name", "[layers][lstm]") {
    Generator gen(8);
    nn::Sequential seq(nn::LSTM(nn::LSTMOptions(3, 4).batch_first(true), gen));
    CHECK(seq.named_parameters()[0].first == "0.weight_ih_l0");
    const Variable y = seq(Variable(Tensor::randn({2, 5, 3}, gen)));
    CHECK(y.shape() == Shape{2, 5, 4});
    nn::LSTM lstm(3, 4, gen);
    CHECK_THROWS_AS(lstm(Variable(Tensor::zeros({5, 2, 7}))), ShapeError);
    CHECK_THROWS_WITH(lstm(Variable(Tensor::zeros({5, 7}))), IOTGRAD_HAS("LSTM: input must be [T, N, 3]"));
    CHECK_THROWS_WITH(lstm.forward(Variable(Tensor::zeros({5, 2, 3})), {Variable(Tensor::zeros({1, 3, 4})), {}}),
                      IOTGRAD_HAS("initial h must be [1, 2, 4]"));
    CHECK_THROWS_AS(nn::LSTM(nn::LSTMOptions(3, 4).num_layers(0), gen), std::invalid_argument);
}

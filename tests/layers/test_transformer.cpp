#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "layers/linear.hpp"
#include "layers/positional.hpp"
#include "layers/transformer.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;

namespace {
// LayerNorm of each row of the last dim, gamma = 1, beta = 0, in double.
std::vector<double> layer_norm_row(const std::vector<double>& x, double eps = 1e-5) {
    double mu = 0, var = 0;
    for (double v : x) mu += v;
    mu /= static_cast<double>(x.size());
    for (double v : x) var += (v - mu) * (v - mu);
    var /= static_cast<double>(x.size());
    std::vector<double> y;
    for (double v : x) y.push_back((v - mu) / std::sqrt(var + eps));
    return y;
}

// The benchmark's TransformerNet: Linear(9, 32), learned positions, 2 post-norm layers, mean over time, Linear(32, 6).
struct TransformerNet : nn::Module {
    nn::Linear proj;
    nn::LearnedPositionalEncoding pos;
    nn::TransformerEncoder encoder;
    nn::Linear fc;
    explicit TransformerNet(Generator& gen)
        : proj(9, 32, gen),
          pos(nn::PositionalEncodingOptions(32, 128).batch_first(true), gen),
          encoder(nn::TransformerEncoderLayerOptions(32, 4).dim_feedforward(64).dropout(0.0f).batch_first(true), 2, gen),
          fc(32, 6, gen) {
        register_module("proj", proj);
        register_module("pos", pos);
        register_module("encoder", encoder);
        register_module("fc", fc);
    }
    Variable forward(const Variable& x) override { return fc(mean(encoder(pos(proj(x))), {1})); }
};
}  // namespace

TEST_CASE("TransformerEncoderLayer has PyTorch's parameter names, shapes and count", "[layers][transformer]") {
    Generator gen(1);
    nn::TransformerEncoderLayer layer(
        nn::TransformerEncoderLayerOptions(32, 4).dim_feedforward(64).dropout(0.0f).batch_first(true), gen);
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"self_attn.in_proj_weight", {96, 32}},
        {"self_attn.in_proj_bias", {96}},
        {"self_attn.out_proj.weight", {32, 32}},
        {"self_attn.out_proj.bias", {32}},
        {"linear1.weight", {64, 32}},
        {"linear1.bias", {64}},
        {"linear2.weight", {32, 64}},
        {"linear2.bias", {32}},
        {"norm1.weight", {32}},
        {"norm1.bias", {32}},
        {"norm2.weight", {32}},
        {"norm2.bias", {32}},
    };
    const auto named = layer.named_parameters();
    REQUIRE(named.size() == expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        CHECK(named[k].first == expected[k].first);
        CHECK(named[k].second.shape() == expected[k].second);
    }
    CHECK(layer.num_parameters() == 8544);  // as the benchmark's docstring counts per layer
}

TEST_CASE("the benchmark's TransformerNet can be built: 21,702 parameters, PyTorch's keys", "[layers][transformer]") {
    Generator gen(2);
    TransformerNet net(gen);
    CHECK(net.num_parameters() == 21702);
    const auto named = net.named_parameters();
    CHECK(named[2].first == "pos.weight");
    CHECK(named[3].first == "encoder.layers.0.self_attn.in_proj_weight");
    CHECK(named[named.size() - 3].first == "encoder.layers.1.norm2.bias");
    const Variable y = net(Variable(Tensor::randn({2, 16, 9}, gen)));  // any length up to 128
    CHECK(y.shape() == Shape{2, 6});
}

TEST_CASE("encoder layer residuals: post-norm and pre-norm worked by hand", "[layers][transformer]") {
    Generator gen(3);
    const Tensor x = Tensor::randn({3, 2, 4}, gen);
    for (bool norm_first : {false, true}) {
        nn::TransformerEncoderLayer layer(
            nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(8).dropout(0.0f).norm_first(norm_first), gen);
        // Silence both branches: attention and feed-forward now output exactly 0.
        layer.self_attn.out_proj.weight.value().fill_(0.0f);
        layer.linear2.weight.value().fill_(0.0f);
        layer.linear2.bias.value().fill_(0.0f);
        const Variable y = layer(Variable(x));
        for (int64_t t = 0; t < 3; ++t)
            for (int64_t n = 0; n < 2; ++n) {
                std::vector<double> row;
                for (int64_t i = 0; i < 4; ++i) row.push_back(x.at({t, n, i}));
                // Post-norm: LN2(LN1(x + 0) + 0) = LN(LN(x)); pre-norm: x + 0 + 0 = x.
                const std::vector<double> want = norm_first ? row : layer_norm_row(layer_norm_row(row));
                for (int64_t i = 0; i < 4; ++i) CHECK(y.value().at({t, n, i}) == Approx(want[i]).margin(1e-5));
            }
    }
}

TEST_CASE("encoder layer equals its equations composed from its submodules", "[layers][transformer]") {
    Generator gen(4);
    const Variable x(Tensor::randn({2, 3, 4}, gen));
    for (bool norm_first : {false, true}) {
        for (auto act : {nn::Activation::Relu, nn::Activation::Gelu}) {
            nn::TransformerEncoderLayer l(nn::TransformerEncoderLayerOptions(4, 2)
                                              .dim_feedforward(6)
                                              .dropout(0.0f)
                                              .activation(act)
                                              .batch_first(true)
                                              .norm_first(norm_first),
                                          gen);
            auto ff = [&](const Variable& h) {
                const Variable a = l.linear1(h);
                return l.linear2(act == nn::Activation::Relu ? relu(a) : gelu(a));
            };
            Variable want;
            if (norm_first) {
                const Variable h = x + l.self_attn(l.norm1(x));
                want = h + ff(l.norm2(h));
            } else {
                const Variable h = l.norm1(x + l.self_attn(x));
                want = l.norm2(h + ff(h));
            }
            CHECK(tensor::allclose(l(x).value(), want.value(), 1e-5f, 1e-6f));
        }
    }
}

TEST_CASE("encoder layer gradients pass gradcheck (post-norm, pre-norm, gelu)", "[layers][transformer]") {
    Generator gen(5);
    for (bool norm_first : {false, true}) {
        nn::TransformerEncoderLayer layer(nn::TransformerEncoderLayerOptions(4, 2)
                                              .dim_feedforward(6)
                                              .dropout(0.0f)
                                              .activation(norm_first ? nn::Activation::Gelu : nn::Activation::Relu)
                                              .norm_first(norm_first),
                                          gen);
        Variable x(Tensor::randn({3, 2, 4}, gen), true);
        std::vector<Variable> inputs{x};
        for (const Variable& p : layer.parameters()) inputs.push_back(p);
        nn::AttentionMask causal;
        causal.causal = true;
        const auto res =
            gradcheck([&](const std::vector<Variable>& in) { return layer.forward(in[0], causal); }, inputs);
        INFO("norm_first=" << norm_first << ": " << res.message);
        CHECK(res.ok);
    }
}

TEST_CASE("encoder dropout is active in training and off in evaluation", "[layers][transformer]") {
    Generator gen(6);
    nn::TransformerEncoder enc(nn::TransformerEncoderLayerOptions(8, 2).dim_feedforward(16).dropout(0.3f), 2, gen);
    CHECK(enc.named_parameters().size() == 24);
    const Variable x(Tensor::randn({5, 2, 8}, gen));
    const Tensor a = enc(x).value(), b = enc(x).value();
    CHECK_FALSE(tensor::allclose(a, b, 1e-5f, 1e-6f));  // two different dropout masks
    enc.eval();
    CHECK_FALSE(enc.layer(1).dropout.is_training());
    const Tensor c = enc(x).value(), d = enc(x).value();
    CHECK(tensor::allclose(c, d, 0.0f, 0.0f));
}

TEST_CASE("sinusoidal positional encoding follows Vaswani et al.", "[layers][transformer]") {
    nn::SinusoidalPositionalEncoding pe(6, 50);
    CHECK(pe.named_parameters().empty());
    CHECK(pe.named_buffers()[0].first == "pe");
    // Position 0: sin 0 = 0, cos 0 = 1.
    CHECK(pe.pe.select(0, 0).to_vector() == std::vector<float>{0, 1, 0, 1, 0, 1});
    for (int64_t p : {1, 7, 49})
        for (int64_t i = 0; i < 3; ++i) {
            const double angle = p / std::pow(10000.0, 2.0 * i / 6.0);
            CHECK(pe.pe.at({p, 2 * i}) == Approx(std::sin(angle)).margin(1e-6));
            CHECK(pe.pe.at({p, 2 * i + 1}) == Approx(std::cos(angle)).margin(1e-6));
        }
    // forward adds row t to every sample at step t, in either layout.
    Generator gen(7);
    const Tensor x = Tensor::randn({4, 3, 6}, gen);
    const Variable y = pe(Variable(x));
    CHECK(y.value().at({2, 1, 3}) == Approx(x.at({2, 1, 3}) + pe.pe.at({2, 3})));
    nn::SinusoidalPositionalEncoding bf(nn::PositionalEncodingOptions(6, 50).batch_first(true));
    const Variable yb = bf(Variable(x));  // now read as [N=4, T=3, 6]
    CHECK(yb.value().at({2, 1, 3}) == Approx(x.at({2, 1, 3}) + pe.pe.at({1, 3})));
    CHECK_THROWS_WITH(pe(Variable(Tensor::zeros({51, 1, 6}))), IOTGRAD_HAS("longer than max_len = 50"));
    nn::SinusoidalPositionalEncoding odd(5, 4);
    CHECK(odd.pe.at({1, 4}) == Approx(std::sin(1.0 / std::pow(10000.0, 4.0 / 5.0))));
}

TEST_CASE("learned positional encoding trains one vector per position", "[layers][transformer]") {
    Generator gen(8);
    nn::LearnedPositionalEncoding pos(10, 3, gen);
    REQUIRE(pos.named_parameters().size() == 1);
    CHECK(pos.named_parameters()[0].first == "weight");
    CHECK(pos.weight.shape() == Shape{10, 3});
    Variable x(Tensor::randn({4, 2, 3}, gen), true);
    const auto res = gradcheck([&](const std::vector<Variable>& in) { return pos(in[0]); }, {x, pos.weight});
    INFO(res.message);
    CHECK(res.ok);
    // dL/dP_t = sum over the batch of dL/dy_t; rows past the sequence get nothing.
    pos.zero_grad();
    sum(pos(Variable(Tensor::zeros({4, 2, 3})))).backward();
    CHECK(pos.weight.grad().at({3, 1}) == 2.0f);
    CHECK(pos.weight.grad().at({4, 1}) == 0.0f);
}

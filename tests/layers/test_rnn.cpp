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

TEST_CASE("RNN parameters have PyTorch's names and shapes", "[layers][rnn]") {
    Generator gen(1);
    nn::RNN rnn(nn::RNNOptions(3, 4).num_layers(2), gen);
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"weight_ih_l0", {4, 3}}, {"weight_hh_l0", {4, 4}}, {"bias_ih_l0", {4}}, {"bias_hh_l0", {4}},
        {"weight_ih_l1", {4, 4}}, {"weight_hh_l1", {4, 4}}, {"bias_ih_l1", {4}}, {"bias_hh_l1", {4}},
    };
    const auto named = rnn.named_parameters();
    REQUIRE(named.size() == expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        CHECK(named[k].first == expected[k].first);
        CHECK(named[k].second.shape() == expected[k].second);
    }
    CHECK(rnn.type_name() == "RNN");
    CHECK(rnn.extra_repr() == "3, 4, num_layers=2");
}

TEST_CASE("RNN steps are h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)", "[layers][rnn]") {
    Generator gen(2);
    nn::RNN rnn(2, 2, gen);
    rnn.weight_ih(0).value().copy_(Tensor::from({2, 2}, {0.5f, -0.25f, 0.1f, 0.3f}));
    rnn.weight_hh(0).value().copy_(Tensor::from({2, 2}, {0.2f, 0.4f, -0.6f, 0.8f}));
    rnn.bias_ih(0).value().copy_(Tensor::from({2}, {0.1f, -0.1f}));
    rnn.bias_hh(0).value().copy_(Tensor::from({2}, {0.05f, 0.0f}));
    // Two steps, one sample: x_1 = [1, 2], x_2 = [-1, 0.5], h_0 = [0.3, -0.2].
    double h[2] = {0.3, -0.2};
    const double xs[2][2] = {{1, 2}, {-1, 0.5}};
    double want[2][2];
    for (int t = 0; t < 2; ++t) {
        const double a0 = 0.5 * xs[t][0] - 0.25 * xs[t][1] + 0.1 + 0.2 * h[0] + 0.4 * h[1] + 0.05;
        const double a1 = 0.1 * xs[t][0] + 0.3 * xs[t][1] - 0.1 - 0.6 * h[0] + 0.8 * h[1] + 0.0;
        h[0] = std::tanh(a0);
        h[1] = std::tanh(a1);
        want[t][0] = h[0];
        want[t][1] = h[1];
    }
    const auto out = rnn.forward(Variable(Tensor::from({2, 1, 2}, {1, 2, -1, 0.5f})),
                                 {Variable(Tensor::from({1, 1, 2}, {0.3f, -0.2f})), {}});
    for (int64_t t = 0; t < 2; ++t)
        for (int64_t j = 0; j < 2; ++j) CHECK(out.output.value().at({t, 0, j}) == Approx(want[t][j]).epsilon(1e-6));
    CHECK(out.h_n.value().at({0, 0, 1}) == Approx(want[1][1]).epsilon(1e-6));
    CHECK_FALSE(out.c_n.defined());
}

TEST_CASE("RNN without bias has only weights and a zero input gives a zero state", "[layers][rnn]") {
    Generator gen(3);
    nn::RNN rnn(nn::RNNOptions(3, 5).bias(false), gen);
    CHECK(rnn.named_parameters().size() == 2);
    const auto out = rnn.forward(Variable(Tensor::zeros({4, 2, 3})), {});
    for (float v : out.output.value().to_vector()) CHECK(v == 0.0f);
}

TEST_CASE("RNN gradients (BPTT through the engine) pass gradcheck", "[layers][rnn]") {
    Generator gen(4);
    nn::RNN rnn(nn::RNNOptions(3, 2).num_layers(2).batch_first(true), gen);
    Variable x(Tensor::randn({2, 3, 3}, gen), true);  // [N, T, in]
    Variable h0(Tensor::randn({2, 2, 2}, gen, 0, 0.5f), true);
    std::vector<Variable> inputs{x, h0};
    for (const Variable& p : rnn.parameters()) inputs.push_back(p);
    const auto res = gradcheck(
        [&](const std::vector<Variable>& in) {
            const auto r = rnn.forward(in[0], {in[1], {}});
            return concat({reshape(r.output, {-1}), reshape(r.h_n, {-1})}, 0);
        },
        inputs);
    INFO(res.message);
    CHECK(res.ok);
}

TEST_CASE("batch_first RNN equals the transposed time-major run", "[layers][rnn]") {
    Generator gen(5);
    nn::RNN a(nn::RNNOptions(3, 4).num_layers(2), gen), b(nn::RNNOptions(3, 4).num_layers(2).batch_first(true), gen);
    auto pa = a.parameters(), pb = b.parameters();
    for (size_t k = 0; k < pa.size(); ++k) pb[k].value().copy_(pa[k].value());
    const Tensor x = Tensor::randn({6, 2, 3}, gen);
    const auto ra = a.forward(Variable(x), {});
    const auto rb = b.forward(Variable(x.transpose(0, 1).contiguous()), {});
    CHECK(tensor::allclose(ra.output.value().transpose(0, 1), rb.output.value(), 1e-5f, 1e-6f));
    CHECK(tensor::allclose(ra.h_n.value(), rb.h_n.value(), 1e-5f, 1e-6f));
    CHECK(rb.h_n.shape() == Shape{2, 2, 4});  // h_n is never batch-first, as in PyTorch
}

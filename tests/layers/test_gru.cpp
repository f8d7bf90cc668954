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

// The GRU equations in double for one sample (PyTorch's form: r scales W_hn h + b_hn).
void gru_step_ref(nn::GRU& gru, const std::vector<double>& x, std::vector<double>& h) {
    const Tensor wih = gru.weight_ih(0).value(), whh = gru.weight_hh(0).value();
    const Tensor bih = gru.bias_ih(0).value(), bhh = gru.bias_hh(0).value();
    const int64_t H = static_cast<int64_t>(h.size());
    std::vector<double> xi(3 * H), hh(3 * H);
    for (int64_t r = 0; r < 3 * H; ++r) {
        xi[r] = bih.at({r});
        hh[r] = bhh.at({r});
        for (size_t k = 0; k < x.size(); ++k) xi[r] += wih.at({r, static_cast<int64_t>(k)}) * x[k];
        for (int64_t k = 0; k < H; ++k) hh[r] += whh.at({r, k}) * h[k];
    }
    std::vector<double> next(H);
    for (int64_t j = 0; j < H; ++j) {
        const double r = sigm(xi[j] + hh[j]);
        const double z = sigm(xi[H + j] + hh[H + j]);
        const double n = std::tanh(xi[2 * H + j] + r * hh[2 * H + j]);
        next[j] = (1 - z) * n + z * h[j];
    }
    h = next;
}
}  // namespace

TEST_CASE("GRU parameters have PyTorch's names and shapes", "[layers][gru]") {
    Generator gen(1);
    nn::GRU gru(nn::GRUOptions(3, 4).num_layers(2), gen);
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"weight_ih_l0", {12, 3}}, {"weight_hh_l0", {12, 4}}, {"bias_ih_l0", {12}}, {"bias_hh_l0", {12}},
        {"weight_ih_l1", {12, 4}}, {"weight_hh_l1", {12, 4}}, {"bias_ih_l1", {12}}, {"bias_hh_l1", {12}},
    };
    const auto named = gru.named_parameters();
    REQUIRE(named.size() == expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        CHECK(named[k].first == expected[k].first);
        CHECK(named[k].second.shape() == expected[k].second);
    }
    CHECK(gru.num_parameters() == (36 + 48 + 24) + (48 + 48 + 24));
}

TEST_CASE("one GRU step with chosen weights matches r, z, n by hand", "[layers][gru]") {
    Generator gen(2);
    nn::GRU gru(2, 1, gen);
    // Rows r, z, n of W_ih [3, 2] and W_hh [3, 1]; biases chosen so b_hn matters.
    gru.weight_ih(0).value().copy_(Tensor::from({3, 2}, {0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f}));
    gru.weight_hh(0).value().copy_(Tensor::from({3, 1}, {0.7f, -0.8f, 0.9f}));
    gru.bias_ih(0).value().copy_(Tensor::from({3}, {0.01f, 0.02f, 0.03f}));
    gru.bias_hh(0).value().copy_(Tensor::from({3}, {-0.1f, 0.2f, 0.5f}));
    const double x0 = 1, x1 = 2, h0 = 0.5;
    const double r = sigm(0.1 * x0 + 0.2 * x1 + 0.01 + 0.7 * h0 - 0.1);
    const double z = sigm(-0.3 * x0 + 0.4 * x1 + 0.02 - 0.8 * h0 + 0.2);
    const double n = std::tanh(0.5 * x0 - 0.6 * x1 + 0.03 + r * (0.9 * h0 + 0.5));
    const double h = (1 - z) * n + z * h0;
    const auto out = gru.forward(Variable(Tensor::from({1, 1, 2}, {1, 2})), {Variable(Tensor::full({1, 1, 1}, 0.5f))});
    CHECK(out.output.value().item() == Approx(h).epsilon(1e-6));
    CHECK(out.h_n.value().item() == Approx(h).epsilon(1e-6));
    CHECK_FALSE(out.c_n.defined());
}

TEST_CASE("GRU over several steps and samples follows the equations", "[layers][gru]") {
    Generator gen(3);
    nn::GRU gru(3, 2, gen);
    const Tensor x = Tensor::randn({4, 2, 3}, gen);
    const auto out = gru.forward(Variable(x), {});
    for (int64_t n = 0; n < 2; ++n) {
        std::vector<double> h(2, 0.0);
        for (int64_t t = 0; t < 4; ++t) {
            gru_step_ref(gru, {x.at({t, n, 0}), x.at({t, n, 1}), x.at({t, n, 2})}, h);
            for (int64_t j = 0; j < 2; ++j) CHECK(out.output.value().at({t, n, j}) == Approx(h[j]).margin(1e-6));
        }
    }
}

TEST_CASE("GRU gradients pass gradcheck through inputs, h0 and parameters", "[layers][gru]") {
    Generator gen(4);
    nn::GRU gru(nn::GRUOptions(3, 2).num_layers(2), gen);
    Variable x(Tensor::randn({3, 2, 3}, gen), true);
    Variable h0(Tensor::randn({2, 2, 2}, gen, 0, 0.5f), true);
    std::vector<Variable> inputs{x, h0};
    for (const Variable& p : gru.parameters()) inputs.push_back(p);
    const auto res = gradcheck(
        [&](const std::vector<Variable>& in) {
            const auto r = gru.forward(in[0], {in[1], {}});
            return concat({reshape(r.output, {-1}), reshape(r.h_n, {-1})}, 0);
        },
        inputs);
    INFO(res.message);
    CHECK(res.ok);
}

TEST_CASE("batch_first GRU gives the transposed numbers and refuses a cell state", "[layers][gru]") {
    Generator gen(5);
    nn::GRU a(2, 3, gen), b(nn::GRUOptions(2, 3).batch_first(true), gen);
    for (size_t k = 0; k < 4; ++k) b.parameters()[k].value().copy_(a.parameters()[k].value());
    const Tensor x = Tensor::randn({4, 3, 2}, gen);
    const auto ra = a.forward(Variable(x), {});
    const auto rb = b.forward(Variable(x.transpose(0, 1).contiguous()), {});
    CHECK(tensor::allclose(ra.output.value().transpose(0, 1), rb.output.value(), 1e-5f, 1e-6f));
    CHECK(tensor::allclose(ra.h_n.value(), rb.h_n.value(), 1e-5f, 1e-6f));
    CHECK_THROWS_WITH(a.forward(Variable(x), {{}, Variable(Tensor::zeros({1, 3, 3}))}), IOTGRAD_HAS("no cell state"));
}

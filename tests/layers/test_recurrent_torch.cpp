// RNN, LSTM and GRU against PyTorch (tests/fixtures/torch/gen_recurrent.py):
// the module's state_dict is loaded by PyTorch's keys, then the outputs, the
// final states and the gradients of L = sum(output * w_out) + sum(h_n * w_h)
// (+ sum(c_n * w_c)) w.r.t. x, h0 (c0) and every parameter are compared.
// Tolerance: |a - b| <= 1e-5 + 1e-5 |b| (PyTorch computed in float64).
#include <cmath>
#include <string>

#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "layers/recurrent.hpp"
#include "torch_fixture.hpp"

using namespace iotgrad;

namespace {
/// The largest |a - b| - 1e-5 |b| over all elements (<= 1e-5 passes).
double excess(const Tensor& a, const Tensor& b) {
    REQUIRE(a.shape() == b.shape());
    const std::vector<float> av = a.contiguous().to_vector(), bv = b.contiguous().to_vector();
    double worst = 0;
    for (size_t i = 0; i < av.size(); ++i)
        worst = std::max(worst, std::fabs(double(av[i]) - bv[i]) - 1e-5 * std::fabs(double(bv[i])));
    return worst;
}

#define CHECK_CLOSE(a, b, what)          \
    do {                                 \
        INFO(what);                      \
        CHECK(excess((a), (b)) <= 1e-5); \
    } while (0)

template <class Layer>
void check_against_torch(const std::string& name, const typename Layer::Options& options, bool lstm) {
    const auto f = test::torch_fixture("recurrent_" + name);
    Generator gen(0);
    Layer m(options, gen);
    m.eval();  // dropout between layers (when set) is then the identity, as in the fixture
    const int64_t D = options.bidirectional() ? 2 : 1;
    REQUIRE(m.named_parameters().size() == static_cast<size_t>(4 * options.num_layers() * D));
    for (auto& [key, p] : m.named_parameters()) p.value().copy_(f.t(key));  // PyTorch's keys

    Variable x(f.t("x"), true), h0(f.t("h0"), true), c0;
    if (lstm) c0 = Variable(f.t("c0"), true);
    const nn::RecurrentOutput out = m.forward(x, {h0, c0});
    CHECK_CLOSE(out.output.value(), f.t("output"), name + " output");
    CHECK_CLOSE(out.h_n.value(), f.t("h_n"), name + " h_n");
    Variable loss = sum(out.output * Variable(f.t("w_out"))) + sum(out.h_n * Variable(f.t("w_h")));
    if (lstm) {
        CHECK_CLOSE(out.c_n.value(), f.t("c_n"), name + " c_n");
        loss = loss + sum(out.c_n * Variable(f.t("w_c")));
    }
    CHECK_CLOSE(reshape(loss, {1}).value(), f.t("loss"), name + " loss");
    loss.backward();
    CHECK_CLOSE(x.grad(), f.t("grad.x"), name + " grad.x");
    CHECK_CLOSE(h0.grad(), f.t("grad.h0"), name + " grad.h0");
    if (lstm) CHECK_CLOSE(c0.grad(), f.t("grad.c0"), name + " grad.c0");
    for (auto& [key, p] : m.named_parameters()) CHECK_CLOSE(p.grad(), f.t("grad." + key), name + " grad." + key);
}
}  // namespace

TEST_CASE("bidirectional 2-layer batch_first RNN matches PyTorch (dropout 0.25, eval)", "[layers][rnn][torch]") {
    check_against_torch<nn::RNN>(
        "rnn_bi", nn::RNNOptions(3, 4).num_layers(2).bidirectional(true).batch_first(true).dropout(0.25f), false);
}

TEST_CASE("bidirectional 2-layer batch_first LSTM matches PyTorch (dropout 0.25, eval)", "[layers][lstm][torch]") {
    check_against_torch<nn::LSTM>(
        "lstm_bi", nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true).batch_first(true).dropout(0.25f), true);
}

TEST_CASE("bidirectional 2-layer batch_first GRU matches PyTorch (dropout 0.25, eval)", "[layers][gru][torch]") {
    check_against_torch<nn::GRU>(
        "gru_bi", nn::GRUOptions(3, 4).num_layers(2).bidirectional(true).batch_first(true).dropout(0.25f), false);
}

TEST_CASE("2-layer RNN with ReLU matches PyTorch", "[layers][rnn][torch]") {
    check_against_torch<nn::RNN>("rnn_relu", nn::RNNOptions(3, 4).num_layers(2).nonlinearity("relu"), false);
}

TEST_CASE("2-layer time-major LSTM (the fused path) matches PyTorch", "[layers][lstm][torch]") {
    check_against_torch<nn::LSTM>("lstm_uni", nn::LSTMOptions(3, 4).num_layers(2), true);
}

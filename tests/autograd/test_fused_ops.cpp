// The fused kernels against the plain compositions of elementary ops they
// replace on the hot paths: same values and same gradients to float32
// rounding (the gradcheck table checks each fused op against finite
// differences as well).
#include "catch_compat.hpp"

#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;

namespace {
/// Runs f on fresh leaf copies of `values`, backpropagates `upstream`, and
/// returns the output followed by each input's gradient.
std::vector<Tensor> value_and_grads(const std::function<Variable(const std::vector<Variable>&)>& f,
                                    const std::vector<Tensor>& values, const Tensor& upstream) {
    std::vector<Variable> in;
    for (const Tensor& v : values) in.emplace_back(v.clone(), true);
    Variable y = f(in);
    y.backward(upstream);
    std::vector<Tensor> out{y.value()};
    for (const Variable& v : in) out.push_back(v.grad());
    return out;
}

void check_same(const std::vector<Tensor>& fast, const std::vector<Tensor>& plain) {
    REQUIRE(fast.size() == plain.size());
    for (size_t i = 0; i < fast.size(); ++i) {
        INFO("item " << i << " (0 = value, then the inputs' gradients)");
        REQUIRE(fast[i].shape() == plain[i].shape());
        CHECK(tensor::allclose(fast[i], plain[i], 1e-4f, 1e-5f));
    }
}

/// The reference LSTM layer: the per-step cell of nn::LSTM written with
/// elementary ops; returns [T, N, 2H] (h_t | c_t) like lstm_layer.
Variable plain_lstm(const std::vector<Variable>& v) {
    const Variable &x = v[0], &w_ih = v[3], &w_hh = v[4];
    const int64_t T = x.size(0), H = w_hh.size(1);
    Variable h = v[1], c = v[2];
    std::vector<Variable> steps;
    for (int64_t t = 0; t < T; ++t) {
        Variable a = matmul(select(x, 0, t), transpose(w_ih, 0, 1)) + matmul(h, transpose(w_hh, 0, 1));
        if (v.size() > 5) a = a + v[5] + v[6];
        const Variable i = sigmoid(slice(a, 1, 0, H)), f = sigmoid(slice(a, 1, H, 2 * H));
        const Variable g = tanh(slice(a, 1, 2 * H, 3 * H)), o = sigmoid(slice(a, 1, 3 * H, 4 * H));
        c = f * c + i * g;
        h = o * tanh(c);
        steps.push_back(concat({h, c}, 1));
    }
    return stack(steps, 0);
}
}  // namespace

TEST_CASE("linear equals matmul with the transposed weight plus bias", "[autograd][fused]") {
    Generator gen(11);
    const std::vector<Tensor> in{Tensor::randn({2, 5, 7}, gen), Tensor::randn({4, 7}, gen), Tensor::randn({4}, gen)};
    const Tensor up = Tensor::randn({2, 5, 4}, gen);
    const auto fast = value_and_grads([](const std::vector<Variable>& v) { return linear(v[0], v[1], v[2]); }, in, up);
    const auto plain = value_and_grads(
        [](const std::vector<Variable>& v) { return matmul(v[0], transpose(v[1], 0, 1)) + v[2]; }, in, up);
    check_same(fast, plain);
    // A hand value: x = [1, 2], W = [[3, 4]], b = [5] gives 1*3 + 2*4 + 5 = 16.
    const Variable y = linear(Variable(Tensor::from({1, 2}, {1, 2})), Variable(Tensor::from({1, 2}, {3, 4})),
                              Variable(Tensor::from({1}, {5})));
    CHECK(y.value().item() == Approx(16.0f));
}

TEST_CASE("linear refuses mismatched shapes with a message naming them", "[autograd][fused]") {
    const Variable x(Tensor::zeros({2, 3})), w(Tensor::zeros({4, 5}));
    CHECK_THROWS_WITH(linear(x, w), IOTGRAD_HAS("[2, 3]"));
}

TEST_CASE("lstm_layer equals the per-step cell built from elementary ops", "[autograd][fused][lstm]") {
    Generator gen(12);
    const int64_t T = 6, N = 3, C = 4, H = 5;
    for (bool bias : {true, false}) {
        std::vector<Tensor> in{Tensor::randn({T, N, C}, gen), Tensor::randn({N, H}, gen),
                               Tensor::randn({N, H}, gen), Tensor::randn({4 * H, C}, gen, 0.0f, 0.5f),
                               Tensor::randn({4 * H, H}, gen, 0.0f, 0.5f)};
        if (bias) in.insert(in.end(), {Tensor::randn({4 * H}, gen), Tensor::randn({4 * H}, gen)});
        const Tensor up = Tensor::randn({T, N, 2 * H}, gen);
        INFO("bias " << bias);
        const auto fast = value_and_grads(
            [](const std::vector<Variable>& v) {
                return v.size() > 5 ? lstm_layer(v[0], v[1], v[2], v[3], v[4], v[5], v[6])
                                    : lstm_layer(v[0], v[1], v[2], v[3], v[4]);
            },
            in, up);
        check_same(fast, value_and_grads(plain_lstm, in, up));
    }
}

TEST_CASE("lstm_layer refuses mismatched weights", "[autograd][fused][lstm]") {
    const Variable x(Tensor::zeros({2, 1, 3})), h(Tensor::zeros({1, 2})), w_ih(Tensor::zeros({8, 4})),
        w_hh(Tensor::zeros({8, 2}));
    CHECK_THROWS_WITH(lstm_layer(x, h, h, w_ih, w_hh), IOTGRAD_HAS("lstm_layer"));
}

TEST_CASE("layer_norm equals the composition of mean, sub, sqrt and div", "[autograd][fused]") {
    Generator gen(13);
    const std::vector<Tensor> in{Tensor::randn({3, 4, 6}, gen, 1.0f, 2.0f), Tensor::randn({6}, gen),
                                 Tensor::randn({6}, gen)};
    const Tensor up = Tensor::randn({3, 4, 6}, gen);
    const auto fast = value_and_grads([](const std::vector<Variable>& v) { return layer_norm(v[0], v[1], v[2]); }, in, up);
    const auto plain = value_and_grads(
        [](const std::vector<Variable>& v) {
            const Variable centered = v[0] - mean(v[0], {2}, true);
            const Variable var = mean(centered * centered, {2}, true);
            return centered / sqrt(var + 1e-5f) * v[1] + v[2];
        },
        in, up);
    check_same(fast, plain);
    CHECK_THROWS_WITH(layer_norm(Variable(Tensor::zeros({2, 3})), Variable(Tensor::ones({4})),
                                 Variable(Tensor::zeros({4}))),
                      IOTGRAD_HAS("layer_norm"));
}
